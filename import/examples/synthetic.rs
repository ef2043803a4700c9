//! Writes synthetic api-docs metadata of N actions (default 350) to stdout, for timing
//! `popgen import` and the generated crate's build at scale without shipping a product's file.
//!
//! `cargo run --release -p popgen-import --example synthetic -- 350 > /tmp/synthetic.json`

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(350);
    print!("{}", popgen_import::synthetic::metadata(n, 7));
}
