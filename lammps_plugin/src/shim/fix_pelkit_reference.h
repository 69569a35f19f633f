/* fix ID group pelkit/reference: the stored reference configuration of compute pelkit/dmin and
 * pelkit/d2min, which create it as `<compute-ID>_PELKIT_REFERENCE`. When created it stores, per
 * owned atom, the unwrapped x y z and the type of the group's atoms (0 0 0 0 for the others) and
 * the box and the group's atom count. The per-atom values travel with the atoms when they migrate
 * between ranks or are sorted (Atom::GROW callbacks) and are written to restart files together
 * with the box (restored when a fix of the same ID is defined again after read_restart, before
 * the first run). Per-atom array of 4 columns (xu yu zu type) for dumps (`f_ID[1..4]`).
 * Storage only; built on LAMMPS' public Fix interface, no other style's layout. */
#ifndef LMP_FIX_PELKIT_REFERENCE_H
#define LMP_FIX_PELKIT_REFERENCE_H

#include "fix.h"
#include "pelkit.h"

#include <cstdio>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixPelkitReference : public Fix {
 public:
  /// Values stored per atom: unwrapped x y z, type (0 = not in the group at creation).
  static constexpr int NSTORED = 4;

  FixPelkitReference(class LAMMPS *, int, char **);
  ~FixPelkitReference() override;
  int setmask() override;
  double memory_usage() override;

  void grow_arrays(int) override;
  void copy_arrays(int, int, int) override;
  void set_arrays(int) override;
  int pack_exchange(int, double *) override;
  int unpack_exchange(int, double *) override;

  void write_restart(FILE *) override;
  void restart(char *) override;
  int pack_restart(int, double *) override;
  void unpack_restart(int, int) override;
  int size_restart(int) override;
  int maxsize_restart() override;

  /// Row i (owned atom i): unwrapped x y z and type when the reference was stored.
  const double *stored_row(int i) const { return stored[i]; }
  /// The box when the reference was stored.
  const pelkit_box_t &reference_box() const { return box; }
  /// Number of atoms of the group when the reference was stored.
  bigint reference_count() const { return natoms_stored; }

 private:
  double **stored;
  pelkit_box_t box;
  bigint natoms_stored;
};

namespace pelkit {
/// Unwrapped positions (3 per owned atom, from x and the image flags) of this rank's owned atoms
/// into `unwrapped`; `image_flags` is scratch. A failure stops this rank (error->one naming
/// `style`): call it before any collective operation.
void unwrap_owned_atoms(class LAMMPS *lmp, const std::string &style,
                        std::vector<int32_t> &image_flags, std::vector<double> &unwrapped);
}    // namespace pelkit

}    // namespace LAMMPS_NS

#endif
