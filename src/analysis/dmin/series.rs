//! Which frame pairs a D_min series compares: every frame to the first, to the previous one, or
//! to the frame a fixed lag earlier (the δ–D_min analysis of seed 004 uses a lag).

/// How frames of a trajectory are paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesMode {
    /// Frame k against frame 0, for k ≥ 1.
    ToFirst,
    /// Frame k against frame k − lag, for k ≥ lag (lag 1 = to the previous frame).
    Lag(usize),
}

/// The `(reference, current)` frame index pairs of a series over `nframes` frames, in order.
pub fn series_pairs(nframes: usize, mode: SeriesMode) -> Vec<(usize, usize)> {
    match mode {
        SeriesMode::ToFirst => (1..nframes).map(|k| (0, k)).collect(),
        SeriesMode::Lag(0) => Vec::new(),
        SeriesMode::Lag(lag) => (lag..nframes).map(|k| (k - lag, k)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_the_mode() {
        assert_eq!(
            series_pairs(4, SeriesMode::ToFirst),
            vec![(0, 1), (0, 2), (0, 3)]
        );
        assert_eq!(
            series_pairs(4, SeriesMode::Lag(1)),
            vec![(0, 1), (1, 2), (2, 3)]
        );
        assert_eq!(series_pairs(4, SeriesMode::Lag(3)), vec![(0, 3)]);
        assert!(series_pairs(4, SeriesMode::Lag(4)).is_empty());
        assert!(series_pairs(1, SeriesMode::ToFirst).is_empty());
    }
}
