//! Full neighbor list from a list holding each pair once (mirrored entries merged into sorted
//! rows), used to build `Full` lists from the upper-stencil search.

use rayon::prelude::*;

use super::PairIndex;

/// Full list from a list holding each pair once: entry (i → j, n) also gives (j → i, −n).
/// The shift table is symmetric, so −n has dense index `neg − idx`. Each full row is the merge
/// of its own pairs (already sorted) and the mirrored entries of other rows (arriving sorted
/// by their first atom, since rows are visited in order).
pub(super) fn transpose_to_full(
    offsets: &[usize],
    neighbors: &[u32],
    shift_index: &[u32],
    neg: u32,
) -> (Vec<usize>, Vec<u32>, Vec<u32>, Vec<u32>) {
    let n = offsets.len() - 1;
    let mut incoming = vec![0usize; n];
    for &j in neighbors {
        incoming[j as usize] += 1;
    }
    let mut full_offsets = Vec::with_capacity(n + 1);
    full_offsets.push(0usize);
    for i in 0..n {
        let next = full_offsets[i] + incoming[i] + (offsets[i + 1] - offsets[i]);
        full_offsets.push(next);
    }
    let total = full_offsets[n];
    // Mirrored entries, grouped by row: (key, pair | MIRRORED).
    let mut mirror_start = Vec::with_capacity(n + 1);
    mirror_start.push(0usize);
    for c in &incoming {
        mirror_start.push(mirror_start.last().copied().unwrap_or(0) + c);
    }
    let mut mirror_key = vec![0u64; neighbors.len()];
    let mut mirror_pair = vec![0u32; neighbors.len()];
    // Scatter in parallel over blocks of target rows; each block scans all pairs in order, so
    // every row receives its entries in pair order whatever the number of blocks.
    let blocks = rayon::current_num_threads().clamp(1, n.max(1));
    let mut parts = Vec::with_capacity(blocks);
    let (mut rest_k, mut rest_p) = (mirror_key.as_mut_slice(), mirror_pair.as_mut_slice());
    for b in 0..blocks {
        let (lo, hi) = (b * n / blocks, (b + 1) * n / blocks);
        let len = mirror_start[hi] - mirror_start[lo];
        let (k, tk) = std::mem::take(&mut rest_k).split_at_mut(len);
        let (p, tp) = std::mem::take(&mut rest_p).split_at_mut(len);
        parts.push((lo, hi, k, p));
        (rest_k, rest_p) = (tk, tp);
    }
    parts.into_par_iter().for_each(|(lo, hi, keys, tags)| {
        let base = mirror_start[lo];
        let mut cursor: Vec<usize> = mirror_start[lo..hi].iter().map(|&c| c - base).collect();
        for i in 0..n {
            for k in offsets[i]..offsets[i + 1] {
                let j = neighbors[k] as usize;
                if j < lo || j >= hi {
                    continue;
                }
                let c = &mut cursor[j - lo];
                keys[*c] = ((i as u64) << 32) | (neg - shift_index[k]) as u64;
                tags[*c] = k as u32 | PairIndex::MIRRORED;
                *c += 1;
            }
        }
    });
    let mut full_neighbors = vec![0u32; total];
    let mut full_shift = vec![0u32; total];
    let mut full_to_pair = vec![0u32; total];
    // Per-row output slices, filled in parallel.
    let mut rows = Vec::with_capacity(n);
    let (mut rn, mut rs, mut rp) = (
        full_neighbors.as_mut_slice(),
        full_shift.as_mut_slice(),
        full_to_pair.as_mut_slice(),
    );
    for i in 0..n {
        let len = full_offsets[i + 1] - full_offsets[i];
        let (a, ta) = std::mem::take(&mut rn).split_at_mut(len);
        let (b, tb) = std::mem::take(&mut rs).split_at_mut(len);
        let (c, tc) = std::mem::take(&mut rp).split_at_mut(len);
        rows.push((i, a, b, c));
        (rn, rs, rp) = (ta, tb, tc);
    }
    rows.into_par_iter()
        .with_min_len(256)
        .for_each(|(i, out_j, out_s, out_p)| {
            let own = offsets[i]..offsets[i + 1];
            let own_key = |k: usize| ((neighbors[k] as u64) << 32) | shift_index[k] as u64;
            let range = mirror_start[i]..mirror_start[i + 1];
            let (keys, tags) = (&mirror_key[range.clone()], &mirror_pair[range]);
            // Several images of one partner arrive in decreasing shift order: re-sort then
            // (rare: only when the cutoff reaches more than one image of an atom).
            let resorted: Option<Vec<(u64, u32)>> = if keys.windows(2).all(|w| w[0] < w[1]) {
                None
            } else {
                let mut v: Vec<(u64, u32)> =
                    keys.iter().copied().zip(tags.iter().copied()).collect();
                v.sort_unstable();
                Some(v)
            };
            let mk_len = keys.len();
            let mk = |b: usize| match &resorted {
                Some(v) => v[b],
                None => (keys[b], tags[b]),
            };
            let (mut a, mut b, mut o) = (own.start, 0usize, 0usize);
            while a < own.end || b < mk_len {
                let take_own = b >= mk_len || (a < own.end && own_key(a) < mk(b).0);
                let (key, pair) = if take_own {
                    a += 1;
                    (own_key(a - 1), (a - 1) as u32)
                } else {
                    b += 1;
                    mk(b - 1)
                };
                out_j[o] = (key >> 32) as u32;
                out_s[o] = key as u32;
                out_p[o] = pair;
                o += 1;
            }
        });
    (full_offsets, full_neighbors, full_shift, full_to_pair)
}
