//! The power law y = A·x^b fitted by linear least squares of ln y on ln x (seed 004 Eq. 1,
//! δ = A·(IS D_min/r0)^b). Standard errors as `scipy.stats.linregress`: se(b) = √(s²/Sxx),
//! se(ln A) = √(s²·Σ(ln x)²/(n·Sxx)), s² = SSR/(n − 2); se(A) = A·se(ln A) (first order).

use crate::analysis::fit::{check_xy, r_squared, FitError, FitParameter, FitResult};

const MODEL: &str = "power law y = A*x^b";

/// Fit y = A·x^b to points with x > 0, y > 0 (at least 3, with two distinct x).
pub fn fit_power_law(x: &[f64], y: &[f64]) -> Result<FitResult, FitError> {
    check_xy(MODEL, x, y, 2)?;
    if let Some(i) = (0..x.len()).find(|&i| x[i] <= 0.0 || y[i] <= 0.0) {
        return Err(FitError::InvalidData {
            model: MODEL,
            what: format!(
                "point {} ({}, {}): a log–log fit needs x > 0 and y > 0",
                i + 1,
                x[i],
                y[i]
            ),
        });
    }
    let lx: Vec<f64> = x.iter().map(|v| v.ln()).collect();
    let ly: Vec<f64> = y.iter().map(|v| v.ln()).collect();
    let n = lx.len() as f64;
    let mx = lx.iter().sum::<f64>() / n;
    let my = ly.iter().sum::<f64>() / n;
    let sxx: f64 = lx.iter().map(|v| (v - mx).powi(2)).sum();
    let sxy: f64 = lx.iter().zip(&ly).map(|(a, b)| (a - mx) * (b - my)).sum();
    if sxx <= 1e-300 {
        return Err(FitError::Singular {
            model: MODEL,
            what: "all x values are equal".into(),
        });
    }
    let b = sxy / sxx;
    let ln_a = my - b * mx;
    let ssr: f64 = lx
        .iter()
        .zip(&ly)
        .map(|(u, v)| (v - ln_a - b * u).powi(2))
        .sum();
    let s2 = ssr / (n - 2.0);
    let se_b = (s2 / sxx).sqrt();
    let sum_x2: f64 = lx.iter().map(|v| v * v).sum();
    let se_ln_a = (s2 * sum_x2 / (n * sxx)).sqrt();
    let a = ln_a.exp();
    Ok(FitResult {
        model: "y = A*x^b (least squares of ln y on ln x)".into(),
        parameters: vec![
            FitParameter {
                name: "A".into(),
                value: a,
                std_error: a * se_ln_a,
            },
            FitParameter {
                name: "b".into(),
                value: b,
                std_error: se_b,
            },
        ],
        r_squared: r_squared(&ly, ssr),
        ssr,
        points: x.len(),
        iterations: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_power_law_is_recovered_exactly() {
        let x = [0.1, 0.2, 0.5, 1.0, 3.0];
        let y: Vec<f64> = x.iter().map(|v: &f64| 0.7 * v.powf(2.3)).collect();
        let f = fit_power_law(&x, &y).unwrap();
        // Exact data: only round-off of logs and sums.
        assert!((f.value("b").unwrap() - 2.3).abs() < 1e-13);
        assert!((f.value("A").unwrap() - 0.7).abs() < 1e-13);
        assert!(f.std_error("b").unwrap() < 1e-12);
        assert!(fit_power_law(&[1.0, -1.0, 2.0], &[1.0, 1.0, 1.0]).is_err());
        assert!(fit_power_law(&[1.0, 2.0], &[1.0, 1.0]).is_err());
    }
}
