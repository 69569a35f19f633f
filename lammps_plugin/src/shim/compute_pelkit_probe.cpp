/* compute pelkit/probe (see compute_pelkit_probe.h). The trailing `dr D grid NT NP` keywords are
 * parsed here, the potential arguments go to pelkit_potential_new as pair_style / pair_coeff
 * text; the values come from one pelkit_potential_local_probes call per invocation. */
#include "compute_pelkit_probe.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "update.h"
#include "utils.h"

#include <cstring>
#include <string>

using namespace LAMMPS_NS;

ComputePelkitProbe::ComputePelkitProbe(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), nmax(0), probe(nullptr), potential(nullptr), cutoff(0.0), dr(0.0),
    ntheta(0), nphi(0)
{
  const std::string usage = "expected 'compute ID group pelkit/probe eam/alloy|eam/fs FILE El1 "
                            "... ElN dr D grid NT NP'";
  // The last five arguments are the keywords.
  if (narg < 10 || strcmp(arg[narg - 5], "dr") != 0 || strcmp(arg[narg - 3], "grid") != 0)
    error->all(FLERR, "Illegal compute pelkit/probe command: {}", usage);
  dr = utils::numeric(FLERR, arg[narg - 4], false, lmp);
  ntheta = utils::inumeric(FLERR, arg[narg - 2], false, lmp);
  nphi = utils::inumeric(FLERR, arg[narg - 1], false, lmp);
  if (!(dr > 0.0)) error->all(FLERR, "compute pelkit/probe: dr must be positive; {}", usage);
  if (ntheta < 1 || nphi < 1)
    error->all(FLERR, "compute pelkit/probe: grid counts must be at least 1; {}", usage);
  potential =
      pelkit::eam_from_compute_args(lmp, "compute pelkit/probe", narg - 5, arg, &cutoff);
  peratom_flag = 1;
  size_peratom_cols = PELKIT_PROBE_WIDTH;
}

ComputePelkitProbe::~ComputePelkitProbe()
{
  memory->destroy(probe);
  pelkit_potential_free(potential);
}

void ComputePelkitProbe::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  // dE_atom of an owned atom involves its pairs within cutoff + dr (and its own density).
  const double needed = cutoff + dr;
  const double ghost_cutoff = comm->get_comm_cutoff();
  if (ghost_cutoff < needed)
    error->all(FLERR,
               "compute pelkit/probe needs ghost atoms up to the potential cutoff + dr ({}) but "
               "the communication cutoff is {}; use 'comm_modify cutoff {}'",
               needed, ghost_cutoff, needed);
  if (atom->nmax > nmax) {
    memory->destroy(probe);
    nmax = atom->nmax;
    memory->create(probe, nmax, PELKIT_PROBE_WIDTH, "pelkit/probe:probe");
    array_atom = probe;
  }
  const int nlocal = atom->nlocal;
  const size_t nall = static_cast<size_t>(nlocal) + atom->nghost;
  if (nlocal == 0) return;
  rows.resize(static_cast<size_t>(nlocal) * PELKIT_PROBE_WIDTH);
  static_assert(sizeof(int) == sizeof(int32_t), "LAMMPS atom types are 32-bit ints");
  pelkit::check_one(error, "compute pelkit/probe",
                    pelkit_potential_local_probes(
                        potential, reinterpret_cast<const int32_t *>(atom->type), nall,
                        &atom->x[0][0], 3 * nall, nlocal, dr, static_cast<size_t>(ntheta),
                        static_cast<size_t>(nphi), rows.data(), rows.size()));
  const int *mask = atom->mask;
  for (int i = 0; i < nlocal; i++) {
    const bool in_group = (mask[i] & groupbit) != 0;
    for (int c = 0; c < PELKIT_PROBE_WIDTH; c++)
      probe[i][c] = in_group ? rows[static_cast<size_t>(i) * PELKIT_PROBE_WIDTH + c] : 0.0;
  }
}

double ComputePelkitProbe::memory_usage()
{
  return static_cast<double>(nmax) * PELKIT_PROBE_WIDTH * sizeof(double) +
      rows.capacity() * sizeof(double);
}
