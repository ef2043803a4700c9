//! Rules that exist only in the Chinese prose of a description, read with a few patterns. Each
//! fact keeps the exact phrase it was read from; a sentence that looks like a rule (it says 取值范围,
//! 长度, 默认, 最大值 or 最小值) but yields none is returned as unparsed, so nothing is dropped
//! silently.
//!
//! Recognised (emphasis `**` and spaces allowed around numbers):
//!
//! | rule | phrases |
//! |---|---|
//! | range | `取值范围：**1~3**`, `取值范围为30 - 86400`, `取值范围：-500~500`, `最大值**100**`, `最小值为**1**` |
//! | length | `长度限制为1~15个字符`, `长度为1~15个字节`, `不超过30个字符`, `长度不超过200个字符` (字符 and 位 count characters, 字节 bytes) |
//! | default | `默认取值**3**`, `默认值为**1**`, `默认为**20**` (a number, or an emphasised or ASCII word) |
//! | fixed value | `固定取值：**LIST**` |
//! | enum | after `取值`, list items `- **X**：meaning` (two or more) |
//! | list | `以半角逗号（,）分隔` (separator `,`), with `最多支持10个` as its item limit |
//! | QPS | `单用户调用频率：1000次/秒` |

use std::sync::OnceLock;

use regex::Regex;

use crate::read::Number;

/// What a description's prose says, each fact with its phrase.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// `(min, max, phrase)`; either bound may be missing.
    pub range: Option<(Option<Number>, Option<Number>, String)>,
    /// `(min, max, counts bytes, phrase)`.
    pub length: Option<(Option<u32>, Option<u32>, bool, String)>,
    /// `(value as written, phrase)`.
    pub default: Option<(String, String)>,
    /// `(value, phrase)`.
    pub fixed: Option<(String, String)>,
    /// `(members as (value, meaning), phrase)`.
    pub members: Option<(Vec<(String, String)>, String)>,
    /// `(separator, most items, phrase)`.
    pub list: Option<(String, Option<u32>, String)>,
    /// `(calls per second per user, phrase)`.
    pub qps: Option<(u32, String)>,
    /// Sentences that look like a rule but yield none.
    pub unparsed: Vec<String>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("the patterns are valid"))
}

const NUM: &str = r"(-?\d+(?:\.\d+)?)";

fn range_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        &format!(
            r"取值范围(?:为|是)?\s*[：:]?\s*\**\s*{NUM}\s*\**\s*(?:~|～|-|－|—|至|到)\s*\**\s*{NUM}\s*\**"
        ),
    )
}

fn bracket_range_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        &format!(r"取值范围(?:为|是)?\s*[：:]?\s*`?\[\s*{NUM}\s*[,，]\s*{NUM}\s*\]`?"),
    )
}

fn listed_values_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"取值(?:范围)?(?:为|是)?\s*[：:]\s*((?:\**[A-Za-z0-9_.\-]+\**\s*[、，,]\s*)+\**[A-Za-z0-9_.\-]+\**)",
    )
}

fn max_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        &format!(r"最大值(?:为|是)?\s*[：:]?\s*\**\s*{NUM}\s*\**"),
    )
}

fn min_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        &format!(r"最小值(?:为|是)?\s*[：:]?\s*\**\s*{NUM}\s*\**"),
    )
}

fn length_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"长度(?:限制)?(?:为|在|是)?\s*[：:]?\s*\**(\d+)\**\s*(?:~|～|-|－|至|到)\s*\**(\d+)\**\s*个?(字符|字节|位)",
    )
}

fn length_max_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?:长度)?(?:限制)?(?:不超过|不能超过|最长为?|不大于|限制为?)\s*\**(\d+)\**\s*个?(?:ASCII|英文)?\s*(字符|字节|位)",
    )
}

fn default_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"默认(?:取值|值)?(?:为|是)?\s*[：:]?\s*(?:\*\*([^*\n]{1,64})\*\*|(-?\d+(?:\.\d+)?)|([A-Za-z][A-Za-z0-9_.\-]{0,63}))",
    )
}

fn fixed_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"固定(?:取值|值)?(?:为|是)?\s*[：:]?\s*\**([A-Za-z0-9_.\-]{1,64})\**",
    )
}

fn member_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?m)^\s*[-*]\s+\*\*([^*\n]{1,64}?)\*\*\s*[：:]\s*(.*)$",
    )
}

fn list_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?:以|用|使用)?半角逗号\s*[（(]\s*[,，]\s*[）)]\s*(?:分隔|隔开)",
    )
}

fn most_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"最多(?:支持|可(?:输入|上传|传入|添加))?\s*\**(\d+)\**\s*个",
    )
}

fn qps_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"单用户调用频率\s*[：:]?\s*\**(\d+)\**\s*次/秒")
}

/// The words that make a sentence look like it states a rule.
const RULE_WORDS: [&str; 5] = ["取值范围", "长度", "默认", "最大值", "最小值"];

/// Reads the facts of a description.
pub fn read(text: &str) -> Facts {
    let mut f = Facts::default();
    if let Some(c) = range_re()
        .captures(text)
        .or_else(|| bracket_range_re().captures(text))
    {
        f.range = Some((
            Number::parse(&c[1]),
            Number::parse(&c[2]),
            c[0].trim().to_owned(),
        ));
    } else {
        let max = max_re().captures(text);
        let min = min_re().captures(text);
        if max.is_some() || min.is_some() {
            let phrase = [&min, &max]
                .iter()
                .filter_map(|c| c.as_ref().map(|c| c[0].trim().to_owned()))
                .collect::<Vec<_>>()
                .join("; ");
            f.range = Some((
                min.and_then(|c| Number::parse(&c[1])),
                max.and_then(|c| Number::parse(&c[1])),
                phrase,
            ));
        }
    }
    f.length = length(text);
    f.default = default_re().captures(text).and_then(|c| {
        let value = c.get(1).or(c.get(2)).or(c.get(3))?.as_str().trim();
        (!value.is_empty()).then(|| (value.to_owned(), c[0].trim().to_owned()))
    });
    f.fixed = fixed_re()
        .captures(text)
        .map(|c| (c[1].to_owned(), c[0].trim().to_owned()));
    f.members = members(text).or_else(|| listed_values(text));
    // A separator that a member's meaning mentions (`- **LIST**：用半角逗号（,）分隔`) is that
    // member's business, not the param's.
    let outside_members: String = text
        .lines()
        .filter(|l| !member_re().is_match(l))
        .collect::<Vec<_>>()
        .join("\n");
    f.list = list_re().find(&outside_members).map(|m| {
        let most = most_re().captures(&outside_members);
        let mut phrase = m.as_str().to_owned();
        if let Some(c) = &most {
            phrase = format!("{phrase}; {}", c[0].trim());
        }
        (",".to_owned(), most.and_then(|c| c[1].parse().ok()), phrase)
    });
    f.qps = qps_re()
        .captures(text)
        .and_then(|c| Some((c[1].parse().ok()?, c[0].trim().to_owned())));
    f.unparsed = unparsed(text, &f);
    f
}

fn length(text: &str) -> Option<(Option<u32>, Option<u32>, bool, String)> {
    if let Some(c) = length_re().captures(text) {
        return Some((
            c[1].parse().ok(),
            c[2].parse().ok(),
            &c[3] == "字节",
            c[0].trim().to_owned(),
        ));
    }
    let c = length_max_re().captures(text)?;
    Some((
        None,
        c[1].parse().ok(),
        &c[2] == "字节",
        c[0].trim().to_owned(),
    ))
}

/// `- **X**：meaning` items after a `取值` that introduces them; two or more, each value a
/// single token.
fn members(text: &str) -> Option<(Vec<(String, String)>, String)> {
    let intro = text.find("取值")?;
    let rest = &text[intro..];
    let mut members = Vec::new();
    let mut phrase = Vec::new();
    for c in member_re().captures_iter(rest) {
        let value = c[1].trim();
        if value.is_empty() || value.chars().any(char::is_whitespace) {
            return None;
        }
        members.push((
            unescape(value),
            c[2].trim().trim_end_matches('。').to_owned(),
        ));
        phrase.push(c[0].trim().to_owned());
    }
    (members.len() >= 2).then(|| (members, phrase.join(" ")))
}

/// A value as the wire spells it: Markdown's escapes removed (`VMS\_TTS` → `VMS_TTS`).
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `取值范围：en、zh、ja`: values listed in one line, without meanings.
fn listed_values(text: &str) -> Option<(Vec<(String, String)>, String)> {
    let c = listed_values_re().captures(text)?;
    let values: Vec<(String, String)> = c[1]
        .split(['、', '，', ','])
        .map(|v| (unescape(v.trim().trim_matches('*')), String::new()))
        .filter(|(v, _)| !v.is_empty())
        .collect();
    (values.len() >= 2).then(|| (values, c[0].trim().to_owned()))
}

/// The sentences that say a rule word but gave no fact.
fn unparsed(text: &str, f: &Facts) -> Vec<String> {
    let phrases: Vec<&str> = [
        f.range.as_ref().map(|r| r.2.as_str()),
        f.length.as_ref().map(|l| l.3.as_str()),
        f.default.as_ref().map(|d| d.1.as_str()),
        f.fixed.as_ref().map(|d| d.1.as_str()),
        f.members.as_ref().map(|m| m.1.as_str()),
    ]
    .into_iter()
    .flatten()
    .flat_map(|p| p.split("; "))
    .collect();
    text.split(['。', '；', ';', '\n'])
        .map(str::trim)
        .filter(|s| RULE_WORDS.iter().any(|w| s.contains(w)))
        .filter(|s| !phrases.iter().any(|p| s.contains(p) || p.contains(*s)))
        // A sentence about the N of `Name.N` is not about the value.
        .filter(|s| !s.contains("N的取值范围"))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let f = read("语音文件的播放次数。取值范围：**1~3**，默认取值**3**。");
        assert_eq!(
            f.range,
            Some((
                Some(Number::Int(1)),
                Some(Number::Int(3)),
                "取值范围：**1~3**".into()
            ))
        );
        assert_eq!(f.default, Some(("3".into(), "默认取值**3**".into())));
        assert!(f.unparsed.is_empty(), "{:?}", f.unparsed);
        let f = read("语音文件播放的语速。取值范围：**-500~500**。");
        assert_eq!(
            f.range.map(|r| (r.0, r.1)),
            Some((Some(Number::Int(-500)), Some(Number::Int(500))))
        );
        let f = read("回源缓存数据TTL(最小值)，取值范围为30 - 86400");
        assert_eq!(
            f.range.map(|r| (r.0, r.1)),
            Some((Some(Number::Int(30)), Some(Number::Int(86400))))
        );
        let f = read("分页查询时设置的每页行数，最大值**100**，最小值为**1**，默认值为**20**。");
        assert_eq!(
            f.range,
            Some((
                Some(Number::Int(1)),
                Some(Number::Int(100)),
                "最小值为**1**; 最大值**100**".into()
            ))
        );
        assert_eq!(f.default.map(|d| d.0), Some("20".into()));
    }

    #[test]
    fn lengths_with_their_unit() {
        let f = read("字符串类型，长度限制为1~15个字符。");
        assert_eq!(
            f.length,
            Some((Some(1), Some(15), false, "长度限制为1~15个字符".into()))
        );
        let f = read("字符串类型，长度为1~15个字节。");
        assert_eq!(f.length.map(|l| l.2), Some(true));
        let f = read("任务名称。支持中文和英文，不超过30个字符。");
        assert_eq!(
            f.length,
            Some((None, Some(30), false, "不超过30个字符".into()))
        );
        let f = read("短信签名场景说明，长度不超过200个字符。");
        assert_eq!(f.length.map(|l| l.1), Some(Some(200)));
    }

    #[test]
    fn fixed_values_members_lists_and_qps() {
        assert_eq!(
            read("主叫号码类型。固定取值：**LIST**。").fixed,
            Some(("LIST".into(), "固定取值：**LIST**".into()))
        );
        let f = read(
            "被叫号码类型。取值：\n- **LIST**：用半角逗号（,）分隔被叫号码。\n- **JSON**：JSON格式带模板参数的被叫号码列表。",
        );
        let members = f.members.expect("members").0;
        assert_eq!(
            members[0],
            ("LIST".into(), "用半角逗号（,）分隔被叫号码".into())
        );
        assert_eq!(members[1].0, "JSON");
        let f = read(
            "被叫号码类型。取值：\n\n- **LIST**：用半角逗号（,）分隔被叫号码。\n- **JSON**：JSON格式。",
        );
        assert!(
            f.list.is_none(),
            "a member's meaning is not the param's format"
        );
        let f = read("语音文件ID。\n> 每次查询最多支持10个语音文件，以半角逗号（,）分隔。");
        assert_eq!(f.list.map(|l| (l.0, l.1)), Some((",".into(), Some(10))));
        let f = read("### QPS限制\n单用户调用频率：1000次/秒。");
        assert_eq!(f.qps, Some((1000, "单用户调用频率：1000次/秒".into())));
    }

    #[test]
    fn values_listed_in_a_line_and_bracketed_ranges() {
        let f = read("语言类型。取值范围：en、zh、ja。");
        let values: Vec<String> = f
            .members
            .expect("members")
            .0
            .into_iter()
            .map(|m| m.0)
            .collect();
        assert_eq!(values, ["en", "zh", "ja"]);
        let f = read(
            "业务类型。取值：\n- **VMS\\_VOICE\\_TTS**：文本转语音。\n- **VMS\\_TTS**：语音验证码。",
        );
        assert_eq!(f.members.expect("members").0[0].0, "VMS_VOICE_TTS");
        let f = read("超时时间，单位：毫秒，取值范围：2000、3000、5000、10000");
        assert_eq!(f.members.map(|m| m.0.len()), Some(4));
        let f = read("MX记录的优先级，取值范围：`[1,50]`");
        assert_eq!(
            f.range.map(|r| (r.0, r.1)),
            Some((Some(Number::Int(1)), Some(Number::Int(50))))
        );
        let f = read("由客户端生成该参数值，要保证在不同请求间唯一，最大值不超过64个ASCII字符");
        assert_eq!(f.length.map(|l| (l.1, l.2)), Some((Some(64), false)));
        assert!(f.range.is_none());
    }

    #[test]
    fn rule_sentences_that_do_not_parse_are_kept() {
        let f = read("重拨间隔。单位：分钟，必须大于1。默认为空时不重拨。");
        assert!(f.default.is_none(), "{:?}", f.default);
        assert_eq!(f.unparsed, ["默认为空时不重拨"]);
        // The N of `Tag.N.Key` is not the value's range.
        assert!(read("标签键。N的取值范围为\\[1, 20]。").unparsed.is_empty());
    }

    #[test]
    fn ordinary_prose_gives_nothing() {
        assert_eq!(read("请求ID。"), Facts::default());
        assert_eq!(read("默认情况下，系统会自动选择。").default, None);
    }
}
