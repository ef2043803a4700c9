//! Links in the sources' prose. Alibaba's metadata links to its documentation by id,
//! `[API错误码](~~112502~~)` (the page `https://help.aliyun.com/document_detail/112502.html`),
//! and to other actions by name, `[CreateRobotTask](~~CreateRobotTask~~)` (a page of Alibaba's
//! portal with no address of its own); everything else is a Markdown link or a bare URL. The docs
//! site and rustdoc both read spec text through here.

/// The address of a document id, or `None` for a name.
fn doc_address(target: &str) -> Option<String> {
    (!target.is_empty() && target.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("https://help.aliyun.com/document_detail/{target}.html"))
}

/// A piece of prose: plain text, or a link with its label and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Text with no link.
    Text(&'t str),
    /// `[label](address)`, the address resolved.
    Link(&'t str, String),
}

/// Splits `text` into text and links: `[label](target)` with a URL or a document id is a link;
/// a link to a name keeps only its label; a bare `http(s)://` URL is a link to itself.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match next_link(rest) {
            Some((start, end, piece)) => {
                if start > 0 {
                    bare_urls(&rest[..start], &mut out);
                }
                out.push(piece);
                rest = &rest[end..];
            }
            None => {
                bare_urls(rest, &mut out);
                break;
            }
        }
    }
    out
}

/// The first `[label](target)` in `text`: its byte range and what it is.
fn next_link(text: &str) -> Option<(usize, usize, Piece<'_>)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| i + from) {
        let close = text[open..].find("](").map(|i| i + open)?;
        let label = &text[open + 1..close];
        let target_start = close + 2;
        let target_end = text[target_start..].find(')').map(|i| i + target_start)?;
        let target = text[target_start..target_end].trim();
        if label.contains('[') || label.contains('\n') {
            from = open + 1;
            continue;
        }
        let piece = if let Some(id) = target.strip_prefix("~~").and_then(|t| t.strip_suffix("~~")) {
            match doc_address(id) {
                Some(address) => Piece::Link(label, address),
                None => Piece::Text(label),
            }
        } else if target.starts_with("http://") || target.starts_with("https://") {
            Piece::Link(label, target.to_owned())
        } else {
            from = open + 1;
            continue;
        };
        return Some((open, target_end + 1, piece));
    }
    None
}

/// Splits plain text around bare `http(s)://` URLs.
fn bare_urls<'t>(text: &'t str, out: &mut Vec<Piece<'t>>) {
    let mut rest = text;
    while let Some(i) = ["https://", "http://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        let end = rest[i..]
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(c, ')' | '）' | '，' | '。' | '、' | '"' | '\'' | '>' | '<')
            })
            .map_or(rest.len(), |e| i + e);
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        out.push(Piece::Link(&rest[i..end], rest[i..end].to_owned()));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
}

/// The text as Markdown for the docs site: document ids become addresses, links to names their
/// label.
pub fn markdown(text: &str) -> String {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_owned(),
            Piece::Link(label, address) if label == address => address,
            Piece::Link(label, address) => format!("[{label}]({address})"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_names_urls() {
        assert_eq!(
            markdown("见[API错误码](~~112502~~)。"),
            "见[API错误码](https://help.aliyun.com/document_detail/112502.html)。"
        );
        assert_eq!(
            markdown("调用[CreateRobotTask](~~CreateRobotTask~~)创建"),
            "调用CreateRobotTask创建"
        );
        assert_eq!(
            pieces("控制台https://dyvms.console.aliyun.com/job/list，查看"),
            [
                Piece::Text("控制台"),
                Piece::Link(
                    "https://dyvms.console.aliyun.com/job/list",
                    "https://dyvms.console.aliyun.com/job/list".into()
                ),
                Piece::Text("，查看"),
            ]
        );
        assert_eq!(
            markdown("[x] not a link, [y](relative)"),
            "[x] not a link, [y](relative)"
        );
    }
}
