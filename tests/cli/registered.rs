//! Every test file under tests/cli/ is declared as a `[[test]]` of cli/Cargo.toml (Cargo does not
//! discover them: they run the `pelkit` binary and so belong to the `pelkit-cli` package), so a
//! new file that is not declared fails here instead of silently never running.

use std::path::Path;

#[test]
fn every_tests_cli_file_is_declared_in_cli_cargo_toml() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest = std::fs::read_to_string(root.join("cli/Cargo.toml")).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(root.join("tests/cli"))
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    files.sort();
    assert!(files.len() > 1, "tests/cli/ holds {} files", files.len());
    let missing: Vec<&String> = files
        .iter()
        .filter(|f| !manifest.contains(&format!("path = \"../tests/cli/{f}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/cli/ files not declared as [[test]] in cli/Cargo.toml: {missing:?}"
    );
}
