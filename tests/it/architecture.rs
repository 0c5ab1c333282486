//! The layering rules that a compiler does not check, read from the source:
//! `maillage-api` and `maillage-web` reach the database only through
//! `maillage-service` (docs/ARCHITECTURE.md, invariant 24). They may name
//! from `maillage_db` the pool and the connection (to run use cases), row
//! types (`…Row`) and the plain data types listed in [`PLAIN_DATA`], never a
//! query function, a module or `schema`.

use std::path::{Path, PathBuf};

/// What `api` and `web` may name from `maillage_db`, besides `…Row` types.
const ALLOWED: &[&str] = &["DbPool", "DbConnection"];

/// Plain data (no behaviour of their own) that use cases take as arguments.
const PLAIN_DATA: &[&str] = &["Page", "Timeline", "Direction"];

fn allowed(name: &str) -> bool {
    let row_type =
        name.len() > 3 && name.ends_with("Row") && name.starts_with(|c: char| c.is_ascii_uppercase());
    row_type || ALLOWED.contains(&name) || PLAIN_DATA.contains(&name)
}

/// A name taken from `maillage_db` at a line of a file, with its path.
#[derive(Debug, PartialEq)]
struct Named {
    line: usize,
    /// The last segment: what the file names.
    name: String,
    /// The whole path, such as `maillage_db::listings::find_by_id`.
    path: String,
}

/// The source without comments (line and block), keeping line breaks so
/// that line numbers still hold. String literals are kept: a path inside
/// one is rare enough to be worth reading.
fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Tokens of a path: identifiers, `::`, `{`, `}`, `,`, `*`, with the line
/// each starts on; anything else ends the path.
fn tokens(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut line = 1;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((line, chars[start..i].iter().collect()));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((line, "::".to_owned()));
            i += 2;
        } else {
            out.push((line, c.to_string()));
            i += 1;
        }
    }
    out
}

/// The leaves of the path tree that starts after `maillage_db` at `at`:
/// `maillage_db::a::B` names `B`; `maillage_db::{a, b::C}` names `a` and
/// `C`. Returns the index of the last token read.
fn leaves(tokens: &[(usize, String)], at: usize, prefix: &str, out: &mut Vec<Named>) -> usize {
    let mut i = at;
    let mut last = tokens[at].clone();
    let mut path = format!("{prefix}{}", last.1);
    while let Some("::") = tokens.get(i + 1).map(|t| t.1.as_str()) {
        match tokens.get(i + 2) {
            Some((_, open)) if open == "{" => {
                let inner = format!("{path}::");
                let mut j = i + 3;
                while let Some((_, t)) = tokens.get(j) {
                    if t == "}" {
                        break;
                    }
                    if t == "," {
                        j += 1;
                        continue;
                    }
                    j = leaves(tokens, j, &inner, out) + 1;
                }
                return j;
            }
            Some(next) => {
                last = next.clone();
                path = format!("{path}::{}", next.1);
                i += 2;
            }
            None => break,
        }
    }
    out.push(Named { line: last.0, name: last.1, path });
    i
}

/// Every name a file takes from `maillage_db`.
fn names_from_db(source: &str) -> Vec<Named> {
    let tokens = tokens(&without_comments(source));
    let mut out = Vec::new();
    for (i, (_, t)) in tokens.iter().enumerate() {
        if t == "maillage_db" {
            leaves(&tokens, i, "", &mut out);
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn api_and_web_read_and_write_through_service() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["crates/api/src", "crates/web/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "the sources of api and web were not found under {}", root.display());
    let mut refused = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for named in names_from_db(&source) {
            if !allowed(&named.name) {
                let shown = file.strip_prefix(root).unwrap_or(file).display();
                refused.push(format!("{shown}:{}: {}", named.line, named.path));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "api and web may name only DbPool, DbConnection, …Row and {PLAIN_DATA:?} from maillage_db \
         (docs/ARCHITECTURE.md, invariant 24); call a maillage_service function instead of:\n{}",
        refused.join("\n")
    );
}

#[test]
fn the_reader_finds_every_name_taken_from_the_database_crate() {
    let source = "use maillage_db::actors::{self, ActorRow};\n\
                  // maillage_db::in_a_comment\n\
                  use maillage_db::{groups, sessions::{SessionRow, count}, DbConnection};\n\
                  let x = maillage_db::listings::find_by_id(conn, id)?;\n\
                  use maillage_db as db;\n\
                  fn f(a: &maillage_db::actors::ActorRow) {}\n";
    let found = names_from_db(source);
    let names: Vec<(usize, &str)> = found.iter().map(|n| (n.line, n.name.as_str())).collect();
    let paths: Vec<&str> = found.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(
        names,
        vec![
            (1, "self"),
            (1, "ActorRow"),
            (3, "groups"),
            (3, "SessionRow"),
            (3, "count"),
            (3, "DbConnection"),
            (4, "find_by_id"),
            (5, "maillage_db"),
            (6, "ActorRow"),
        ]
    );
    assert_eq!(
        paths,
        vec![
            "maillage_db::actors::self",
            "maillage_db::actors::ActorRow",
            "maillage_db::groups",
            "maillage_db::sessions::SessionRow",
            "maillage_db::sessions::count",
            "maillage_db::DbConnection",
            "maillage_db::listings::find_by_id",
            "maillage_db",
            "maillage_db::actors::ActorRow",
        ]
    );
    let refused: Vec<&str> = names.iter().map(|(_, n)| *n).filter(|n| !allowed(n)).collect();
    assert_eq!(refused, vec!["self", "groups", "count", "find_by_id", "maillage_db"]);
}
