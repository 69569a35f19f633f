/* fix pelkit/reference (see fix_pelkit_reference.h): per-atom storage with migration and
 * restart callbacks. */
#include "fix_pelkit_reference.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "memory.h"

#include <cstring>

using namespace LAMMPS_NS;

static const char *const STYLE = "fix pelkit/reference";
/// Global restart record: format version, box lo[3] hi[3] tilt[3] periodic[3] triclinic, count.
static constexpr int NGLOBAL = 15;
static constexpr double RESTART_VERSION = 1.0;

void pelkit::unwrap_owned_atoms(LAMMPS *lmp, const std::string &style,
                                std::vector<int32_t> &image_flags, std::vector<double> &unwrapped)
{
  const Atom *atom = lmp->atom;
  const size_t n3 = 3 * static_cast<size_t>(atom->nlocal);
  image_flags.resize(n3);
  unwrapped.resize(n3);
  for (int i = 0; i < atom->nlocal; i++) pelkit::unpack_image(atom->image[i], &image_flags[3 * i]);
  const pelkit_box_t box = pelkit::box_from_domain(lmp->domain);
  const double *x = n3 ? &atom->x[0][0] : nullptr;
  pelkit::check_one(lmp->error, style,
                    pelkit_box_unwrap(&box, x, n3, image_flags.data(), n3, unwrapped.data(), n3));
}

FixPelkitReference::FixPelkitReference(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), stored(nullptr), box{}, natoms_stored(0)
{
  if (narg != 3)
    error->all(FLERR, "Illegal {} command: it takes no arguments (fix ID group {})", STYLE,
               "pelkit/reference");
  if (!domain->box_exist)
    error->all(FLERR, "{} must be defined after the simulation box and atoms exist", STYLE);
  if (atom->tag_enable == 0) error->all(FLERR, "{} needs atom IDs (atom_modify id yes)", STYLE);

  restart_global = 1;
  restart_peratom = 1;
  create_attribute = 1;    // set_arrays() zeroes the row of atoms created later
  maxexchange = NSTORED;    // sizes Comm's exchange buffer for what pack_exchange adds
  peratom_flag = 1;
  size_peratom_cols = NSTORED;
  peratom_freq = 1;

  grow_arrays(atom->nmax);
  atom->add_callback(Atom::GROW);
  atom->add_callback(Atom::RESTART);

  std::vector<int32_t> image_flags;
  std::vector<double> unwrapped;
  pelkit::unwrap_owned_atoms(lmp, STYLE, image_flags, unwrapped);
  box = pelkit::box_from_domain(domain);
  const int *mask = atom->mask;
  const int *type = atom->type;
  for (int i = 0; i < atom->nlocal; i++) {
    const bool member = (mask[i] & groupbit) != 0;
    for (int k = 0; k < 3; k++) stored[i][k] = member ? unwrapped[3 * i + k] : 0.0;
    stored[i][3] = member ? type[i] : 0.0;
  }
  natoms_stored = group->count(igroup);
}

FixPelkitReference::~FixPelkitReference()
{
  atom->delete_callback(id, Atom::GROW);
  atom->delete_callback(id, Atom::RESTART);
  memory->destroy(stored);
}

int FixPelkitReference::setmask()
{
  return 0;
}

double FixPelkitReference::memory_usage()
{
  return static_cast<double>(atom->nmax) * NSTORED * sizeof(double);
}

void FixPelkitReference::grow_arrays(int nmax)
{
  memory->grow(stored, nmax, NSTORED, "pelkit/reference:stored");
  array_atom = stored;
}

void FixPelkitReference::copy_arrays(int i, int j, int /*delflag*/)
{
  for (int k = 0; k < NSTORED; k++) stored[j][k] = stored[i][k];
}

void FixPelkitReference::set_arrays(int i)
{
  for (int k = 0; k < NSTORED; k++) stored[i][k] = 0.0;
}

int FixPelkitReference::pack_exchange(int i, double *buf)
{
  for (int k = 0; k < NSTORED; k++) buf[k] = stored[i][k];
  return NSTORED;
}

int FixPelkitReference::unpack_exchange(int nlocal, double *buf)
{
  for (int k = 0; k < NSTORED; k++) stored[nlocal][k] = buf[k];
  return NSTORED;
}

void FixPelkitReference::write_restart(FILE *fp)
{
  if (comm->me != 0) return;
  double state[NGLOBAL];
  state[0] = RESTART_VERSION;
  for (int d = 0; d < 3; d++) {
    state[1 + d] = box.lo[d];
    state[4 + d] = box.hi[d];
    state[7 + d] = box.tilt[d];
    state[10 + d] = box.periodic[d] ? 1.0 : 0.0;
  }
  state[13] = box.triclinic ? 1.0 : 0.0;
  state[14] = static_cast<double>(natoms_stored);
  const int size = NGLOBAL * sizeof(double);
  fwrite(&size, sizeof(int), 1, fp);
  fwrite(state, sizeof(double), NGLOBAL, fp);
}

void FixPelkitReference::restart(char *buf)
{
  // The version first: a record of another layout may have another length.
  double version = 0.0;
  memcpy(&version, buf, sizeof(double));
  if (version != RESTART_VERSION)
    error->all(FLERR, "{} {}: the restart file holds reference format {}, expected {}", STYLE,
               id, version, RESTART_VERSION);
  double state[NGLOBAL];
  memcpy(state, buf, sizeof(state));
  for (int d = 0; d < 3; d++) {
    box.lo[d] = state[1 + d];
    box.hi[d] = state[4 + d];
    box.tilt[d] = state[7 + d];
    box.periodic[d] = state[10 + d] != 0.0;
  }
  box.triclinic = state[13] != 0.0;
  natoms_stored = static_cast<bigint>(state[14]);
}

int FixPelkitReference::pack_restart(int i, double *buf)
{
  // LAMMPS convention: the first value is the record length, so other fixes can skip it.
  buf[0] = NSTORED + 1;
  for (int k = 0; k < NSTORED; k++) buf[1 + k] = stored[i][k];
  return NSTORED + 1;
}

void FixPelkitReference::unpack_restart(int nlocal, int nth)
{
  const double *extra = atom->extra[nlocal];
  int m = 0;
  for (int skip = 0; skip < nth; skip++) m += static_cast<int>(extra[m]);
  m++;
  for (int k = 0; k < NSTORED; k++) stored[nlocal][k] = extra[m + k];
}

int FixPelkitReference::size_restart(int /*i*/)
{
  return NSTORED + 1;
}

int FixPelkitReference::maxsize_restart()
{
  return NSTORED + 1;
}
