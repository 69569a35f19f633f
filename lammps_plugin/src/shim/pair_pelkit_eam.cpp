/* pair_style pelkit/eam (see pair_pelkit_eam.h). compute() follows PairEAM::compute: pelkit
 * pass 1 (densities over the half list), reverse comm of rho, pass 2 (F, F' of owned atoms),
 * forward comm of F', pass 3 (forces, energy/virial tallies); LAMMPS then reverse-communicates
 * forces, and the global virial comes from virial_fdotr_compute() as for every pair style. */
#include "pair_pelkit_eam.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neigh_list.h"
#include "update.h"
#include "utils.h"

#include <cstring>
#include <string>
#include <vector>

using namespace LAMMPS_NS;

static const char *const STYLE = "pair_style pelkit/eam";
// For pelkit::check_one, built once (no allocation per step).
static const std::string STYLE_NAME(STYLE);

PairPelkitEAM::PairPelkitEAM(LAMMPS *lmp) :
    Pair(lmp), eam(nullptr), cutmax(0.0), nmax(0), rho(nullptr), fp(nullptr), warned_rhomax(0)
{
  restartinfo = 0;
  single_enable = 0;
  one_coeff = 1;
  manybody_flag = 1;
  comm_forward = 1;
  comm_reverse = 1;
}

PairPelkitEAM::~PairPelkitEAM()
{
  memory->destroy(rho);
  memory->destroy(fp);
  pelkit_pair_eam_free(eam);
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
  }
}

void PairPelkitEAM::allocate()
{
  allocated = 1;
  const int n = atom->ntypes;
  memory->create(setflag, n + 1, n + 1, "pair:setflag");
  memory->create(cutsq, n + 1, n + 1, "pair:cutsq");
  for (int i = 0; i <= n; i++)
    for (int j = 0; j <= n; j++) setflag[i][j] = 0;
}

void PairPelkitEAM::settings(int narg, char **arg)
{
  if (narg > 1 ||
      (narg == 1 && strcmp(arg[0], "eam/alloy") != 0 && strcmp(arg[0], "eam/fs") != 0))
    error->all(FLERR,
               "Illegal {} command: expected 'pair_style pelkit/eam' (file layout detected) or "
               "'pair_style pelkit/eam eam/alloy|eam/fs'",
               STYLE);
  format = narg == 1 ? arg[0] : "";
}

void PairPelkitEAM::coeff(int narg, char **arg)
{
  const int ntypes = atom->ntypes;
  if (narg != 3 + ntypes || strcmp(arg[0], "*") != 0 || strcmp(arg[1], "*") != 0)
    error->all(FLERR,
               "Illegal pair_coeff command for {}: expected 'pair_coeff * * FILE El1 ... ElN' "
               "with one element per atom type ({} types, {} element name(s) given)",
               STYLE, ntypes, narg > 3 ? narg - 3 : 0);
  if (strcmp(update->unit_style, "metal") != 0)
    error->all(FLERR, "{}: EAM potential files are in metal units, but this run uses 'units {}'",
               STYLE, update->unit_style);
  if (!allocated) allocate();
  pelkit_pair_eam_free(eam);
  eam = nullptr;
  std::vector<const char *> elements(arg + 3, arg + narg);
  if (pelkit_pair_eam_new(arg[2], elements.data(), elements.size(),
                          format.empty() ? nullptr : format.c_str(), &eam) != PELKIT_SUCCESS)
    error->all(FLERR, "{}: {}", STYLE, pelkit_last_error());
  std::vector<double> masses(ntypes);
  const char *layout = nullptr;
  if (pelkit_pair_eam_info(eam, &cutmax, masses.data(), masses.size(), &layout) != PELKIT_SUCCESS)
    error->all(FLERR, "{}: {}", STYLE, pelkit_last_error());
  for (int i = 1; i <= ntypes; i++) {
    atom->set_mass(FLERR, i, masses[i - 1]);
    for (int j = 1; j <= ntypes; j++) setflag[i][j] = 1;
  }
  if (comm->me == 0)
    utils::logmesg(lmp, "{}: {} read as {} (cutoff {})\n", STYLE, arg[2], layout, cutmax);
}

void PairPelkitEAM::init_style()
{
  if (!eam) error->all(FLERR, "{}: pair_coeff * * FILE El1 ... ElN is missing", STYLE);
  Pair::init_style();    // half neighbor list, newton as set by the newton command
  warned_rhomax = 0;
}

double PairPelkitEAM::init_one(int, int)
{
  return cutmax;
}

void PairPelkitEAM::compute(int eflag, int vflag)
{
  ev_init(eflag, vflag);
  if (atom->nmax > nmax) {
    memory->destroy(rho);
    memory->destroy(fp);
    nmax = atom->nmax;
    memory->create(rho, nmax, "pair:rho");
    memory->create(fp, nmax, "pair:fp");
  }
  const int nlocal = atom->nlocal;
  const size_t nall = static_cast<size_t>(nlocal) + atom->nghost;
  static_assert(sizeof(int) == sizeof(int32_t), "LAMMPS atom types and indices are 32-bit");
  pelkit_host_atoms_t atoms;
  atoms.positions = nall ? &atom->x[0][0] : nullptr;
  atoms.positions_len = 3 * nall;
  atoms.types = atom->type;
  atoms.types_len = nall;
  atoms.nlocal = static_cast<size_t>(nlocal);
  atoms.newton = force->newton_pair != 0;
  pelkit_half_list_t half;
  half.ilist = list->ilist;
  half.ilist_len = static_cast<size_t>(list->inum);
  half.numneigh = list->numneigh;
  half.numneigh_len = static_cast<size_t>(list->maxatom);
  half.firstneigh = list->firstneigh;
  half.firstneigh_len = static_cast<size_t>(list->maxatom);

  pelkit::check_one(error, STYLE_NAME, pelkit_pair_eam_densities(eam, &atoms, &half, rho, nall));
  if (force->newton_pair) comm->reverse_comm(this);

  size_t above_rhomax = 0;
  pelkit::check_one(error, STYLE_NAME,
                    pelkit_pair_eam_embedding(eam, &atoms, &half, rho, nall, fp, nall,
                                              eflag_global ? &eng_vdwl : nullptr,
                                              eflag_atom ? eatom : nullptr, eflag_atom ? nall : 0,
                                              &above_rhomax));
  if (eflag && !warned_rhomax) {
    int mine = above_rhomax > 0, any = 0;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, world);
    if (any) {
      warned_rhomax = 1;
      if (comm->me == 0)
        error->warning(FLERR,
                       "{}: a per-atom density exceeded rhomax of the EAM potential table; the "
                       "energy was extrapolated linearly (as LAMMPS eam/alloy and eam/fs do)",
                       STYLE);
    }
  }
  comm->forward_comm(this);

  pelkit::check_one(
      error, STYLE_NAME,
      pelkit_pair_eam_forces(eam, &atoms, &half, fp, nall, nall ? &atom->f[0][0] : nullptr,
                             3 * nall, eflag_global ? &eng_vdwl : nullptr,
                             vflag_global ? virial : nullptr, vflag_global ? 6 : 0,
                             eflag_atom ? eatom : nullptr, eflag_atom ? nall : 0,
                             (vflag_atom && nall) ? &vatom[0][0] : nullptr,
                             vflag_atom ? 6 * nall : 0));
  if (vflag_fdotr) virial_fdotr_compute();
}

int PairPelkitEAM::pack_forward_comm(int n, int *indices, double *buf, int, int *)
{
  for (int i = 0; i < n; i++) buf[i] = fp[indices[i]];
  return n;
}

void PairPelkitEAM::unpack_forward_comm(int n, int first, double *buf)
{
  for (int i = 0; i < n; i++) fp[first + i] = buf[i];
}

int PairPelkitEAM::pack_reverse_comm(int n, int first, double *buf)
{
  for (int i = 0; i < n; i++) buf[i] = rho[first + i];
  return n;
}

void PairPelkitEAM::unpack_reverse_comm(int n, int *indices, double *buf)
{
  for (int i = 0; i < n; i++) rho[indices[i]] += buf[i];
}

double PairPelkitEAM::memory_usage()
{
  return Pair::memory_usage() + 2.0 * nmax * sizeof(double);
}
