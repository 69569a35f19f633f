/* fix pelkit/dms (see fix_pelkit_dms.h): reads the pressure compute every N steps and pushes
 * σ = −p_component into pelkit's accumulator; the fit is pelkit's (pelkit_dms_accumulator_fit).
 * The compute's vector is MPI-summed by LAMMPS, so every rank pushes the same samples. */
#include "fix_pelkit_dms.h"

#include "pelkit_lammps.h"

#include "comm.h"
#include "compute.h"
#include "error.h"
#include "modify.h"
#include "update.h"
#include "utils.h"

#include <cmath>

using namespace LAMMPS_NS;

static const char *const STYLE = "fix pelkit/dms";
static const char *const USAGE =
    "expected 'fix ID group pelkit/dms period P amplitude A every N [component xy|xz|yz] "
    "[transient C] [pressure ID]'";

FixPelkitDms::FixPelkitDms(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), period(0.0), strain_amplitude(0.0), component(3), transient(1),
    pressure_id("thermo_press"), pressure(nullptr), accumulator(nullptr), origin(-1),
    last_sample(-1), samples(0), fitted_samples(-1), values{}
{
  bool have_period = false, have_amplitude = false, have_every = false;
  int every = 0;
  int iarg = 3;
  while (iarg < narg) {
    const std::string key = arg[iarg];
    if (iarg + 1 >= narg)
      error->all(FLERR, "Illegal {} command: keyword '{}' needs a value; {}", STYLE, key, USAGE);
    const char *value = arg[iarg + 1];
    if (key == "period") {
      period = utils::numeric(FLERR, value, false, lmp);
      if (!(period > 0.0) || !std::isfinite(period))
        error->all(FLERR, "Illegal {} command: period must be > 0 (time units), got {}", STYLE,
                   value);
      have_period = true;
    } else if (key == "amplitude") {
      strain_amplitude = utils::numeric(FLERR, value, false, lmp);
      if (!(strain_amplitude > 0.0) || !std::isfinite(strain_amplitude))
        error->all(FLERR,
                   "Illegal {} command: amplitude (the strain amplitude γA = tilt amplitude / "
                   "ly) must be > 0, got {}",
                   STYLE, value);
      have_amplitude = true;
    } else if (key == "every") {
      every = utils::inumeric(FLERR, value, false, lmp);
      if (every < 1)
        error->all(FLERR, "Illegal {} command: every must be a number of steps >= 1, got {}",
                   STYLE, value);
      have_every = true;
    } else if (key == "component") {
      const std::string c = value;
      if (c == "xy") component = 3;
      else if (c == "xz") component = 4;
      else if (c == "yz") component = 5;
      else
        error->all(FLERR, "Illegal {} command: component must be xy, xz or yz, got '{}'", STYLE,
                   c);
    } else if (key == "transient") {
      const int c = utils::inumeric(FLERR, value, false, lmp);
      if (c < 0)
        error->all(FLERR, "Illegal {} command: transient must be a number of cycles >= 0, got {}",
                   STYLE, value);
      transient = static_cast<size_t>(c);
    } else if (key == "pressure") {
      pressure_id = value;
    } else {
      error->all(FLERR, "Illegal {} command: unknown keyword '{}'; {}", STYLE, key, USAGE);
    }
    iarg += 2;
  }
  if (!have_period || !have_amplitude || !have_every)
    error->all(FLERR, "Illegal {} command: missing {}{}{}; {}", STYLE,
               have_period ? "" : "period ", have_amplitude ? "" : "amplitude ",
               have_every ? "" : "every ", USAGE);
  nevery = every;
  vector_flag = 1;
  size_vector = NVALUES;
  global_freq = 1;
  extvector = 0;
  dynamic_group_allow = 1;
}

FixPelkitDms::~FixPelkitDms()
{
  pelkit_dms_accumulator_free(accumulator);
}

int FixPelkitDms::setmask()
{
  return FixConst::END_OF_STEP;
}

void FixPelkitDms::init()
{
  pressure = modify->get_compute_by_id(pressure_id);
  if (!pressure)
    error->all(FLERR, "{}: compute '{}' (the pressure) does not exist", STYLE, pressure_id);
  if (pressure->pressflag == 0 || !pressure->vector_flag || pressure->size_vector < 6)
    error->all(FLERR, "{}: compute '{}' is not a pressure compute with a 6-component tensor",
               STYLE, pressure_id);
  const double samples_per_period = period / (nevery * update->dt);
  if (samples_per_period < 3.0)
    error->all(FLERR,
               "{}: period {} holds {} samples of every {} steps of {}; at least 3 per period "
               "are needed to separate sin and cos",
               STYLE, period, samples_per_period, nevery, update->dt);
  if (comm->me == 0 &&
      std::fabs(samples_per_period - std::round(samples_per_period)) > 1e-9 * samples_per_period)
    error->warning(FLERR,
                   "{}: period {} is not a multiple of every*dt = {}*{} ({} samples per "
                   "period): the cycles are sampled at drifting phases",
                   STYLE, period, nevery, update->dt, samples_per_period);
}

void FixPelkitDms::reset()
{
  pelkit_dms_accumulator_free(accumulator);
  accumulator = nullptr;
  pelkit::check_one(error, STYLE,
                    pelkit_dms_accumulator_new(period, strain_amplitude, transient, &accumulator));
  origin = update->beginstep;
  last_sample = -1;
  samples = 0;
  fitted_samples = -1;
  for (double &v : values) v = 0.0;
}

void FixPelkitDms::setup(int /*vflag*/)
{
  // A new run starts a new oscillation unless it continues the same one (run … start/stop).
  if (!accumulator || update->beginstep != origin) reset();
  if (update->ntimestep % nevery == 0) sample();
  const bigint next = (update->ntimestep / nevery) * nevery + nevery;
  pressure->addstep(next);
}

void FixPelkitDms::end_of_step()
{
  sample();
  pressure->addstep(update->ntimestep + nevery);
}

void FixPelkitDms::sample()
{
  const bigint step = update->ntimestep;
  if (step <= last_sample) return;    // already sampled (setup of a continued run)
  if (pressure->invoked_vector != step) pressure->compute_vector();
  const double stress = -pressure->vector[component];
  const double time = static_cast<double>(step - origin) * update->dt;
  pelkit::check_one(error, STYLE, pelkit_dms_accumulator_push(accumulator, time, stress));
  last_sample = step;
  ++samples;
}

void FixPelkitDms::refit()
{
  fitted_samples = samples;
  if (!accumulator || samples == 0) {
    for (double &v : values) v = 0.0;
    return;
  }
  pelkit_dms_fit_t fit;
  const pelkit_status_t status = pelkit_dms_accumulator_fit(accumulator, &fit);
  if (status != PELKIT_SUCCESS)
    error->all(FLERR, "{}: pelkit error {}: {}", STYLE, static_cast<int>(status),
               pelkit_last_error());
  const double v[NVALUES] = {fit.storage_modulus,
                             fit.loss_modulus,
                             fit.delta,
                             fit.sigma_amplitude,
                             fit.sigma0,
                             fit.storage_modulus_error,
                             fit.loss_modulus_error,
                             fit.delta_error,
                             fit.sigma_amplitude_error,
                             fit.sigma0_error,
                             static_cast<double>(fit.cycles_fitted),
                             static_cast<double>(fit.samples),
                             fit.r_squared};
  for (int i = 0; i < NVALUES; ++i) values[i] = v[i];
}

double FixPelkitDms::compute_vector(int n)
{
  if (fitted_samples != samples) refit();
  return values[n];
}
