//! Running the `pelkit` binary from the tests of the CLI crate (`tests/cli/`, the only tests
//! Cargo builds the binary for and gives `CARGO_BIN_EXE_pelkit`), and the argument lists those
//! tests share.

use std::path::Path;
use std::process::{Command, Output};

/// The Kob–Andersen 80:20 potential as `pelkit` options (lj/cut 2.5, shifted).
pub const KA_ARGS: [&str; 10] = [
    "--pair-style",
    "lj/cut 2.5",
    "--pair-coeff",
    "1 1 1.0 1.0 2.5",
    "--pair-coeff",
    "1 2 1.5 0.8 2.0",
    "--pair-coeff",
    "2 2 0.5 0.88 2.2",
    "--pair-modify",
    "shift yes",
];

/// The path of the `pelkit` binary Cargo built for this test.
// `option_env!`, not `env!`: tests of the library crate include this file too (they never call
// it), and Cargo sets CARGO_BIN_EXE_pelkit only for tests of pelkit-cli.
#[allow(clippy::option_env_unwrap)]
pub fn pelkit_bin() -> &'static str {
    option_env!("CARGO_BIN_EXE_pelkit")
        .expect("only tests of pelkit-cli (tests/cli/) run the binary")
}

/// A `pelkit` command to add arguments to.
pub fn pelkit() -> Command {
    Command::new(pelkit_bin())
}

/// Run `pelkit args` in the current directory and return its output.
pub fn run(args: &[&str]) -> Output {
    pelkit().args(args).output().expect("running pelkit")
}

/// Run `pelkit args` in `dir` and return its output.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    pelkit()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("running pelkit")
}

/// Run `pelkit args` in `dir`: (succeeded, stdout, stderr).
pub fn run_text(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = run_in(dir, args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `cmd`, assert that it succeeded (else fail with its stderr) and return its output.
pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("running pelkit");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The one JSON object of a successful run's stdout.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "pelkit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Run `pelkit args` (in the current directory), assert success and parse its JSON.
pub fn run_json(args: &[&str]) -> serde_json::Value {
    json(&run(args))
}
