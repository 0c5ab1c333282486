//! Atom feeds (RFC 4287): a search's new listings, a group's, a person's,
//! for any feed reader.

use crate::time::Timestamp;

#[derive(Debug, Clone)]
pub struct AtomEntry {
    /// Stable and unique: the listing's ActivityPub id.
    pub id: String,
    pub title: String,
    pub url: String,
    pub published: Timestamp,
    pub updated: Timestamp,
    pub author: String,
    /// Sanitized HTML.
    pub content_html: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct AtomFeed {
    pub id: String,
    pub title: String,
    /// The feed's own address.
    pub self_url: String,
    /// The page it follows.
    pub page_url: String,
    pub lang: String,
    pub entries: Vec<AtomEntry>,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

impl AtomFeed {
    /// The feed as XML; its `updated` is its newest entry's (or `now`).
    pub fn to_xml(&self, now: Timestamp) -> String {
        let updated = self.entries.iter().map(|e| e.updated).max().unwrap_or(now);
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            escape(&self.lang)
        ));
        x.push_str(&format!("<id>{}</id>\n<title>{}</title>\n", escape(&self.id), escape(&self.title)));
        x.push_str(&format!("<updated>{}</updated>\n", updated.to_rfc3339()));
        x.push_str(&format!(
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(&self.self_url)
        ));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&self.page_url)
        ));
        x.push_str("<generator>Maillage</generator>\n");
        for e in &self.entries {
            x.push_str("<entry>\n");
            x.push_str(&format!("<id>{}</id>\n<title>{}</title>\n", escape(&e.id), escape(&e.title)));
            x.push_str(&format!(
                "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(&e.url)
            ));
            x.push_str(&format!("<published>{}</published>\n", e.published.to_rfc3339()));
            x.push_str(&format!("<updated>{}</updated>\n", e.updated.to_rfc3339()));
            x.push_str(&format!("<author><name>{}</name></author>\n", escape(&e.author)));
            for c in &e.categories {
                x.push_str(&format!("<category term=\"{}\"/>\n", escape(c)));
            }
            x.push_str(&format!("<content type=\"html\">{}</content>\n", escape(&e.content_html)));
            x.push_str("</entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_feed_escapes_what_it_carries_and_dates_itself_by_its_newest_entry() {
        let entry = |n: i64, title: &str| AtomEntry {
            id: format!("https://die.example/objects/{n}"),
            title: title.into(),
            url: format!("https://die.example/@alice/listings/{n}"),
            published: Timestamp::from_micros(n * 1_000_000),
            updated: Timestamp::from_micros(n * 1_000_000),
            author: "Alice & co".into(),
            content_html: "<p>Pommes <b>bio</b></p>".into(),
            categories: vec!["goods".into()],
        };
        let feed = AtomFeed {
            id: "https://die.example/listings.atom?kind=offer".into(),
            title: "Offres <Die>".into(),
            self_url: "https://die.example/listings.atom?kind=offer&km=20".into(),
            page_url: "https://die.example/listings?kind=offer&km=20".into(),
            lang: "fr".into(),
            entries: vec![entry(2, "Pommes d'hiver"), entry(1, "Poires\u{1}")],
        };
        let xml = feed.to_xml(Timestamp::from_micros(0));
        assert!(xml.contains("<title>Offres &lt;Die&gt;</title>"), "{xml}");
        assert!(xml.contains("href=\"https://die.example/listings.atom?kind=offer&amp;km=20\""), "{xml}");
        assert!(xml.contains("<updated>1970-01-01T00:00:02.000Z</updated>\n<link"), "{xml}");
        assert!(
            xml.contains("<content type=\"html\">&lt;p&gt;Pommes &lt;b&gt;bio&lt;/b&gt;&lt;/p&gt;</content>")
        );
        assert!(xml.contains("<title>Poires</title>"), "control characters dropped: {xml}");
        assert!(xml.contains("<name>Alice &amp; co</name>"));
    }
}
