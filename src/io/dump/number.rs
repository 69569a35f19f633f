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

/// Parse the next number on the current line: skips leading blanks, stops at the token's end.
/// Returns the value and the position just after the token. Never crosses a newline.
#[inline(always)]
pub(crate) fn next_f64(s: &[u8], pos: usize) -> Result<(f64, usize), TokenError> {
    let start = skip_blanks(s, pos);
    if start >= s.len() || s[start] == b'\n' {
        return Err(TokenError::Missing);
    }
    let mut p = start;
    let negative = s[p] == b'-';
    if negative || s[p] == b'+' {
        p += 1;
    }
    let mut mantissa: u64 = 0;
    let mut significant = 0u32; // digits counted from the first non-zero one
    let mut exponent: i64 = 0;
    let mut any_digit = false;
    while p < s.len() && s[p].is_ascii_digit() {
        let d = (s[p] - b'0') as u64;
        if significant < 19 {
            mantissa = mantissa * 10 + d;
            if mantissa != 0 {
                significant += 1;
            }
        } else {
            significant += 1;
            exponent += 1;
        }
        any_digit = true;
        p += 1;
    }
    if p < s.len() && s[p] == b'.' {
        p += 1;
        while p < s.len() && s[p].is_ascii_digit() {
            let d = (s[p] - b'0') as u64;
            if significant < 19 {
                mantissa = mantissa * 10 + d;
                if mantissa != 0 {
                    significant += 1;
                }
                exponent -= 1;
            } else {
                significant += 1;
            }
            any_digit = true;
            p += 1;
        }
    }
    if any_digit && p < s.len() && (s[p] == b'e' || s[p] == b'E') {
        let mut q = p + 1;
        let exp_negative = q < s.len() && s[q] == b'-';
        if q < s.len() && (s[q] == b'-' || s[q] == b'+') {
            q += 1;
        }
        let digits_start = q;
        let mut e: i64 = 0;
        while q < s.len() && s[q].is_ascii_digit() {
            if e < 100_000 {
                e = e * 10 + (s[q] - b'0') as i64;
            }
            q += 1;
        }
        if q == digits_start {
            return Err(slow_token(s, start));
        }
        exponent += if exp_negative { -e } else { e };
        p = q;
    }
    let at_end = p >= s.len() || is_blank(s[p]) || s[p] == b'\n';
    if !any_digit || !at_end {
        return slow(s, start);
    }
    if significant <= 19 && mantissa <= MAX_EXACT && (-22..=22).contains(&exponent) {
        let m = mantissa as f64;
        let v = if exponent >= 0 {
            m * POW10[exponent as usize]
        } else {
            m / POW10[(-exponent) as usize]
        };
        return Ok((if negative { -v } else { v }, p));
    }
    if mantissa == 0 && significant == 0 {
        return Ok((if negative { -0.0 } else { 0.0 }, p));
    }
    slow(s, start)
}

#[cold]
fn slow_token(s: &[u8], start: usize) -> TokenError {
    TokenError::NotANumber {
        start,
        end: token_end(s, start),
    }
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
