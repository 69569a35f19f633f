/* Conversions shared by the pelkit LAMMPS styles: LAMMPS box → pelkit_box_t, packed imageint →
 * three int32 flags, and pelkit status → LAMMPS error. No physics here. */
#ifndef PELKIT_LAMMPS_H
#define PELKIT_LAMMPS_H

#include "pelkit.h"
#include "pointers.h"

#include <cstdint>
#include <string>

namespace LAMMPS_NS {
namespace pelkit {

/// The current LAMMPS box (boxlo, boxhi, tilts, periodicity, triclinic flag).
pelkit_box_t box_from_domain(const class Domain *domain);

/// Unpack one LAMMPS image flag word into ix, iy, iz (the host's IMGBITS/IMGMAX settings).
inline void unpack_image(imageint image, int32_t *flags)
{
  flags[0] = static_cast<int32_t>((image & IMGMASK) - IMGMAX);
  flags[1] = static_cast<int32_t>((image >> IMGBITS & IMGMASK) - IMGMAX);
  flags[2] = static_cast<int32_t>((image >> IMG2BITS) - IMGMAX);
}

/// Build the EAM potential of a compute from its arguments `ID group STYLE eam/alloy|eam/fs FILE
/// El1 … ElN` (one element per atom type, `units metal`); sets `cutoff`. Any problem stops all
/// ranks with one error->all line naming `style` (e.g. "compute pelkit/stress").
pelkit_potential_t *eam_from_compute_args(class LAMMPS *lmp, const std::string &style, int narg,
                                          char **arg, double *cutoff);

/// On failure, stop this rank with LAMMPS' error->one and pelkit's message.
void check_one(class Error *error, const std::string &style, pelkit_status_t status);

}    // namespace pelkit
}    // namespace LAMMPS_NS

#endif
