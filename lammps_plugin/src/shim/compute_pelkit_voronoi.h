/* compute ID group pelkit/voronoi [edge_threshold L] [face_threshold A]
 * [relative_face_threshold f]: per-atom Voronoi cell of owned atoms computed by pelkit from the
 * owned + ghost atoms of each rank. Per-atom array, 7 columns: volume, number of faces (all
 * faces, as voronoi/atom), n3 n4 n5 n6 n7 (Voronoi index with the thresholds). */
#ifndef LMP_COMPUTE_PELKIT_VORONOI_H
#define LMP_COMPUTE_PELKIT_VORONOI_H

#include "compute.h"

#include "pelkit.h"

#include <cstdint>
#include <vector>

namespace LAMMPS_NS {

class ComputePelkitVoronoi : public Compute {
 public:
  ComputePelkitVoronoi(class LAMMPS *, int, char **);
  ~ComputePelkitVoronoi() override;
  void init() override {}
  void compute_peratom() override;
  double memory_usage() override;

 private:
  int nmax;
  double **cells;
  pelkit_voronoi_thresholds_t thresholds;
  std::vector<double> volumes;
  std::vector<int32_t> face_counts, indices;
};

}    // namespace LAMMPS_NS

#endif
