#!/usr/bin/env python3
"""Write an OpenAPI 3.0 document equivalent to a popgen spec (for compile-time comparisons).

    python3 scripts/openapi_from_spec.py [SPEC_DIR] [OUT.json]

Defaults: spec/versions/dyvmsapi-2022-03-31 and stdout. SPEC may be one file: a layered spec
(an imported base with its curation) is first printed as one by `popgen merged DIR`. Needs PyYAML (`pip install pyyaml`).

The document is what a mainstream OpenAPI generator would be handed for the same API, so that the
compile time of its output can be set beside that of `generated/` (scripts/compile-time.sh):

- one operation per action: `POST /<Action>`, operationId = the action name, tagged by area;
- every action param as a `query` parameter (style form) with its type and constraints:
  minimum/maximum, minLength/maxLength, enum (inline, `enum_ref` or `fixed`), pattern, default;
  a repeated param (`Name.N.Field`) becomes an array of objects (`explode: true`) with `maxItems`;
- the response body as a JSON schema of nested objects/arrays/maps, named types (`types`) and
  named enums (`enums`) under `components/schemas` and referenced with `$ref`;
- the product's error body as the 4XX and 5XX responses of every operation, and the receipt
  messages as component schemas (the generated crate has types for both).

What OpenAPI 3.0 cannot say is approximated and listed here, not silently dropped:
- lengths counted in bytes become maxLength (which counts characters);
- strings that carry JSON, date-times in Java patterns, unix millis and separated lists stay
  `type: string` (the decoded shape goes into the description);
- cross-field rules (required-if, mutually-exclusive...) are only described in text;
- `also` (a number sent as a string) is ignored: the declared type is used.

Common params (AccessKeyId, Signature...) are not per operation in either client, so they are left
out. Output is deterministic (sorted keys).
"""

from __future__ import annotations

import json
import pathlib
import sys

import yaml

SCALAR = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "format": "int32"},
    "long": {"type": "integer", "format": "int64"},
    "boolean": {"type": "boolean"},
    "float": {"type": "number", "format": "double"},
}


def load(spec_dir: pathlib.Path) -> dict:
    """Merge every *.yaml file of the spec directory, as popgen's loader does."""
    merged: dict = {"actions": {}, "enums": {}, "types": {}, "receipts": {}, "code_tables": {}}
    # A single file (`popgen merged` prints a layered spec as one) or a flat directory.
    paths = [spec_dir] if spec_dir.is_file() else sorted(spec_dir.glob("*.yaml"))
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "product" in doc:
            merged["product"] = doc["product"]
        for section in ("actions", "enums", "types", "receipts", "code_tables"):
            for key, value in (doc.get(section) or {}).items():
                if key in merged[section]:
                    raise SystemExit(f"{path}: {section}.{key} defined twice")
                merged[section][key] = value
    if "product" not in merged:
        raise SystemExit(f"{spec_dir}: no file has a `product` section")
    return merged


def text(t) -> str | None:
    if not t:
        return None
    return t.get("en")


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def enum_values(values) -> list[str]:
    return [str(v["value"]) for v in values]


def apply_string_rules(schema: dict, rules: dict) -> None:
    """length, pattern, inline enum: the constraints shared by params and list items."""
    length = rules.get("length")
    if length:
        if length.get("min") is not None:
            schema["minLength"] = length["min"]
        if length.get("max") is not None:
            schema["maxLength"] = length["max"]
    if rules.get("pattern"):
        schema["pattern"] = rules["pattern"]


def apply_range(schema: dict, rules: dict) -> None:
    rng = rules.get("range")
    if rng:
        if rng.get("min") is not None:
            schema["minimum"] = rng["min"]
        if rng.get("max") is not None:
            schema["maximum"] = rng["max"]


def describe_format(fmt: dict | None) -> str | None:
    if not fmt:
        return None
    kind = fmt["kind"]
    if kind == "date-time":
        return f"date-time written as `{fmt['pattern']}`"
    if kind == "unix-millis":
        return "milliseconds since the Unix epoch"
    if kind == "json":
        return "JSON text"
    if kind == "list":
        return f"list separated by `{fmt['separator']}`"
    return kind


def param_schema(param: dict) -> dict:
    """The schema of one (non-repeated) param or member of a repeated param."""
    ty = param["type"]
    if param.get("enum_ref"):
        schema = ref(param["enum_ref"])
        # A $ref cannot carry siblings in OpenAPI 3.0: constraints live on the named schema.
        return schema
    schema = dict(SCALAR[ty])
    if param.get("fixed") is not None:
        schema["enum"] = [param["fixed"]]
    elif param.get("enum"):
        values = enum_values(param["enum"])
        schema["enum"] = values if ty == "string" else [int(v) if ty in ("integer", "long") else v for v in values]
    if ty == "string":
        apply_string_rules(schema, param)
        fmt = param.get("format")
        if fmt and fmt["kind"] == "list" and fmt.get("item"):
            # Each item's rules cannot be expressed on the joined string; keep the max count.
            pass
    else:
        apply_range(schema, param)
    if param.get("default") is not None:
        schema["default"] = param["default"]
    desc = describe_format(param.get("format"))
    if desc:
        schema["description"] = desc
    return schema


def repeated_schema(param: dict) -> dict:
    props = {}
    required = []
    for member in param.get("fields", []):
        s = param_schema(member)
        d = text(member.get("description"))
        if d and "$ref" not in s:
            s["description"] = d
        props[member["name"]] = s
        if member.get("required"):
            required.append(member["name"])
    item: dict = {"type": "object", "properties": props}
    if required:
        item["required"] = required
    schema: dict = {"type": "array", "items": item}
    if param.get("max_items") is not None:
        schema["maxItems"] = param["max_items"]
    return schema


def field_schema(field: dict) -> dict:
    """The schema of a response field (objects, arrays and maps nest)."""
    if field.get("type_ref"):
        return ref(field["type_ref"])
    if field.get("enum_ref"):
        return ref(field["enum_ref"])
    ty = field.get("type", "string")
    if ty in SCALAR:
        schema = dict(SCALAR[ty])
        if field.get("enum"):
            values = enum_values(field["enum"])
            schema["enum"] = values if ty == "string" else [int(v) if ty in ("integer", "long") else v for v in values]
        fmt_desc = describe_format(field.get("format"))
        if field.get("json"):
            fmt_desc = "JSON text"
        if fmt_desc:
            schema["description"] = fmt_desc
    elif ty == "object":
        props = {}
        required = []
        for member in field.get("fields", []):
            props[member["name"]] = field_schema(member)
            if member.get("required"):
                required.append(member["name"])
        schema = {"type": "object", "properties": props}
        if required:
            schema["required"] = required
    elif ty == "array":
        schema = {"type": "array", "items": field_schema(field["items"]) if field.get("items") else {}}
    elif ty == "map":
        schema = {
            "type": "object",
            "additionalProperties": field_schema(field["values"]) if field.get("values") else {},
        }
    elif ty == "any":
        schema = {}
    else:
        raise SystemExit(f"unknown field type {ty!r}")
    desc = text(field.get("description"))
    if desc and "description" not in schema and schema:
        schema["description"] = desc
    return schema


def body_schema(fields: list[dict]) -> dict:
    return field_schema({"type": "object", "fields": fields})


def build(spec: dict) -> dict:
    product = spec["product"]
    schemas: dict = {}
    for name, named in spec["enums"].items():
        schemas[name] = {
            "type": "string",
            "enum": enum_values(named["values"]),
            "description": text(named.get("description")) or name,
        }
    for name, shape in spec["types"].items():
        schemas[name] = field_schema(shape)
    for name, receipt in spec["receipts"].items():
        schemas[name] = body_schema(receipt["fields"])
        schemas[name]["description"] = text(receipt.get("summary")) or name
    error_name = f"{product['name']}ErrorBody"
    schemas[error_name] = body_schema(product["error_body"])

    paths: dict = {}
    for action_name, action in spec["actions"].items():
        parameters = []
        for param in action.get("params", []):
            repeated = param["type"] == "repeated"
            p = {
                "name": param["name"],
                "in": "query",
                "required": bool(param.get("required")),
                "style": "form",
                "explode": True,
                "schema": repeated_schema(param) if repeated else param_schema(param),
            }
            d = text(param.get("description"))
            if d:
                p["description"] = d
            parameters.append(p)
        rules = [text(r.get("description")) for r in action.get("rules", [])]
        description = text(action.get("description")) or ""
        if rules:
            description = (description + "\n\nRules:\n" + "\n".join(f"- {r}" for r in rules if r)).strip()
        response_name = f"{action_name}Response"
        schemas[response_name] = body_schema(action["response"])
        operation = {
            "operationId": action_name,
            "summary": text(action.get("summary")),
            "tags": [action["area"]],
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "success",
                    "content": {"application/json": {"schema": ref(response_name)}},
                },
                # Errors as ranges, Dropshot-style: progenitor counts `default` as a success too.
                "4XX": {
                    "description": "client error",
                    "content": {"application/json": {"schema": ref(error_name)}},
                },
                "5XX": {
                    "description": "server error",
                    "content": {"application/json": {"schema": ref(error_name)}},
                },
            },
        }
        if description:
            operation["description"] = description
        if action.get("lifecycle"):
            operation["deprecated"] = True
        paths[f"/{action_name}"] = {"post": operation}

    return {
        "openapi": "3.0.3",
        "info": {
            "title": text(product["title"]) or product["name"],
            "version": product["version"],
            "description": f"{product['name']} {product['version']}, written by scripts/openapi_from_spec.py",
        },
        "servers": [{"url": f"https://{product['endpoint']}"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def main(argv: list[str]) -> int:
    root = pathlib.Path(__file__).resolve().parent.parent
    spec_dir = pathlib.Path(argv[1]) if len(argv) > 1 else root / "spec" / "versions" / "dyvmsapi-2022-03-31"
    doc = build(load(spec_dir))
    out = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if len(argv) > 2:
        pathlib.Path(argv[2]).write_text(out, encoding="utf-8")
        ops = sum(len(v) for v in doc["paths"].values())
        params = sum(len(op["parameters"]) for v in doc["paths"].values() for op in v.values())
        print(f"wrote {argv[2]}: {ops} operations, {params} parameters, "
              f"{len(doc['components']['schemas'])} component schemas", file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
