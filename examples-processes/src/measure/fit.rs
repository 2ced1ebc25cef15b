//! A least-squares line through the fork and spawn curves: how their cost grows with
//! the parent's memory.

/// A straight line `y = slope · x + intercept` fitted by least squares, with R² (1
/// for a perfect line, near 0 when x explains nothing of y).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub slope: f64,
    pub intercept: f64,
    pub r2: f64,
}

impl Fit {
    /// Fits `points`; `None` with fewer than two distinct x values.
    pub fn least_squares(points: &[(f64, f64)]) -> Option<Fit> {
        let count = points.len() as f64;
        let mean_x = points.iter().map(|&(x, _)| x).sum::<f64>() / count;
        let mean_y = points.iter().map(|&(_, y)| y).sum::<f64>() / count;
        let sxx: f64 = points.iter().map(|&(x, _)| (x - mean_x).powi(2)).sum();
        let sxy: f64 = points.iter().map(|&(x, y)| (x - mean_x) * (y - mean_y)).sum();
        let syy: f64 = points.iter().map(|&(_, y)| (y - mean_y).powi(2)).sum();
        if points.len() < 2 || sxx == 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        let intercept = mean_y - slope * mean_x;
        let residual: f64 =
            points.iter().map(|&(x, y)| (y - (slope * x + intercept)).powi(2)).sum();
        let r2 = if syy == 0.0 { 1.0 } else { 1.0 - residual / syy };
        Some(Fit { slope, intercept, r2 })
    }

    /// The line's value at `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_a_line() {
        let fit = Fit::least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
        assert!(
            (fit.slope - 2.0).abs() < 1e-12 && (fit.intercept - 1.0).abs() < 1e-12
        );
        assert!((fit.r2 - 1.0).abs() < 1e-12);
        let noisy =
            Fit::least_squares(&[(0.0, 1.0), (1.0, 0.0), (2.0, 1.0), (3.0, 0.0)])
                .unwrap();
        assert!(noisy.r2 < 0.5);
        assert!(Fit::least_squares(&[(1.0, 1.0), (1.0, 2.0)]).is_none());
    }
}
