//! Rust names for API names: `CalledShowNumber` → `called_show_number`, `RUNNING` → `Running`,
//! `isv.BUSINESS_LIMIT_CONTROL` → `IsvBusinessLimitControl`; keywords become raw identifiers.

use std::collections::BTreeSet;

/// Splits an API name into lower-case words at case changes, digits and punctuation:
/// `ASRModelId` → `asr model id`, `QueryRobotv2AllList` → `query robotv2 all list`.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case`, a raw identifier when it is a keyword.
pub fn snake(name: &str) -> String {
    let mut s = words(name).join("_");
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// `UpperCamelCase`; a leading digit gets a `V` prefix (`"0"` → `V0`).
pub fn camel(name: &str) -> String {
    let mut s: String = words(name)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// An identifier token for a snake-case name, raw (`r#type`) when it is a keyword.
pub fn ident(name: &str) -> proc_macro2::Ident {
    if KEYWORDS.contains(&name) {
        if matches!(name, "self" | "super" | "crate") {
            return proc_macro2::Ident::new(&format!("{name}_"), proc_macro2::Span::call_site());
        }
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// Hands out unique names: the first request for a name gets it, later ones get a suffix.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// Reserves `wanted`, or `wanted2`, `wanted3`... when it is taken.
    pub fn unique(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        (2..)
            .map(|n| format!("{wanted}{n}"))
            .find(|c| self.taken.insert(c.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case() {
        assert_eq!(snake("CalledShowNumber"), "called_show_number");
        assert_eq!(snake("ASRModelId"), "asr_model_id");
        assert_eq!(snake("QueryRobotv2AllList"), "query_robotv2_all_list");
        assert_eq!(snake("TtsParam"), "tts_param");
        assert_eq!(snake("konwledgeCount"), "konwledge_count");
        assert_eq!(snake("call_id"), "call_id");
        assert_eq!(snake("Type"), "type");
        assert_eq!(
            snake("isv.BUSINESS_LIMIT_CONTROL"),
            "isv_business_limit_control"
        );
    }

    #[test]
    fn camel_case() {
        assert_eq!(camel("RUNNING"), "Running");
        assert_eq!(camel("roundRobin"), "RoundRobin");
        assert_eq!(camel("0"), "V0");
        assert_eq!(
            camel("isv.BUSINESS_LIMIT_CONTROL"),
            "IsvBusinessLimitControl"
        );
        assert_eq!(camel("Throttling.User"), "ThrottlingUser");
        assert_eq!(camel("100008.0"), "V1000080");
        assert_eq!(camel("EXCUTING"), "Excuting");
    }

    #[test]
    fn keywords_become_raw() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("status").to_string(), "status");
    }

    #[test]
    fn namer_suffixes() {
        let mut n = Namer::default();
        assert_eq!(n.unique("Data"), "Data");
        assert_eq!(n.unique("Data"), "Data2");
        assert_eq!(n.unique("Data"), "Data3");
    }
}
