//! Writing a spec back as YAML loses nothing: every file of the bundled spec and of the fixtures,
//! written by `popgen_spec::write` and read again, is the same model, and the written text is
//! stable (writing it again gives the same bytes).

use std::path::{Path, PathBuf};

use popgen_spec::model::SpecFile;
use popgen_spec::write::to_yaml;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

#[test]
fn every_spec_file_reads_back_as_the_same_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "dyvmsapi/imported",
        "versions",
        "fixtures",
        "tests/fixtures/minimal",
        "tests/fixtures/layered/imported",
    ] {
        yaml_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "found {} files", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let file: SpecFile =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = to_yaml(&file, "written again");
        let back: SpecFile = serde_yaml::from_str(&written)
            .unwrap_or_else(|e| panic!("{} written: {e}\n{written}", path.display()));
        assert_eq!(back, file, "{}", path.display());
        assert_eq!(
            to_yaml(&back, "written again"),
            written,
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_written_bundled_spec_loads_and_checks_clean() {
    let dir = popgen_spec::bundled_dir().join("imported");
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    files.sort();
    // The base written again, the curation as it is (it is partial: no model of its own).
    let mut texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let file: SpecFile =
                serde_yaml::from_str(&std::fs::read_to_string(p).expect("readable"))
                    .expect("valid");
            (p.display().to_string(), to_yaml(&file, "written again"))
        })
        .collect();
    texts.extend(
        popgen_spec::load::read_texts(&[popgen_spec::bundled_dir().join("curation")])
            .expect("readable curation"),
    );
    let loaded = popgen_spec::load::load_texts(texts).unwrap_or_else(|d| panic!("{d:#?}"));
    let original = popgen_spec::load::load_bundled().expect("bundled");
    assert_eq!(loaded.spec.actions, original.spec.actions);
    assert_eq!(loaded.warnings.len(), original.warnings.len());
}
