/* compute pelkit/unwrap (see compute_pelkit_unwrap.h). Owned atoms only: unwrapping needs no
 * neighbours, and ghost image flags are not communicated by LAMMPS. */
#include "compute_pelkit_unwrap.h"

#include "pelkit_lammps.h"

#include "atom.h"
#include "domain.h"
#include "error.h"
#include "memory.h"
#include "update.h"

using namespace LAMMPS_NS;

ComputePelkitUnwrap::ComputePelkitUnwrap(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), nmax(0), unwrapped(nullptr)
{
  if (narg != 3)
    error->all(FLERR, "Illegal compute pelkit/unwrap command: expected 'compute ID group "
                      "pelkit/unwrap' with no further arguments, got {} extra argument(s) "
                      "starting at '{}'",
               narg - 3, arg[3]);
  peratom_flag = 1;
  size_peratom_cols = 3;
}

ComputePelkitUnwrap::~ComputePelkitUnwrap()
{
  memory->destroy(unwrapped);
}

void ComputePelkitUnwrap::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  if (atom->nmax > nmax) {
    memory->destroy(unwrapped);
    nmax = atom->nmax;
    memory->create(unwrapped, nmax, 3, "pelkit/unwrap:unwrapped");
    array_atom = unwrapped;
  }
  const int nlocal = atom->nlocal;
  if (nlocal == 0) return;
  const size_t n3 = 3 * static_cast<size_t>(nlocal);
  image_flags.resize(n3);
  for (int i = 0; i < nlocal; i++) pelkit::unpack_image(atom->image[i], &image_flags[3 * i]);

  const pelkit_box_t box = pelkit::box_from_domain(domain);
  pelkit::check_one(error, "compute pelkit/unwrap",
                    pelkit_box_unwrap(&box, &atom->x[0][0], n3, image_flags.data(), n3,
                                      &unwrapped[0][0], n3));
  const int *mask = atom->mask;
  for (int i = 0; i < nlocal; i++)
    if (!(mask[i] & groupbit)) unwrapped[i][0] = unwrapped[i][1] = unwrapped[i][2] = 0.0;
}

double ComputePelkitUnwrap::memory_usage()
{
  return 3.0 * nmax * sizeof(double) + image_flags.capacity() * sizeof(int32_t);
}
