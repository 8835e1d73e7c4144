//! Numbers for people: durations with a unit that keeps three significant digits, sizes in
//! binary units, ratios with their interval.

/// `945 µs`, `12.3 ms`, `1.24 s`; below a microsecond (a cost per unit of work) `1.21 ns` or
/// `31.0 ps`.
pub fn format_seconds(seconds: f64) -> String {
    let (value, unit) = if seconds >= 1.0 {
        (seconds, "s")
    } else if seconds >= 1e-3 {
        (seconds * 1e3, "ms")
    } else if seconds >= 1e-6 || seconds == 0.0 {
        (seconds * 1e6, "µs")
    } else if seconds >= 1e-9 {
        (seconds * 1e9, "ns")
    } else {
        (seconds * 1e12, "ps")
    };
    let text = three_digits(value);
    // 999.96 µs rounds to "1000": name it in the next unit instead.
    if unit != "s" && text.parse::<f64>().is_ok_and(|v| v >= 1000.0) {
        let scale = match unit {
            "ms" => 1.0,
            "µs" => 1e-3,
            "ns" => 1e-6,
            _ => 1e-9,
        };
        return format_seconds(value.round() / 1000.0 * scale);
    }
    format!("{text} {unit}")
}

/// `1.6 MiB`, `512 KiB`, `2.10 GiB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        return format!("{bytes} B");
    }
    format!("{} {}", three_digits(value), UNITS[unit])
}

/// `950/s`, `12.3k/s`, `4.56M/s`.
pub fn format_rate(per_second: f64) -> String {
    let (value, unit) = if per_second >= 1e6 {
        (per_second / 1e6, "M")
    } else if per_second >= 1e3 {
        (per_second / 1e3, "k")
    } else {
        (per_second, "")
    };
    format!("{}{unit}/s", three_digits(value))
}

/// `1,000,000`.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `66.0× [64.1, 67.9]`.
pub fn format_ratio(ratio: f64, low: f64, high: f64) -> String {
    format!(
        "{}× [{}, {}]",
        three_digits(ratio),
        three_digits(low),
        three_digits(high)
    )
}

/// Three significant digits, without scientific notation.
pub fn three_digits(value: f64) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let decimals = |magnitude: f64| -> usize {
        if magnitude >= 100.0 {
            0
        } else if magnitude >= 10.0 {
            1
        } else if magnitude >= 1.0 {
            2
        } else {
            // 0.361, 0.0261, 0.00123: three significant digits however small.
            (2.0 - magnitude.log10().floor()).clamp(3.0, 12.0) as usize
        }
    };
    let first = format!("{value:.*}", decimals(value.abs()));
    // 99.99 rounds to "100.0": format again with the band of the rounded value.
    let rounded: f64 = first.parse().unwrap_or(value);
    format!("{value:.*}", decimals(rounded.abs()))
}

/// " (excluding 113 MiB of the standard library's tests, …)": what a toolchain's deploy size
/// left out; empty when it knows nothing left out (Go, or a run stored before the breakdown).
pub fn format_excluded(toolchain: &crate::toolchain::Toolchain) -> String {
    toolchain
        .runtime_breakdown
        .as_ref()
        .and_then(|r| r.describe_left_out(format_bytes))
        .map_or(String::new(), |text| format!(" (excluding {text})"))
}

/// `host · AMD EPYC · 2 cores · 23.5 GiB · Linux 6.1.0 · Debian GNU/Linux 12`: what tells two
/// machines apart in a table headed by them.
pub fn fingerprint(env: &crate::machine::Environment) -> String {
    let host = if env.hostname.is_empty() {
        "unnamed host"
    } else {
        &env.hostname
    };
    format!(
        "{host} · {} · {} cores · {} · Linux {} · {}",
        env.cpu_model,
        env.cores,
        format_bytes(env.memory_bytes),
        env.kernel,
        env.os
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(format_seconds(0.000_945), "945 µs");
        assert_eq!(format_seconds(0.012_34), "12.3 ms");
        assert_eq!(format_seconds(1.2449), "1.24 s");
        assert_eq!(format_seconds(123.4), "123 s");
        assert_eq!(format_seconds(0.000_099_999_9), "100 µs");
        assert_eq!(format_seconds(0.0), "0 µs");
        assert_eq!(format_seconds(0.000_999_96), "1.00 ms");
        assert_eq!(format_seconds(0.999_96), "1.00 s");
        assert_eq!(format_seconds(1.214e-9), "1.21 ns");
        assert_eq!(format_seconds(3.1e-11), "31.0 ps");
        assert_eq!(format_seconds(0.000_000_999_96), "1.00 µs");
    }

    #[test]
    fn rates_and_counts_read_at_a_glance() {
        assert_eq!(format_rate(950.0), "950/s");
        assert_eq!(format_rate(12_345.0), "12.3k/s");
        assert_eq!(format_rate(4_560_000.0), "4.56M/s");
        assert_eq!(format_count(1), "1");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1_000_000), "1,000,000");
    }

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(1_677_722), "1.60 MiB");
        assert_eq!(format_bytes(200 << 20), "200 MiB");
    }

    #[test]
    fn ratios_show_their_interval() {
        assert_eq!(format_ratio(66.04, 64.12, 67.93), "66.0× [64.1, 67.9]");
        assert_eq!(format_ratio(0.3612, 0.35, 0.372), "0.361× [0.350, 0.372]");
        assert_eq!(
            format_ratio(0.02612, 0.0219, 0.0304),
            "0.0261× [0.0219, 0.0304]"
        );
    }
}
