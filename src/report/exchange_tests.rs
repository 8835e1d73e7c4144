//! A run moved to another database (`versus export`, `versus import`) loses nothing: exported
//! again it is the same file but for its id and its origin, and its report is the same report.

use std::path::Path;

use super::tests::stored_run;
use super::*;
use crate::report::Format;
use crate::store::{self, Store, StoredRun};

fn exported(run: &StoredRun) -> serde_json::Value {
    let mut out = Vec::new();
    store::write_export(run, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn rendered(run: &StoredRun, format: Format) -> String {
    let mut out = Vec::new();
    render(run, format, None, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The scripted run, with what the runner stores that its script does not make: iterations of
/// one process, and times whose nanoseconds are not round.
fn rich_run() -> StoredRun {
    let mut run = stored_run();
    run.cases[0].in_process_s = vec![0.123_456_789, 0.000_000_001, 86_400.000_000_007];
    run.cases[1].samples[0].wall_s = 1_234.567_890_123;
    run.cases[1].samples[0].user_s = 0.000_000_003;
    run
}

#[test]
fn an_exported_run_imports_into_another_database_without_loss() {
    let here = Store::in_memory().unwrap();
    // A run that is not the first, so that the import's fresh id differs from its own.
    here.add_run(&rich_run()).unwrap();
    let original = here.load_run(here.add_run(&rich_run()).unwrap()).unwrap();
    assert_eq!(original.id, 2);
    assert_eq!(
        original.cases[0].in_process_s,
        rich_run().cases[0].in_process_s
    );
    assert_eq!(original.cases[1].samples, rich_run().cases[1].samples);
    assert!(!original.typing.is_empty());
    let file = exported(&original);
    assert_eq!(file["schema_version"], store::EXPORT_SCHEMA);

    let path = Path::new("run.json");
    let mut read = store::read_export(path, &file.to_string()).unwrap();
    read.imported_from = Some(store::origin(&read, path));
    let there = Store::in_memory().unwrap();
    let imported = there.load_run(there.add_run(&read).unwrap()).unwrap();
    assert_eq!(imported.id, 1);
    let origin = imported.imported_from.clone().unwrap();
    assert_eq!((origin.run_id, origin.file.as_str()), (2, "run.json"));

    // Exported again: the same but for the id and the origin.
    let mut again = exported(&imported);
    assert_eq!(again["run"]["id"], 1);
    assert_eq!(again["run"]["imported_from"]["run_id"], 2);
    again["run"]["id"] = file["run"]["id"].clone();
    again["run"]
        .as_object_mut()
        .unwrap()
        .remove("imported_from");
    assert_eq!(again, file);

    // And so is its report, once the run's own number and its origin line are put aside.
    let mut renumbered = imported.clone();
    renumbered.id = original.id;
    renumbered.imported_from = None;
    for format in [
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Html,
    ] {
        let of_original = rendered(&original, format);
        assert_eq!(of_original, rendered(&renumbered, format), "{format:?}");
        assert!(of_original.contains("cpu/nbody"));
        // The imported run itself says where it was measured (CSV rows are per case).
        if format == Format::Csv {
            continue;
        }
        let of_imported = rendered(&imported, format);
        assert!(
            of_imported.contains("\"run_id\": 2") || of_imported.contains("imported: run 2 of "),
            "{format:?} does not name the origin"
        );
    }
}

#[test]
fn a_run_imported_twice_keeps_its_first_origin() {
    let mut run = stored_run();
    let first = store::origin(&run, Path::new("a.json"));
    assert_eq!(first.run_id, run.id);
    run.imported_from = Some(first.clone());
    run.id = 9;
    assert_eq!(store::origin(&run, Path::new("b.json")), first);
}

#[test]
fn a_newer_or_broken_export_is_refused_naming_the_file() {
    let path = Path::new("/tmp/run.json");
    let mut file = exported(&stored_run());
    let message = |text: &str| store::read_export(path, text).unwrap_err().to_string();

    file["schema_version"] = (store::EXPORT_SCHEMA + 1).into();
    let newer = message(&file.to_string());
    assert!(newer.starts_with("/tmp/run.json: "), "{newer}");
    assert!(newer.contains("newer versus"), "{newer}");

    file["schema_version"] = store::EXPORT_SCHEMA.into();
    file["run"]["cases"][0]["verdict"] = "splendid".into();
    let unknown = message(&file.to_string());
    assert!(unknown.contains("splendid"), "{unknown}");

    file["run"]["cases"][0]["verdict"] = "ok".into();
    file["run"]["cases"][0]["samples"][0]["wall_s"] = (-1.0).into();
    let negative = message(&file.to_string());
    assert!(negative.contains("a time of -1 s"), "{negative}");

    assert!(message("{\"run\": {}}").contains("no `schema_version`"));
    assert!(message("{\"schema_version\": 1}").contains("missing field `run`"));
    let cut = &file.to_string()[..200];
    assert!(message(cut).contains("not JSON"), "{}", message(cut));
}
