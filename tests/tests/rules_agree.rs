//! The spec checker and the generated clients agree about every value. For values of every
//! param of every action — of both bundled products, and of the constructs fixture, which uses
//! every rule kind (ranges with exclusive bounds, lengths in bytes and characters, inline,
//! named and open enums, fixed values, patterns, date-times, Unix milliseconds, JSON, separated
//! lists, lists of scalars, members of repeated params) — the checker's example-request check
//! (`popgen check`, `values::request_params`) finds a problem at a param exactly when the
//! generated client's `parse_params` (the client's rules, what `dyvms validate` and the mock run)
//! reports a violation there. First every interesting value of each param (bounds and one past
//! them, the enum's values and near misses, seconds for milliseconds, ...), then random ones.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use popgen_runtime::registry::Api;
use popgen_runtime::rules::Rule as RuntimeRule;
use popgen_spec::model::{Format, Number, Param, ParamType, Scalar, ScalarType};
use popgen_spec::rules::ValueRules;
use popgen_spec::{Spec, values};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// One value-carrying param as it goes on the wire: a scalar param (`PlayTimes`), a member of a
/// repeated param's first element (`MenuKeyMap.1.Key`), or the first value of a list of scalars
/// (`Names.1`).
struct Leaf {
    api: &'static Api,
    spec: &'static Spec,
    action: String,
    wire: String,
    interesting: Vec<String>,
    separator: Option<String>,
    json: bool,
}

fn load(path: &Path) -> Spec {
    popgen_spec::load::load_paths(&[path.to_path_buf()])
        .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()))
        .spec
}

static DYVMS: LazyLock<Spec> = LazyLock::new(|| load(&popgen_spec::bundled_dir()));
static DYSMS: LazyLock<Spec> = LazyLock::new(|| load(&popgen_spec::bundled_product("dysmsapi")));
static FIXTURE: LazyLock<Spec> = LazyLock::new(|| {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/constructs"))
});

static LEAVES: LazyLock<Vec<Leaf>> = LazyLock::new(|| {
    let mut out = Vec::new();
    let products: [(&'static Spec, &'static Api); 3] = [
        (&DYVMS, &dyvmsapi::registry::API),
        (&DYSMS, &dysmsapi::registry::API),
        (&FIXTURE, &popgen_fixture_client::registry::API),
    ];
    for (spec, api) in products {
        for (name, action) in &spec.actions {
            for p in &action.params {
                let mut leaf = |wire: String, param: &Param| {
                    out.push(Leaf {
                        api,
                        spec,
                        action: name.clone(),
                        wire,
                        interesting: interesting(spec, param),
                        separator: match &param.format {
                            Some(Format::List { separator, .. }) => Some(separator.clone()),
                            _ => None,
                        },
                        json: matches!(param.format, Some(Format::Json { .. })),
                    });
                };
                match (&p.ty, &p.element) {
                    (ParamType::Repeated, Some(e)) if p.fields.is_empty() => {
                        leaf(format!("{}.1", p.name), &e.to_param(&p.name));
                    }
                    (ParamType::Repeated, _) => {
                        for m in &p.fields {
                            leaf(format!("{}.1.{}", p.name, m.name), m);
                        }
                    }
                    _ => leaf(p.name.clone(), p),
                }
            }
        }
    }
    out
});

/// Values near every limit the param's rules name, and values that trip each kind of rule.
fn interesting(spec: &Spec, p: &Param) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        " ",
        "0",
        "1",
        "-1",
        "+5",
        "05",
        " 5",
        "5 ",
        "1e3",
        "0x10",
        "abc",
        "张三",
        "😀",
        "a,b",
        "a,,b",
        ",",
        "a,",
        "true",
        "false",
        "True",
        "False",
        "TRUE",
        "yes",
        "null",
        "NaN",
        "inf",
        "-inf",
        "-0",
        "0.5",
        ".5",
        "5.",
        "1e308",
        "1e309",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "946684799999",
        "946684800000",
        "1700000000",
        "1700000000000",
        "4102444800000",
        "4102444800001",
        "1700000000000000",
        "{}",
        "[]",
        "{",
        "\"x\"",
        "{\"a\":\"b\"}",
        "{\"a\":1}",
        "[\"a\"]",
        "[{\"number\":\"1\"}]",
        "[{\"number\":1}]",
        "{\"name\":\"x\"}",
        "{\"name\":1}",
        "{\"name\":\"x\",\"age\":\"3\"}",
        "{\"name\":\"x\",\"age\":3.5}",
        "{\"a\":null}",
        "[null]",
        "[1]",
        "[\"x\",1]",
        "[[\"a\"]]",
        "{\"age\":3}",
        "2024-02-29 10:00:00",
        "2023-02-29 10:00:00",
        "2024-13-01 00:00:00",
        "2024-02-29T10:00:00Z",
        "20240229",
        "2024-02-29",
    ]
    .map(str::to_owned)
    .to_vec();
    for v in [&p.example, &p.default, &p.fixed].into_iter().flatten() {
        out.push(v.to_wire());
        if let Scalar::Str(s) = v {
            out.push(format!("{s} "));
            out.push(s.to_lowercase());
        }
    }
    let mut number = |n: Number| match n {
        Number::Int(i) => {
            for d in [-2, -1, 0, 1, 2] {
                out.push(i.saturating_add(d).to_string());
            }
            out.push(format!("{i}.5"));
        }
        Number::Float(x) => {
            for d in [-0.5, -1e-9, 0.0, 1e-9, 0.5] {
                out.push((x + d).to_string());
            }
        }
    };
    let ranges = [
        p.range.as_ref(),
        p.element.as_ref().and_then(|e| e.range.as_ref()),
    ];
    for r in ranges.into_iter().flatten() {
        r.min.into_iter().chain(r.max).for_each(&mut number);
    }
    let lengths = [
        p.length.as_ref(),
        p.element.as_ref().and_then(|e| e.length.as_ref()),
        match &p.format {
            Some(Format::List { item, .. }) => item.length.as_ref(),
            _ => None,
        },
    ];
    for l in lengths.into_iter().flatten() {
        for bound in l.min.into_iter().chain(l.max) {
            for n in [bound.saturating_sub(1), bound, bound + 1] {
                if n <= 5_000 {
                    for unit in ["a", "张", "1"] {
                        out.push(unit.repeat(n as usize));
                    }
                }
            }
        }
    }
    if let Some(rules) = ValueRules::of(spec, p)
        && let Some(values) = rules.values
    {
        for v in values.values {
            out.extend([
                v.to_owned(),
                v.to_lowercase(),
                format!("{v} "),
                format!("{v}x"),
            ]);
        }
    }
    if let Some(Format::List {
        separator,
        max_items,
        item,
    }) = &p.format
    {
        let one = item
            .enum_values
            .as_ref()
            .and_then(|v| v.first())
            .map_or_else(|| "1".repeat(11), |v| v.value.clone());
        for n in [0, 1, 2]
            .into_iter()
            .chain(max_items.iter().flat_map(|m| [*m, m + 1]))
        {
            out.push(vec![one.as_str(); n as usize].join(separator));
        }
        out.push(format!("{one}{separator}"));
    }
    // Masked values (`****`) are not checked by the checker, by design.
    out.retain(|v| !values::is_masked(v));
    out.sort();
    out.dedup();
    out
}

/// Whether the checker finds a problem at `leaf` when an example request sends `value` there.
fn checker_flags(leaf: &Leaf, value: &str) -> Vec<String> {
    let action = &leaf.spec.actions[&leaf.action];
    let params = BTreeMap::from([(leaf.wire.clone(), value.to_owned())]);
    values::request_params(leaf.spec, action, &params)
        .into_iter()
        .filter(|p| p.param == leaf.wire)
        .map(|p| p.message)
        .collect()
}

/// Whether the generated client reports a violation (error or warning) at `leaf` for `value`.
fn client_flags(leaf: &Leaf, value: &str) -> Vec<String> {
    let entry = leaf
        .api
        .action(&leaf.action)
        .expect("every action is generated");
    let (_, report) = (entry.parse_params)(&[(leaf.wire.as_str(), value)]);
    report
        .violations()
        .iter()
        .filter(|v| v.rule != RuntimeRule::Custom)
        // The value itself, or an item of it when it is a separated list (`Numbers[2]`).
        .filter(|v| {
            v.path
                .strip_prefix(leaf.wire.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
        })
        .map(|v| v.to_string())
        .collect()
}

fn disagreement(leaf: &Leaf, value: &str) -> Option<String> {
    let (checker, client) = (checker_flags(leaf, value), client_flags(leaf, value));
    (checker.is_empty() != client.is_empty()).then(|| {
        format!(
            "{} {}={value:?}: checker {checker:?}, client {client:?}",
            leaf.action, leaf.wire
        )
    })
}

#[test]
fn the_checker_and_the_clients_agree_on_every_interesting_value() {
    let mut checked = 0;
    let mut found = Vec::new();
    for leaf in LEAVES.iter() {
        for value in &leaf.interesting {
            checked += 1;
            found.extend(disagreement(leaf, value));
        }
    }
    assert!(
        found.is_empty(),
        "{} disagreements:\n{}",
        found.len(),
        found.join("\n")
    );
    assert!(LEAVES.len() > 300, "only {} params", LEAVES.len());
    assert!(checked > 30_000, "only {checked} values");
}

/// A random JSON text: scalars, arrays and objects whose keys are the names the specs' JSON
/// params use, so that members are found as often as missed.
fn json_text() -> impl Strategy<Value = String> {
    use serde_json::Value;
    let keys = prop::sample::select(vec![
        "name", "age", "number", "params", "code", "a", "callee", "ext", "FileUrl", "Type",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e3f64..1e3).prop_map(Value::from),
        "[a-z0-9]{0,4}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..4).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
    .prop_map(|v| v.to_string())
}

/// A value for one leaf: one of its interesting values, a mix of them with its list separator,
/// a random text, a random number (near Unix times in seconds and milliseconds too), a random
/// JSON text.
fn value_of(leaf: &'static Leaf) -> BoxedStrategy<String> {
    if leaf.json {
        return prop_oneof![
            1 => prop::sample::select(leaf.interesting.clone()),
            4 => json_text(),
        ]
        .boxed();
    }
    let pick = prop::sample::select(leaf.interesting.clone());
    let separator = leaf.separator.clone().unwrap_or_else(|| ",".to_owned());
    prop_oneof![
        2 => pick.clone(),
        1 => prop::collection::vec(pick, 0..4).prop_map(move |items| items.join(&separator)),
        1 => "[0-9a-zA-Z_.,:+ 张-]{0,14}",
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => (0i64..5_000_000_000_000).prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|x| x.to_string()),
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}Z?",
    ]
    .boxed()
}

#[test]
fn the_checker_and_the_clients_agree_on_random_values() {
    // `POPGEN_AGREE_CASES` runs more (or fewer) cases than the default.
    let cases = std::env::var("POPGEN_AGREE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(0x5eed_0012),
        failure_persistence: None,
        ..Config::default()
    };
    let leaves = (0..LEAVES.len()).prop_flat_map(|i| {
        let leaf: &'static Leaf = &LEAVES[i];
        (Just(i), value_of(leaf))
    });
    TestRunner::new(config)
        .run(&leaves, |(i, value)| {
            let leaf = &LEAVES[i];
            prop_assert_eq!(disagreement(leaf, &value), None);
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_rule_kind_is_exercised() {
    // The constructs fixture has each kind; a spec change that drops one should fail here.
    let mut kinds = BTreeMap::new();
    for leaf in LEAVES.iter().filter(|l| std::ptr::eq(l.spec, &*FIXTURE)) {
        let action = &leaf.spec.actions[&leaf.action];
        let top = leaf.wire.split('.').next().unwrap_or_default();
        let p = action
            .params
            .iter()
            .find(|p| p.name == top)
            .expect("leaf of a param");
        let mut mark = |k: &'static str| *kinds.entry(k).or_insert(0) += 1;
        if let Some(r) = &p.range {
            mark("range");
            if r.exclusive_min || r.exclusive_max {
                mark("exclusive bound");
            }
        }
        if let Some(l) = &p.length {
            mark(match l.unit {
                popgen_spec::model::LengthUnit::Bytes => "length bytes",
                popgen_spec::model::LengthUnit::Chars => "length chars",
            });
        }
        if p.enum_values.is_some() || p.enum_ref.is_some() {
            mark("enum");
        }
        if p.enum_ref
            .as_ref()
            .and_then(|n| leaf.spec.enums.get(n))
            .is_some_and(|e| e.open)
        {
            mark("open enum");
        }
        if p.fixed.is_some() {
            mark("fixed");
        }
        if p.pattern.is_some() {
            mark("pattern");
        }
        if p.ty.scalar() == Some(ScalarType::Float) {
            mark("float");
        }
        match &p.format {
            Some(Format::DateTime { .. }) => mark("date-time"),
            Some(Format::UnixMillis) => mark("unix-millis"),
            Some(Format::Json { .. }) => mark("json"),
            Some(Format::List { .. }) => mark("list"),
            None => {}
        }
        if p.element.is_some() {
            mark("list of scalars");
        }
        if !p.fields.is_empty() {
            mark("repeated member");
        }
    }
    let missing: Vec<&str> = [
        "range",
        "exclusive bound",
        "length bytes",
        "length chars",
        "enum",
        "open enum",
        "fixed",
        "pattern",
        "float",
        "date-time",
        "unix-millis",
        "json",
        "list",
        "list of scalars",
        "repeated member",
    ]
    .into_iter()
    .filter(|k| !kinds.contains_key(k))
    .collect();
    assert!(missing.is_empty(), "not exercised: {missing:?}");
}
