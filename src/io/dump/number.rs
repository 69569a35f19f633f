//! The hot path of every text reader: tokenising one whitespace-separated number and converting
//! it to `f64`, correctly rounded.
//!
//! Decimal strings whose significand fits in 2^53 and whose decimal exponent is within ±22 are
//! converted exactly by one IEEE multiplication or division by an exact power of ten (Clinger's
//! fast path: both operands are exact, so the single rounding is the correct one). Everything
//! else (17-digit significands, large exponents, `nan`, `inf`) goes to `str::parse::<f64>`, which
//! is correctly rounded too. So the result is always bit-identical to `str::parse::<f64>`.

/// Exact powers of ten representable in an `f64` (10^0 ..= 10^22).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Largest significand converted exactly to `f64`.
const MAX_EXACT: u64 = 1 << 53;

/// Why a token is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// The line ended before the token started.
    Missing,
    /// The token (byte range in the input) is not a number.
    NotANumber { start: usize, end: usize },
}

#[inline(always)]
pub(crate) fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r'
}

/// Skip blanks (space, tab, CR) from `pos`; returns the new position.
#[inline(always)]
pub(crate) fn skip_blanks(s: &[u8], mut pos: usize) -> usize {
    while pos < s.len() && is_blank(s[pos]) {
        pos += 1;
    }
    pos
}

/// End of the token starting at `pos` (first blank, newline or end of input).
#[inline(always)]
pub(crate) fn token_end(s: &[u8], mut pos: usize) -> usize {
    while pos < s.len() && !is_blank(s[pos]) && s[pos] != b'\n' {
        pos += 1;
    }
    pos
}

/// Whether all 8 bytes of a little-endian word are ASCII digits.
#[inline(always)]
fn eight_digits(word: u64) -> bool {
    ((word & 0xF0F0_F0F0_F0F0_F0F0)
        | (((word.wrapping_add(0x0606_0606_0606_0606)) & 0xF0F0_F0F0_F0F0_F0F0) >> 4))
        == 0x3333_3333_3333_3333
}

/// The value of 8 ASCII digits (first digit in the lowest byte), combined pairwise in one
/// register (SWAR: 2 → 4 → 8 digits with three multiplications).
#[inline(always)]
fn eight_digit_value(word: u64) -> u64 {
    let d = word - 0x3030_3030_3030_3030;
    let pairs = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let quads = (pairs.wrapping_mul(100) + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    (quads.wrapping_mul(10_000) + (quads >> 32)) & 0xFFFF_FFFF
}

/// Append the decimal digits at `s[p..]` to `mantissa`; returns the new position.
#[inline(always)]
fn digits(s: &[u8], mut p: usize, mantissa: &mut u64) -> usize {
    while let Some(chunk) = s.get(p..p + 8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        if !eight_digits(word) {
            break;
        }
        *mantissa = mantissa
            .wrapping_mul(100_000_000)
            .wrapping_add(eight_digit_value(word));
        p += 8;
    }
    while let Some(&b) = s.get(p) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *mantissa = mantissa.wrapping_mul(10).wrapping_add(d as u64);
        p += 1;
    }
    p
}

/// Parse the next number on the current line: skips leading blanks, stops at the token's end.
/// Returns the value and the position just after the token. Never crosses a newline.
#[inline(always)]
pub(crate) fn next_f64(s: &[u8], pos: usize) -> Result<(f64, usize), TokenError> {
    match fast_f64(s, pos) {
        Some(r) => Ok(r),
        None => general_f64(s, pos),
    }
}

/// Everything [`fast_f64`] declines: missing tokens, 20+ digits, large exponents, `nan`,
/// `inf`, and what is not a number.
#[cold]
#[inline(never)]
pub(crate) fn general_f64(s: &[u8], pos: usize) -> Result<(f64, usize), TokenError> {
    let start = skip_blanks(s, pos);
    match s.get(start) {
        None | Some(b'\n') => Err(TokenError::Missing),
        Some(_) => slow(s, start),
    }
}

/// The exact fast path only (see the module doc); `None` when the token needs
/// [`general_f64`]. Kept free of error values so that it stays in registers in hot loops.
#[inline(always)]
pub(crate) fn fast_f64(s: &[u8], pos: usize) -> Option<(f64, usize)> {
    let start = skip_blanks(s, pos);
    let first = *s.get(start)?;
    let negative = first == b'-';
    let mut p = start + usize::from(negative || first == b'+');
    let mut mantissa: u64 = 0;
    let int_start = p;
    p = digits(s, p, &mut mantissa);
    let mut ndigits = p - int_start;
    let mut exponent: i64 = 0;
    if s.get(p) == Some(&b'.') {
        let frac_start = p + 1;
        p = digits(s, frac_start, &mut mantissa);
        ndigits += p - frac_start;
        exponent = -((p - frac_start) as i64);
    }
    if ndigits == 0 || ndigits > 19 || mantissa > MAX_EXACT {
        return None;
    }
    if let Some(&(b'e' | b'E')) = s.get(p) {
        let mut q = p + 1;
        let exp_negative = s.get(q) == Some(&b'-');
        if let Some(&(b'-' | b'+')) = s.get(q) {
            q += 1;
        }
        let digits_start = q;
        let mut e: i64 = 0;
        while let Some(&b) = s.get(q) {
            let d = b.wrapping_sub(b'0');
            if d > 9 || q - digits_start > 4 {
                break;
            }
            e = e * 10 + d as i64;
            q += 1;
        }
        if q == digits_start {
            return None;
        }
        exponent += if exp_negative { -e } else { e };
        p = q;
    }
    match s.get(p) {
        None | Some(b' ' | b'\t' | b'\r' | b'\n') => {}
        Some(_) => return None,
    }
    if !(-22..=22).contains(&exponent) {
        return None;
    }
    // Up to 19 digits cannot overflow the u64 accumulator; m <= 2^53 and 10^|e| are exact.
    let m = mantissa as f64;
    let v = if exponent >= 0 {
        m * POW10[exponent as usize]
    } else {
        m / POW10[(-exponent) as usize]
    };
    Some((if negative { -v } else { v }, p))
}

/// The general case: hand the token to the standard library's correctly rounded parser.
#[cold]
#[inline(never)]
fn slow(s: &[u8], start: usize) -> Result<(f64, usize), TokenError> {
    let end = token_end(s, start);
    let token = &s[start..end];
    std::str::from_utf8(token)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        .map(|v| (v, end))
        .ok_or(TokenError::NotANumber { start, end })
}

/// Parse a whole string as one number (header values); `None` when it is not exactly one number.
pub(crate) fn parse_f64_str(text: &str) -> Option<f64> {
    let s = text.as_bytes();
    let (v, end) = next_f64(s, 0).ok()?;
    (skip_blanks(s, end) == s.len()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) {
        let expected = text.parse::<f64>().unwrap();
        let (got, end) = next_f64(text.as_bytes(), 0).unwrap();
        assert_eq!(end, text.len(), "{text}");
        assert!(
            got.to_bits() == expected.to_bits() || (got.is_nan() && expected.is_nan()),
            "{text}: got {got:e}, expected {expected:e}"
        );
    }

    /// %g as C prints it: `prec` significant digits, trailing zeros removed, exponent form when
    /// the decimal exponent is < -4 or >= prec.
    fn c_g(v: f64, prec: usize) -> String {
        if v == 0.0 {
            return "0".into();
        }
        let e = format!("{:.*e}", prec - 1, v);
        let (mant, exp) = e.split_once('e').unwrap();
        let exp: i32 = exp.parse().unwrap();
        let strip = |m: &str| {
            if m.contains('.') {
                m.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                m.to_string()
            }
        };
        if exp < -4 || exp >= prec as i32 {
            format!(
                "{}e{}{:02}",
                strip(mant),
                if exp < 0 { '-' } else { '+' },
                exp.abs()
            )
        } else {
            let decimals = (prec as i32 - 1 - exp).max(0) as usize;
            strip(&format!("{:.*}", decimals, v))
        }
    }

    #[test]
    fn special_and_edge_tokens_match_std() {
        for t in [
            "0",
            "-0",
            "+0",
            "0.0",
            "-0.0",
            "1",
            "-1",
            "1e22",
            "1e23",
            "9007199254740993",
            "9007199254740992",
            "0.1",
            "1.7976931348623157e308",
            "2.2250738585072014e-308",
            "4.9e-324",
            "1e-400",
            "1e400",
            "nan",
            "inf",
            "-inf",
            "NaN",
            "infinity",
            ".5",
            "5.",
            "-.5e-3",
            "00000000000000000000000001.5",
            "0.000000000000000000000000000123",
            "123456789012345678901234567890",
            "1E5",
            "1e+05",
            "12345678901234567890e-20",
        ] {
            check(t);
        }
    }

    #[test]
    fn rejects_what_std_rejects() {
        for t in [
            "", "-", "e5", "1e", "1e+", "1.2.3", "1x", "abc", "--1", "1,5", ".",
        ] {
            let expected = t.parse::<f64>().is_ok();
            let got = next_f64(t.as_bytes(), 0).is_ok();
            assert_eq!(got, expected, "{t:?}");
        }
    }

    #[test]
    fn stops_at_blanks_and_newlines() {
        let s = b"  1.5\t-2e3 \n7";
        let (a, p) = next_f64(s, 0).unwrap();
        let (b, p) = next_f64(s, p).unwrap();
        assert_eq!((a, b), (1.5, -2000.0));
        assert_eq!(next_f64(s, p), Err(TokenError::Missing));
    }

    /// Millions of random values printed as LAMMPS prints them (%.17g, %g, %.10g) and in Rust's
    /// shortest and exponent forms: every one must give the bits of `str::parse::<f64>`
    /// (exact comparison: the claim is correct rounding, so no tolerance).
    #[test]
    fn random_strings_parse_bit_identical_to_std() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let n = 400_000;
        for _ in 0..n {
            let r = next();
            // Values spread over many magnitudes, and raw random bit patterns.
            let v = match r % 3 {
                0 => f64::from_bits(next()),
                1 => {
                    (next() as f64 / u64::MAX as f64 - 0.5) * 10f64.powi((r >> 8) as i32 % 40 - 20)
                }
                _ => (next() % 2_000_000) as f64 / 1000.0 - 1000.0,
            };
            if !v.is_finite() {
                continue;
            }
            for text in [
                c_g(v, 17),
                c_g(v, 6),
                c_g(v, 10),
                format!("{v}"),
                format!("{v:e}"),
            ] {
                check(&text);
            }
        }
    }
}
