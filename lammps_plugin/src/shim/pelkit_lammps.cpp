/* Conversions shared by the pelkit LAMMPS styles (see pelkit_lammps.h). */
#include "pelkit_lammps.h"

#include "domain.h"
#include "error.h"

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
