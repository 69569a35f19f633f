/* fix ID group pelkit/dms period P amplitude A every N [component xy|xz|yz] [transient C]
 * [pressure ID]: MD-DMS inside LAMMPS (seed 004, issue 13). Every N steps it reads the shear
 * stress of the whole system, σ = −p_xy of the global pressure tensor (compute `thermo_press`, or
 * the pressure compute named by `pressure`), and adds it to pelkit's streaming least-squares sums
 * of σ(t) = σ0 + σA sin(2πt/P + δ) (pelkit_dms_accumulator_*). t = (step − update->beginstep)·dt:
 * the origin and phase of `fix deform … xy wiggle` in the same run (each run without
 * start/stop starts a new oscillation and a new fit, as fix deform does). Global vector of 13
 * (f_ID[1..13]): G′ G″ δ σA σ0, their standard errors, cycles fitted, samples fitted, R² — the fit
 * over the whole cycles completed so far after the C transient ones (all 0 before the first).
 * The fix group is ignored (the stress is the whole system's). */
#ifndef LMP_FIX_PELKIT_DMS_H
#define LMP_FIX_PELKIT_DMS_H

#include "fix.h"
#include "pelkit.h"

#include <string>

namespace LAMMPS_NS {

class FixPelkitDms : public Fix {
 public:
  /// Length of the global vector.
  static constexpr int NVALUES = 13;

  FixPelkitDms(class LAMMPS *, int, char **);
  ~FixPelkitDms() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  double compute_vector(int) override;

 private:
  double period, strain_amplitude;
  int component;    // index into the pressure vector: 3 xy, 4 xz, 5 yz
  size_t transient;
  std::string pressure_id;
  class Compute *pressure;
  pelkit_dms_accumulator_t *accumulator;
  bigint origin;            // update->beginstep of the oscillation being fitted
  bigint last_sample;       // step of the last sample pushed (-1: none)
  bigint samples;           // samples pushed
  bigint fitted_samples;    // `samples` when `values` was last computed
  double values[NVALUES];

  void reset();
  void sample();
  void refit();
};

}    // namespace LAMMPS_NS

#endif
