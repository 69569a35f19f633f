/* compute pelkit/voronoi (see compute_pelkit_voronoi.h): parses the thresholds, hands owned +
 * ghost atoms to pelkit_voronoi_local and copies the owned atoms' results into the array. */
#include "compute_pelkit_voronoi.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "update.h"
#include "utils.h"

#include <string>

using namespace LAMMPS_NS;

static constexpr int NCOLUMNS = 2 + PELKIT_VORONOI_INDEX_WIDTH;

ComputePelkitVoronoi::ComputePelkitVoronoi(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), nmax(0), cells(nullptr), thresholds{0.0, 0.0, 0.0}
{
  int iarg = 3;
  while (iarg < narg) {
    const std::string key = arg[iarg];
    double *target = nullptr;
    if (key == "edge_threshold")
      target = &thresholds.edge_length;
    else if (key == "face_threshold")
      target = &thresholds.face_area;
    else if (key == "relative_face_threshold")
      target = &thresholds.relative_face_area;
    else
      error->all(FLERR,
                 "Illegal compute pelkit/voronoi command: unknown keyword '{}' (expected "
                 "edge_threshold, face_threshold or relative_face_threshold)",
                 key);
    if (iarg + 1 >= narg)
      error->all(FLERR, "Illegal compute pelkit/voronoi command: {} needs a value", key);
    *target = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
    if (!(*target >= 0.0))
      error->all(FLERR, "Illegal compute pelkit/voronoi command: {} must be >= 0, got {}", key,
                 arg[iarg + 1]);
    iarg += 2;
  }
  if (thresholds.relative_face_area > 1.0)
    error->all(FLERR,
               "Illegal compute pelkit/voronoi command: relative_face_threshold must be in "
               "[0, 1], got {}",
               thresholds.relative_face_area);
  peratom_flag = 1;
  size_peratom_cols = NCOLUMNS;
}

ComputePelkitVoronoi::~ComputePelkitVoronoi()
{
  memory->destroy(cells);
}

void ComputePelkitVoronoi::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  // The cells of owned atoms are bounded by ghost atoms: without any the result is meaningless.
  if (comm->get_comm_cutoff() <= 0.0)
    error->all(FLERR,
               "compute pelkit/voronoi needs ghost atoms around each subdomain: define a pair "
               "style or use 'comm_modify cutoff' (a few nearest-neighbour distances)");
  if (atom->nmax > nmax) {
    memory->destroy(cells);
    nmax = atom->nmax;
    memory->create(cells, nmax, NCOLUMNS, "pelkit/voronoi:cells");
    array_atom = cells;
  }
  const int nlocal = atom->nlocal;
  const size_t nall = static_cast<size_t>(nlocal) + atom->nghost;
  if (nlocal == 0) return;
  volumes.resize(nlocal);
  face_counts.resize(nlocal);
  indices.resize(static_cast<size_t>(nlocal) * PELKIT_VORONOI_INDEX_WIDTH);
  static_assert(sizeof(int) == sizeof(int32_t), "LAMMPS atom types are 32-bit ints");
  pelkit::check_one(error, "compute pelkit/voronoi",
                    pelkit_voronoi_local(reinterpret_cast<const int32_t *>(atom->type), nall,
                                         &atom->x[0][0], 3 * nall, nlocal, &thresholds,
                                         volumes.data(), volumes.size(), face_counts.data(),
                                         face_counts.size(), indices.data(), indices.size()));
  const int *mask = atom->mask;
  for (int i = 0; i < nlocal; i++) {
    if (!(mask[i] & groupbit)) {
      for (int c = 0; c < NCOLUMNS; c++) cells[i][c] = 0.0;
      continue;
    }
    cells[i][0] = volumes[i];
    cells[i][1] = face_counts[i];
    for (int k = 0; k < PELKIT_VORONOI_INDEX_WIDTH; k++)
      cells[i][2 + k] = indices[static_cast<size_t>(i) * PELKIT_VORONOI_INDEX_WIDTH + k];
  }
}

double ComputePelkitVoronoi::memory_usage()
{
  return static_cast<double>(nmax) * NCOLUMNS * sizeof(double) +
      volumes.capacity() * sizeof(double) +
      (face_counts.capacity() + indices.capacity()) * sizeof(int32_t);
}
