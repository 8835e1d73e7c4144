//! The house as built: each module's `crate::…` imports may name its own layer or one below,
//! never one above. The layers are the data flow of `../shared/STYLE.md`, written down once
//! here: commands on top, the command line resolved into settings, the report and advice over
//! the store, the store over the runner, the runner over the plan and its steps, what a case
//! is below all of them, the building blocks below that, shared helpers at the bottom.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top first. A module not listed is an error: a new module takes its place here on purpose.
const LAYERS: &[&[&str]] = &[
    &["main", "commands", "lib"],
    &["cli", "settings"],
    &["article_page", "advise"],
    &["report"],
    &["store", "progress"],
    &["runner"],
    &["plan", "backend", "typecheck", "input", "artifact", "venv"],
    &["case"],
    &["workloads"],
    &[
        "suite",
        "manifest",
        "toolchain",
        "load",
        "verify",
        "measure",
        "units",
        "codesize",
        "machine",
        "interrupt",
        "leftovers",
        "server",
    ],
    &[
        "stats",
        "text",
        "names",
        "language",
        "error",
        "childenv",
        "proctable",
        "digest",
    ],
];

/// Modules that only tests compile: they may use anything.
const TEST_ONLY: &[&str] = &["testing", "layers"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// `src/report/html/bars.rs` and `src/report.rs` are both of module `report`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_string()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn is_test_file(file: &Path) -> bool {
    let name = file.file_name().unwrap().to_string_lossy();
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || file.components().any(|c| c.as_os_str() == "tests")
}

/// The modules `code` names as `crate::NAME`, in code before its first `#[cfg(test)]` (a
/// file's tests may reach anywhere), comments left out.
fn imports(code: &str) -> BTreeSet<String> {
    let code: String = code
        .lines()
        .take_while(|line| !line.trim_start().starts_with("#[cfg(test)]"))
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            // `use crate::{a, b::{c, d}}`: the first name of each top-level part.
            Some(list) => {
                let mut depth = 0;
                let mut part = 0;
                for (i, c) in list.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            names.insert(identifier(list[part..i].trim()));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            names.insert(identifier(list[part..i].trim()));
                            part = i + 1;
                        }
                        _ => {}
                    }
                }
            }
            None => {
                names.insert(identifier(rest));
            }
        }
    }
    names.remove("");
    names
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn no_module_imports_one_from_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in files.iter().filter(|f| !is_test_file(f)) {
        let module = module_of(&src, file);
        if TEST_ONLY.contains(&module.as_str()) {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no layer: add it to LAYERS in src/layers.rs",
                file.display()
            ));
            continue;
        };
        let code = std::fs::read_to_string(file).unwrap();
        for name in imports(&code) {
            if name == module || TEST_ONLY.contains(&name.as_str()) {
                continue;
            }
            match layer_of(&name) {
                Some(theirs) if theirs < own => wrong.push(format!(
                    "{}: `{module}` (layer {own}) imports `crate::{name}` from layer {theirs}, above it",
                    file.display()
                )),
                Some(_) => {}
                // A crate-level item that is no module (a macro, a re-export).
                None => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run back up the flow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn imports_are_read_from_use_lines_and_paths_but_not_comments_or_tests() {
    let code = "use crate::case::{Group, Rate};\nuse crate::{store, text::last_lines};\n\
                // crate::report in a comment\nfn f() { crate::units::format_count(1); }\n\
                #[cfg(test)]\nmod tests { use crate::commands; }\n";
    let found: Vec<String> = imports(code).into_iter().collect();
    assert_eq!(found, ["case", "store", "text", "units"]);
}
