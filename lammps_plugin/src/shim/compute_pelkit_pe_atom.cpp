/* compute pelkit/pe/atom (see compute_pelkit_pe_atom.h). Arguments are parsed here and handed
 * to pelkit_potential_new as LAMMPS pair_style / pair_coeff text; the energies come from one
 * pelkit_potential_local_energies call per invocation. */
#include "compute_pelkit_pe_atom.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "update.h"

#include <cstring>
#include <string>

using namespace LAMMPS_NS;

ComputePelkitPeAtom::ComputePelkitPeAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), nmax(0), energy(nullptr), potential(nullptr), cutoff(0.0)
{
  potential = pelkit::eam_from_compute_args(lmp, "compute pelkit/pe/atom", narg, arg, &cutoff);
  peratom_flag = 1;
  size_peratom_cols = 0;
}

ComputePelkitPeAtom::~ComputePelkitPeAtom()
{
  memory->destroy(energy);
  pelkit_potential_free(potential);
}

void ComputePelkitPeAtom::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  // Owned-atom energies need every atom within the potential cutoff as owned or ghost atoms.
  // Checked here, not in init(): the communication cutoff is only known after Neighbor::init.
  // compute_peratom is called on all ranks with the same cutoffs, so error->all is safe.
  const double ghost_cutoff = comm->get_comm_cutoff();
  if (ghost_cutoff < cutoff)
    error->all(FLERR,
               "compute pelkit/pe/atom needs ghost atoms up to the potential cutoff {} but the "
               "communication cutoff is {}; use a pair style with that cutoff or "
               "'comm_modify cutoff {}'",
               cutoff, ghost_cutoff, cutoff);
  if (atom->nmax > nmax) {
    memory->destroy(energy);
    nmax = atom->nmax;
    memory->create(energy, nmax, "pelkit/pe/atom:energy");
    vector_atom = energy;
  }
  const int nlocal = atom->nlocal;
  const size_t nall = static_cast<size_t>(nlocal) + atom->nghost;
  if (nlocal == 0) return;
  static_assert(sizeof(int) == sizeof(int32_t), "LAMMPS atom types are 32-bit ints");
  pelkit::check_one(error, "compute pelkit/pe/atom",
                    pelkit_potential_local_energies(
                        potential, reinterpret_cast<const int32_t *>(atom->type), nall,
                        &atom->x[0][0], 3 * nall, nlocal, energy, nlocal));
  const int *mask = atom->mask;
  for (int i = 0; i < nlocal; i++)
    if (!(mask[i] & groupbit)) energy[i] = 0.0;
}

double ComputePelkitPeAtom::memory_usage()
{
  return static_cast<double>(nmax) * sizeof(double);
}
