//! The success body a tool answers an action with, as compact JSON shaped by the response schema:
//! the reference's JSON success example when it has one, else its XML success example converted
//! the way the client reads XML and typed by the schema, else a body built from the response
//! fields' `example`s. It always carries `Code` (the action's success code) and a `RequestId`.
//! Keys are written in the schema's order (undeclared keys after them, sorted), so the text does
//! not depend on how `serde_json` orders maps.

use popgen_spec::Spec;
use popgen_spec::model::{Action, Field, FieldType, ResponseFormat, Scalar};
use serde_json::{Map, Value};

/// A `RequestId` for bodies whose reference shows none.
const PLACEHOLDER_REQUEST_ID: &str = "00000000-0000-0000-0000-000000000000";

/// The success body of action `a` (compact JSON).
pub fn success_body(spec: &Spec, a: &Action) -> String {
    let value = json_example(a)
        .or_else(|| xml_example(spec, a))
        .unwrap_or_else(|| members(spec, &a.response));
    let mut body = match value {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let code = spec.success_code(a);
    body.insert("Code".to_owned(), Value::String(code.to_owned()));
    if !body.contains_key("RequestId") {
        body.insert("RequestId".to_owned(), Value::String(request_id(spec, a)));
    }
    let mut out = String::new();
    write(spec, &Value::Object(body), &a.response, &mut out);
    out
}

fn success_examples(a: &Action, format: ResponseFormat) -> impl Iterator<Item = &str> {
    a.examples
        .responses
        .iter()
        .filter(move |r| r.format == format && !r.error)
        .map(|r| r.body.as_str())
}

fn json_example(a: &Action) -> Option<Value> {
    success_examples(a, ResponseFormat::Json)
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .find(Value::is_object)
}

fn xml_example(spec: &Spec, a: &Action) -> Option<Value> {
    success_examples(a, ResponseFormat::Xml)
        .filter_map(|b| popgen_runtime::decode::xml_to_json(b).ok())
        .map(|(_, v)| typed_members(spec, &a.response, v))
        .find(Value::is_object)
}

fn request_id(spec: &Spec, a: &Action) -> String {
    a.response
        .iter()
        .chain(&spec.product.response.fields)
        .filter(|f| f.name.as_deref() == Some("RequestId"))
        .find_map(|f| f.example.as_ref().map(Scalar::to_wire))
        .unwrap_or_else(|| PLACEHOLDER_REQUEST_ID.to_owned())
}

/// The field's own shape: a `type_ref` resolved.
fn resolve<'a>(spec: &'a Spec, f: &'a Field) -> Option<(FieldType, &'a Field)> {
    let shape = spec.resolve(f);
    shape.ty.map(|t| (t, shape))
}

/// An object whose declared members are typed by their fields (XML gives only strings); empty
/// elements (`null`) are dropped, undeclared members kept as they are.
fn typed_members(spec: &Spec, fields: &[Field], v: Value) -> Value {
    let Value::Object(m) = v else { return v };
    let typed = m.into_iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| {
        let x = match fields
            .iter()
            .find(|f| f.name.as_deref() == Some(k.as_str()))
        {
            Some(f) => typed(spec, f, x),
            None => x,
        };
        (k, x)
    });
    Value::Object(typed.collect())
}

fn typed(spec: &Spec, f: &Field, v: Value) -> Value {
    let Some((ty, shape)) = resolve(spec, f) else {
        return v;
    };
    match (ty, v) {
        (FieldType::Object, v) => typed_members(spec, &shape.fields, v),
        (FieldType::Array, v) => match &shape.items {
            Some(item) => Value::Array(
                elements(item, v)
                    .into_iter()
                    .map(|x| typed(spec, item, x))
                    .collect(),
            ),
            None => v,
        },
        (FieldType::Map, Value::Object(m)) => match &shape.values {
            Some(values) => Value::Object(
                m.into_iter()
                    .map(|(k, x)| (k, typed(spec, values, x)))
                    .collect(),
            ),
            None => Value::Object(m),
        },
        (FieldType::Integer | FieldType::Long, Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map_or(Value::String(s), Value::from),
        (FieldType::Float, Value::String(s)) => {
            match s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Some(n) => Value::Number(n),
                None => Value::String(s),
            }
        }
        (FieldType::Boolean, Value::String(s)) => match s.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(s),
        },
        (_, v) => v,
    }
}

/// The elements of an XML array: a repeated element (an array, or one value when it occurs
/// once), or a wrapper whose only children are the items (`<Data><item>..</item></Data>`).
fn elements(item: &Field, v: Value) -> Vec<Value> {
    match v {
        Value::Array(xs) => xs,
        Value::Null => Vec::new(),
        Value::Object(m)
            if m.len() == 1
                && m.keys()
                    .all(|k| Some(k.as_str()) == item.name.as_deref() || k == "item") =>
        {
            match m.into_iter().next() {
                Some((_, Value::Array(xs))) => xs,
                Some((_, x)) => vec![x],
                None => Vec::new(),
            }
        }
        other => vec![other],
    }
}

/// An object built from the `example`s of `fields` (members without one are left out).
fn members(spec: &Spec, fields: &[Field]) -> Value {
    let m = fields
        .iter()
        .filter_map(|f| Some((f.name.clone()?, synthesized(spec, f)?)))
        .collect();
    Value::Object(m)
}

fn synthesized(spec: &Spec, f: &Field) -> Option<Value> {
    let (ty, shape) = resolve(spec, f)?;
    match ty {
        FieldType::Object => match members(spec, &shape.fields) {
            Value::Object(m) if m.is_empty() => None,
            v => Some(v),
        },
        FieldType::Array => {
            let item = synthesized(spec, shape.items.as_deref()?)?;
            Some(Value::Array(vec![item]))
        }
        FieldType::Map | FieldType::Any => None,
        _ => {
            let example = match f.example.as_ref().or(shape.example.as_ref())? {
                Scalar::Bool(b) => Value::Bool(*b),
                Scalar::Int(i) => Value::from(*i),
                Scalar::Float(x) => {
                    serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number)
                }
                Scalar::Str(s) => Value::String(s.clone()),
            };
            Some(typed(spec, f, example))
        }
    }
}

/// The members an object described by `f` declares (through arrays and JSON strings too).
fn members_of<'a>(spec: &'a Spec, f: &'a Field) -> &'a [Field] {
    match resolve(spec, f) {
        Some((FieldType::Object, shape)) => &shape.fields,
        Some((FieldType::Array, shape)) => {
            shape.items.as_deref().map_or(&[], |i| members_of(spec, i))
        }
        Some((FieldType::String, shape)) => {
            shape.json.as_deref().map_or(&[], |j| members_of(spec, j))
        }
        _ => &[],
    }
}

/// Compact JSON, object keys in the order `fields` declares them, the others after, sorted.
fn write(spec: &Spec, v: &Value, fields: &[Field], out: &mut String) {
    match v {
        Value::Object(m) => {
            let declared = fields.iter().filter_map(|f| {
                let k = f.name.as_deref()?;
                m.get(k).map(|x| (k, x, members_of(spec, f)))
            });
            let mut others: Vec<(&str, &Value)> = m
                .iter()
                .filter(|(k, _)| !fields.iter().any(|f| f.name.as_deref() == Some(k.as_str())))
                .map(|(k, x)| (k.as_str(), x))
                .collect();
            others.sort_by(|a, b| a.0.cmp(b.0));
            let all = declared.chain(others.into_iter().map(|(k, x)| (k, x, &[][..])));
            out.push('{');
            for (i, (k, x, inner)) in all.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.to_owned()).to_string());
                out.push(':');
                write(spec, x, inner, out);
            }
            out.push('}');
        }
        Value::Array(xs) => {
            out.push('[');
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(spec, x, fields, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRODUCT: &str = r#"
product:
  name: Demo
  version: "2024-01-01"
  title: {en: Demo}
  endpoint: demo.example.com
  protocols: [https]
  methods: [GET]
  signatures: [{scheme: rpc-v1-hmac-sha1, default: true, description: {en: v1}}]
  common_params: []
  response:
    formats: [json, xml]
    default_format: json
    xml_root: "{Action}Response"
    success_code: OK
    fields:
      - {name: RequestId, type: string}
      - {name: Code, type: string}
  error_body:
    - {name: Code, type: string}
"#;

    /// Loads `actions` beside the product above and answers the body of its action `Ping`.
    fn body_of(actions: &str) -> String {
        let files = vec![
            ("product.yaml".to_owned(), PRODUCT.to_owned()),
            ("actions.yaml".to_owned(), actions.to_owned()),
        ];
        let loaded = popgen_spec::load::load_texts(files)
            .unwrap_or_else(|d| panic!("the test spec loads: {d:?}"));
        success_body(&loaded.spec, &loaded.spec.actions["Ping"])
    }

    const RESPONSE: &str = r#"
    response:
      - {name: RequestId, type: string, example: R-1}
      - {name: Code, type: string, example: OK}
      - {name: Total, type: long, example: 2}
      - name: Data
        type: array
        items:
          name: Item
          type: object
          fields:
            - {name: Id, type: integer, example: 7}
            - {name: On, type: boolean, example: true}
"#;

    #[test]
    fn an_xml_example_is_typed_by_the_schema_and_keys_follow_it() {
        let actions = format!(
            "actions:\n  Ping:\n    area: voice-ivr\n    summary: {{en: Ping.}}\n    effect: none\n{RESPONSE}\
             \n    examples:\n      responses:\n        - format: xml\n          body: \
             \"<PingResponse><Data><Item><On>false</On><Id>1</Id></Item></Data><Total>1</Total>\
             <Code>OK</Code><RequestId>X</RequestId></PingResponse>\"\n"
        );
        assert_eq!(
            body_of(&actions),
            r#"{"RequestId":"X","Code":"OK","Total":1,"Data":[{"Id":1,"On":false}]}"#
        );
    }

    #[test]
    fn without_examples_the_fields_examples_make_the_body() {
        let actions = format!(
            "actions:\n  Ping:\n    area: voice-ivr\n    summary: {{en: Ping.}}\n    effect: none\n    success_code: \"200\"\n{RESPONSE}"
        );
        assert_eq!(
            body_of(&actions),
            r#"{"RequestId":"R-1","Code":"200","Total":2,"Data":[{"Id":7,"On":true}]}"#
        );
    }

    #[test]
    fn a_json_example_is_kept_with_the_success_code_and_a_request_id() {
        let actions = "actions:\n  Ping:\n    area: voice-ivr\n    summary: {en: Ping.}\n    effect: none\n    \
             response:\n      - {name: Code, type: string}\n      - {name: Note, type: string}\n    \
             examples:\n      responses:\n        - format: json\n          body: '{\"Note\": \"hi\"}'\n";
        assert_eq!(
            body_of(actions),
            format!(r#"{{"Code":"OK","Note":"hi","RequestId":"{PLACEHOLDER_REQUEST_ID}"}}"#)
        );
    }
}
