/* The stored reference configuration of compute pelkit/dmin and pelkit/d2min: unwrapped
 * positions and types of the group's atoms and the box at creation, kept by the plugin's own
 * fix pelkit/reference (so they travel with the atoms when they migrate between ranks, as for
 * compute displace/atom), and the MPI gather of reference + current data of the whole group to
 * every rank. Communication and bookkeeping only; no physics here. */
#ifndef PELKIT_REFERENCE_H
#define PELKIT_REFERENCE_H

#include "pelkit.h"
#include "pointers.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace LAMMPS_NS {
class FixPelkitReference;
namespace pelkit {

/// The compute group's atoms of all ranks (identical on every rank, in rank order).
struct GatheredAtoms {
  std::vector<int64_t> ids;
  std::vector<int32_t> types;              // current types
  std::vector<int32_t> reference_types;    // types when the reference was stored
  std::vector<double> positions;           // current unwrapped x y z, 3 per atom
  std::vector<double> reference_positions; // stored unwrapped x y z, 3 per atom
  size_t size() const { return ids.size(); }
};

/// Owns a pelkit system handle (released with pelkit_system_free).
struct SystemDeleter {
  void operator()(pelkit_system_t *s) const { pelkit_system_free(s); }
};
using SystemHandle = std::unique_ptr<pelkit_system_t, SystemDeleter>;

class StoredReference : protected Pointers {
 public:
  /// Create the fix pelkit/reference `<compute_id>_PELKIT_REFERENCE` on group `igroup`, which
  /// stores the current unwrapped positions, types and box (or restores them from a restart file
  /// that holds a fix of that ID). Stops all ranks with one error->all line (naming `style`) for
  /// a dynamic group, an empty group, or no box yet.
  StoredReference(class LAMMPS *lmp, const std::string &style, const std::string &compute_id,
                  int igroup);
  /// Deletes the fix (unless LAMMPS is already tearing down all fixes).
  ~StoredReference() override;

  /// Check that the fix still exists (compute init()); error->all if it was removed.
  void init();

  /// Collective: every rank receives the group's atoms of all ranks. Stops all ranks with one
  /// error->all line if the group no longer holds exactly the atoms it held at creation.
  void gather(GatheredAtoms &out);

  /// Two pelkit systems (reference box/types/positions, current box/types/positions) from a
  /// gather; error->all on failure.
  void make_systems(const GatheredAtoms &atoms, SystemHandle &reference, SystemHandle &current);

  /// On failure, stop all ranks with error->all and pelkit's message (for calls every rank makes
  /// on identical gathered data, so every rank fails the same way).
  void check_all(pelkit_status_t status);

  double memory_usage() const;

  /// Grow `per_atom` (memory->create, `ncolumns` per atom, name `name`) to atom->nmax rows if
  /// needed, then write the owned atoms' rows: zeros for atoms outside the group, otherwise
  /// `write_row(row, k)` with `k` the atom's index in `sorted_ids` (the ascending ids a pelkit
  /// call returned for the gathered atoms). error->one if an owned group atom has no index.
  template <class WriteRow>
  void write_owned_rows(double **&per_atom, int &nmax, int ncolumns, const char *name,
                        const std::vector<int64_t> &sorted_ids, WriteRow write_row)
  {
    grow_rows(per_atom, nmax, ncolumns, name);
    const int *mask = atom_mask();
    for (int i = 0; i < owned_count(); i++) {
      for (int c = 0; c < ncolumns; c++) per_atom[i][c] = 0.0;
      if (!(mask[i] & groupbit)) continue;
      write_row(per_atom[i], row_of(sorted_ids, i));
    }
  }

 private:
  std::string style;
  std::string fix_id;
  int igroup, groupbit;
  std::vector<int32_t> image_flags;
  std::vector<double> unwrapped, send_buffer, receive_buffer;
  std::vector<int> counts, offsets;

  void grow_rows(double **&per_atom, int &nmax, int ncolumns, const char *name);
  const int *atom_mask() const;
  int owned_count() const;
  /// Index in `sorted_ids` of owned atom `i`'s id; error->one if it is absent.
  size_t row_of(const std::vector<int64_t> &sorted_ids, int i);

  /// The fix, looked up by ID at every use (a user may `unfix` it); error->all if it is gone.
  FixPelkitReference *reference_fix();
};

}    // namespace pelkit
}    // namespace LAMMPS_NS

#endif
