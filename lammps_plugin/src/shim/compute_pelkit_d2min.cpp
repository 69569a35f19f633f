/* compute pelkit/d2min (see compute_pelkit_d2min.h): gathers the group's reference and current
 * configurations to every rank, calls pelkit_system_d2min and keeps the owned atoms' rows. */
#include "compute_pelkit_d2min.h"

#include "atom.h"
#include "error.h"
#include "memory.h"
#include "update.h"
#include "utils.h"

#include <cmath>
#include <string>

using namespace LAMMPS_NS;

static constexpr int NCOLUMNS = 6;
static const char *const STYLE = "compute pelkit/d2min";

ComputePelkitD2min::ComputePelkitD2min(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), cutoff(0.0), affine_mapping(0), minimum_image(true), nmax(0),
    per_atom(nullptr)
{
  if (narg < 4)
    error->all(FLERR,
               "Illegal {} command: expected 'compute ID group pelkit/d2min cutoff "
               "[affine_mapping off|reference|current] [minimum_image yes|no]'",
               STYLE);
  cutoff = utils::numeric(FLERR, arg[3], false, lmp);
  if (!(cutoff > 0.0) || !std::isfinite(cutoff))
    error->all(FLERR, "Illegal {} command: cutoff must be a positive distance, got {}", STYLE,
               arg[3]);
  int iarg = 4;
  while (iarg < narg) {
    const std::string key = arg[iarg];
    if (key != "affine_mapping" && key != "minimum_image")
      error->all(FLERR,
                 "Illegal {} command: unknown keyword '{}' (expected affine_mapping or "
                 "minimum_image)",
                 STYLE, key);
    if (iarg + 1 >= narg) error->all(FLERR, "Illegal {} command: {} needs a value", STYLE, key);
    const std::string value = arg[iarg + 1];
    if (key == "affine_mapping") {
      if (value == "off")
        affine_mapping = 0;
      else if (value == "reference")
        affine_mapping = 1;
      else if (value == "current")
        affine_mapping = 2;
      else
        error->all(FLERR,
                   "Illegal {} command: affine_mapping '{}' (expected off, reference or current)",
                   STYLE, value);
    } else {
      minimum_image = utils::logical(FLERR, value, false, lmp) != 0;
    }
    iarg += 2;
  }
  scalar_flag = 1;
  extscalar = 0;
  peratom_flag = 1;
  size_peratom_cols = NCOLUMNS;
  reference = std::make_unique<pelkit::StoredReference>(lmp, STYLE, id, igroup);
}

ComputePelkitD2min::~ComputePelkitD2min()
{
  memory->destroy(per_atom);
}

void ComputePelkitD2min::init()
{
  reference->init();
}

void ComputePelkitD2min::evaluate()
{
  reference->gather(atoms);
  pelkit::SystemHandle ref_system, cur_system;
  reference->make_systems(atoms, ref_system, cur_system);
  const size_t n = atoms.size();
  sorted_ids.resize(n);
  d2min_values.resize(n);
  d2min_mean.resize(n);
  shear_strain.resize(n);
  volumetric_strain.resize(n);
  neighbors.resize(n);
  invalid.resize(n);
  reference->check_all(pelkit_system_atomic_strain(
      ref_system.get(), cur_system.get(), cutoff, affine_mapping, minimum_image,
      sorted_ids.data(), n, d2min_values.data(), n, d2min_mean.data(), n, shear_strain.data(), n,
      volumetric_strain.data(), n, neighbors.data(), n, invalid.data(), n));
  double sum = 0.0;
  size_t valid = 0;
  for (size_t k = 0; k < n; k++)
    if (!invalid[k]) {
      sum += d2min_values[k];
      valid++;
    }
  scalar = valid ? sum / static_cast<double>(valid) : 0.0;

  reference->write_owned_rows(per_atom, nmax, NCOLUMNS, "pelkit/d2min:per_atom", sorted_ids,
                              [&](double *row, size_t k) {
                                row[0] = d2min_values[k];
                                row[1] = d2min_mean[k];
                                row[2] = shear_strain[k];
                                row[3] = volumetric_strain[k];
                                row[4] = neighbors[k];
                                row[5] = invalid[k];
                              });
  array_atom = per_atom;
}

double ComputePelkitD2min::compute_scalar()
{
  invoked_scalar = update->ntimestep;
  evaluate();
  return scalar;
}

void ComputePelkitD2min::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  evaluate();
}

double ComputePelkitD2min::memory_usage()
{
  const double n = static_cast<double>(atoms.size());
  return static_cast<double>(nmax) * NCOLUMNS * sizeof(double) + reference->memory_usage() +
      n * (2 * sizeof(int32_t) + sizeof(int64_t) + 6 * sizeof(double)) +
      n * (sizeof(int64_t) + 4 * sizeof(double) + 2 * sizeof(int32_t));
}
