//! What a program reports of itself: a `name value` file per run, in a private folder.

const MAX_METRICS: usize = 256;
const MAX_METRICS_BYTES: u64 = 64 * 1024;

/// The folder of a run's metrics files: made with mode 0700 under a fresh name (mkdir fails
/// rather than follow anything planted there), so no other user can put a file or a symlink
/// where a program will write; removed with what is left in it when the run ends.
pub(super) struct MetricsDir(pub(super) std::path::PathBuf);

impl MetricsDir {
    pub(super) fn create() -> anyhow::Result<MetricsDir> {
        use std::os::unix::fs::DirBuilderExt;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path =
            std::env::temp_dir().join(format!("versus-metrics-{}-{nanos:09}", std::process::id()));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
        Ok(MetricsDir(path))
    }
}

impl Drop for MetricsDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh file name in `dir` for one run's metrics.
pub(super) fn metrics_file(dir: &std::path::Path) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    dir.join(format!(
        "metrics-{}.txt",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ))
}

/// The metrics a run wrote (and the file removed); lines that are not `name value` with a
/// name of `[a-z0-9_.]` and a finite number are ignored.
pub(super) fn read_metrics(path: &std::path::Path) -> Vec<(String, f64)> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        // Far more than MAX_METRICS lines need; a runaway program cannot fill versus's memory.
        let _ = file.take(MAX_METRICS_BYTES).read_to_end(&mut bytes);
    }
    let _ = std::fs::remove_file(path);
    parse_metrics(&String::from_utf8_lossy(&bytes))
}

pub(super) fn parse_metrics(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.trim().split_once(char::is_whitespace)?;
            let valid_name = !name.is_empty()
                && name.len() <= 64
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            let value: f64 = value.trim().parse().ok()?;
            (valid_name && value.is_finite()).then(|| (name.to_string(), value))
        })
        .take(MAX_METRICS)
        .collect()
}
