//! Makes an imported spec one that `popgen check` accepts without giving up a fact: the
//! metadata's examples often disagree with its own schemas (a number where the schema says
//! string, a key it does not list). A response example is the service's documentation, so it is
//! kept, and each disagreement is recorded as a note on it; a param's or field's example or
//! default that breaks the element's own rules is dropped with a note. Uses the checker's own
//! value checks (`popgen_spec::values`), so the two cannot disagree, then loads the result once
//! as `popgen check` would and returns what it still refuses.

use std::collections::BTreeMap;

use popgen_spec::diag::Diagnostic;
use popgen_spec::model::{
    Field, Note, NoteKind, Param, ParamType, RequestExample, ResponseExample, ResponseFormat,
    Scalar,
};
use popgen_spec::{Level, Spec, values};

use crate::map::Files;

/// Settles `files` and writes them as YAML texts, which are then loaded as `popgen check`
/// would; what the checker still refuses is returned instead.
pub fn settle(files: &mut Files) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let spec = typed_spec(files);
    for (_, file) in files.values_mut() {
        for f in file.types.values_mut() {
            field_examples(f);
        }
        for (name, a) in file.actions.iter_mut() {
            for p in &mut a.params {
                param_values(&spec, p);
            }
            if a.examples.requests.is_empty()
                && let Some(example) = request_example(&a.params)
            {
                a.examples.requests.push(example);
            }
            for f in &mut a.response {
                field_examples(f);
            }
            let fields = &a.response;
            let mut kept = Vec::new();
            for ex in std::mem::take(&mut a.examples.responses) {
                let body = if ex.error {
                    &spec.product.error_body
                } else {
                    fields
                };
                match response_example(&spec, name, body, ex) {
                    Ok(ex) => kept.push(ex),
                    Err(note) => a.notes.push(note),
                }
            }
            a.examples.responses = kept;
        }
    }
    verify(files)
}

/// The spec the files make, without reading them back from YAML (positions are not needed to
/// check values).
fn typed_spec(files: &Files) -> Spec {
    let mut spec = Spec {
        product: files
            .values()
            .find_map(|(_, f)| f.product.clone())
            .expect("an import always writes the product"),
        enums: Default::default(),
        types: Default::default(),
        actions: Default::default(),
        receipts: Default::default(),
        code_tables: Default::default(),
        pricing: None,
        curation: Default::default(),
        sources: Default::default(),
    };
    for (_, f) in files.values() {
        spec.types.extend(f.types.clone());
        spec.actions.extend(f.actions.clone());
    }
    spec
}

/// Drops a param's (and its members') example or default that breaks its own rules.
fn param_values(spec: &Spec, p: &mut Param) {
    for member in &mut p.fields {
        param_values(spec, member);
    }
    if p.ty == ParamType::Repeated {
        return;
    }
    for key in ["default", "example"] {
        let value = if key == "default" {
            &p.default
        } else {
            &p.example
        };
        let Some(v) = value.clone() else { continue };
        let masked = matches!(&v, Scalar::Str(s) if values::is_masked(s));
        if key == "example" && masked {
            continue;
        }
        let problem = values::scalar_type_problem(p.ty, &v).or_else(|| {
            values::param_value(spec, p, &v.to_wire(), false)
                .into_iter()
                .next()
                .map(|pr| pr.message)
        });
        if let Some(problem) = problem {
            if key == "default" {
                p.default = None;
            } else {
                p.example = None;
            }
            p.notes.push(dropped(&p.name, key, &v, &problem));
        }
    }
}

/// The metadata shows no request, but an example per param: put together (scalars as they
/// are, struct lists as their first element `Name.1.Field`), they are one, when every required
/// param has an example.
fn request_example(params: &[Param]) -> Option<RequestExample> {
    let mut out = std::collections::BTreeMap::new();
    for p in params {
        let before = out.len();
        if p.ty == ParamType::Repeated {
            for f in &p.fields {
                if let Some(v) = &f.example {
                    out.insert(format!("{}.1.{}", p.name, f.name), v.to_wire());
                }
            }
            if p.fields.iter().any(|f| f.required && f.example.is_none()) {
                return None;
            }
        } else if let Some(v) = &p.example {
            out.insert(p.name.clone(), v.to_wire());
        }
        if p.required && out.len() == before {
            return None;
        }
    }
    (!out.is_empty()).then(|| RequestExample {
        params: out,
        notes: Vec::new(),
    })
}

/// Drops a field's (and its members') example of the wrong type.
fn field_examples(f: &mut Field) {
    for m in &mut f.fields {
        field_examples(m);
    }
    for inner in [&mut f.items, &mut f.values, &mut f.json]
        .into_iter()
        .flatten()
    {
        field_examples(inner);
    }
    if let (Some(example), Some(scalar)) = (f.example.clone(), f.ty.and_then(|t| t.scalar()))
        && let Some(problem) = values::field_example_problem(scalar, &f.also, &example)
    {
        f.example = None;
        let about = f.name.clone().unwrap_or_default();
        f.notes.push(dropped(&about, "example", &example, &problem));
    }
}

fn dropped(about: &str, key: &str, v: &Scalar, problem: &str) -> Note {
    Note {
        kind: NoteKind::Import,
        about: Some(about.to_owned()),
        reference_says: format!("{key}: {}", v.to_wire()),
        chosen: format!("no {key}"),
        why: format!("The metadata's {key} breaks the element's own rules: {problem}."),
    }
}

/// The example with a note for each disagreement with the schema, or (for a body that cannot
/// be read at all) the note that says it was left out.
fn response_example(
    spec: &Spec,
    action: &str,
    fields: &[Field],
    mut ex: ResponseExample,
) -> Result<ResponseExample, Note> {
    let found = match ex.format {
        ResponseFormat::Json => serde_json::from_str(&ex.body)
            .map(|v| values::json_body(spec, fields, &v))
            .map_err(|e| e.to_string()),
        ResponseFormat::Xml => {
            values::xml_body(spec, action, fields, &ex.body).map_err(|e| e.to_string())
        }
    };
    let problems = found.map_err(|e| Note {
        kind: NoteKind::Import,
        about: Some(action.to_owned()),
        reference_says: format!("a response example that cannot be read: {e}"),
        chosen: "the example is left out".into(),
        why: "An example that is not a body at all documents nothing.".into(),
    })?;
    for p in problems {
        if ex
            .notes
            .iter()
            .any(|n| n.about.as_deref() == Some(p.param.as_str()))
        {
            continue;
        }
        ex.notes.push(Note {
            kind: NoteKind::ExampleViolation,
            about: Some(p.param),
            reference_says: format!("the metadata's example: {}", p.message),
            chosen: "the example is kept as the metadata shows it".into(),
            why: "Examples are the service's own documentation; the schema decides what clients decode.".into(),
        });
    }
    Ok(ex)
}

/// Loads the files as `popgen check` would; its errors.
/// The files as YAML texts (written once: the texts verified are the texts returned), or the
/// errors the loader finds in them.
fn verify(files: &Files) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let texts: BTreeMap<String, String> = files
        .iter()
        .map(|(name, (header, file))| (name.clone(), popgen_spec::write::to_yaml(file, header)))
        .collect();
    match popgen_spec::load::load_texts(texts.clone().into_iter().collect()) {
        Ok(_) => Ok(texts),
        Err(d) => Err(d.into_iter().filter(|d| d.level == Level::Error).collect()),
    }
}
