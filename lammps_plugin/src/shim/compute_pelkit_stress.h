/* compute ID group pelkit/stress eam/alloy|eam/fs FILE El1 … ElN: atomic-level stress of owned
 * atoms, computed by pelkit from the owned + ghost atoms of each rank: the potential's per-atom
 * virial (LAMMPS stress/atom NULL virial) divided by the pelkit Voronoi volume. Per-atom array,
 * 8 columns: sxx syy szz sxy sxz syz (pressure units, positive = tension), p, von Mises tau. */
#ifndef LMP_COMPUTE_PELKIT_STRESS_H
#define LMP_COMPUTE_PELKIT_STRESS_H

#include "compute.h"

#include "pelkit.h"

#include <vector>

namespace LAMMPS_NS {

class ComputePelkitStress : public Compute {
 public:
  ComputePelkitStress(class LAMMPS *, int, char **);
  ~ComputePelkitStress() override;
  void init() override {}
  void compute_peratom() override;
  double memory_usage() override;

 private:
  int nmax;
  double **stress;
  std::vector<double> rows;
  pelkit_potential_t *potential;
  double cutoff;
};

}    // namespace LAMMPS_NS

#endif
