//! The registry a command line and a mock server are built on: every action can be found by
//! name, its success body decodes into its own response type and reports success, and every
//! example request of the reference is accepted by its own `parse_params`.

use dyvmsapi::registry::API;
use popgen_runtime::decode::Format;

#[test]
fn the_api_describes_the_product_and_finds_every_action_by_name() {
    assert_eq!(
        (API.product, API.version, API.endpoint),
        (dyvmsapi::PRODUCT, dyvmsapi::VERSION, dyvmsapi::ENDPOINT)
    );
    let spec = popgen_spec::load::load_bundled()
        .expect("the bundled spec loads")
        .spec;
    assert_eq!(API.actions.len(), spec.actions.len());
    for name in spec.actions.keys() {
        let entry = API
            .action(name)
            .unwrap_or_else(|| panic!("{name} is not found"));
        assert_eq!(entry.meta.name, name);
    }
    assert!(API.action("singlecallbytts").is_none(), "names are exact");
    assert!(API.action("NoSuchAction").is_none());
}

#[test]
fn every_success_body_decodes_and_carries_the_success_code() {
    let mut failures = Vec::new();
    for entry in API.actions {
        let name = entry.meta.name;
        match (entry.decode_response)(Format::Json, entry.success_body) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(decoded) => {
                if decoded["Code"] != entry.meta.success_code {
                    failures.push(format!(
                        "{name}: Code is {}, expected {}",
                        decoded["Code"], entry.meta.success_code
                    ));
                }
                if !decoded["RequestId"].is_string() {
                    failures.push(format!("{name}: no RequestId"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The example requests of the reference that its own param table rejects, by action and wire
/// path, and why. Listed one by one rather than skipped by a rule, so that a new failure — or one
/// of these starting to pass — shows up.
const KNOWN_REJECTED: &[(&str, &str, &str)] = &[
    // Masked digits: `****` is not a number, so a masked integer cannot be read.
    ("CreateRobotTask", "DialogId", "masked long `10000239****`"),
    ("ListCallTaskDetail", "TaskId", "masked long `150001****`"),
    ("StartRobotTask", "TaskId", "masked long `104500****`"),
    ("UploadRobotTaskCalledFile", "Id", "masked long `1045****`"),
    // Masked digits in a closed enum: `1100000030****` is none of the product IDs.
    (
        "QueryCallDetailByCallId",
        "ProdId",
        "masked enum value `1100000030****`",
    ),
    // The reference's example disagrees with its table; the spec keeps it with a note.
    (
        "ExecuteCallTask",
        "TaskId",
        "the example omits the required TaskId (example-violation note)",
    ),
    (
        "QueryCallInTransferRecord",
        "PageSize",
        "the example sends 20, the range is 1–10 (note)",
    ),
    (
        "SubmitHotlineTransferRegister",
        "TransferPhoneNumberInfos",
        "the example sends a JSON array, the table the repeated `.N.*` form (contradiction note)",
    ),
    (
        "SubmitHotlineTransferRegister",
        "TransferPhoneNumberInfos",
        "... so the required list has no `.N.*` element (is required: 1–10 elements, got none)",
    ),
];

#[test]
fn every_example_request_passes_parse_params_but_the_known_rejections() {
    let mut rejected = Vec::new();
    let mut unreadable = Vec::new();
    let mut checked = 0;
    for entry in API.actions {
        for (i, example) in entry.examples.iter().enumerate() {
            let (encoded, report) = (entry.parse_params)(example.params);
            for v in report.errors() {
                rejected.push((entry.meta.name, v.path.clone(), format!("example {i}: {v}")));
            }
            if encoded.is_none() && !report.has_errors() {
                unreadable.push(format!("{} example {i}", entry.meta.name));
            }
            checked += 1;
        }
    }
    assert!(
        unreadable.is_empty(),
        "unreadable without an error: {unreadable:?}"
    );
    let found: Vec<(&str, &str)> = rejected.iter().map(|(a, p, _)| (*a, p.as_str())).collect();
    let mut expected: Vec<(&str, &str)> = KNOWN_REJECTED.iter().map(|(a, p, _)| (*a, *p)).collect();
    expected.sort();
    let details: Vec<&str> = rejected.iter().map(|(_, _, d)| d.as_str()).collect();
    assert_eq!(found, expected, "rejections:\n{}", details.join("\n"));
    assert!(checked >= 40, "only {checked} examples were checked");
}

#[test]
fn callee_limits_are_in_the_metadata_of_the_actions_that_place_notifications() {
    for name in ["SingleCallByVoice", "SingleCallByTts"] {
        let limit = API.action(name).and_then(|a| a.meta.callee_limit);
        let limit = limit.unwrap_or_else(|| panic!("{name} has no callee limit"));
        assert_eq!(
            (limit.param, limit.per_minute, limit.per_hour, limit.per_day),
            ("CalledNumber", 1, 5, 20),
            "{name}"
        );
    }
}

/// Every generated request type is an `Operation` tied to its own action and response type, so
/// `Client::send` can only send it as that action.
#[test]
fn each_request_type_is_its_own_operation() {
    use popgen_runtime::action::Operation;
    fn response_of<O: Operation<Response = R>, R>() {}
    assert_eq!(
        <dyvmsapi::IvrCallRequest as Operation>::META.name,
        "IvrCall"
    );
    assert!(<dyvmsapi::IvrCallRequest as Operation>::META.side_effects);
    response_of::<dyvmsapi::IvrCallRequest, dyvmsapi::IvrCallResponse>();
    assert_eq!(
        <dyvmsapi::QueryCallDetailByCallIdRequest as Operation>::META,
        <dyvmsapi::QueryCallDetailByCallIdRequest as dyvmsapi::Operation>::META
    );
    response_of::<dyvmsapi::SingleCallByTtsRequest, dyvmsapi::SingleCallByTtsResponse>();
}
