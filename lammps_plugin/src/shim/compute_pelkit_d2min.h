/* compute ID group pelkit/d2min cutoff [affine_mapping off|reference|current]
 * [minimum_image yes|no]: stores the group's configuration when created; when invoked, pelkit's
 * Falk–Langer D²min and atomic strain of every group atom relative to it, with OVITO's Atomic
 * Strain conventions (`pelkit d2min`). Per-atom array, 6 columns (those of `pelkit d2min -o`):
 * D²min (sum over the reference neighbours within cutoff, distance²), D²min per neighbour, von
 * Mises shear strain, volumetric strain, number of reference neighbours, invalid flag (1 = too
 * few neighbours or singular; values 0). Global scalar: mean D²min of the valid atoms. */
#ifndef LMP_COMPUTE_PELKIT_D2MIN_H
#define LMP_COMPUTE_PELKIT_D2MIN_H

#include "compute.h"

#include "pelkit_reference.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace LAMMPS_NS {

class ComputePelkitD2min : public Compute {
 public:
  ComputePelkitD2min(class LAMMPS *, int, char **);
  ~ComputePelkitD2min() override;
  void init() override;
  double compute_scalar() override;
  void compute_peratom() override;
  double memory_usage() override;

 private:
  double cutoff;
  int affine_mapping;
  bool minimum_image;
  int nmax;
  double **per_atom;
  std::unique_ptr<pelkit::StoredReference> reference;
  pelkit::GatheredAtoms atoms;
  std::vector<int64_t> sorted_ids;
  std::vector<double> d2min_values, d2min_mean, shear_strain, volumetric_strain;
  std::vector<int32_t> neighbors, invalid;

  void evaluate();
};

}    // namespace LAMMPS_NS

#endif
