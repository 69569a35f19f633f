/* compute pelkit/dmin (see compute_pelkit_dmin.h): gathers the group's reference and current
 * configurations to every rank, calls pelkit_system_dmin and keeps the owned atoms' rows. */
#include "compute_pelkit_dmin.h"

#include "atom.h"
#include "error.h"
#include "memory.h"
#include "update.h"
#include "utils.h"

#include <cmath>
#include <string>

using namespace LAMMPS_NS;

static constexpr int NCOLUMNS = 5;
static const char *const STYLE = "compute pelkit/dmin";

ComputePelkitDmin::ComputePelkitDmin(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), all_types(false), nmax(0), per_atom(nullptr), summary_values{}
{
  int iarg = 3;
  while (iarg < narg) {
    const std::string key = arg[iarg];
    if (key != "all_types")
      error->all(FLERR, "Illegal {} command: unknown keyword '{}' (expected all_types yes|no)",
                 STYLE, key);
    if (iarg + 1 >= narg)
      error->all(FLERR, "Illegal {} command: all_types needs a value (yes or no)", STYLE);
    all_types = utils::logical(FLERR, arg[iarg + 1], false, lmp) != 0;
    iarg += 2;
  }
  scalar_flag = 1;
  extscalar = 0;
  vector_flag = 1;
  size_vector = 3;
  extvector = 0;
  vector = summary_values;
  peratom_flag = 1;
  size_peratom_cols = NCOLUMNS;
  reference = std::make_unique<pelkit::StoredReference>(lmp, STYLE, id, igroup);
}

ComputePelkitDmin::~ComputePelkitDmin()
{
  memory->destroy(per_atom);
}

void ComputePelkitDmin::init()
{
  reference->init();
}

void ComputePelkitDmin::evaluate()
{
  reference->gather(atoms);
  pelkit::SystemHandle ref_system, cur_system;
  reference->make_systems(atoms, ref_system, cur_system);
  const size_t n = atoms.size();
  sorted_ids.resize(n);
  partner_ids.resize(n);
  displacements.resize(3 * n);
  pelkit_dmin_summary_t summary;
  reference->check_all(pelkit_system_dmin(ref_system.get(), cur_system.get(), all_types, &summary,
                                          sorted_ids.data(), n, partner_ids.data(), n,
                                          displacements.data(), 3 * n));
  if (!summary.optimality_certified)
    error->all(FLERR, "{}: the optimality certificate failed (gap bound {}); D_min = {} is only "
                      "an upper bound",
               STYLE, summary.gap_bound, summary.dmin);
  summary_values[0] = summary.dmin;
  summary_values[1] = summary.rmsd;
  summary_values[2] = static_cast<double>(summary.reassigned);
  scalar = summary.dmin;

  reference->write_owned_rows(per_atom, nmax, NCOLUMNS, "pelkit/dmin:per_atom", sorted_ids,
                              [&](double *row, size_t k) {
                                const double *d = &displacements[3 * k];
                                row[0] = d[0];
                                row[1] = d[1];
                                row[2] = d[2];
                                row[3] = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                                row[4] = static_cast<double>(partner_ids[k]);
                              });
  array_atom = per_atom;
}

double ComputePelkitDmin::compute_scalar()
{
  invoked_scalar = update->ntimestep;
  evaluate();
  return scalar;
}

void ComputePelkitDmin::compute_vector()
{
  invoked_vector = update->ntimestep;
  evaluate();
}

void ComputePelkitDmin::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  evaluate();
}

double ComputePelkitDmin::memory_usage()
{
  return static_cast<double>(nmax) * NCOLUMNS * sizeof(double) + reference->memory_usage() +
      static_cast<double>(atoms.size()) * (2 * sizeof(int32_t) + sizeof(int64_t) +
                                           6 * sizeof(double)) +
      static_cast<double>(sorted_ids.capacity() + partner_ids.capacity()) * sizeof(int64_t) +
      static_cast<double>(displacements.capacity()) * sizeof(double);
}
