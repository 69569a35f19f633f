/* compute pelkit/stress (see compute_pelkit_stress.h). Arguments are parsed here and handed to
 * pelkit_potential_new as LAMMPS pair_style / pair_coeff text; the stresses come from one
 * pelkit_potential_local_stresses call per invocation. */
#include "compute_pelkit_stress.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "update.h"

#include <cstring>
#include <string>

using namespace LAMMPS_NS;

ComputePelkitStress::ComputePelkitStress(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), nmax(0), stress(nullptr), potential(nullptr), cutoff(0.0)
{
  potential = pelkit::eam_from_compute_args(lmp, "compute pelkit/stress", narg, arg, &cutoff);
  peratom_flag = 1;
  size_peratom_cols = PELKIT_STRESS_WIDTH;
}

ComputePelkitStress::~ComputePelkitStress()
{
  memory->destroy(stress);
  pelkit_potential_free(potential);
}

void ComputePelkitStress::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  // An owned atom's EAM virial involves the densities of its neighbours, which involve their
  // neighbours: ghosts are needed up to twice the potential cutoff. Checked here, not in init():
  // the communication cutoff is only known after Neighbor::init; same value on all ranks.
  const double needed = 2.0 * cutoff;
  const double ghost_cutoff = comm->get_comm_cutoff();
  if (ghost_cutoff < needed)
    error->all(FLERR,
               "compute pelkit/stress needs ghost atoms up to twice the potential cutoff ({}) "
               "but the communication cutoff is {}; use 'comm_modify cutoff {}'",
               needed, ghost_cutoff, needed);
  if (atom->nmax > nmax) {
    memory->destroy(stress);
    nmax = atom->nmax;
    memory->create(stress, nmax, PELKIT_STRESS_WIDTH, "pelkit/stress:stress");
    array_atom = stress;
  }
  const int nlocal = atom->nlocal;
  const size_t nall = static_cast<size_t>(nlocal) + atom->nghost;
  if (nlocal == 0) return;
  rows.resize(static_cast<size_t>(nlocal) * PELKIT_STRESS_WIDTH);
  static_assert(sizeof(int) == sizeof(int32_t), "LAMMPS atom types are 32-bit ints");
  pelkit::check_one(error, "compute pelkit/stress",
                    pelkit_potential_local_stresses(
                        potential, reinterpret_cast<const int32_t *>(atom->type), nall,
                        &atom->x[0][0], 3 * nall, nlocal, force->nktv2p, rows.data(),
                        rows.size()));
  const int *mask = atom->mask;
  for (int i = 0; i < nlocal; i++) {
    const bool in_group = (mask[i] & groupbit) != 0;
    for (int c = 0; c < PELKIT_STRESS_WIDTH; c++)
      stress[i][c] = in_group ? rows[static_cast<size_t>(i) * PELKIT_STRESS_WIDTH + c] : 0.0;
  }
}

double ComputePelkitStress::memory_usage()
{
  return static_cast<double>(nmax) * PELKIT_STRESS_WIDTH * sizeof(double) +
      rows.capacity() * sizeof(double);
}
