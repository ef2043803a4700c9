//! Criterion benchmarks: loading specs whose mappings have many keys, which must take time
//! linear in the number of keys (the duplicate-key check and every diagnostic's lookup of its
//! spec path were once a linear search each). Run: `cargo bench -p popgen-spec --bench load`;
//! compare the 10,000 and 40,000 rows of a group: four times the keys, four times the time.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use popgen_spec::load::load_texts;

/// `n` keys in one mapping, none of them known: one error each.
fn unknown_keys(n: usize) -> Vec<(String, String)> {
    let text: String = (0..n).map(|i| format!("k{i}: 1\n")).collect();
    vec![("keys.yaml".into(), text)]
}

/// The minimal spec with `n` named enums: a valid spec, so every stage runs.
fn many_enums(n: usize) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let mut texts = popgen_spec::load::read_texts(&[dir]).expect("the minimal spec is readable");
    let mut enums = String::from("enums:\n");
    for i in 0..n {
        enums.push_str(&format!(
            "  E{i}:\n    description: {{en: e.}}\n    values:\n      - {{value: A, meaning: {{en: a.}}}}\n"
        ));
    }
    texts.push(("enums.yaml".into(), enums));
    texts
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("many keys");
    group.sample_size(10);
    for n in [10_000, 40_000] {
        let keys = unknown_keys(n);
        group.bench_with_input(BenchmarkId::new("unknown keys", n), &keys, |b, texts| {
            b.iter(|| load_texts(black_box(texts.clone())).unwrap_err())
        });
        let enums = many_enums(n);
        group.bench_with_input(BenchmarkId::new("named enums", n), &enums, |b, texts| {
            b.iter(|| load_texts(black_box(texts.clone())).expect("loads"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
