//! Generator speed: the bundled spec end to end (read, check, generate, format), and the cost per
//! action on synthetic specs of 10, 100 and 1,000 actions (written by
//! `scripts/synthetic-spec.py`), to show it stays flat.
//!
//! An imported product the size of ECS: 350 actions of synthetic api-docs metadata
//! (`popgen_import::synthetic`), imported, then read, checked and generated as
//! `popgen generate DIR` does (the goal: ≤ 1 s).
//!
//! `cargo bench -p popgen --bench generate`

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use popgen::generate::{Options, generate};

// The same allocator as the `popgen` binary, so the figures are what users see.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn synthetic(n: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = root.join(format!("target/synthetic-spec-{n}"));
    let status = std::process::Command::new("python3")
        .arg(root.join("scripts/synthetic-spec.py"))
        .arg(n.to_string())
        .arg(&out)
        .status()
        .expect("python3 runs scripts/synthetic-spec.py");
    assert!(status.success(), "scripts/synthetic-spec.py failed");
    out
}

fn bundled(c: &mut Criterion) {
    let dir = popgen_spec::bundled_dir();
    c.bench_function("bundled/load+check+generate", |b| {
        b.iter(|| {
            let loaded = popgen_spec::load::load_paths(std::slice::from_ref(&dir)).expect("loads");
            black_box(generate(&loaded.spec, &Options::default()))
        })
    });
    let spec = popgen_spec::load::load_bundled().expect("loads").spec;
    c.bench_function("bundled/generate", |b| {
        b.iter(|| black_box(generate(&spec, &Options::default())))
    });
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("synthetic");
    group.sample_size(10);
    for n in [10, 100, 1000] {
        let dir = synthetic(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::new("load+check+generate", n),
            &dir,
            |b, dir| {
                b.iter(|| {
                    let loaded =
                        popgen_spec::load::load_paths(std::slice::from_ref(dir)).expect("loads");
                    black_box(generate(&loaded.spec, &Options::default()))
                })
            },
        );
    }
    group.finish();
}

/// 350 actions of synthetic metadata imported into a spec directory, as `popgen import` writes it.
fn imported_350() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = root.join("target/synthetic-import-350");
    let text = popgen_import::synthetic::metadata(350, 7);
    let imported = popgen_import::import(&[("synthetic@2020-01-01.json".to_owned(), text)])
        .expect("the synthetic metadata imports");
    std::fs::create_dir_all(&out).expect("creates the spec directory");
    for (name, text) in &imported.files {
        std::fs::write(out.join(name), text).expect("writes a spec file");
    }
    out
}

fn imported(c: &mut Criterion) {
    let dir = imported_350();
    let mut group = c.benchmark_group("imported");
    group.sample_size(10);
    group.bench_function("350 actions: load+check+generate", |b| {
        b.iter(|| {
            let loaded = popgen_spec::load::load_paths(std::slice::from_ref(&dir)).expect("loads");
            black_box(generate(&loaded.spec, &Options::default()))
        })
    });
    group.finish();
}

criterion_group!(benches, bundled, scaling, imported);
criterion_main!(benches);
