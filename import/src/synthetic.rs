//! Synthetic api-docs metadata of any size, for benchmarks and property tests: actions with
//! scalar, repeated, JSON and form params, prose rules, nested responses and response examples,
//! in the shapes Alibaba's metadata uses. Deterministic for a given seed.

use serde_json::{Value, json};

/// A small deterministic generator (xorshift), so the shapes vary without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Metadata text of a product with `actions` actions.
pub fn metadata(actions: usize, seed: u64) -> String {
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut apis = serde_json::Map::new();
    let mut dirs: Vec<Value> = Vec::new();
    for i in 0..actions {
        let name = format!(
            "Describe{}Resource{i}",
            ["Instance", "Disk", "Image", "Snapshot"][i % 4]
        );
        if i % 20 == 0 {
            dirs.push(json!({"id": 1000 + i, "title": format!("资源组{i}"), "type": "directory", "children": []}));
        }
        if let Some(Value::Array(children)) = dirs.last_mut().and_then(|d| d.get_mut("children")) {
            children.push(Value::String(name.clone()));
        }
        apis.insert(name.clone(), api(&mut rng, &name));
    }
    let doc = json!({
        "version": "1.0",
        "info": {"style": "RPC", "product": "Synthetic", "version": "2020-01-01"},
        "directories": dirs,
        "components": {"schemas": {}},
        "apis": apis,
        "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "synthetic.aliyuncs.com"}],
    });
    serde_json::to_string_pretty(&doc).expect("JSON")
}

fn api(rng: &mut Rng, name: &str) -> Value {
    let mut params = Vec::new();
    for j in 0..(4 + rng.below(8)) {
        params.push(param(rng, j));
    }
    let body = r#"{"RequestId": "A1B2", "Code": "OK", "TotalCount": 3, "Items": [{"Id": "i-1", "Status": "Running"}]}"#;
    let demo = json!([{"type": "json", "example": body, "errorExample": ""}]);
    let tag = ["get", "create", "update", "none"][rng.below(4) as usize];
    json!({
        "methods": ["post", "get"],
        "schemes": ["https"],
        "operationType": if rng.below(3) == 0 { "readAndWrite" } else { "read" },
        "systemTags": {"operationType": tag},
        "parameters": params,
        "responses": {"200": {"schema": {"type": "object", "properties": {
            "RequestId": {"type": "string", "description": "请求ID。", "example": "A1B2"},
            "Code": {"type": "string", "description": "状态码。", "example": "OK"},
            "TotalCount": {"type": "integer", "format": "int32", "description": "总数。", "example": "3"},
            "Items": {"type": "array", "items": {"type": "object", "properties": {
                "Id": {"type": "string", "description": "资源ID。", "example": "i-1"},
                "Status": {"type": "string", "description": "状态。取值：\n- **Running**：运行中。\n- **Stopped**：已停止。", "example": "Running"},
                "Tags": {"type": "array", "items": {"type": "object", "properties": {
                    "Key": {"type": "string"}, "Value": {"type": "string"}}}}
            }}}
        }}}},
        "errorCodes": {"400": [{"errorCode": "InvalidParameter", "errorMessage": "The parameter is invalid.", "description": "参数无效。"}]},
        "responseDemo": demo.to_string(),
        "title": format!("查询{name}"),
        "summary": format!("调用{name}查询资源的详细信息。"),
        "description": "### QPS限制\n单用户调用频率：100次/秒。",
    })
}

fn param(rng: &mut Rng, j: u64) -> Value {
    match rng.below(6) {
        0 => json!({"name": format!("PageSize{j}"), "in": "query", "schema": {
            "type": "integer", "format": "int32", "required": false,
            "description": "分页查询时设置的每页行数，最大值**100**，最小值为**1**，默认值为**20**。", "example": "20"}}),
        1 => json!({"name": format!("Name{j}"), "in": "query", "schema": {
            "type": "string", "required": rng.below(2) == 0,
            "description": "资源名称。长度为2~128个字符。", "example": "test", "maxLength": "128"}}),
        2 => json!({"name": format!("Tag{j}"), "in": "query", "style": "repeatList", "schema": {
            "type": "array", "maxItems": 20, "items": {"type": "object", "properties": {
                "Key": {"type": "string", "description": "标签键。", "example": "k"},
                "Value": {"type": "string", "description": "标签值。", "example": "v"}}}}}),
        3 => json!({"name": format!("Ids{j}"), "in": "query", "style": "json", "schema": {
            "type": "array", "items": {"type": "string"}, "description": "资源ID列表。", "example": "[\"i-1\"]"}}),
        4 => json!({"name": format!("Mode{j}"), "in": "query", "schema": {
            "type": "string", "description": "模式。取值：\n- **fast**：快速。\n- **safe**：安全。", "example": "fast",
            "enum": ["fast", "safe"]}}),
        _ => json!({"name": format!("Content{j}"), "in": "formData", "schema": {
            "type": "string", "required": false, "description": "内容。不超过1000个字符。", "example": "abc"}}),
    }
}
