/* compute ID group pelkit/pe/atom eam/alloy|eam/fs FILE El1 … ElN: per-atom potential energy of
 * owned atoms computed by pelkit from the owned + ghost atoms of each rank, for the EAM
 * potential in FILE (independent of the pair style of the run). Per-atom vector, energy units. */
#ifndef LMP_COMPUTE_PELKIT_PE_ATOM_H
#define LMP_COMPUTE_PELKIT_PE_ATOM_H

#include "compute.h"

#include "pelkit.h"

namespace LAMMPS_NS {

class ComputePelkitPeAtom : public Compute {
 public:
  ComputePelkitPeAtom(class LAMMPS *, int, char **);
  ~ComputePelkitPeAtom() override;
  void init() override {}
  void compute_peratom() override;
  double memory_usage() override;

 private:
  int nmax;
  double *energy;
  pelkit_potential_t *potential;
  double cutoff;
};

}    // namespace LAMMPS_NS

#endif
