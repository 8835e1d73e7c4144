use std::path::Path;

use super::*;
use crate::suite::Stdin;

const VALID: &str = r#"
name = "echo"
claim = "runtime-speed"
description = "prints its argument"
tour = true

[sizes.small]
args = ["1"]
timeout_s = 5
expected = { sha256 = "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020" }

[sizes.default]
expected = { file = "expected.txt", abs_tolerance = 1e-8 }

[[implementations]]
language = "python"
source = "echo.py"
variant = "idiomatic"

[[implementations]]
language = "go"
source = "echo.go"
variant = "optimized"
"#;

/// Writes `suite/echo/workload.toml` with `text` and the files it names; returns the manifest.
fn fixture(root: &Path, text: &str) -> std::path::PathBuf {
    let dir = root.join("suite").join("echo");
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["echo.py", "echo.go", "expected.txt"] {
        std::fs::write(dir.join(file), "1.0\n").unwrap();
    }
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, text).unwrap();
    path
}

fn error_of(text: &str) -> (String, String) {
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), text);
    let err = load(&path, "suite").unwrap_err();
    (err.to_string(), err.hint().to_string())
}

#[test]
fn a_valid_manifest_loads_completely() {
    let root = tempfile::tempdir().unwrap();
    let path = fixture(root.path(), VALID);
    let workload = load(&path, "suite").unwrap();
    assert_eq!(workload.id(), "suite/echo");
    assert_eq!(workload.claim, Claim::RuntimeSpeed);
    assert!(workload.tour);
    let small = &workload.sizes[&SizeName::Small];
    assert_eq!(small.args, ["1"]);
    assert_eq!(small.timeout, Duration::from_secs(5));
    assert!(matches!(
        small.expected,
        Expected::Exact { bytes: None, .. }
    ));
    let default = &workload.sizes[&SizeName::Default];
    assert_eq!(default.timeout, Duration::from_secs(60));
    assert!(matches!(default.expected, Expected::Tolerant { .. }));
    assert_eq!(workload.implementations.len(), 2);
    assert_eq!(workload.implementations[1].variant, Variant::Optimized);
    assert!(workload.implementations[0].source.is_absolute());
}

#[test]
fn an_unknown_field_names_the_file_line_and_fix() {
    let (message, hint) = error_of(&VALID.replace("timeout_s = 5", "timeout = 5"));
    assert!(message.contains("workload.toml:9:1"), "{message}");
    assert!(message.contains("unknown field `timeout`"), "{message}");
    assert!(hint.contains("remove or rename"), "{hint}");
}

#[test]
fn malformed_toml_is_located() {
    let (message, _) = error_of(&VALID.replace("tour = true", "tour = "));
    assert!(message.contains("workload.toml:5:"), "{message}");
}

#[test]
fn a_missing_source_file_is_named() {
    let (message, hint) = error_of(&VALID.replace("echo.go", "missing.go"));
    assert!(message.contains("missing.go does not exist"), "{message}");
    assert!(message.contains("workload.toml:22:"), "{message}");
    assert!(hint.contains("fix the path"), "{hint}");
}

#[test]
fn semantic_errors_have_hints() {
    let cases = [
        (VALID.replace("853ff937", "zz"), "is not 64 hex digits"),
        (
            VALID.replace("[sizes.default]", "[sizes.large]"),
            "no `default` size",
        ),
        (
            VALID.replace("name = \"echo\"", "name = \"other\""),
            "differs from the folder name",
        ),
        (
            VALID.replace("timeout_s = 5", "timeout_s = -1"),
            "positive number",
        ),
        (
            VALID.replace("claim = \"runtime-speed\"", "claim = \"speed\""),
            "unknown variant `speed`",
        ),
        (
            VALID.replace("language = \"go\"", "language = \"rust\""),
            "unknown variant `rust`",
        ),
        (
            VALID.replace(
                "{ file = \"expected.txt\", abs_tolerance = 1e-8 }",
                "{ abs_tolerance = 1e-8 }",
            ),
            "exactly one of `sha256` and `file`",
        ),
        (
            VALID.replace(
                "\" }\n\n[sizes.default]",
                "\", rel_tolerance = 0.1 }\n\n[sizes.default]",
            ),
            "needs the expected output itself",
        ),
    ];
    for (text, wanted) in cases {
        let (message, hint) = error_of(&text);
        assert!(message.contains(wanted), "{message} should say {wanted}");
        assert!(!hint.is_empty());
    }
}

#[test]
fn line_and_column_are_one_based() {
    assert_eq!(line_column("ab\ncd", 0), (1, 1));
    assert_eq!(line_column("ab\ncd", 4), (2, 2));
}

#[test]
fn generated_stdin_packages_and_labels() {
    let root = tempfile::tempdir().unwrap();
    let text = VALID
        .replace(
            "[sizes.default]\n",
            "[sizes.default]\nstdin = { generator = \"echo.py\", args = [\"5\"], sha256 = \"853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020\" }\n",
        )
        .replace(
            "source = \"echo.py\"\nvariant = \"idiomatic\"",
            "source = \"echo.py\"\nvariant = \"idiomatic\"\nlabel = \"plain\"\nrequirements = \"expected.txt\"\ngo_library = \"echo.go\"",
        );
    let path = fixture(root.path(), &text);
    let workload = load(&path, "suite").unwrap();
    match &workload.sizes[&SizeName::Default].stdin {
        Some(Stdin::Generated {
            generator, args, ..
        }) => {
            assert!(generator.ends_with("echo.py"));
            assert_eq!(args, &["5"]);
        }
        other => panic!("{other:?}"),
    }
    let python = &workload.implementations[0];
    assert_eq!(python.label.as_deref(), Some("plain"));
    assert!(
        python
            .requirements
            .as_ref()
            .unwrap()
            .ends_with("expected.txt")
    );
    assert!(python.go_library.as_ref().unwrap().ends_with("echo.go"));
}

#[test]
fn new_fields_are_checked() {
    let go_requirements = VALID.replace(
        "source = \"echo.go\"\nvariant = \"optimized\"",
        "source = \"echo.go\"\nvariant = \"optimized\"\nrequirements = \"expected.txt\"",
    );
    let (message, _) = error_of(&go_requirements);
    assert!(
        message.contains("`requirements` is for Python"),
        "{message}"
    );
    let bad_stdin = VALID.replace(
        "[sizes.default]\n",
        "[sizes.default]\nstdin = { generator = \"echo.py\" }\n",
    );
    let (message, hint) = error_of(&bad_stdin);
    assert!(message.contains("missing field `sha256`"), "{message}");
    assert!(hint.contains("generator"), "{hint}");
    let long_label = VALID.replace(
        "variant = \"optimized\"",
        "variant = \"optimized\"\nlabel = \"a label far too long to be a word or two\"",
    );
    let (message, _) = error_of(&long_label);
    assert!(message.contains("a word or two"), "{message}");
}
