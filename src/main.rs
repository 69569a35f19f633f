//! The `pelkit` command line: one subcommand per job. Errors are reported with their full
//! context chain on stderr and a non-zero exit status.

mod cli;

fn main() {
    if let Err(e) = cli::run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
