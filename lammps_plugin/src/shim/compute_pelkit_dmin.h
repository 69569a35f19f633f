/* compute ID group pelkit/dmin [all_types yes|no]: stores the group's configuration when
 * created; when invoked, pelkit's exact inherent-structure minimal displacement between that
 * reference and the current configuration (issue 6, `pelkit dmin`). Per-atom array, 5 columns:
 * dx dy dz |d| of each atom's minimal displacement (to the current position of the atom it is
 * assigned to, minimum image) and that partner's id; global scalar D_min; global vector
 * (D_min, labelled RMSD, number of reassigned atoms). */
#ifndef LMP_COMPUTE_PELKIT_DMIN_H
#define LMP_COMPUTE_PELKIT_DMIN_H

#include "compute.h"

#include "pelkit_reference.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace LAMMPS_NS {

class ComputePelkitDmin : public Compute {
 public:
  ComputePelkitDmin(class LAMMPS *, int, char **);
  ~ComputePelkitDmin() override;
  void init() override;
  double compute_scalar() override;
  void compute_vector() override;
  void compute_peratom() override;
  double memory_usage() override;

 private:
  bool all_types;
  int nmax;
  double **per_atom;
  double summary_values[3];
  std::unique_ptr<pelkit::StoredReference> reference;
  pelkit::GatheredAtoms atoms;
  std::vector<int64_t> sorted_ids, partner_ids;
  std::vector<double> displacements;

  void evaluate();
};

}    // namespace LAMMPS_NS

#endif
