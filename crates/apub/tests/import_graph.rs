//! The files of `crates/apub/src` import one another without a cycle, so the
//! crate reads bottom-up and each module can be tested with only what it
//! names.
//!
//! An edge goes from a file to the file defining what it names through a
//! `use` (including `pub use` re-exports and paths relative to a child
//! module) or through a `crate::`, `super::` or `self::` path in code, or a
//! call through a child module (`child::f()`). A `mod x;` declaration is not
//! an edge. A path is resolved to the longest prefix that is a file:
//! `a/b.rs` or `a/b/mod.rs`, and `lib.rs` for the crate root. Set
//! `IMPORT_GRAPH_DUMP=1` to print every file's edges.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Rust tokens, without comments, strings, chars, lifetimes and numbers.
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && at(i + 1) == 'r')) && {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let mut j = start;
            while at(j) == '#' {
                j += 1;
            }
            at(j) == '"' && (j > start || at(start) == '"')
        } {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let mut j = start;
            while at(j) == '#' {
                j += 1;
            }
            let hashes = j - start;
            i = j + 1;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric() || at(i) == '_' || (at(i) == '.' && at(i + 1).is_ascii_digit()) {
                i += 1;
            }
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token::PathSep);
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    out
}

fn ident(t: Option<&Token>) -> Option<&str> {
    match t {
        Some(Token::Ident(s)) => Some(s),
        _ => None,
    }
}

/// The paths a `use` tree names, from the token after `use` to its `;`.
fn use_paths(toks: &[Token], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        match toks.get(*i) {
            Some(Token::Ident(s)) if s == "as" => {
                *i += 2;
                out.push(path);
                return;
            }
            Some(Token::Ident(s)) if s == "self" && !path.is_empty() => {
                *i += 1;
            }
            Some(Token::Ident(s)) => {
                path.push(s.clone());
                *i += 1;
            }
            Some(Token::PathSep) => {
                if path.is_empty() {
                    path.push("::".into());
                }
                *i += 1;
            }
            Some(Token::Punct('*')) => {
                *i += 1;
                out.push(path);
                return;
            }
            Some(Token::Punct('{')) => {
                *i += 1;
                loop {
                    match toks.get(*i) {
                        Some(Token::Punct('}')) | None => {
                            *i += 1;
                            return;
                        }
                        Some(Token::Punct(',')) => *i += 1,
                        _ => use_paths(toks, i, path.clone(), out),
                    }
                }
            }
            _ => {
                out.push(path);
                return;
            }
        }
    }
}

/// Every path that names something of this crate, with the module path
/// (file module plus inline modules) it is written in.
fn crate_paths(toks: &[Token]) -> Vec<(Vec<String>, Vec<String>)> {
    let mut children = BTreeSet::new();
    for w in toks.windows(3) {
        if let (Some("mod"), Some(name), Token::Punct(';')) = (ident(Some(&w[0])), ident(Some(&w[1])), &w[2])
        {
            children.insert(name.to_owned());
        }
    }
    let is_start = |s: &str| matches!(s, "crate" | "super" | "self") || children.contains(s);
    let mut found = Vec::new();
    let mut inline: Vec<String> = Vec::new();
    let mut braces: Vec<bool> = Vec::new();
    let mut pending_mod: Option<String> = None;
    let mut i = 0;
    while i < toks.len() {
        let after_sep = i > 0 && toks[i - 1] == Token::PathSep;
        match &toks[i] {
            Token::Ident(s) if s == "mod" => {
                pending_mod = ident(toks.get(i + 1)).map(str::to_owned);
                i += 2;
                continue;
            }
            Token::Ident(s) if s == "use" && !after_sep => {
                i += 1;
                let mut paths = Vec::new();
                use_paths(toks, &mut i, Vec::new(), &mut paths);
                for p in paths {
                    if p.first().is_some_and(|s| is_start(s)) {
                        found.push((inline.clone(), p));
                    }
                }
                continue;
            }
            Token::Ident(s) if !after_sep && is_start(s) && toks.get(i + 1) == Some(&Token::PathSep) => {
                let mut path = vec![s.clone()];
                i += 1;
                while toks.get(i) == Some(&Token::PathSep) {
                    match ident(toks.get(i + 1)) {
                        Some(next) => {
                            path.push(next.to_owned());
                            i += 2;
                        }
                        None => break,
                    }
                }
                found.push((inline.clone(), path));
                continue;
            }
            Token::Punct('{') => {
                let name = pending_mod.take();
                braces.push(name.is_some());
                inline.extend(name);
            }
            Token::Punct('}') => {
                let closes_a_module = braces.pop() == Some(true);
                inline.truncate(inline.len() - usize::from(closes_a_module));
            }
            Token::Punct(';') => pending_mod = None,
            _ => {}
        }
        i += 1;
    }
    found
}

/// The module path of a file under `src`: `a/b.rs` and `a/b/mod.rs` are
/// `a::b`, `lib.rs` is the root.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" {
            parts.push(stem.to_owned());
        }
    }
    parts
}

fn file_of(src: &Path, module: &[String]) -> Option<PathBuf> {
    if module.is_empty() {
        return Some(PathBuf::from("lib.rs"));
    }
    let joined = module.join("/");
    [format!("{joined}.rs"), format!("{joined}/mod.rs")]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| src.join(p).exists())
}

/// The file defining what `path` names, written in module `here`.
fn resolve(src: &Path, here: &[String], children_of_file: bool, path: &[String]) -> Option<PathBuf> {
    let mut module: Vec<String> = here.to_vec();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            module.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                module.pop();
                rest = &rest[1..];
            }
        }
        _ if children_of_file => {}
        _ => return None,
    }
    let full: Vec<String> = module.into_iter().chain(rest.iter().cloned()).collect();
    (0..=full.len()).rev().find_map(|n| file_of(src, &full[..n]))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn import_graph(src: &Path) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap().to_path_buf();
        let source = std::fs::read_to_string(&file).unwrap();
        let file_module = module_of(&rel);
        let mut edges = BTreeSet::new();
        for (inline, path) in crate_paths(&tokens(&source)) {
            let here: Vec<String> = file_module.iter().cloned().chain(inline.iter().cloned()).collect();
            let relative = inline.is_empty();
            if let Some(target) = resolve(src, &here, relative, &path) {
                if target != rel {
                    edges.insert(target);
                }
            }
        }
        graph.insert(rel, edges);
    }
    graph
}

/// One cycle of the graph, if there is any (depth-first search).
fn find_cycle(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Option<Vec<PathBuf>> {
    fn visit(
        node: &PathBuf,
        graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<PathBuf, u8>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next) {
                Some(1) => {
                    let start = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(cycle) = visit(next, graph, state, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node) {
            if let Some(cycle) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

#[test]
fn the_files_of_apub_import_one_another_without_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = import_graph(&src);
    assert!(graph.len() > 10, "the sources were not found under {}", src.display());
    if std::env::var_os("IMPORT_GRAPH_DUMP").is_some() {
        for (k, v) in &graph {
            eprintln!("{} -> {:?}", k.display(), v);
        }
    }
    if let Some(cycle) = find_cycle(&graph) {
        let shown: Vec<String> = cycle.iter().map(|p| p.display().to_string()).collect();
        panic!("import cycle between the files of apub: {}", shown.join(" -> "));
    }
}

#[test]
fn paths_resolve_to_the_files_that_define_them() {
    let toks = tokens(
        "mod child;\nuse crate::a::b::{self, C as D};\nuse super::E;\npub use child::F;\n\
         fn f() { let s = \"crate::x::Y\"; crate::g::h(); child::go(); }\n\
         #[cfg(test)] mod tests { use super::*; }",
    );
    let paths: Vec<Vec<String>> = crate_paths(&toks).into_iter().map(|(_, p)| p).collect();
    let as_strings: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        as_strings,
        ["crate::a::b", "crate::a::b::C", "super::E", "child::F", "crate::g::h", "child::go", "super"]
    );
}
