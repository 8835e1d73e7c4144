//! Order statistics every estimate here is built on.

/// The median (mean of the two middle values for an even count). Panics on an empty slice.
pub fn median(values: &[f64]) -> f64 {
    let mut buf = values.to_vec();
    median_in_place(&mut buf)
}

/// The median, reordering `buf`: O(n) selection instead of a sort (the bootstrap calls this
/// tens of thousands of times).
pub(crate) fn median_in_place(buf: &mut [f64]) -> f64 {
    assert!(!buf.is_empty(), "median of an empty sample");
    let len = buf.len();
    let mid = len / 2;
    let (lower, upper, _) = buf.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *upper;
    if len % 2 == 1 {
        return upper;
    }
    let lower_max = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lower_max + upper) / 2.0
}
