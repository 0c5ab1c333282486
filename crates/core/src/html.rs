//! Text put into HTML.

/// `text` made safe inside HTML, as element content or as a quoted
/// attribute value (either quote).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_open_a_tag_an_entity_or_close_an_attribute() {
        assert_eq!(
            escape_html(r#"<a href="x">l'atelier & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;l&#39;atelier &amp; co&lt;/a&gt;"
        );
        assert_eq!(escape_html("Vélo — été"), "Vélo — été");
    }
}
