/* compute ID group pelkit/probe eam/alloy|eam/fs FILE El1 … ElN dr D grid NT NP: single-atom
 * probes of owned atoms, computed by pelkit from the owned + ghost atoms of each rank: each atom
 * is moved by D along the NT x NP (theta, phi) grid with every other atom fixed. Per-atom array,
 * 2 columns: Omega(dE_atom < 0)/4pi and the smallest dE_atom (energy units). */
#ifndef LMP_COMPUTE_PELKIT_PROBE_H
#define LMP_COMPUTE_PELKIT_PROBE_H

#include "compute.h"

#include "pelkit.h"

#include <vector>

namespace LAMMPS_NS {

class ComputePelkitProbe : public Compute {
 public:
  ComputePelkitProbe(class LAMMPS *, int, char **);
  ~ComputePelkitProbe() override;
  void init() override {}
  void compute_peratom() override;
  double memory_usage() override;

 private:
  int nmax;
  double **probe;
  std::vector<double> rows;
  pelkit_potential_t *potential;
  double cutoff;
  double dr;
  int ntheta, nphi;
};

}    // namespace LAMMPS_NS

#endif
