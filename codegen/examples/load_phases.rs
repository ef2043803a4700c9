//! Times the phases of loading a spec: `cargo run --release -p popgen --example load_phases -- DIR`.
use std::time::Instant;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("a spec directory"));
    let files = popgen_spec::load::expand(&[dir]).expect("files");
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f.display().to_string(),
                std::fs::read_to_string(f).expect("read"),
            )
        })
        .collect();
    let t = Instant::now();
    let trees: Vec<_> = texts
        .iter()
        .map(|(_, t)| popgen_spec::yaml::parse(t).expect("yaml").0)
        .collect();
    println!("yaml {:?}", t.elapsed());
    let t = Instant::now();
    for tree in &trees {
        let _ = popgen_spec::shape::check(tree, popgen_spec::schema::spec_file_schema());
    }
    println!("shape {:?}", t.elapsed());
    let t = Instant::now();
    for tree in &trees {
        let _: popgen_spec::SpecFile = serde_json::from_value(tree.to_json()).expect("serde");
    }
    println!("serde {:?}", t.elapsed());
    let t = Instant::now();
    let loaded = popgen_spec::load::load_texts(texts).expect("loads");
    println!("whole load {:?}", t.elapsed());
    let t = Instant::now();
    let d = popgen_spec::check::check(&loaded.spec);
    println!("check {:?} ({} diagnostics)", t.elapsed(), d.len());
}
