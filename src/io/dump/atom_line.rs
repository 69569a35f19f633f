//! The vectorised fast path for one dump atom line (x86_64 with AVX2): every token start of the
//! line from one separator bit mask, each token converted with one byte shuffle and three
//! multiply-adds. Lines it does not handle go to the exact scalar parser in `frame.rs`.
//!
//! A token is taken here only when it is `[+-]digits[.digits]` with 1 to 15 digits, followed
//! by a blank or the newline within 16 bytes of its first digit (what `%g` and `%.10g` print).
//! Its value is `mantissa / 10^k` with `mantissa < 10^15 < 2^53` and `k <= 15`: two exact
//! doubles and one correctly rounded IEEE division (Clinger's fast path), so the result is
//! bit-identical to `str::parse::<f64>`, including `-0`. A line is taken only when it holds
//! exactly the expected number of such tokens, separated by ` `, `\t` or `\r`, and at least
//! 128 bytes of input follow the start of each 128-byte window it scans (the last lines of a
//! file take the scalar path); otherwise [`parse_line`] returns `None` and nothing is written
//! that the caller keeps.

/// Whether this CPU runs the fast path (checked once per frame; the answer is cached by std).
#[inline]
pub(crate) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use avx2::{parse_line, parse_long_line};

/// Stand-in for targets without the fast path: never takes a line.
///
/// # Safety
/// Always safe; `unsafe` only to match the x86_64 signature.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(crate) unsafe fn parse_line(_s: &[u8], _pos: usize, _row: &mut [f64]) -> Option<usize> {
    None
}

/// Stand-in for targets without the fast path: never takes a line.
///
/// # Safety
/// Always safe; `unsafe` only to match the x86_64 signature.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(crate) unsafe fn parse_long_line(_s: &[u8], _pos: usize, _row: &mut [f64]) -> Option<usize> {
    None
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// `10^k` for `k` in 0..=15, then `-10^k`: dividing by the signed power applies the sign,
    /// exactly (IEEE division is sign-symmetric), and gives `-0.0` for `-0`.
    const SIGNED_POW10: [f64; 32] = {
        let mut t = [0.0; 32];
        let mut p = 1.0;
        let mut k = 0;
        while k < 16 {
            t[k] = p;
            t[k + 16] = -p;
            p *= 10.0;
            k += 1;
        }
        t
    };

    /// Bytes equal to ` `, `\t`, `\n` or `\r`. Their low nibbles (0, 9, A, D) are distinct: a
    /// 16-entry table holds each at its nibble, and other slots hold a byte whose low nibble
    /// differs from the slot, so `table[v & 15] == v` exactly for those four (bytes >= 0x80
    /// shuffle to 0 and never match).
    #[target_feature(enable = "avx2")]
    #[inline]
    fn separators(v: __m128i) -> __m128i {
        let table = _mm_setr_epi8(
            0x20, 2, 3, 4, 5, 6, 7, 8, 9, 0x09, 0x0A, 12, 13, 0x0D, 15, 0,
        );
        _mm_cmpeq_epi8(_mm_shuffle_epi8(table, v), v)
    }

    /// 16 bytes from `s[at..]` (`None` if fewer remain).
    #[target_feature(enable = "avx2")]
    #[inline]
    fn load(s: &[u8], at: usize) -> Option<__m128i> {
        let bytes = s.get(at..at.checked_add(16)?)?;
        // SAFETY: `bytes` holds 16 readable bytes; `loadu` has no alignment requirement.
        Some(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) })
    }

    /// Parse one token starting exactly at `start` (see the module doc); `None` if it is not
    /// of the fast form.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn token(s: &[u8], start: usize) -> Option<f64> {
        let first = *s.get(start)?;
        let negative = first == b'-';
        let p = start + usize::from(negative | (first == b'+'));
        let v = load(s, p)?;
        let d = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
        // A digit is a byte whose value minus '0' is at most 9 (unsigned).
        let is_digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
        let nondigit = !(_mm_movemask_epi8(is_digit) as u32); // bits 16.. set
        let dots = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'.' as i8))) as u32;
        let seps = _mm_movemask_epi8(separators(v)) as u32;
        let int_len = nondigit.trailing_zeros(); // <= 16
        let has_dot = (dots >> int_len) & 1;
        let end = (nondigit & (u32::MAX << (int_len + has_dot))).trailing_zeros(); // <= 16
        let ndigits = end - has_dot;
        if (seps >> end) & 1 == 0 || ndigits == 0 {
            return None;
        }
        // Now end <= 15 and 1 <= ndigits <= 15. Gather the digits without the point into the
        // top `ndigits` bytes (output byte j takes digit t = j - (16 - ndigits), which sits at
        // byte t before the point and t + 1 after it); negative indices shuffle in zeros.
        let iota = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        let t = _mm_sub_epi8(iota, _mm_set1_epi8((16 - ndigits) as i8));
        let past_point = _mm_and_si128(
            _mm_cmpgt_epi8(t, _mm_set1_epi8(int_len as i8 - 1)),
            _mm_set1_epi8(-(has_dot as i8)),
        );
        let digits = _mm_shuffle_epi8(d, _mm_sub_epi8(t, past_point));
        // Pairs, quadruples, then two 8-digit halves.
        let ten_one = _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1);
        let pairs = _mm_maddubs_epi16(digits, ten_one);
        let quads = _mm_madd_epi16(pairs, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
        let packed = _mm_packs_epi32(quads, quads);
        let eights = _mm_madd_epi16(
            packed,
            _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1),
        );
        let halves = _mm_cvtsi128_si64(eights) as u64;
        let mantissa = (halves & 0xFFFF_FFFF) * 100_000_000 + (halves >> 32);
        let frac_len = (ndigits - int_len) as usize;
        let divisor = SIGNED_POW10.get(frac_len + 16 * usize::from(negative))?;
        Some(mantissa as f64 / divisor)
    }

    /// Separator and newline bit masks of the 128 bytes at `s[pos..]` (four 32-byte
    /// compares each).
    #[target_feature(enable = "avx2")]
    #[inline]
    fn line_masks(s: &[u8], pos: usize) -> Option<(u128, u128)> {
        let bytes = s.get(pos..pos.checked_add(128)?)?;
        // The table of `separators`, in both 16-byte lanes (AVX2 shuffles within lanes).
        let table = _mm256_setr_epi8(
            0x20, 2, 3, 4, 5, 6, 7, 8, 9, 0x09, 0x0A, 12, 13, 0x0D, 15, 0, 0x20, 2, 3, 4, 5, 6, 7,
            8, 9, 0x09, 0x0A, 12, 13, 0x0D, 15, 0,
        );
        let newline = _mm256_set1_epi8(b'\n' as i8);
        let mut seps = 0u128;
        let mut newlines = 0u128;
        for (k, chunk) in bytes.chunks_exact(32).enumerate() {
            // SAFETY: `chunk` holds 32 bytes; `loadu` has no alignment requirement.
            let v = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
            let sep = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, v), v);
            let nl = _mm256_cmpeq_epi8(v, newline);
            seps |= u128::from(_mm256_movemask_epi8(sep) as u32) << (32 * k);
            newlines |= u128::from(_mm256_movemask_epi8(nl) as u32) << (32 * k);
        }
        Some((seps & !newlines, newlines))
    }

    /// Parse the atom line at `s[pos..]` into `row` (one value per column). Returns the start
    /// of the next line, or `None` when the line is not of the fast form (then `row` holds
    /// garbage and the caller parses the line with the exact scalar path).
    ///
    /// # Safety
    /// The CPU must support AVX2 (see [`super::available`]).
    #[target_feature(enable = "avx2")]
    #[inline]
    pub(crate) unsafe fn parse_line(s: &[u8], pos: usize, row: &mut [f64]) -> Option<usize> {
        let (blanks, newlines) = line_masks(s, pos)?;
        if newlines == 0 {
            return None;
        }
        let end = newlines.trailing_zeros(); // < 128
        let before_newline = (1u128 << end) - 1;
        let in_tokens = !blanks & before_newline;
        // A token starts at a non-blank byte that follows a blank or starts the line.
        let mut starts = in_tokens & ((blanks << 1) | 1);
        for value in row.iter_mut() {
            if starts == 0 {
                return None;
            }
            let k = starts.trailing_zeros() as usize;
            starts &= starts - 1;
            *value = token(s, pos + k)?;
        }
        if starts != 0 {
            return None;
        }
        Some(pos + end as usize + 1)
    }

    /// [`parse_line`] for any line length, tried when `parse_line` declines a line (so mostly
    /// for lines longer than one 128-byte window): windows are scanned until the newline; a
    /// token may run across a window boundary (`token` reads the bytes directly). Kept out of
    /// `parse_line` so that the common one-window case stays lean.
    ///
    /// # Safety
    /// The CPU must support AVX2 (see [`super::available`]).
    #[target_feature(enable = "avx2")]
    #[inline(never)]
    pub(crate) unsafe fn parse_long_line(s: &[u8], pos: usize, row: &mut [f64]) -> Option<usize> {
        let mut base = pos;
        let mut after_blank = 1u128; // the line start counts as following a blank
        let mut filled = 0;
        loop {
            let (blanks, newlines) = line_masks(s, base)?;
            let end = newlines.trailing_zeros(); // 128 when the line goes on
            let before_newline = u128::MAX.checked_shr(128 - end).unwrap_or(0);
            let mut starts = !blanks & before_newline & ((blanks << 1) | after_blank);
            while starts != 0 {
                let k = starts.trailing_zeros() as usize;
                starts &= starts - 1;
                *row.get_mut(filled)? = token(s, base + k)?;
                filled += 1;
            }
            if end < 128 {
                return (filled == row.len()).then_some(base + end as usize + 1);
            }
            after_blank = blanks >> 127;
            base += 128;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parse `line` (padded so the 128-byte window exists) with the fast path.
    fn fast(line: &[u8], ncols: usize) -> Option<(Vec<f64>, usize)> {
        let mut buf = line.to_vec();
        buf.resize(line.len() + 160, b'#');
        let mut row = vec![0.0; ncols];
        // SAFETY: guarded by `available()` in every test.
        let next = unsafe { parse_line(&buf, 0, &mut row) };
        // The long-line path must accept every line the one-window path accepts, identically.
        let mut again = vec![0.0; ncols];
        // SAFETY: as above.
        let long = unsafe { parse_long_line(&buf, 0, &mut again) };
        if next.is_some() {
            assert_eq!(long, next);
            assert_eq!(
                again.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                row.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }
        Some((again, long?))
    }

    /// What the exact reference says: the whitespace-separated tokens of the line (blanks are
    /// ` `, `\t`, `\r`) each parsed by `str::parse::<f64>`.
    fn reference(line: &[u8]) -> Option<Vec<f64>> {
        let text = std::str::from_utf8(line).ok()?;
        let body = text.strip_suffix('\n')?;
        body.split([' ', '\t', '\r'])
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<f64>().ok())
            .collect()
    }

    /// Whenever the fast path takes a line, it must give the reference's values bit for bit,
    /// the right column count and the next line's start. (No tolerance: the claim is correct
    /// rounding.)
    fn agree(line: &[u8], ncols: usize) -> bool {
        let Some((row, next)) = fast(line, ncols) else {
            return false;
        };
        let want = reference(line).unwrap_or_else(|| {
            panic!(
                "fast path took a line the reference rejects: {:?}",
                String::from_utf8_lossy(line)
            )
        });
        assert_eq!(want.len(), ncols, "{:?}", String::from_utf8_lossy(line));
        for (a, b) in row.iter().zip(&want) {
            assert_eq!(
                a.to_bits(),
                b.to_bits(),
                "{:?}: {a:e} vs {b:e}",
                String::from_utf8_lossy(line)
            );
        }
        assert_eq!(next, line.len());
        true
    }

    #[test]
    fn typical_lines_are_taken_and_exact() {
        if !available() {
            return;
        }
        for line in [
            &b"1 1 46.3365073 85.74061918 12.85758899 2.807403816 -0.9318956498 -3.080180451\n"[..],
            b"7920 2 0 -0 +5 .5 -.5 5.\n",
            b"  12\t-3.25\r\n",
            b"999999999999999 0.0000000000001 -12345678.012345\n",
        ] {
            let n = reference(line).unwrap().len();
            assert!(agree(line, n), "{:?}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn unusual_lines_fall_back() {
        if !available() {
            return;
        }
        for (line, ncols) in [
            (&b"1 2 3\n"[..], 2),             // more tokens than columns
            (b"1 2\n", 3),                    // fewer
            (b"1 2e5 3\n", 3),                // exponent form
            (b"1 nan 3\n", 3),                // not digits
            (b"1 1.2.3 3\n", 3),              // two points
            (b"1 - 3\n", 3),                  // sign alone
            (b"1 . 3\n", 3),                  // point alone
            (b"1 1234567890123456 3\n", 3),   // 16 digits
            (b"1 0.1234567890123456 3\n", 3), // 16 digits after the point
            (b"1 2\x0b 3\n", 3),              // vertical tab is not a blank
            (b"1 2\x00 3\n", 3),              // NUL
            (b"1 +-2 3\n", 3),                // two signs
            (b"1 2,5 3\n", 3),                // comma
            (b"1 2 3", 3),                    // no newline in the window
        ] {
            assert!(
                fast(line, ncols).is_none(),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    /// Lines longer than one 128-byte window, with tokens and blank runs across the window
    /// boundaries at every offset.
    #[test]
    fn long_lines_are_taken_across_windows() {
        if !available() {
            return;
        }
        for shift in 0..24 {
            let mut line = " ".repeat(shift);
            for k in 0..40 {
                line.push_str(&format!("{}.{:03} ", k * 7 - 100, (k * 37) % 1000));
                if k % 9 == 0 {
                    line.push_str("\t ");
                }
            }
            line.push('\n');
            assert!(line.len() > 256);
            assert!(agree(line.as_bytes(), 40), "{line:?}");
            assert!(fast(line.as_bytes(), 39).is_none());
            assert!(fast(line.as_bytes(), 41).is_none());
        }
    }

    /// Random lines of random tokens: numbers printed as LAMMPS and NumPy print them (`%g`,
    /// `%.10g`, `%.15g`, `%.17g`, shortest), integers, and mutated tokens with junk bytes.
    /// Every line the fast path takes must agree with the reference bit for bit; the typical
    /// forms must be taken.
    #[test]
    fn random_lines_agree_with_std_bit_for_bit() {
        if !available() {
            return;
        }
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let junk = [
            b'e', b'.', b'-', b'+', b'x', 0x0b, 0xff, b'\t', b'\r', b'0', b'9',
        ];
        let mut taken = 0;
        let lines = 200_000;
        for _ in 0..lines {
            let ncols = 1 + (next() % if next() % 4 == 0 { 30 } else { 9 }) as usize;
            let mut line = Vec::new();
            for c in 0..ncols {
                if c > 0 {
                    line.extend_from_slice(if next() % 16 == 0 { b" \t " } else { b" " });
                }
                let r = next();
                let v =
                    (next() as f64 / u64::MAX as f64 - 0.5) * 10f64.powi((r >> 8) as i32 % 24 - 12);
                let mut token = match r % 6 {
                    0 => format!("{}", (next() % 100_000) as i64 - 50_000),
                    1 => format!("{:.*}", (r >> 20) as usize % 12, v),
                    2 => format!("{v}"),
                    3 => format!("{:.9e}", v),
                    4 => format!("{:.*}", (r >> 20) as usize % 18, v.abs() * 1e3),
                    _ => format!("{:.*}", 14 - ((r >> 20) as usize % 14), v % 10.0),
                }
                .into_bytes();
                if next() % 50 == 0 {
                    let at = (next() as usize) % (token.len() + 1);
                    token.insert(at, junk[(next() % junk.len() as u64) as usize]);
                }
                line.extend_from_slice(&token);
            }
            line.push(b'\n');
            let expected_cols = if next() % 20 == 0 { ncols + 1 } else { ncols };
            if agree(&line, expected_cols) {
                taken += 1;
            }
        }
        // Many lines hold a token of 16+ digits, an exponent or junk (those fall back); at
        // least a tenth must be of the fast form for this test to exercise it.
        assert!(
            taken > lines / 10,
            "only {taken} of {lines} lines took the fast path"
        );
    }
}
