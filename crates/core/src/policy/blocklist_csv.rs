//! Blocklists in Mastodon's CSV format:
//! `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate`.
//! Columns are found by their header (with or without `#`, in any order,
//! unknown ones ignored); a file with any bad line is refused as a whole,
//! every problem named with its line number.

use crate::error::Error;

use super::{DomainBlock, DomainPattern, Severity};

pub const HEADER: [&str; 6] =
    ["#domain", "#severity", "#reject_media", "#reject_reports", "#public_comment", "#obfuscate"];

/// Mastodon's export of `blocks`.
pub fn export(blocks: &[DomainBlock]) -> Result<String, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::internal(format!("writing CSV: {e}"));
    w.write_record(HEADER).map_err(io)?;
    for b in blocks {
        w.write_record([
            b.pattern.as_str(),
            b.severity.as_mastodon(),
            bool_text(b.reject_media),
            bool_text(b.reject_reports),
            &b.public_comment,
            bool_text(b.obfuscate),
        ])
        .map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::internal(format!("writing CSV: {e}")))?;
    String::from_utf8(bytes).map_err(Error::internal)
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Reads a whole file; `Err` lists every bad line.
pub fn parse(text: &str) -> Result<Vec<DomainBlock>, Error> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(Error::unprocessable(format!("line 1: {e}"))),
        None => return Err(Error::unprocessable("the file is empty")),
    };
    let names: Vec<String> =
        header.iter().map(|h| h.trim().trim_start_matches('#').trim().to_ascii_lowercase()).collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let Some(domain_col) = column("domain") else {
        return Err(Error::unprocessable(
            "line 1: the header has no #domain column (expected #domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate)",
        ));
    };
    let cols = [
        column("severity"),
        column("reject_media"),
        column("reject_reports"),
        column("public_comment"),
        column("obfuscate"),
    ];
    let mut blocks = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        match parse_row(field(Some(domain_col)), cols.map(field)) {
            Ok(block) => {
                if !seen.insert(block.pattern.clone()) {
                    problems.push(format!("line {line}: {} appears twice", block.pattern));
                }
                blocks.push(block);
            }
            Err(e) => problems.push(format!("line {line}: {}", e.message())),
        }
    }
    if problems.is_empty() {
        Ok(blocks)
    } else {
        Err(Error::unprocessable(format!("the blocklist was not imported: {}", problems.join("; "))))
    }
}

fn parse_row(
    domain: &str,
    [severity, media, reports, comment, obfuscate]: [&str; 5],
) -> Result<DomainBlock, Error> {
    let pattern = DomainPattern::parse(domain)?;
    let severity = if severity.is_empty() { Severity::Suspend } else { severity.parse()? };
    Ok(DomainBlock {
        pattern,
        severity,
        reject_media: parse_bool("#reject_media", media)?,
        reject_reports: parse_bool("#reject_reports", reports)?,
        private_comment: String::new(),
        public_comment: comment.chars().take(1000).collect(),
        obfuscate: parse_bool("#obfuscate", obfuscate)?,
    })
}

fn parse_bool(column: &str, text: &str) -> Result<bool, Error> {
    match text.to_ascii_lowercase().as_str() {
        "" | "false" | "0" | "no" => Ok(false),
        "true" | "1" | "yes" => Ok(true),
        other => Err(Error::unprocessable(format!("{column}: \"{other}\" is not true or false"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_mastodons_format() {
        let text = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
                    bad.example,suspend,false,false,\"Spam, lots of it\",false\n\
                    quiet.example,silence,true,true,,true\n\
                    *.farm.example,noop,true,false,media farm,false\n";
        let blocks = parse(text).unwrap();
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].public_comment, "Spam, lots of it");
        assert_eq!(blocks[1].severity, Severity::Limit);
        assert!(blocks[1].obfuscate && blocks[1].reject_reports);
        assert_eq!(blocks[2].pattern.as_str(), "*.farm.example");
        let again = parse(&export(&blocks).unwrap()).unwrap();
        assert_eq!(again, blocks);
        assert_eq!(export(&blocks).unwrap(), text);
    }

    #[test]
    fn a_bad_file_names_every_bad_line() {
        let text = "#domain,#severity\nok.example,suspend\nnot a domain,suspend\nx.example,explode\n";
        let err = parse(text).unwrap_err().message().to_owned();
        assert!(err.contains("line 3") && err.contains("line 4") && !err.contains("line 2"), "{err}");
        assert!(parse("").is_err());
        assert!(parse("#severity\nsuspend\n").unwrap_err().message().contains("#domain"));
        assert!(parse("#domain\na.example\na.example\n").unwrap_err().message().contains("twice"));
    }

    #[test]
    fn columns_are_found_by_name() {
        let blocks = parse("#severity,#domain,#extra\nsilence,x.example,whatever\n").unwrap();
        assert_eq!(blocks[0].severity, Severity::Limit);
        assert_eq!(blocks[0].pattern.as_str(), "x.example");
    }
}
