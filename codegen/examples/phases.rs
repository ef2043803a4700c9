//! Times the phases of `popgen generate` on a spec directory: `cargo run --release -p popgen --example phases -- DIR`.
use std::time::Instant;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("a spec directory"));
    let t = Instant::now();
    let loaded = popgen_spec::load::load_paths(&[dir]).expect("loads");
    let load = t.elapsed();
    let t = Instant::now();
    let api = popgen::ir::build(&loaded.spec);
    let ir = t.elapsed();
    let t = Instant::now();
    let tokens: Vec<_> = api
        .actions
        .iter()
        .map(|a| popgen::emit::action(&loaded.spec, a))
        .collect();
    let emit = t.elapsed();
    let t = Instant::now();
    let mut n = 0;
    for tk in tokens {
        let file: syn::File = syn::parse2(tk).expect("parses");
        n += prettyplease::unparse(&file).len();
    }
    let format = t.elapsed();
    let t = Instant::now();
    let _ = popgen::generate::spec_hash(&loaded.spec);
    let hash = t.elapsed();
    println!(
        "load+check {load:?}  ir {ir:?}  emit {emit:?}  parse+format {format:?} ({n} bytes)  hash {hash:?}"
    );
}
