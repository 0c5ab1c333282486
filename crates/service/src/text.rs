//! Text in and out: local Markdown becomes HTML with linked hashtags and
//! mentions; every HTML, local or remote, goes through one sanitizer before
//! it is stored or shown.

use std::collections::BTreeSet;

use ammonia::Builder;
use maillage_core::html::escape_html;
use pulldown_cmark::{html, Options, Parser};

/// The HTML a post may contain: what Mastodon keeps, plus lists, quotes and
/// code, which Markdown produces.
fn sanitizer() -> Builder<'static> {
    let mut b = Builder::empty();
    b.add_tags([
        "p",
        "br",
        "a",
        "span",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ])
    .add_tag_attributes("a", ["href"])
    .add_tag_attributes("ol", ["start"])
    .add_allowed_classes("a", ["mention", "hashtag", "u-url", "status-link"])
    .add_allowed_classes("span", ["h-card", "invisible", "ellipsis"])
    .url_schemes(["http", "https", "mailto"].into_iter().collect())
    .link_rel(Some("nofollow noopener noreferrer"));
    b
}

/// Sanitizes HTML from anywhere (a remote server, or our own rendering).
pub fn sanitize_html(html: &str) -> String {
    static SANITIZER: std::sync::LazyLock<Builder<'static>> = std::sync::LazyLock::new(sanitizer);
    SANITIZER.clean(html).to_string()
}

/// HTML from another server, sanitized and within the cap of the local
/// field it fills: when its text is longer than `max_chars`, only the text
/// is kept, cut there, so that a peer cannot store more than a person here
/// could write.
pub fn sanitize_capped(html: &str, max_chars: usize) -> String {
    let clean = sanitize_html(html);
    // Text is never longer than its HTML: most posts need no second pass.
    if clean.len() <= max_chars {
        return clean;
    }
    let text = html_to_text(&clean);
    if text.chars().count() <= max_chars {
        return clean;
    }
    let cut: String = text.chars().take(max_chars).collect();
    format!("<p>{}…</p>", escape_html(cut.trim_end()))
}

/// A `#hashtag` or `@mention` found in local text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Token {
    Hashtag(String),
    /// `username` and, for a remote account, its domain.
    Mention {
        username: String,
        domain: Option<String>,
    },
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Finds hashtags and mentions: a `#` or `@` at the start or after a space.
pub fn scan_tokens(text: &str) -> BTreeSet<Token> {
    let mut found = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let at_boundary = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(';
        if at_boundary && (chars[i] == '#' || chars[i] == '@') {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && is_word_char(chars[end]) {
                end += 1;
            }
            let word: String = chars[start..end].iter().collect();
            if chars[i] == '#' && !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit()) {
                found.insert(Token::Hashtag(word.to_lowercase()));
            } else if chars[i] == '@' && !word.is_empty() {
                let mut domain = None;
                if end < chars.len() && chars[end] == '@' {
                    let mut d_end = end + 1;
                    while d_end < chars.len()
                        && (chars[d_end].is_alphanumeric() || "-.:".contains(chars[d_end]))
                    {
                        d_end += 1;
                    }
                    let d: String = chars[end + 1..d_end].iter().collect();
                    let d = d.trim_end_matches(['.', ':']).to_owned();
                    if !d.is_empty() {
                        end = end + 1 + d.chars().count();
                        domain = Some(d.to_lowercase());
                    }
                }
                found.insert(Token::Mention { username: word, domain });
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// Renders local Markdown to sanitized HTML; `link` turns each token into
/// an anchor (or `None` to leave it as text).
pub fn render_markdown(source: &str, link: &dyn Fn(&Token) -> Option<String>) -> String {
    let mut linked = String::with_capacity(source.len());
    let tokens = scan_tokens(source);
    let mut rest = source;
    // Replace the longest tokens first would need positions; instead walk
    // the text once and rebuild it, linking each token occurrence.
    while let Some(pos) = rest.find(['#', '@']) {
        let (before, from) = rest.split_at(pos);
        linked.push_str(before);
        let boundary = linked.chars().last().is_none_or(|c| c.is_whitespace() || c == '(');
        let candidate = tokens.iter().find_map(|t| {
            let text = token_text(t);
            (boundary && starts_with_token(from, &text)).then_some((t, text))
        });
        match candidate.and_then(|(t, text)| link(t).map(|html| (html, text))) {
            Some((html, text)) => {
                linked.push_str(&html);
                rest = &from[text.len()..];
            }
            None => {
                let c = from.chars().next().unwrap_or('#');
                linked.push(c);
                rest = &from[c.len_utf8()..];
            }
        }
    }
    linked.push_str(rest);
    let mut out = String::new();
    let options = Options::ENABLE_STRIKETHROUGH;
    html::push_html(&mut out, Parser::new_ext(&linked, options));
    sanitize_html(&out)
}

fn token_text(t: &Token) -> String {
    match t {
        Token::Hashtag(tag) => format!("#{tag}"),
        Token::Mention { username, domain: Some(d) } => format!("@{username}@{d}"),
        Token::Mention { username, domain: None } => format!("@{username}"),
    }
}

/// Case-insensitive prefix match that also requires the token to end at a
/// word boundary.
fn starts_with_token(text: &str, token: &str) -> bool {
    let Some(head) = text.get(..token.len()) else { return false };
    head.to_lowercase() == token.to_lowercase()
        && text[token.len()..].chars().next().is_none_or(|c| !is_word_char(c) && c != '@')
}

/// Text without tags, for summaries and search.
pub fn html_to_text(html: &str) -> String {
    let cleaned = Builder::empty().clean(&html.replace("</p>", "</p>\n").replace("<br", "\n<br")).to_string();
    cleaned
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .trim()
        .to_owned()
}

/// The words of already-sanitized HTML, fast: tags become spaces and the
/// common entities are decoded. For matching, where only words count;
/// [`html_to_text`] is the exact one.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => rest = &rest[end + 1..],
                None => rest = "",
            }
            out.push(' ');
            continue;
        }
        let entity = rest.find(';').filter(|&end| end <= 10).map(|end| (&rest[1..end], end));
        let decoded = entity.and_then(|(name, end)| {
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn strip_tags_keeps_the_words() {
        let text = super::strip_tags(
            "<p>V&eacute;lo &amp; <b>freins</b>&nbsp;&#233;t&#xE9;<br>l&#39;atelier</p> & co",
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["V&eacute;lo", "&", "freins", "été", "l'atelier", "&", "co"]);
    }

    use super::*;

    #[test]
    fn remote_html_is_capped_like_local_text() {
        let short = "<p>Bonjour <a href=\"https://a.example/\">là</a></p>";
        assert_eq!(sanitize_capped(short, 20), sanitize_html(short), "within the cap: kept as it is");
        let long = format!("<p>{}</p><script>x</script>", "é".repeat(600));
        let capped = sanitize_capped(&long, 500);
        assert_eq!(html_to_text(&capped).chars().count(), 501, "500 characters and an ellipsis: {capped}");
        assert!(capped.starts_with("<p>é") && !capped.contains("script"));
        let tricky = format!("<p>{}&lt;script&gt;</p>", "a".repeat(10));
        assert!(!sanitize_capped(&tricky, 12).contains("<script"), "text is escaped again");
    }

    #[test]
    fn scripts_and_unknown_attributes_are_removed() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a><img src=x onerror=y></p>"#;
        let clean = sanitize_html(dirty);
        assert!(!clean.contains("script") && !clean.contains("onclick") && !clean.contains("javascript"));
        assert!(!clean.contains("<img"));
        assert!(clean.starts_with("<p>Hi "), "{clean}");
    }

    #[test]
    fn links_get_safe_rel() {
        let clean = sanitize_html(r#"<a href="https://example.org" class="mention evil">x</a>"#);
        assert!(clean.contains(r#"rel="nofollow noopener noreferrer""#), "{clean}");
        assert!(clean.contains(r#"class="mention""#), "{clean}");
    }

    #[test]
    fn finds_hashtags_and_mentions() {
        let tokens =
            scan_tokens("Vélo #Réparation et #vélo2 pour @alice et @bob@other.example:8080. mail a@b #123");
        assert!(tokens.contains(&Token::Hashtag("réparation".into())));
        assert!(tokens.contains(&Token::Hashtag("vélo2".into())));
        assert!(!tokens.contains(&Token::Hashtag("123".into())));
        assert!(tokens.contains(&Token::Mention { username: "alice".into(), domain: None }));
        assert!(tokens
            .contains(&Token::Mention { username: "bob".into(), domain: Some("other.example:8080".into()) }));
        assert_eq!(tokens.len(), 4, "{tokens:?}");
    }

    #[test]
    fn markdown_renders_and_links_tokens() {
        let html = render_markdown("**Hello** #velo and @alice, not@this", &|t| match t {
            Token::Hashtag(tag) => {
                Some(format!(r#"<a href="https://x.example/tags/{tag}" class="mention hashtag">#{tag}</a>"#))
            }
            Token::Mention { .. } => None,
        });
        assert!(html.contains("<strong>Hello</strong>"), "{html}");
        assert!(html.contains(r#"href="https://x.example/tags/velo""#), "{html}");
        assert!(html.contains("@alice"), "{html}");
        assert!(!html.contains("<script"));
    }

    #[test]
    fn raw_html_in_markdown_is_sanitized() {
        let html = render_markdown("hi <script>alert(1)</script>", &|_| None);
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn html_to_text_strips_tags() {
        assert_eq!(html_to_text("<p>Hello <b>you</b> &amp; me</p>"), "Hello you & me");
    }
}
