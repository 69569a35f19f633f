//! One annealing run with IS tracking, and independent runs in parallel.
//!
//! The run is a loop of Δt segments, as a LAMMPS script `label loop` / `fix 1 all nvt temp T T
//! TDAMP` / `run N` / `unfix 1` / (copy, `minimize`, restore) / `next`: each segment is one
//! Nosé–Hoover NVT run of `is_every` steps (the chain variables start at zero in every segment,
//! negligible when Δt ≫ TDAMP), so the state after a segment (positions, images, velocities, box)
//! is everything a resumed run needs.

use rayon::prelude::*;

use super::{quench_converged, AnnealError, AnnealSettings, IsRecord};
use crate::engine::deform::{change_box, make_triclinic, BoxOp};
use crate::engine::md::{run_md, MdSample, MdSettings};
use crate::engine::min_cg::minimize_cg;
use crate::engine::potential_provider::PotentialProvider;
use crate::engine::velocity::create_velocities;
use crate::engine::{ForceProvider, ForceResult};
use crate::potential::Potential;
use crate::System;

/// The state a run starts (or resumes) from: the instantaneous configuration with velocities,
/// already strained, at `step` (a multiple of `is_every`).
#[derive(Debug, Clone)]
pub struct AnnealStart {
    pub run: usize,
    pub system: System,
    pub step: u64,
}

impl AnnealStart {
    /// A fresh run `run` from the glass: the affine pre-strain of `settings` (`change_box all
    /// triclinic` + `xy delta γ·ly remap`), then velocities at T with seed `seed + run`.
    pub fn fresh(
        glass: &System,
        settings: &AnnealSettings,
        run: usize,
    ) -> Result<Self, AnnealError> {
        settings.validate()?;
        let engine = |source| AnnealError::Engine { run, source };
        let mut system = glass.clone();
        if let Some((component, gamma)) = settings.strain {
            make_triclinic(&mut system);
            let length = system.simbox.lengths()[component.length_axis()];
            change_box(
                &mut system,
                &[BoxOp::TiltDelta {
                    tilt: component.tilt_index(),
                    delta: gamma * length,
                }],
                true,
            )
            .map_err(engine)?;
        }
        create_velocities(
            &mut system,
            settings.temperature,
            settings.seed.wrapping_add(run as u64),
            settings.units,
        )
        .map_err(engine)?;
        Ok(AnnealStart {
            run,
            system,
            step: 0,
        })
    }
}

/// The handler every record goes to, with the instantaneous state (velocities included: a
/// checkpoint) and the IS. An `Err` stops the run.
pub type RecordHandler<'a> = dyn Fn(&IsRecord, &System, &System) -> Result<(), String> + Sync + 'a;

/// Run (or resume) one annealing run from `start` up to `settings.steps`: the IS of the start
/// state, then one IS after every segment of `is_every` steps. Records go to `on_record` as
/// they are made (the start record too, also when resuming: the caller skips what it has).
pub fn run_anneal(
    start: AnnealStart,
    potential: &Potential,
    settings: &AnnealSettings,
    on_record: &RecordHandler,
) -> Result<usize, AnnealError> {
    settings.validate()?;
    let run = start.run;
    if !start.step.is_multiple_of(settings.is_every) {
        return Err(AnnealError::InvalidInput(format!(
            "run {run}: start step {} is not a multiple of the IS interval {}",
            start.step, settings.is_every
        )));
    }
    let engine = |source| AnnealError::Engine { run, source };
    let mut md_provider =
        PotentialProvider::new(potential.clone(), settings.skin).map_err(engine)?;
    let mut quench_provider =
        PotentialProvider::new(potential.clone(), settings.skin).map_err(engine)?;
    let mut sys = start.system;
    let mut step = start.step;
    let t = settings.temperature;
    let md = |steps| MdSettings::nvt(settings.units, settings.dt, steps, t, t, settings.t_damp);
    // The start state's thermodynamics: a zero-step run (one force evaluation).
    let first = run_md(&mut sys, &mut md_provider, &md(0), &mut |_, _| {}).map_err(engine)?;
    let mut made = 0;
    let mut record = |sys: &System, sample: &MdSample, step: u64| -> Result<(), AnnealError> {
        let (rec, is) = quench_record(sys, sample, step, run, settings, &mut quench_provider);
        on_record(&rec, sys, &is).map_err(|message| AnnealError::Output { run, message })?;
        made += 1;
        Ok(())
    };
    record(&sys, &first[0], step)?;
    while step + settings.is_every <= settings.steps {
        let samples = run_md(
            &mut sys,
            &mut md_provider,
            &md(settings.is_every),
            &mut |_, _| {},
        )
        .map_err(engine)?;
        step += settings.is_every;
        let last = samples.last().ok_or_else(|| {
            engine(crate::engine::EngineError::InvalidInput(
                "md returned no sample".into(),
            ))
        })?;
        record(&sys, last, step)?;
    }
    Ok(made)
}

/// Copy the instantaneous state, CG-minimize the copy, and describe both.
fn quench_record(
    sys: &System,
    sample: &MdSample,
    step: u64,
    run: usize,
    settings: &AnnealSettings,
    provider: &mut PotentialProvider,
) -> (IsRecord, System) {
    let n = sys.natoms() as f64;
    let component = settings.component().stress_index();
    let mut is = sys.clone();
    is.velocities = None;
    let mut rec = IsRecord {
        run,
        index: (step / settings.is_every) as usize,
        step,
        time: step as f64 * settings.dt,
        temperature: settings.temperature,
        e_is: f64::NAN,
        tau_is: f64::NAN,
        tau_inst: -sample.pressure_tensor[component],
        pe_inst: sample.pe / n,
        t_inst: sample.temperature,
        fnorm2: f64::NAN,
        fnorm_inf: f64::NAN,
        converged: false,
        stop: String::new(),
        iterations: 0,
        strain: settings.strain.map_or(0.0, |(_, g)| g),
    };
    match minimize_cg(&mut is, provider, &settings.minimize) {
        Ok(summary) => {
            rec.e_is = summary.energy_total_final / n;
            rec.fnorm2 = summary.fnorm2_final;
            rec.fnorm_inf = summary.fnorm_inf_final;
            rec.converged = quench_converged(summary.stop);
            rec.stop = summary.stop.as_str().to_string();
            rec.iterations = summary.iterations;
            let mut fr = ForceResult::with_atoms(is.natoms());
            match provider.compute(&is, &mut fr) {
                Ok(()) => {
                    rec.tau_is =
                        -fr.virial[component] / is.simbox.volume() * settings.units.nktv2p();
                }
                Err(e) => {
                    rec.converged = false;
                    rec.stop = format!("IS stress evaluation failed: {e}");
                }
            }
        }
        Err(e) => rec.stop = format!("minimization failed: {e}"),
    }
    (rec, is)
}

/// Run every start in parallel (one run per rayon task; each run's force evaluations are
/// parallel too). Results in the order of `starts`; one run failing does not stop the others.
pub fn run_anneal_set(
    starts: Vec<AnnealStart>,
    potential: &Potential,
    settings: &AnnealSettings,
    on_record: &RecordHandler,
) -> Vec<Result<usize, AnnealError>> {
    starts
        .into_par_iter()
        .with_max_len(1)
        .map(|s| run_anneal(s, potential, settings, on_record))
        .collect()
}
