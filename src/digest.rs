//! SHA-256 digests: of a run's stdout (streamed), of sources (for the build cache), of the suite.

use std::fmt;
use std::fs;
use std::io;
use std::path::Path;

use sha2::{Digest as _, Sha256};

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    /// Parses 64 hex digits (either case).
    pub fn from_hex(text: &str) -> Option<Digest> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Digest(out))
    }

    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The first 12 hex digits, for messages.
    pub fn short(&self) -> String {
        self.hex()[..12].to_string()
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.short())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

/// The SHA-256 of a file's bytes, as `sha256sum` prints it, read in chunks.
pub fn of_file(path: &Path) -> io::Result<Digest> {
    use std::io::Read;
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(Digest(hasher.finalize().into()));
        }
        hasher.update(&buf[..n]);
    }
}

/// A running SHA-256 over several inputs (files, names, versions), for cache keys.
#[derive(Default)]
pub struct Hasher(Sha256);

impl Hasher {
    pub fn new() -> Hasher {
        Hasher(Sha256::new())
    }

    pub fn update(&mut self, bytes: &[u8]) -> &mut Self {
        // Length-prefix every field so ("ab","c") and ("a","bc") differ.
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn update_str(&mut self, text: &str) -> &mut Self {
        self.update(text.as_bytes())
    }

    /// Adds a file, or every file below a folder in name order (with relative names).
    pub fn update_path(&mut self, path: &Path) -> io::Result<&mut Self> {
        if path.is_dir() {
            let mut files = Vec::new();
            collect_files(path, SKIP_CACHES, &mut files)?;
            files.sort();
            for file in files {
                let relative = file.strip_prefix(path).unwrap_or(&file);
                self.update_str(&relative.to_string_lossy());
                self.update(&fs::read(&file)?);
            }
        } else {
            self.update(&fs::read(path)?);
        }
        Ok(self)
    }

    pub fn finish(self) -> Digest {
        Digest(self.0.finalize().into())
    }
}

/// Caches that programs write next to their sources: not part of a program.
pub const SKIP_CACHES: &[&str] = &["__pycache__"];

/// Every regular file below `dir`, skipping folders with one of the `skip` names.
pub fn collect_files(
    dir: &Path,
    skip: &[&str],
    out: &mut Vec<std::path::PathBuf>,
) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if !skip.iter().any(|s| entry.file_name() == *s) {
                collect_files(&path, skip, out)?;
            }
        } else if file_type.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Total size in bytes of a file, or of every file below a folder (without the `skip` folders).
pub fn size_of_path(path: &Path, skip: &[&str]) -> io::Result<u64> {
    if path.is_dir() {
        let mut files = Vec::new();
        collect_files(path, skip, &mut files)?;
        files.iter().map(|f| Ok(fs::metadata(f)?.len())).sum()
    } else {
        Ok(fs::metadata(path)?.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let digest = Digest::of(b"hello, world\n");
        assert_eq!(
            digest.hex(),
            "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020"
        );
        assert_eq!(Digest::from_hex(&digest.hex().to_uppercase()), Some(digest));
        assert_eq!(Digest::from_hex("abc"), None);
        assert_eq!(Digest::from_hex(&"zz".repeat(32)), None);
    }

    #[test]
    fn hasher_separates_fields() {
        let mut a = Hasher::new();
        a.update_str("ab").update_str("c");
        let mut b = Hasher::new();
        b.update_str("a").update_str("bc");
        assert_ne!(a.finish(), b.finish());
    }
}
