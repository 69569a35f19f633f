/* compute ID group pelkit/unwrap: unwrapped coordinates (xu yu zu) of owned atoms, computed by
 * pelkit_box_unwrap from x and the image flags. Per-atom array with 3 columns. */
#ifndef LMP_COMPUTE_PELKIT_UNWRAP_H
#define LMP_COMPUTE_PELKIT_UNWRAP_H

#include "compute.h"

#include <cstdint>
#include <vector>

namespace LAMMPS_NS {

class ComputePelkitUnwrap : public Compute {
 public:
  ComputePelkitUnwrap(class LAMMPS *, int, char **);
  ~ComputePelkitUnwrap() override;
  void init() override {}
  void compute_peratom() override;
  double memory_usage() override;

 private:
  int nmax;
  double **unwrapped;
  std::vector<int32_t> image_flags;
};

}    // namespace LAMMPS_NS

#endif
