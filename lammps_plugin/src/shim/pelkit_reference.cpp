/* The stored reference of compute pelkit/dmin and pelkit/d2min (see pelkit_reference.h). */
#include "pelkit_reference.h"

#include "fix_pelkit_reference.h"
#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "memory.h"
#include "modify.h"

#include <algorithm>
#include <climits>

using namespace LAMMPS_NS;

/// Values gathered per atom: id, type, reference type, x y z, reference x y z.
static constexpr int NPACKED = 9;

pelkit::StoredReference::StoredReference(LAMMPS *lmp, const std::string &style,
                                         const std::string &compute_id, int igroup) :
    Pointers(lmp), style(style), fix_id(compute_id + "_PELKIT_REFERENCE"), igroup(igroup),
    groupbit(lmp->group->bitmask[igroup])
{
  if (!domain->box_exist)
    error->all(FLERR, "{} must be defined after the simulation box and atoms exist", style);
  if (group->dynamic[igroup])
    error->all(FLERR,
               "{} does not support the dynamic group '{}': the reference needs a fixed set of "
               "atoms",
               style, group->names[igroup]);
  if (atom->tag_enable == 0) error->all(FLERR, "{} needs atom IDs (atom_modify id yes)", style);
  if (group->count(igroup) == 0)
    error->all(FLERR, "{}: group '{}' has no atoms", style, group->names[igroup]);
  // The fix stores the reference in its constructor; if a restart file holds a fix of this ID,
  // LAMMPS then replaces it by the restart file's reference.
  modify->add_fix(fmt::format("{} {} pelkit/reference", fix_id, group->names[igroup]));
  reference_fix();
}

pelkit::StoredReference::~StoredReference()
{
  // When LAMMPS shuts down, Modify deletes all fixes before the computes: nothing to delete.
  if (modify && modify->nfix && modify->find_fix(fix_id) >= 0) modify->delete_fix(fix_id);
}

void pelkit::StoredReference::init()
{
  reference_fix();
}

FixPelkitReference *pelkit::StoredReference::reference_fix()
{
  auto *fix = dynamic_cast<FixPelkitReference *>(modify->get_fix_by_id(fix_id));
  if (!fix)
    error->all(FLERR, "{}: its reference fix {} (style pelkit/reference) was deleted", style,
               fix_id);
  return fix;
}

void pelkit::StoredReference::check_all(pelkit_status_t status)
{
  if (status != PELKIT_SUCCESS)
    error->all(FLERR, "{}: pelkit error {}: {}", style, static_cast<int>(status),
               pelkit_last_error());
}

void pelkit::StoredReference::gather(GatheredAtoms &out)
{
  // Before any collective call: an unwrapping failure stops this rank only, never a hang.
  pelkit::unwrap_owned_atoms(lmp, style, image_flags, unwrapped);
  const FixPelkitReference *fix = reference_fix();
  const int *mask = atom->mask;
  const int *type = atom->type;
  const tagint *tag = atom->tag;
  send_buffer.clear();
  send_buffer.reserve(static_cast<size_t>(NPACKED) * atom->nlocal);
  for (int i = 0; i < atom->nlocal; i++) {
    if (!(mask[i] & groupbit)) continue;
    send_buffer.push_back(static_cast<double>(tag[i]));
    send_buffer.push_back(type[i]);
    const double *stored = fix->stored_row(i);
    send_buffer.push_back(stored[3]);
    for (int k = 0; k < 3; k++) send_buffer.push_back(unwrapped[3 * i + k]);
    for (int k = 0; k < 3; k++) send_buffer.push_back(stored[k]);
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
  const bigint natoms_stored = fix->reference_count();
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
  const pelkit_box_t reference_box = reference_fix()->reference_box();
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

void pelkit::StoredReference::grow_rows(double **&per_atom, int &nmax, int ncolumns,
                                        const char *name)
{
  if (atom->nmax <= nmax) return;
  memory->destroy(per_atom);
  nmax = atom->nmax;
  memory->create(per_atom, nmax, ncolumns, name);
}

const int *pelkit::StoredReference::atom_mask() const
{
  return atom->mask;
}

int pelkit::StoredReference::owned_count() const
{
  return atom->nlocal;
}

size_t pelkit::StoredReference::row_of(const std::vector<int64_t> &sorted_ids, int i)
{
  const tagint id = atom->tag[i];
  const auto at = std::lower_bound(sorted_ids.begin(), sorted_ids.end(), id);
  if (at == sorted_ids.end() || *at != id)
    error->one(FLERR, "{}: no result for atom {} (internal error)", style, id);
  return static_cast<size_t>(at - sorted_ids.begin());
}
