//! The merged metadata document → spec files: `product.yaml` (the product, its areas from the
//! metadata's `directories`, its endpoints, the RPC protocol's shared facts), one file per area
//! with its actions (`area-141310.yaml`), `other.yaml` for actions in no area, and `types.yaml`
//! for the shared response schemas.

use std::collections::BTreeMap;

use popgen_spec::model::{
    Action, AreaDef, Code, Effect, Envelope, Examples, HttpMethod, Lifecycle, LifecycleState, Note,
    NoteKind, Product, Prose, Protocol, Qps, RegionalEndpoint, ResponseExample, ResponseFormat,
    Source, SpecFile, Text,
};
use serde_json::Value;

use crate::field::{self, Types};
use crate::merge::Change;
use crate::read::{Cursor, Sink};
use crate::{param, prose, rpc};

/// The spec files of an import, by file name, with a header comment each.
pub type Files = BTreeMap<String, (String, SpecFile)>;

/// Maps the merged document; `labels` name the snapshots it came from.
pub fn map(doc: &Value, changes: &[Change], labels: &[String], sink: &mut Sink) -> Files {
    let root = Cursor::root(doc);
    let info = root.get("info");
    let name = info.get("product").text(sink).unwrap_or_else(|| {
        sink.report(
            popgen_spec::Level::Error,
            "info.product",
            "the metadata names no product".into(),
            None,
        );
        "Unknown".into()
    });
    let version = info.get("version").text(sink).unwrap_or_else(|| {
        sink.report(
            popgen_spec::Level::Error,
            "info.version",
            "the metadata names no version".into(),
            None,
        );
        "unknown".into()
    });
    let (areas, area_of) = areas(&root.get("directories"), sink);
    let mut types = Types::new(&root.get("components"), sink);
    let mut actions: BTreeMap<String, Action> = BTreeMap::new();
    for (action_name, api) in root.get("apis").entries(sink) {
        let a = action(action_name, &api, &mut types, sink);
        actions.insert(action_name.to_owned(), a);
    }
    notes_of_changes(&mut actions, changes);
    for (n, a) in &mut actions {
        a.area = area_of.get(n.as_str()).cloned();
    }
    let product = product(
        &root,
        &name,
        &version,
        labels,
        areas.clone(),
        &actions,
        sink,
    );
    settle_success_codes(&product, &mut actions);
    for a in actions.values_mut() {
        if a.methods == product.methods {
            a.methods.clear();
        }
    }
    files(product, areas, actions, types)
}

/// An area and the actions its directory lists.
type AreaMembers = (AreaDef, Vec<String>);

/// The areas in the metadata's order (nested directories keep their parent), and the area of
/// each action (the first directory that lists it).
fn areas(dirs: &Cursor<'_>, sink: &mut Sink) -> (Vec<AreaMembers>, BTreeMap<String, String>) {
    let mut out = Vec::new();
    let mut area_of = BTreeMap::new();
    walk_dirs(dirs, None, &mut out, &mut area_of, sink, 0);
    (out, area_of)
}

fn walk_dirs(
    dirs: &Cursor<'_>,
    parent: Option<&str>,
    out: &mut Vec<AreaMembers>,
    area_of: &mut BTreeMap<String, String>,
    sink: &mut Sink,
    depth: usize,
) {
    if depth > 8 {
        return sink.warn(
            dirs.path(),
            "directories nest deeper than 8 levels; the rest is ignored".into(),
        );
    }
    for d in dirs.items(sink) {
        let Some(id) = d.get("id").str(sink).map(|s| area_id(&s)) else {
            sink.warn(
                d.path(),
                "a directory without an id; its actions have no area".into(),
            );
            continue;
        };
        if out.iter().any(|(a, _): &AreaMembers| a.id == id) {
            sink.warn(
                d.path(),
                format!("the directory id {id} appears twice; the second is ignored"),
            );
            continue;
        }
        let title = d.get("title").text(sink).unwrap_or_else(|| id.clone());
        let mut members = Vec::new();
        let mut nested = Vec::new();
        for child in d.get("children").items(sink) {
            match child.value {
                Value::String(action) => {
                    area_of.entry(action.clone()).or_insert_with(|| id.clone());
                    members.push(action.clone());
                }
                Value::Object(_) => nested.push(child),
                _ => sink.warn(
                    child.path(),
                    "a directory child is neither an action name nor a directory; ignored".into(),
                ),
            }
        }
        out.push((
            AreaDef {
                id: id.clone(),
                title: Text {
                    en: String::new(),
                    zh: Some(title),
                },
                parent: parent.map(str::to_owned),
            },
            members,
        ));
        for n in nested {
            let wrapped = Value::Array(vec![n.value.clone()]);
            walk_dirs(
                &Cursor::root(&wrapped),
                Some(&id),
                out,
                area_of,
                sink,
                depth + 1,
            );
        }
    }
}

/// An area id from a directory id: lower-case letters, digits and `-` only.
fn area_id(raw: &str) -> String {
    let id: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if id.trim_matches('-').is_empty() {
        "area".into()
    } else {
        id
    }
}

fn action(name: &str, api: &Cursor<'_>, types: &mut Types, sink: &mut Sink) -> Action {
    let title = api.get("title").text(sink);
    let summary = api.get("summary").text(sink);
    let description = api.get("description").text(sink);
    let facts = prose::read(description.as_deref().unwrap_or_default());
    let zh = |s: Option<String>| {
        s.map(|zh| Text {
            en: String::new(),
            zh: Some(zh),
        })
    };
    let mut prose_keys = Prose::default();
    let qps = facts.qps.as_ref().map(|(n, phrase)| {
        prose_keys.qps = Some(phrase.clone());
        Qps {
            per_user: Some(*n),
            api: None,
            note: None,
        }
    });
    let params = api
        .get("parameters")
        .items(sink)
        .iter()
        .filter_map(|p| param::param(p, types, sink))
        .collect();
    let deprecated = api.get("deprecated").bool(sink).unwrap_or(false);
    let mut notes = Vec::new();
    let effect = effect(name, api, sink, &mut notes);
    Action {
        area: None,
        source: None,
        title: if summary.is_some() {
            zh(title.clone())
        } else {
            None
        },
        summary: zh(summary.or(title)).unwrap_or_default(),
        description: zh(description),
        qps,
        callee_limit: None,
        effect,
        methods: methods(&api.get("methods"), sink),
        idempotency_param: None,
        success_code: None,
        lifecycle: deprecated.then(|| Lifecycle {
            state: LifecycleState::Deprecated,
            note: Text::en("The metadata marks the action deprecated."),
            since: None,
        }),
        params,
        rules: Vec::new(),
        response: response(&api.get("responses"), types, sink),
        errors: errors(&api.get("errorCodes"), sink),
        receipts: Vec::new(),
        examples: Examples {
            requests: Vec::new(),
            responses: demos(&api.get("responseDemo"), sink),
        },
        prose: prose_keys,
        notes,
    }
}

/// The verbs of actions that only read, by Alibaba's naming (`DescribeInstances`, `QuerySendDetails`).
const READ_VERBS: [&str; 6] = ["Describe", "List", "Query", "Get", "Check", "Search"];

/// What an action changes, from `systemTags.operationType` and `operationType`. The effect
/// decides whether a client may retry, so a read is believed only when nothing says it writes
/// and the name reads too: the metadata calls `SendSms` a read, and a retried timeout would
/// send a second message. Everything else is treated as writing (with a note when the metadata
/// said otherwise) until curation says more.
fn effect(name: &str, api: &Cursor<'_>, sink: &mut Sink, notes: &mut Vec<Note>) -> Effect {
    let tag = api.get("systemTags").get("operationType").text(sink);
    let op = api.get("operationType").text(sink);
    let effect = match (tag.as_deref(), op.as_deref()) {
        (Some("create"), _) => Effect::CreatesTask,
        (Some("update" | "delete"), _) => Effect::ChangesTask,
        (_, Some("write" | "readAndWrite") | None) => Effect::Writes,
        _ => Effect::None,
    };
    let reads = READ_VERBS.iter().any(|v| {
        name.strip_prefix(v)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    });
    if effect == Effect::None && !reads {
        notes.push(Note {
            kind: NoteKind::Import,
            about: Some(name.to_owned()),
            reference_says: format!(
                "operationType: {}, systemTags.operationType: {}",
                op.as_deref().unwrap_or("absent"),
                tag.as_deref().unwrap_or("absent")
            ),
            chosen: "effect: writes".into(),
            why: format!("The metadata calls it a read, but `{name}` is not named like one; a client that retried it could do its work twice."),
        });
        return Effect::Writes;
    }
    effect
}

fn methods(m: &Cursor<'_>, sink: &mut Sink) -> Vec<HttpMethod> {
    let mut out: Vec<HttpMethod> = m
        .items(sink)
        .iter()
        .filter_map(|c| match c.text(sink)?.to_ascii_uppercase().as_str() {
            "GET" => Some(HttpMethod::Get),
            "POST" => Some(HttpMethod::Post),
            "PUT" => Some(HttpMethod::Put),
            "DELETE" => Some(HttpMethod::Delete),
            other => {
                sink.warn(c.path(), format!("unknown HTTP method `{other}`; ignored"));
                None
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn response(responses: &Cursor<'_>, types: &mut Types, sink: &mut Sink) -> Vec<popgen_spec::Field> {
    let ok = responses.get("200").get("schema");
    if ok.is_null() {
        return Vec::new();
    }
    let body = field::schema(None, &ok, types, sink, 0);
    match (body.fields.is_empty(), body.type_ref) {
        (false, _) => body.fields,
        // A body that is a named type: its fields, so the response keeps its own keys.
        (true, Some(t)) => types
            .done
            .get(&t)
            .map(|f| f.fields.clone())
            .unwrap_or_default(),
        (true, None) => Vec::new(),
    }
}

fn errors(codes: &Cursor<'_>, sink: &mut Sink) -> Vec<Code> {
    let mut out: Vec<Code> = Vec::new();
    for (status, list) in codes.entries(sink) {
        for e in list.items(sink) {
            let Some(code) = e.get("errorCode").text(sink) else {
                continue;
            };
            if out.iter().any(|c| c.code == code) {
                continue;
            }
            out.push(Code {
                code,
                http_status: status.parse().ok(),
                meaning: Text {
                    en: e.get("errorMessage").text(sink).unwrap_or_default(),
                    zh: e.get("description").text(sink),
                },
                fix: None,
                retryable: false,
            });
        }
    }
    out
}

/// `responseDemo`: a JSON string holding `[{type: json|xml, example, errorExample}]`.
fn demos(demo: &Cursor<'_>, sink: &mut Sink) -> Vec<ResponseExample> {
    let Some(text) = demo.text(sink) else {
        return Vec::new();
    };
    let Ok(parsed) = serde_json::from_str::<Value>(&text) else {
        sink.warn(
            demo.path(),
            "`responseDemo` is not JSON; its examples are left out".into(),
        );
        return Vec::new();
    };
    let root = Cursor::root(&parsed);
    let mut out = Vec::new();
    for d in root.items(sink) {
        let format = match d.get("type").text(sink).as_deref() {
            Some("json") => ResponseFormat::Json,
            Some("xml") => ResponseFormat::Xml,
            _ => continue,
        };
        for (key, error) in [("example", false), ("errorExample", true)] {
            if let Some(body) = d.get(key).text(sink) {
                out.push(ResponseExample {
                    format,
                    body,
                    error,
                    notes: Vec::new(),
                });
            }
        }
    }
    out
}

fn notes_of_changes(actions: &mut BTreeMap<String, Action>, changes: &[Change]) {
    for c in changes {
        let Some(a) = actions.get_mut(&c.action) else {
            continue;
        };
        let note = Note {
            kind: NoteKind::Update,
            about: Some(c.param.clone().unwrap_or_else(|| c.action.clone())),
            reference_says: format!("{}; {}", c.before, c.after),
            chosen: "the newer snapshot".into(),
            why: "The newest metadata describes the service as it is now.".into(),
        };
        match &c.param {
            Some(p) => match a.params.iter_mut().find(|x| &x.name == p) {
                Some(x) => x.notes.push(note),
                None => a.notes.push(note),
            },
            None => a.notes.push(note),
        }
    }
}

fn product(
    root: &Cursor<'_>,
    name: &str,
    version: &str,
    labels: &[String],
    areas: Vec<AreaMembers>,
    actions: &BTreeMap<String, Action>,
    sink: &mut Sink,
) -> Product {
    let endpoints: Vec<RegionalEndpoint> = root
        .get("endpoints")
        .items(sink)
        .iter()
        .filter_map(|e| {
            Some(RegionalEndpoint {
                region: e.get("regionId").text(sink)?,
                endpoint: e.get("endpoint").text(sink)?,
            })
        })
        .collect();
    let endpoint = most_common(endpoints.iter().map(|e| e.endpoint.clone()))
        .unwrap_or_else(|| format!("{}.aliyuncs.com", name.to_ascii_lowercase()));
    let mut methods: Vec<HttpMethod> = actions.values().flat_map(|a| a.methods.clone()).collect();
    methods.sort();
    methods.dedup();
    if methods.is_empty() {
        methods = vec![HttpMethod::Get, HttpMethod::Post];
    }
    Product {
        name: name.to_owned(),
        version: version.to_owned(),
        title: Text::en(name),
        endpoint,
        protocols: vec![Protocol::Https, Protocol::Http],
        methods,
        signatures: rpc::signatures(),
        common_params: rpc::common_params(version),
        response: envelope(actions),
        error_body: rpc::error_body(),
        source: Some(Source {
            title: format!("Alibaba Cloud API metadata (api-docs) of {name} {version}"),
            version: Some(labels.join(" + ")),
            section: None,
        }),
        areas: areas.into_iter().map(|(a, _)| a).collect(),
        endpoints,
        notes: Vec::new(),
    }
}

/// The envelope: `RequestId` always, `Code` and `Message` when most responses have them; the
/// success code is the `Code` most success examples show.
fn envelope(actions: &BTreeMap<String, Action>) -> Envelope {
    let has = |key: &str| {
        let n = actions
            .values()
            .filter(|a| a.response.iter().any(|f| f.name.as_deref() == Some(key)))
            .count();
        n * 2 > actions.len()
    };
    let mut fields = vec![rpc::string_field("RequestId", "The request's ID.")];
    if has("Code") {
        fields.push(rpc::string_field("Code", "The status code."));
    }
    if has("Message") {
        fields.push(rpc::string_field("Message", "What the status code means."));
    }
    Envelope {
        formats: vec![ResponseFormat::Json, ResponseFormat::Xml],
        default_format: ResponseFormat::Xml,
        xml_root: "{Action}Response".into(),
        fields,
        success_code: most_common(actions.values().filter_map(success_code))
            .unwrap_or_else(|| "OK".into()),
    }
}

/// The `Code` of an action's first JSON success example.
fn success_code(a: &Action) -> Option<String> {
    a.examples
        .responses
        .iter()
        .filter(|e| !e.error && e.format == ResponseFormat::Json)
        .find_map(|e| {
            let v: Value = serde_json::from_str(&e.body).ok()?;
            match v.get("Code")? {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        })
}

/// Actions whose examples show another success `Code` than the envelope's say so.
fn settle_success_codes(product: &Product, actions: &mut BTreeMap<String, Action>) {
    for a in actions.values_mut() {
        if let Some(code) = success_code(a)
            && code != product.response.success_code
            && a.response.iter().any(|f| f.name.as_deref() == Some("Code"))
        {
            a.success_code = Some(code);
        }
    }
}

fn most_common(items: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k)
}

/// Groups everything into files.
fn files(
    product: Product,
    areas: Vec<AreaMembers>,
    mut actions: BTreeMap<String, Action>,
    types: Types,
) -> Files {
    let mut out = Files::new();
    let header = format!(
        "{} {}: written by `popgen import` from Alibaba's API metadata. Do not edit: curate in\n\
         a `curation/` directory beside this one, which the import never touches.",
        product.name, product.version
    );
    for (area, members) in &areas {
        let mine: BTreeMap<String, Action> = members
            .iter()
            .filter_map(|m| {
                let a = actions.get(m)?;
                (a.area.as_deref() == Some(area.id.as_str())).then(|| (m.clone(), a.clone()))
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        for m in mine.keys() {
            actions.remove(m);
        }
        let title = area.title.best();
        out.insert(
            format!("area-{}.yaml", area.id),
            (
                format!("{header}\n\nArea {}: {title}", area.id),
                file(None, mine, BTreeMap::new()),
            ),
        );
    }
    if !actions.is_empty() {
        out.insert(
            "other.yaml".into(),
            (
                format!("{header}\n\nActions in no area."),
                file(None, actions, BTreeMap::new()),
            ),
        );
    }
    if !types.done.is_empty() {
        out.insert(
            "types.yaml".into(),
            (
                format!("{header}\n\nShared response types."),
                file(None, BTreeMap::new(), types.done),
            ),
        );
    }
    out.insert(
        "product.yaml".into(),
        (
            header,
            file(Some(product), BTreeMap::new(), BTreeMap::new()),
        ),
    );
    out
}

fn file(
    product: Option<Product>,
    actions: BTreeMap<String, Action>,
    types: BTreeMap<String, popgen_spec::Field>,
) -> SpecFile {
    SpecFile {
        product,
        actions,
        types,
        ..SpecFile::default()
    }
}
