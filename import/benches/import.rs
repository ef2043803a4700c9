//! Import speed on a synthetic product of the size of ECS (350 actions, about 2.7 MB of
//! metadata, written here so no product's file is shipped): the whole import, from JSON text to
//! YAML texts, as `popgen import` runs it.
//!
//! `cargo bench -p popgen-import`

use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let text = popgen_import::synthetic::metadata(350, 7);
    eprintln!("synthetic metadata: 350 actions, {} bytes", text.len());
    let inputs = vec![("synthetic@2020-01-01.json".to_owned(), text)];
    let mut g = c.benchmark_group("import");
    g.sample_size(20);
    g.bench_function("350 actions", |b| {
        b.iter(|| popgen_import::import(&inputs).expect("the synthetic metadata imports"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
