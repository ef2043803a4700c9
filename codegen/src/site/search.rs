//! The client-side search index, built at generation time: one entry per action, parameter
//! (in wire form, `MenuKeyMap.N.Key`), receipt message, code table and priced business, as a small
//! script that sets `window.POPGEN_SEARCH` (a script, not JSON, so the site also works opened
//! from disk).

use serde::Serialize;

use super::view::Site;

#[derive(Serialize)]
struct Entry<'a> {
    /// What is found (`IvrCall`, `MenuKeyMap.N.Key`).
    n: &'a str,
    /// Kind: `action`, `param`, `receipt`, `codes`, `price` (a business of the price list).
    k: &'static str,
    /// One line of context (the summary, or the action a param belongs to).
    s: String,
    /// Link, relative to the site root.
    u: String,
}

/// The index script.
pub fn index_js(site: &Site) -> String {
    let mut entries = Vec::new();
    for a in &site.actions {
        entries.push(Entry {
            n: &a.name,
            k: "action",
            s: a.summary_line(),
            u: format!("actions/{}.html", a.name),
        });
    }
    for a in &site.actions {
        for p in &a.params {
            entries.push(Entry {
                n: &p.wire,
                k: "param",
                s: format!("{} · {}", a.name, p.summary_line()),
                u: format!("actions/{}.html#{}", a.name, p.anchor),
            });
        }
    }
    for r in &site.receipts {
        entries.push(Entry {
            n: &r.name,
            k: "receipt",
            s: r.summary_line(),
            u: format!("receipts.html#{}", r.name),
        });
    }
    for t in &site.tables {
        entries.push(Entry {
            n: &t.id,
            k: "codes",
            s: t.title_line(),
            u: format!("codes.html#{}", t.id),
        });
    }
    for (id, title) in site.pricing.iter().flat_map(|p| p.businesses()) {
        entries.push(Entry {
            n: id,
            k: "price",
            s: title,
            u: format!("pricing.html#{id}"),
        });
    }
    let json = serde_json::to_string(&entries).expect("the index serializes");
    // `</` cannot end a script element when the index is inlined somewhere one day.
    format!("window.POPGEN_SEARCH = {};\n", json.replace("</", "<\\/"))
}
