/* Conversions shared by the pelkit LAMMPS styles (see pelkit_lammps.h). */
#include "pelkit_lammps.h"

#include "atom.h"
#include "domain.h"
#include "error.h"
#include "lammps.h"
#include "update.h"

#include <cstring>

using namespace LAMMPS_NS;

pelkit_box_t pelkit::box_from_domain(const Domain *domain)
{
  pelkit_box_t box;
  for (int d = 0; d < 3; d++) {
    box.lo[d] = domain->boxlo[d];
    box.hi[d] = domain->boxhi[d];
    box.periodic[d] = domain->periodicity[d] != 0;
  }
  box.tilt[0] = domain->xy;
  box.tilt[1] = domain->xz;
  box.tilt[2] = domain->yz;
  box.triclinic = domain->triclinic != 0;
  return box;
}

void pelkit::check_one(Error *error, const std::string &style, pelkit_status_t status)
{
  if (status != PELKIT_SUCCESS)
    error->one(FLERR, "{}: pelkit error {}: {}", style, static_cast<int>(status),
               pelkit_last_error());
}

pelkit_potential_t *pelkit::eam_from_compute_args(LAMMPS *lmp, const std::string &style, int narg,
                                                  char **arg, double *cutoff)
{
  Error *error = lmp->error;
  const int ntypes = lmp->atom->ntypes;
  const std::string usage = "expected 'compute ID group " + style +
      " eam/alloy|eam/fs FILE El1 ... ElN' with one element per atom type";
  if (narg < 5) error->all(FLERR, "Illegal {} command: {}", style, usage);
  const std::string pair_style = arg[3];
  if (pair_style != "eam/alloy" && pair_style != "eam/fs")
    error->all(FLERR, "Illegal {} command: unknown potential style '{}'; {}", style, pair_style,
               usage);
  if (narg - 5 != ntypes)
    error->all(FLERR, "Illegal {} command: {} element name(s) for {} atom types; {}", style,
               narg - 5, ntypes, usage);
  if (strcmp(lmp->update->unit_style, "metal") != 0)
    error->all(FLERR, "{}: EAM potential files are in metal units, but this run uses 'units {}'",
               style, lmp->update->unit_style);
  std::string coeff = std::string("* * ") + arg[4];
  for (int i = 5; i < narg; i++) coeff += std::string(" ") + arg[i];
  const char *coeffs[1] = {coeff.c_str()};
  pelkit_potential_t *potential = nullptr;
  if (pelkit_potential_new(pair_style.c_str(), coeffs, 1, nullptr, 0, ntypes, &potential) !=
      PELKIT_SUCCESS)
    error->all(FLERR, "{}: {}", style, pelkit_last_error());
  if (pelkit_potential_cutoff(potential, cutoff) != PELKIT_SUCCESS)
    error->all(FLERR, "{}: {}", style, pelkit_last_error());
  return potential;
}
