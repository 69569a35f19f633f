//! What `pelkit check` reports about one file: format, sizes, box, per-column statistics and the
//! problems found. Each format module fills one of these from a full parse of its file.

use serde::Serialize;

use crate::geometry::SimBox;

/// Running min/max/mean of one numeric column over every value in the file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ColumnStats {
    pub name: String,
    pub count: u64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

impl ColumnStats {
    pub fn new(name: impl Into<String>) -> Self {
        ColumnStats {
            name: name.into(),
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            mean: 0.0,
        }
    }

    /// Add one value (running mean; NaN values make min/max/mean NaN, as they should be seen).
    pub fn push(&mut self, v: f64) {
        self.count += 1;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.mean += (v - self.mean) / self.count as f64;
    }

    /// Combine statistics of two disjoint sets of values (for parallel frames).
    pub fn merge(&mut self, other: &ColumnStats) {
        if other.count == 0 {
            return;
        }
        let n = self.count + other.count;
        self.mean += (other.mean - self.mean) * (other.count as f64 / n as f64);
        self.count = n;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// Box as reported: LAMMPS `lo`, `hi`, tilts and periodicity.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BoxReport {
    pub lo: [f64; 3],
    pub hi: [f64; 3],
    pub tilt: Option<[f64; 3]>,
    pub periodic: [bool; 3],
    pub volume: f64,
}

impl From<&SimBox> for BoxReport {
    fn from(b: &SimBox) -> Self {
        BoxReport {
            lo: b.lo,
            hi: b.hi,
            tilt: b.triclinic.then_some(b.tilt),
            periodic: b.periodic,
            volume: b.volume(),
        }
    }
}

/// The result of validating a whole file.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct FileReport {
    /// e.g. "lammps-data", "lammps-dump", "eam/fs", "lammps-log".
    pub format: String,
    pub frames: Option<usize>,
    pub atoms: Option<usize>,
    pub columns: Vec<ColumnStats>,
    #[serde(rename = "box")]
    pub simbox: Option<BoxReport>,
    /// Format-specific facts (elements and grids of a potential, thermo keywords of a log…).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// Problems found; `pelkit check` exits non-zero when this is not empty.
    pub problems: Vec<String>,
}
