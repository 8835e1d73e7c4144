//! Bad manifests: counts and lengths at their bounds, and generated manifests (valid-ish TOML
//! with random keys, values and types, and random bytes) that must never panic the parser and
//! whose every error names the file.

use proptest::prelude::*;

use super::tests::{VALID, fixture};
use super::*;

fn load_text(
    text: &str,
) -> (
    std::path::PathBuf,
    Result<Workload, UserError>,
    tempfile::TempDir,
) {
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), text);
    let loaded = load(&path, "suite");
    (path, loaded, root)
}

fn with_label(label: &str) -> String {
    VALID.replace(
        "variant = \"optimized\"",
        &format!("variant = \"optimized\"\nlabel = \"{label}\""),
    )
}

#[test]
fn a_label_is_counted_in_characters_not_bytes() {
    let (_, loaded, _dir) = load_text(&with_label(&"é".repeat(16)));
    let workload = loaded.expect("16 characters are within 1 to 30");
    assert_eq!(
        workload.implementations[1].label.as_deref(),
        Some("é".repeat(16).as_str())
    );
    let (_, loaded, _dir) = load_text(&with_label(&"é".repeat(30)));
    assert!(loaded.is_ok(), "30 characters are within 1 to 30");
    let (_, loaded, _dir) = load_text(&with_label(&"é".repeat(31)));
    let Err(err) = loaded else {
        panic!("31 characters are too many");
    };
    assert!(err.to_string().contains("1 to 30 characters"), "{err}");
}

fn with_size_key(line: &str) -> String {
    VALID.replace("[sizes.default]\n", &format!("[sizes.default]\n{line}\n"))
}

#[test]
fn runs_and_warmup_are_bounded_and_the_error_names_the_file_and_key() {
    for (line, wanted) in [
        ("runs = 0", "runs must be 1 to 10000"),
        ("runs = 10001", "runs must be 1 to 10000"),
        ("runs = 9223372036854775807", "runs must be 1 to 10000"),
        ("warmup = 1001", "warmup must be 0 to 1000"),
        ("warmup = 9223372036854775807", "warmup must be 0 to 1000"),
    ] {
        let (path, loaded, _dir) = load_text(&with_size_key(line));
        let err = loaded.err().unwrap_or_else(|| panic!("{line} is refused"));
        let text = err.to_string();
        assert!(text.starts_with(&path.display().to_string()), "{text}");
        assert!(text.contains(wanted), "{line}: {text}");
    }
    for line in ["runs = 10000", "warmup = 1000", "warmup = 0", "runs = 1"] {
        let (_, loaded, _dir) = load_text(&with_size_key(line));
        assert!(
            loaded.is_ok(),
            "{line}: {:?}",
            loaded.err().map(|e| e.to_string())
        );
    }
}

#[test]
fn an_error_at_a_multibyte_character_has_a_line_and_column() {
    assert_eq!(line_column("é = 1\nné", 8), (2, 2));
    // An offset inside a character is taken as that character's start, never a panic.
    assert_eq!(line_column("ééé", 3), (1, 2));
    assert_eq!(line_column("ab", 99), (1, 3));
}

/// The keys a manifest knows, at every level, and a few it does not.
const KEYS: &[&str] = &[
    "name",
    "claim",
    "description",
    "tour",
    "metric",
    "server",
    "args",
    "stdin",
    "timeout_s",
    "expected",
    "sweep",
    "ladder",
    "runs",
    "warmup",
    "load",
    "language",
    "source",
    "variant",
    "label",
    "backed_by",
    "requirements",
    "go_library",
    "mistake_line",
    "env",
    "sha256",
    "file",
    "text",
    "abs_tolerance",
    "rel_tolerance",
    "generator",
    "work",
    "tasks",
    "workers",
    "typing",
    "backend",
    "connections",
    "duration_s",
    "warmup_s",
    "rates",
    "nosuch",
    "é",
    "",
];

const HEADERS: &[&str] = &[
    "[sizes.default]",
    "[sizes.small]",
    "[sizes.large]",
    "[sizes.ladder]",
    "[sizes.tour]",
    "[sizes.nosuch]",
    "[[implementations]]",
    "[backend]",
    "[typing]",
    "[sizes.default.expected]",
    "[sizes.default.load]",
];

/// A TOML value of any type, including the awkward ones (huge, negative, NaN, control
/// characters, nested tables).
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(-1),
            Just(i64::MAX),
            Just(i64::MIN)
        ]
        .prop_map(|n| n.to_string()),
        prop_oneof![
            Just("nan".to_string()),
            Just("inf".to_string()),
            Just("-inf".to_string()),
            Just("1e308".to_string()),
            Just("-0.0".to_string()),
            Just("0.5".to_string()),
        ],
        any::<bool>().prop_map(|b| b.to_string()),
        prop::sample::select(KEYS).prop_map(|k| format!("{k:?}")),
        "\\PC{0,12}".prop_map(|s| format!("{s:?}")),
        prop_oneof![
            Just("\"\\u001b]0;x\\u0007\"".to_string()),
            Just("\"../../etc/passwd\"".to_string()),
            Just("\"up-to-twice-the-cores\"".to_string()),
            Just("\"{tasks}\"".to_string()),
            Just("\"name^3\"".to_string()),
            Just("\"\"".to_string()),
        ],
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..3).prop_map(|kv| {
                let fields: Vec<String> = kv.iter().map(|(k, v)| format!("{k:?} = {v}")).collect();
                format!("{{ {} }}", fields.join(", "))
            }),
        ]
    })
}

/// An edit of [`VALID`]: a line replaced, inserted or removed.
#[derive(Debug, Clone)]
enum Edit {
    /// Keep the line's key, give it another value (of any type).
    Revalue(usize, String),
    Insert(usize, String),
    Remove(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let line = prop_oneof![
        3 => (prop::sample::select(KEYS), value()).prop_map(|(k, v)| format!("{k:?} = {v}")),
        1 => prop::sample::select(HEADERS).prop_map(str::to_string),
        1 => "\\PC{0,20}",
    ];
    prop_oneof![
        (0..40usize, value()).prop_map(|(at, v)| Edit::Revalue(at, v)),
        (0..40usize, line).prop_map(|(at, l)| Edit::Insert(at, l)),
        (0..40usize).prop_map(Edit::Remove),
    ]
}

fn edited(edits: &[Edit]) -> String {
    let mut lines: Vec<String> = VALID.lines().map(str::to_string).collect();
    for edit in edits {
        let len = lines.len().max(1);
        match edit {
            Edit::Revalue(at, value) => {
                if let Some(line) = lines.get_mut(at % len) {
                    if let Some((key, _)) = line.split_once(" = ") {
                        *line = format!("{key} = {value}");
                    }
                }
            }
            Edit::Insert(at, line) => lines.insert(at % (lines.len() + 1), line.clone()),
            Edit::Remove(at) => {
                if !lines.is_empty() {
                    lines.remove(at % len);
                }
            }
        }
    }
    lines.join("\n")
}

/// Loads `bytes` as a manifest: it may fail, but never panics, and a failure names the file.
fn loads_or_names_the_file(bytes: &[u8]) -> Result<(), TestCaseError> {
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), "");
    std::fs::write(&path, bytes).unwrap();
    if let Err(err) = load(&path, "suite") {
        let text = err.to_string();
        prop_assert!(
            text.starts_with(&path.display().to_string()),
            "the error does not name the file: {text}"
        );
        prop_assert!(!err.hint().to_string().is_empty(), "no hint: {text}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn an_edited_manifest_never_panics_and_its_errors_name_the_file(
        edits in prop::collection::vec(edit(), 1..5)
    ) {
        loads_or_names_the_file(edited(&edits).as_bytes())?;
    }

    #[test]
    fn random_bytes_never_panic_and_their_errors_name_the_file(
        bytes in prop::collection::vec(any::<u8>(), 0..200)
    ) {
        loads_or_names_the_file(&bytes)?;
    }

    #[test]
    fn random_key_value_documents_never_panic(
        lines in prop::collection::vec(
            prop_oneof![
                (prop::sample::select(KEYS), value()).prop_map(|(k, v)| format!("{k:?} = {v}")),
                prop::sample::select(HEADERS).prop_map(str::to_string),
            ],
            0..12,
        )
    ) {
        loads_or_names_the_file(lines.join("\n").as_bytes())?;
    }
}

#[test]
fn two_implementations_that_would_be_identical_rows_are_refused() {
    let twice = VALID.replace(
        "variant = \"optimized\"\n",
        "variant = \"optimized\"\n\n[[implementations]]\nlanguage = \"go\"\nsource = \"echo.go\"\nvariant = \"optimized\"\n",
    );
    let (path, loaded, _dir) = load_text(&twice);
    let Err(err) = loaded else {
        panic!("two go optimized implementations without a label are refused");
    };
    let text = err.to_string();
    assert!(text.starts_with(&path.display().to_string()), "{text}");
    assert!(
        text.contains("a second go optimized implementation without a label"),
        "{text}"
    );
    assert!(err.hint().to_string().contains("distinct `label`"));
    let labelled = twice.replacen(
        "variant = \"optimized\"\n",
        "variant = \"optimized\"\nlabel = \"first\"\n",
        1,
    );
    let (_, loaded, _dir) = load_text(&labelled);
    assert!(loaded.is_ok(), "{:?}", loaded.err().map(|e| e.to_string()));
}
