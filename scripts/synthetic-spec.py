#!/usr/bin/env python3
"""Writes a synthetic popgen spec with N actions, for generator scaling benchmarks.

Usage: scripts/synthetic-spec.py N OUT_DIR

Each action copies the shape of a realistic call-placing action (IvrCall-like): required and
optional params with ranges, byte and character lengths, an inline enum, a JSON-map param, a
repeated param with a per-element rule, cross-field rules, and a nested response with a string
that carries JSON. Deterministic: the same N gives the same files.
"""
import os
import sys


def action(i: int) -> str:
    name = f"SyntheticAction{i:04d}"
    return f"""  {name}:
    area: voice-ivr
    summary: {{en: Synthetic action {i}., zh: 合成接口{i}。}}
    qps: {{per_user: 100, api: 500}}
    effect: {"places-call" if i % 2 else "none"}
    params:
      - {{name: CalledNumber, type: string, required: true, sensitive: true, description: {{en: Callee.}}, pattern: "[0-9]+"}}
      - {{name: StartCode, type: string, required: true, description: {{en: Prompt.}}}}
      - {{name: PlayTimes, type: long, description: {{en: Plays.}}, range: {{min: 1, max: 3}}}}
      - {{name: PauseTime, type: integer, default: 800, description: {{en: Pause.}}, range: {{min: 300, max: 1200, out_of_range: fallback}}}}
      - {{name: OutId, type: string, description: {{en: Caller id.}}, length: {{min: 1, max: 15, unit: bytes}}}}
      - {{name: TaskName, type: string, description: {{en: Name.}}, length: {{max: 30, unit: chars}}}}
      - name: Mode
        type: string
        description: {{en: Mode.}}
        enum: [{{value: FAST, meaning: {{en: Fast.}}}}, {{value: SLOW, meaning: {{en: Slow.}}}}]
      - name: StartTtsParams
        type: string
        description: {{en: Template variables.}}
        format: {{kind: json, schema: {{type: map, values: {{type: string}}}}}}
      - name: MenuKeyMap
        type: repeated
        description: {{en: Keys.}}
        fields:
          - {{name: Key, type: string, required: true, description: {{en: Key.}}}}
          - {{name: Code, type: string, description: {{en: Code.}}}}
          - {{name: TtsParams, type: string, description: {{en: Vars.}}, format: {{kind: json, schema: {{type: map, values: {{type: string}}}}}}}}
        rules:
          - {{kind: required-if, param: TtsParams, when: {{param: Code, matches: "^TTS_"}}, severity: warning, description: {{en: Vars for TTS.}}}}
    rules:
      - {{kind: required-if, param: StartTtsParams, when: {{param: StartCode, matches: "^TTS_"}}, severity: warning, description: {{en: Vars for TTS.}}}}
    response:
      - {{name: RequestId, type: string}}
      - {{name: Code, type: string}}
      - {{name: Message, type: string}}
      - name: Data
        type: string
        json:
          type: object
          fields:
            - {{name: id, type: long}}
            - {{name: items, type: array, items: {{name: Item, type: object, fields: [{{name: number, type: string}}, {{name: state, type: string}}]}}}}
"""


PRODUCT = """product:
  name: Synthetic
  version: "2024-01-01"
  title: {en: Synthetic API}
  endpoint: synthetic.example.invalid
  protocols: [https]
  methods: [POST]
  signatures:
    - {scheme: acs3-hmac-sha256, default: true, description: {en: V3.}}
  common_params:
    - {name: Format, type: string, description: {en: Format.}}
  response:
    formats: [json]
    default_format: json
    xml_root: "{Action}Response"
    success_code: OK
    fields: [{name: RequestId, type: string}]
  error_body: [{name: Code, type: string}]
"""


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "product.yaml"), "w", encoding="utf-8") as f:
        f.write(PRODUCT)
    with open(os.path.join(out, "actions.yaml"), "w", encoding="utf-8") as f:
        f.write("actions:\n")
        for i in range(n):
            f.write(action(i))


if __name__ == "__main__":
    main()
