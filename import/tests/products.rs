//! Every product's metadata in `spec/sources/metadata/` imports into a spec that `popgen check`
//! accepts with no error and no warning, the same bytes every time; Security Token Service, the
//! smallest, is shown whole in a snapshot; and the bundled Dyvmsapi base is what the metadata
//! imports to today (re-importing changes nothing).

use std::path::{Path, PathBuf};

fn metadata(product: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/sources/metadata");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("vendored metadata")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{product}@")))
        })
        .collect();
    // Snapshot labels sort oldest first (`2024-08` before `2025-12`).
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("readable"),
            )
        })
        .collect()
}

fn import(product: &str) -> popgen_import::Imported {
    popgen_import::import(&metadata(product)).unwrap_or_else(|d| panic!("{product}: {d:#?}"))
}

fn check(product: &str, imported: &popgen_import::Imported) -> popgen_spec::Loaded {
    let texts = imported
        .files
        .iter()
        .map(|(n, t)| (format!("{product}/{n}"), t.clone()))
        .collect();
    popgen_spec::load::load_texts(texts).unwrap_or_else(|d| panic!("{product}: {d:#?}"))
}

#[test]
fn every_vendored_product_imports_and_checks_clean() {
    for (product, actions) in [
        ("dyvmsapi", 49),
        ("dysmsapi", 52),
        ("sts", 4),
        ("alidns", 210),
    ] {
        let imported = import(product);
        assert!(
            imported.warnings.is_empty(),
            "{product}: {:#?}",
            imported.warnings
        );
        let loaded = check(product, &imported);
        assert!(
            loaded.warnings.is_empty(),
            "{product}: {:#?}",
            loaded.warnings
        );
        assert_eq!(loaded.spec.actions.len(), actions, "{product}");
    }
}

#[test]
fn the_same_metadata_writes_the_same_bytes() {
    assert_eq!(import("dysmsapi").files, import("dysmsapi").files);
}

#[test]
fn the_smallest_product_whole() {
    let imported = import("sts");
    let all: String = imported
        .files
        .iter()
        .map(|(name, text)| format!("==> {name}\n{text}"))
        .collect();
    insta::assert_snapshot!(all);
}

#[test]
fn what_dyvmsapi_metadata_says_that_the_2022_reference_did_not() {
    let loaded = check("dyvmsapi", &import("dyvmsapi"));
    let spec = &loaded.spec;
    for new in [
        "BatchRobotSmartCall",
        "QueryCallDetailByTaskId",
        "QueryRobotInfoList",
        "QueryVoiceFileAuditInfo",
        "RecoverCallInConfig",
        "StopCallInConfig",
        "SingleCallByVideo",
    ] {
        assert!(spec.actions.contains_key(new), "{new}");
    }
    let tts = &spec.actions["SingleCallByTts"];
    let show = tts
        .params
        .iter()
        .find(|p| p.name == "CalledShowNumber")
        .expect("param");
    assert!(!show.required, "public-mode calls send no CalledShowNumber");
    let play = tts
        .params
        .iter()
        .find(|p| p.name == "PlayTimes")
        .expect("param");
    assert_eq!(play.prose.range.as_deref(), Some("取值范围：**1~3**"));
    assert!(
        spec.actions["SmartCall"]
            .params
            .iter()
            .any(|p| p.name == "NoiseThreshold")
    );
    assert_eq!(tts.qps.as_ref().and_then(|q| q.per_user), Some(1000));
}
