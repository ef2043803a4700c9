//! `popgen diff`: one fixture pair per kind of change (`fixtures/diff/<NN-kind>/{old,new}`) with
//! snapshots of the three output formats and its expected classification; Rust names as the
//! generator emits them (suffixed ones, and a name that shifts to another item,
//! `fixtures/diff-rust`); the bundled spec against today's API (`spec/fixtures/dyvmsapi-today`);
//! symmetry; the ignore file; the CHANGELOG; and the command's exit statuses.

use std::path::{Path, PathBuf};
use std::process::Command;

use popgen::diff::ignore::IgnoreFile;
use popgen::diff::{Change, FailOn, Kind, Report, Severity, diff, render};
use popgen_spec::Spec;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn today() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures/dyvmsapi-today")
}

fn load(path: &Path) -> Spec {
    match popgen_spec::load::load_paths(&[path.to_path_buf()]) {
        Ok(loaded) => loaded.spec,
        Err(d) => panic!("{} does not load: {d:?}", path.display()),
    }
}

/// The 2022-03-31 reference's spec, the version `dyvmsapi-today` was derived from.
fn reference_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/versions/dyvmsapi-2022-03-31")
}

fn bundled() -> Spec {
    load(&reference_dir())
}

/// Each fixture's one expected change: (fixture, id, kind, wire severity, Rust severity).
const EXPECTED: &[(&str, &str, Kind, Severity, Option<Severity>)] = &[
    (
        "01-action-added",
        "actions.Echo",
        Kind::ActionAdded,
        Severity::Compatible,
        Some(Severity::Compatible),
    ),
    (
        "02-action-removed",
        "actions.Echo",
        Kind::ActionRemoved,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "03-param-added-required",
        "actions.Ping.params[Caller]",
        Kind::ParamAdded,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "04-param-added-optional",
        "actions.Ping.params[Caller]",
        Kind::ParamAdded,
        Severity::Compatible,
        Some(Severity::Warning),
    ),
    (
        "05-param-removed",
        "actions.Ping.params[Times]",
        Kind::ParamRemoved,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "06-param-made-required",
        "actions.Ping.params[Mode].required",
        Kind::MadeRequired,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "07-range-narrowed",
        "actions.Ping.params[Times].range.max",
        Kind::Narrowed,
        Severity::Breaking,
        None,
    ),
    (
        "08-range-widened",
        "actions.Ping.params[Times].range.min",
        Kind::Widened,
        Severity::Compatible,
        None,
    ),
    (
        "09-length-narrowed",
        "actions.Ping.params[Number].length.max",
        Kind::Narrowed,
        Severity::Breaking,
        None,
    ),
    (
        "10-request-enum-value-removed",
        "actions.Ping.params[Mode].enum[slow]",
        Kind::EnumValueRemoved,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "11-request-enum-value-added",
        "actions.Ping.params[Mode].enum[smart]",
        Kind::EnumValueAdded,
        Severity::Compatible,
        Some(Severity::Warning),
    ),
    (
        "12-param-type-changed",
        "actions.Ping.params[Times].type",
        Kind::TypeChanged,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "13-default-changed",
        "actions.Ping.params[Times].default",
        Kind::DefaultChanged,
        Severity::Breaking,
        None,
    ),
    (
        "14-rule-added",
        "actions.Ping.rules[mutually-exclusive(Times, Mode)]",
        Kind::RuleAdded,
        Severity::Breaking,
        Some(Severity::Compatible),
    ),
    (
        "15-response-field-removed",
        "actions.Ping.response[Data].fields[Millis]",
        Kind::FieldRemoved,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "16-response-field-added",
        "actions.Ping.response[Data].fields[Hops]",
        Kind::FieldAdded,
        Severity::Compatible,
        Some(Severity::Compatible),
    ),
    (
        "17-response-field-type-changed",
        "actions.Ping.response[Data].fields[Millis].type",
        Kind::TypeChanged,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "18-response-enum-value-added",
        "enums.PingStatus.values[TIMEOUT]",
        Kind::EnumValueAdded,
        Severity::Warning,
        Some(Severity::Warning),
    ),
    (
        "19-json-shape-field-removed",
        "actions.Ping.response[Data].fields[Detail].json.fields[route]",
        Kind::FieldRemoved,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "20-qps-lowered",
        "actions.Ping.qps.per_user",
        Kind::QpsChanged,
        Severity::Warning,
        None,
    ),
    (
        "21-side-effect-added",
        "actions.Ping.effect",
        Kind::EffectChanged,
        Severity::Warning,
        Some(Severity::Compatible),
    ),
    (
        "22-deprecated",
        "actions.Ping.lifecycle",
        Kind::LifecycleChanged,
        Severity::Warning,
        None,
    ),
    (
        "23-success-code-changed",
        "actions.Ping.success_code",
        Kind::SuccessCodeChanged,
        Severity::Breaking,
        Some(Severity::Compatible),
    ),
    (
        "24-pattern-added",
        "actions.Ping.params[Number].pattern",
        Kind::Narrowed,
        Severity::Breaking,
        None,
    ),
    (
        "25-docs-changed",
        "actions.Ping.summary",
        Kind::DocsChanged,
        Severity::Info,
        None,
    ),
    (
        "26-callee-limit-added",
        "actions.Ping.callee_limit",
        Kind::CalleeLimitAdded,
        Severity::Warning,
        None,
    ),
    (
        "27-callee-limit-lowered",
        "actions.Ping.callee_limit",
        Kind::CalleeLimitChanged,
        Severity::Warning,
        None,
    ),
    (
        "28-suffixed-struct-field-removed",
        "actions.Ping.response[Data].fields[Millis]",
        Kind::FieldRemoved,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "29-suffixed-variant-removed",
        "actions.Ping.params[Mode].enum[unknown]",
        Kind::EnumValueRemoved,
        Severity::Breaking,
        Some(Severity::Breaking),
    ),
    (
        "30-price-raised",
        "pricing.businesses[voice-notification].modes[public].post_paid.tiers[50000].price",
        Kind::PriceRaised,
        Severity::Warning,
        None,
    ),
    (
        "31-price-lowered",
        "pricing.businesses[voice-notification].modes[public].packages[500].price",
        Kind::PriceLowered,
        Severity::Compatible,
        None,
    ),
    (
        "32-package-withdrawn",
        "pricing.businesses[voice-notification].modes[public].packages[50]",
        Kind::PriceWithdrawn,
        Severity::Breaking,
        None,
    ),
    (
        "33-mode-withdrawn",
        "pricing.businesses[voice-notification].modes[dedicated]",
        Kind::PriceWithdrawn,
        Severity::Breaking,
        None,
    ),
    (
        "34-business-added",
        "pricing.businesses[voice-verification]",
        Kind::PriceAdded,
        Severity::Compatible,
        None,
    ),
    (
        "35-price-list-date-changed",
        "pricing.price_list.date",
        Kind::PriceListChanged,
        Severity::Info,
        None,
    ),
    (
        "36-area-moved",
        "actions.Ping.area",
        Kind::DocsChanged,
        Severity::Info,
        Some(Severity::Warning),
    ),
    (
        "37-receipt-condition-changed",
        "actions.Ping.receipts[PingReport]",
        Kind::ReceiptConditionChanged,
        Severity::Info,
        None,
    ),
];

fn pair(name: &str) -> (Spec, Spec) {
    let dir = fixtures().join(name);
    (load(&dir.join("old")), load(&dir.join("new")))
}

#[test]
fn every_fixture_is_listed_with_its_expected_change() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixtures exist")
        .map(|e| {
            e.expect("readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn each_fixture_finds_exactly_its_change_classified() {
    for &(name, id, kind, severity, rust) in EXPECTED {
        let (old, new) = pair(name);
        let changes = diff(&old, &new);
        let found: Vec<(&str, Kind, Severity, Option<Severity>)> = changes
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.kind,
                    c.severity,
                    c.rust_impact.as_ref().map(|r| r.severity),
                )
            })
            .collect();
        assert_eq!(found, vec![(id, kind, severity, rust)], "{name}");
    }
}

#[test]
fn snapshots_of_every_fixture_in_every_format() {
    for &(name, ..) in EXPECTED {
        let (old, new) = pair(name);
        let report = Report::new(&old, &new);
        // The hashes follow every change of the model; `changelog_sections...` checks them.
        let redact = |s: String| {
            s.replace(&report.old.hash, "<old sha256>")
                .replace(&report.new.hash, "<new sha256>")
                .replace(&report.old.hash[..16], "<old sha256>")
                .replace(&report.new.hash[..16], "<new sha256>")
        };
        insta::assert_snapshot!(format!("diff_{name}_text"), redact(render::text(&report)));
        insta::assert_snapshot!(
            format!("diff_{name}_markdown"),
            redact(render::markdown(&report, 2))
        );
        insta::assert_snapshot!(format!("diff_{name}_json"), redact(render::json(&report)));
    }
}

fn rust_what(changes: &[Change]) -> Vec<(&str, &str)> {
    changes
        .iter()
        .filter_map(|c| Some((c.id.as_str(), c.rust_impact.as_ref()?.what.as_str())))
        .collect()
}

#[test]
fn rust_names_are_the_ones_the_generator_emits_suffixes_included() {
    // The request element `Data` is generated first and takes `PingData`.
    let (old, new) = pair("28-suffixed-struct-field-removed");
    assert_eq!(
        rust_what(&diff(&old, &new)),
        [(
            "actions.Ping.response[Data].fields[Millis]",
            "field `millis` of `PingData2` is removed"
        )]
    );
    // An open enum's catch-all is `Unknown`, so the value `unknown` became `Unknown2`.
    let (old, new) = pair("29-suffixed-variant-removed");
    assert_eq!(
        rust_what(&diff(&old, &new)),
        [(
            "actions.Ping.params[Mode].enum[unknown]",
            "variant `Unknown2` of `PingMode` is removed"
        )]
    );
}

#[test]
fn a_generated_name_taken_by_a_new_item_is_a_rename_in_rust_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff-rust/name-shifted");
    let (old, new) = (load(&dir.join("old")), load(&dir.join("new")));
    let changes = diff(&old, &new);
    let found: Vec<(&str, Kind, Severity, Option<Severity>)> = changes
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.kind,
                c.severity,
                c.rust_impact.as_ref().map(|r| r.severity),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "actions.Ping.params[Data]",
                Kind::ParamAdded,
                Severity::Compatible,
                Some(Severity::Warning)
            ),
            // The JSON struct inside is named after its holder: it moves along.
            (
                "actions.Ping.response[Data].fields[Detail].rust_name",
                Kind::ConstraintChanged,
                Severity::Info,
                Some(Severity::Breaking)
            ),
            (
                "actions.Ping.response[Data].rust_name",
                Kind::ConstraintChanged,
                Severity::Info,
                Some(Severity::Breaking)
            ),
        ]
    );
    assert_eq!(changes[1].old.as_deref(), Some("PingDataDetail"));
    assert_eq!(changes[1].new.as_deref(), Some("PingData2Detail"));
    assert_eq!(
        rust_what(&changes)[2].1,
        "`PingData`, the type of field `data` of `PingResponse`, is renamed `PingData2`; code \
         naming `PingData` now names another item or nothing"
    );
    assert_symmetric(&old, &new, "name shifted");
}

fn signature(changes: &[Change]) -> Vec<(String, Kind)> {
    changes.iter().map(|c| (c.id.clone(), c.kind)).collect()
}

fn assert_symmetric(a: &Spec, b: &Spec, label: &str) {
    let forward = diff(a, b);
    let backward = diff(b, a);
    let flipped: Vec<(String, Kind)> = forward
        .iter()
        .map(|c| (c.id.clone(), c.kind.inverse()))
        .collect();
    assert_eq!(signature(&backward), flipped, "{label}");
}

#[test]
fn diffing_is_symmetric_with_inverse_kinds() {
    for &(name, ..) in EXPECTED {
        let (old, new) = pair(name);
        assert_symmetric(&old, &new, name);
    }
    assert_symmetric(&bundled(), &load(&today()), "bundled vs today");
}

#[test]
fn direction_aware_classification_flips_where_it_should() {
    let flips = [
        // Narrowing a request breaks; widening it back is compatible.
        (
            "07-range-narrowed",
            Severity::Breaking,
            Severity::Compatible,
        ),
        (
            "02-action-removed",
            Severity::Breaking,
            Severity::Compatible,
        ),
        (
            "03-param-added-required",
            Severity::Breaking,
            Severity::Breaking,
        ),
        (
            "06-param-made-required",
            Severity::Breaking,
            Severity::Compatible,
        ),
        // A request enum: removing a value breaks, adding one is compatible.
        (
            "10-request-enum-value-removed",
            Severity::Breaking,
            Severity::Compatible,
        ),
        // A response: removing a field breaks, adding one is compatible...
        (
            "16-response-field-added",
            Severity::Compatible,
            Severity::Breaking,
        ),
        // ...adding an enum value must be tolerated, removing one is harmless.
        (
            "18-response-enum-value-added",
            Severity::Warning,
            Severity::Compatible,
        ),
        // A new or lower per-callee limit refuses callers that were fine; the reverse does not.
        (
            "26-callee-limit-added",
            Severity::Warning,
            Severity::Compatible,
        ),
        (
            "27-callee-limit-lowered",
            Severity::Warning,
            Severity::Compatible,
        ),
        // A price raised must be budgeted for; lowered back, nothing to do.
        ("30-price-raised", Severity::Warning, Severity::Compatible),
        // A package or mode withdrawn breaks the estimates that use it; offered again, it does not.
        (
            "32-package-withdrawn",
            Severity::Breaking,
            Severity::Compatible,
        ),
        (
            "33-mode-withdrawn",
            Severity::Breaking,
            Severity::Compatible,
        ),
    ];
    for (name, forward, backward) in flips {
        let (old, new) = pair(name);
        assert_eq!(diff(&old, &new)[0].severity, forward, "{name}");
        assert_eq!(diff(&new, &old)[0].severity, backward, "{name} reversed");
    }
}

#[test]
fn the_bundled_spec_against_itself_has_no_changes() {
    let spec = bundled();
    assert_eq!(diff(&spec, &spec), Vec::new());
    let report = Report::new(&spec, &spec);
    assert!(!report.fails(FailOn::Warning));
    assert!(render::text(&report).contains("no changes"));
}

#[test]
fn today_removes_seven_actions_and_narrows_tts_param() {
    let changes = diff(&bundled(), &load(&today()));
    let found: Vec<(&str, Kind, Severity)> = changes
        .iter()
        .map(|c| (c.id.as_str(), c.kind, c.severity))
        .collect();
    let removed = |a| (a, Kind::ActionRemoved, Severity::Breaking);
    assert_eq!(
        found,
        vec![
            removed("actions.AddRtcAccount"),
            removed("actions.GetCallInfo"),
            removed("actions.GetMqttToken"),
            removed("actions.GetRtcToken"),
            removed("actions.ListHotlineTransferNumber"),
            removed("actions.QueryVirtualNumber"),
            removed("actions.RefreshMqttToken"),
            (
                "actions.SingleCallByTts.params[TtsParam].length.max",
                Kind::Narrowed,
                Severity::Breaking
            ),
        ]
    );
    let tts = changes.last().expect("eight changes");
    assert_eq!(tts.old.as_deref(), Some("at most 999 characters"));
    assert_eq!(tts.new.as_deref(), Some("at most 249 characters"));
    assert!(
        tts.why
            .contains("`TtsParam` values longer than 249 characters"),
        "{}",
        tts.why
    );
}

#[test]
fn accepted_changes_are_listed_but_do_not_fail() {
    let mut report = Report::new(&bundled(), &load(&today()));
    let file = IgnoreFile::parse(
        "accept:\n\
         \x20 - id: actions.SingleCallByTts.params[TtsParam].length.max\n\
         \x20   reason: The service has enforced 250 characters since 2023.\n\
         \x20 - id: actions.*\n\
         \x20   kind: action-removed\n\
         \x20   reason: Withdrawn by the service.\n\
         \x20 - id: actions.Nothing\n\
         \x20   reason: stale\n",
    )
    .expect("a valid ignore file");
    let stale: Vec<&str> = file
        .apply(&mut report.changes)
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(stale, ["actions.Nothing"]);
    assert!(report.changes.iter().all(|c| c.accepted.is_some()));
    assert!(!report.fails(FailOn::Breaking));
    assert_eq!(report.changes.len(), 8);
    assert!(render::text(&report).contains("accepted: The service has enforced 250 characters"));
    assert!(render::json(&report).contains("\"accepted\": \"Withdrawn by the service.\""));
}

#[test]
fn price_changes_say_the_amounts_and_can_be_accepted() {
    let (old, new) = pair("30-price-raised");
    let mut report = Report::new(&old, &new);
    let raised = &report.changes[0];
    assert_eq!(raised.old.as_deref(), Some("0.108 CNY per minute"));
    assert_eq!(raised.new.as_deref(), Some("0.115 CNY per minute"));
    assert!(report.fails(FailOn::Warning));
    let (old, new) = pair("31-price-lowered");
    let lowered = &diff(&old, &new)[0];
    assert_eq!(
        (lowered.old.as_deref(), lowered.new.as_deref()),
        (Some("45 CNY"), Some("40 CNY"))
    );
    let file = IgnoreFile::parse(
        "accept:\n\
         \x20 - id: pricing.businesses[voice-notification].*\n\
         \x20   kind: price-raised\n\
         \x20   reason: The 2026 list; budgets were updated.\n",
    )
    .expect("a valid ignore file");
    assert!(file.apply(&mut report.changes).is_empty());
    assert!(!report.fails(FailOn::Warning));
    assert!(render::text(&report).contains("accepted: The 2026 list"));
    // The kind filters: a withdrawn package is not accepted by an entry for raised prices.
    let (old, new) = pair("32-package-withdrawn");
    let mut report = Report::new(&old, &new);
    assert_eq!(
        file.apply(&mut report.changes)
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        ["pricing.businesses[voice-notification].*"]
    );
    assert!(report.fails(FailOn::Breaking));
}

#[test]
fn amounts_compare_as_numbers_a_smaller_free_quota_costs_more_and_sources_are_docs() {
    use popgen_spec::pricing::Amount;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures/tencent-asr");
    let old = load(&dir);
    let mut new = old.clone();
    let pricing = new.pricing.as_mut().expect("the fixture has prices");
    // Every price written with more digits (`1.75` → `1.7500`, `3200` → `3200.00`): no change.
    let longer = |a: &mut Amount| {
        let dot = if a.0.contains('.') { "" } else { "." };
        a.0 = format!("{}{dot}00", a.0);
    };
    for b in &mut pricing.businesses {
        for m in &mut b.modes {
            for p in m.packages.iter_mut().flat_map(|p| &mut p.sizes) {
                longer(&mut p.price);
            }
            for t in m.post_paid.iter_mut().flat_map(|p| &mut p.tiers) {
                longer(&mut t.price);
            }
        }
    }
    assert_eq!(diff(&old, &new), Vec::new());
    let pricing = new.pricing.as_mut().expect("the fixture has prices");
    let free = pricing.businesses[0].modes[0]
        .free
        .as_mut()
        .expect("file recognition has a free quota");
    free.amount = Amount("8".into());
    let found: Vec<(String, Kind, Severity)> = diff(&old, &new)
        .into_iter()
        .map(|c| (c.id, c.kind, c.severity))
        .collect();
    assert_eq!(
        found,
        [(
            "pricing.businesses[file-recognition].modes[standard].free.amount".to_owned(),
            Kind::Narrowed,
            Severity::Warning
        )]
    );
    assert_symmetric(&old, &new, "free quota");
    // What only people read (where a price is quoted from) is documentation.
    let mut new = old.clone();
    let pricing = new.pricing.as_mut().expect("the fixture has prices");
    let packages = pricing.businesses[0].modes[0].packages.as_mut();
    packages.expect("file recognition has packages").source = "Another table".into();
    let found: Vec<(String, Kind, Severity)> = diff(&old, &new)
        .into_iter()
        .map(|c| (c.id, c.kind, c.severity))
        .collect();
    assert_eq!(
        found,
        [(
            "pricing.businesses[file-recognition].modes[standard].packages.source".to_owned(),
            Kind::DocsChanged,
            Severity::Info
        )]
    );
}

#[test]
fn the_command_fails_on_a_withdrawn_package_unless_accepted() {
    let dir = fixtures().join("32-package-withdrawn");
    let (old, new) = (dir.join("old"), dir.join("new"));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let (code, _, stderr) = popgen(&["diff", old, new]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("pricing.businesses[voice-notification].modes[public].packages[50]"),
        "{stderr}"
    );
    let accepted = std::env::temp_dir().join(format!("popgen-accept-{}.yaml", std::process::id()));
    std::fs::write(
        &accepted,
        "accept:\n  - id: pricing.*\n    kind: price-withdrawn\n    reason: Sold out.\n",
    )
    .expect("a temporary file");
    let (code, stdout, _) = popgen(&[
        "diff",
        old,
        new,
        "--ignore",
        accepted.to_str().unwrap(),
        "--format",
        "json",
    ]);
    std::fs::remove_file(&accepted).ok();
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("\"accepted\": \"Sold out.\""), "{stdout}");
}

#[test]
fn ignore_file_errors_are_all_reported() {
    let errors = IgnoreFile::parse(
        "accept:\n  - id: x\n  - reason: y\n  - id: z\n    reason: r\n    why: w\n",
    )
    .expect_err("three mistakes");
    assert_eq!(
        errors,
        [
            "accept[0]: missing `reason` (say why the change is acceptable)",
            "accept[1]: missing `id`",
            "accept[2]: unknown key `why` (known: id, kind, reason)",
        ]
    );
}

#[test]
fn changelog_sections_go_after_the_title_newest_first() {
    let report = Report::new(&bundled(), &load(&today()));
    let section = render::changelog_section(&report);
    assert!(section.starts_with("## Dyvmsapi 2017-05-25 → Dyvmsapi 2017-05-25\n"));
    assert!(section.contains(&report.old.hash) && section.contains(&report.new.hash));
    let existing = "# Changelog\n\nIntro.\n\n## Older\n\n- something\n";
    let updated = render::insert_changelog(existing, &section);
    let new_at = updated.find(&section).expect("inserted");
    assert!(updated.starts_with("# Changelog\n\nIntro.\n\n"));
    assert!(new_at < updated.find("## Older").expect("kept"));
    assert_eq!(
        render::insert_changelog("", "## A\n"),
        "# Changelog\n\n## A\n"
    );
}

fn popgen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_popgen"))
        .args(args)
        .output()
        .expect("popgen runs");
    (
        out.status.code().expect("an exit status"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_fails_on_breaking_changes_and_names_them() {
    let bundled = reference_dir();
    let (old, new) = (bundled.to_str().unwrap(), today());
    let new = new.to_str().unwrap();
    let (code, stdout, stderr) = popgen(&["diff", old, new]);
    assert_eq!(code, 1);
    assert!(stdout.contains("8 change(s): 8 breaking"), "{stdout}");
    assert!(
        stderr.contains(
            "error: actions.SingleCallByTts.params[TtsParam].length.max (breaking): at most 999 \
             characters → at most 249 characters: `TtsParam` values longer than 249 characters, \
             accepted before, are now rejected"
        ),
        "{stderr}"
    );
    assert_eq!(popgen(&["diff", old, new, "--fail-on", "never"]).0, 0);
    assert_eq!(popgen(&["diff", old, old]).0, 0);
    let (code, stdout, _) = popgen(&["diff", new, old, "--format", "json"]);
    assert_eq!(code, 0, "the reverse only adds");
    assert!(stdout.contains("\"compatible\": 8"), "{stdout}");
}

#[test]
fn warnings_fail_only_when_asked() {
    let dir = fixtures().join("18-response-enum-value-added");
    let (old, new) = (dir.join("old"), dir.join("new"));
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "diff".to_owned(),
            old.display().to_string(),
            new.display().to_string(),
        ];
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    let run = |a: Vec<String>| popgen(&a.iter().map(String::as_str).collect::<Vec<_>>()).0;
    assert_eq!(run(args(&[])), 0);
    assert_eq!(run(args(&["--fail-on", "warning"])), 1);
}

#[test]
fn bad_input_exits_with_2_and_prints_the_diagnostics() {
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/tests/fixtures/broken");
    let one = std::fs::read_dir(&broken)
        .expect("broken fixtures exist")
        .map(|e| e.expect("readable").path())
        .min()
        .expect("at least one");
    let bundled = reference_dir();
    let (code, _, stderr) = popgen(&["diff", bundled.to_str().unwrap(), one.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error:") && stderr.contains("the new spec"),
        "{stderr}"
    );
    let missing = "/nonexistent/ignore.yaml";
    let b = bundled.to_str().unwrap();
    assert_eq!(popgen(&["diff", b, b, "--ignore", missing]).0, 2);
}
