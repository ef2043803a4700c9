//! Docs speed: the whole bundled spec rendered to the HTML site and Markdown (the budget
//! is 200 ms), from a loaded spec and end to end from the YAML.
//!
//! `cargo bench -p popgen --bench docs`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use popgen::site::{Options, render};

// The same allocator as the `popgen` binary, so the figures are what users see.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bundled(c: &mut Criterion) {
    let spec = popgen_spec::load::load_bundled().expect("loads").spec;
    c.bench_function("docs/render", |b| {
        b.iter(|| black_box(render(&spec, &Options::default())))
    });
    let dir = popgen_spec::bundled_dir();
    c.bench_function("docs/load+check+render", |b| {
        b.iter(|| {
            let loaded = popgen_spec::load::load_paths(std::slice::from_ref(&dir)).expect("loads");
            black_box(render(&loaded.spec, &Options::default()))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bundled
}
criterion_main!(benches);
