//! Each figure once: a measured figure (a number with a unit or a ratio: `4.96 ms`, `13.6×`,
//! `40 MiB`, `97 %`) appears in the prose of at most two teaching pages. The full tables
//! live in Measurements; every other page links there instead of repeating them.
//!
//! Teaching pages are every page of `book/src` except the reference pages in
//! [`NOT_TEACHING`]. Prose is a page's text without its code blocks, its code spans, its
//! link targets and its includes (samples, listings and diagrams are not prose). Quantities
//! that are not measurements (a default, a limit, a size or a wait an example chooses) may
//! recur: they are listed in [`NOT_MEASURED`], each with what it is.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use tests::workspace_root;

/// The reference pages, where figures are collected on purpose.
const NOT_TEACHING: &[&str] =
    &["measurements.md", "sources.md", "claims.md", "reliability.md", "glossary.md"];

/// A page may show a figure; a third page repeating it links to Measurements instead.
const MOST_PAGES: usize = 2;

/// Quantities that are not measured, with what they are.
const NOT_MEASURED: &[(&str, &str)] = &[
    ("2 MiB", "std's default stack size for a spawned thread"),
    ("64 KiB", "Linux's default pipe capacity, and the stack size async-vs-threads asks for"),
    ("16 KiB", "a thread's kernel stack on x86-64 Linux (THREAD_SIZE)"),
    ("64 MiB", "the buffer the cow, start-costs and pool examples write or send"),
    ("1 GiB", "the largest parent the model's fork sweep touches"),
    ("1 MiB", "the data pipe-deadlock writes to its echo child"),
    ("5 ms", "CPython's default switch interval (sys.getswitchinterval)"),
    ("1 s", "the wait the waiting examples sleep"),
    ("2 s", "a deadline the examples set"),
    ("5 s", "a deadline the examples set"),
    ("10 s", "a deadline the examples set"),
    ("100 ms", "a wait the examples set"),
    ("200 ms", "a time the examples set: forgotten-drop's recv_timeout, parallel-proof's sampling"),
];

/// The units a figure may carry, longest first so that `ms` is not read as `m`.
const UNITS: &[&str] = &["GiB", "MiB", "KiB", "GB", "MB", "kB", "KB", "ns", "µs", "us", "ms", "s", "%", "×"];

/// The prose of a Markdown page: no fenced code, no includes, no HTML comments, no code
/// spans, no link targets.
fn prose(page: &str) -> String {
    let mut text = String::new();
    let mut fence: Option<&str> = None;
    for line in page.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if trimmed.contains("{{#include")
            || trimmed.contains("{{#rustdoc_include")
            || trimmed.starts_with("<!--")
        {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    // Code spans: `…`, dropped whole.
    let mut without_code = String::new();
    for (index, part) in text.split('`').enumerate() {
        if index % 2 == 0 {
            without_code.push_str(part);
        }
    }
    // Link targets: `](…)`.
    let mut out = String::new();
    let mut rest = without_code.as_str();
    while let Some(start) = rest.find("](") {
        out.push_str(&rest[..start + 1]);
        let after = &rest[start + 2..];
        rest = after.find(')').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The figures in `text`, normalised: `1,428 µs` and `1428µs` are both `1428 µs`.
fn figures(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = BTreeSet::new();
    let mut at = 0;
    while at < chars.len() {
        let starts_number = chars[at].is_ascii_digit()
            && (at == 0
                || !(chars[at - 1].is_alphanumeric() || matches!(chars[at - 1], '.' | ',' | '_' | '-')));
        if !starts_number {
            at += 1;
            continue;
        }
        let mut end = at;
        let mut number = String::new();
        while end < chars.len() {
            let c = chars[end];
            let next_is_digit = chars.get(end + 1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() || (c == '.' && next_is_digit) {
                number.push(c);
            } else if c == ',' && next_is_digit {
                // A thousands separator.
            } else {
                break;
            }
            end += 1;
        }
        let mut unit_at = end;
        if chars.get(unit_at).is_some_and(|c| matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}')) {
            unit_at += 1;
        }
        for unit in UNITS {
            let unit_chars: Vec<char> = unit.chars().collect();
            let after = unit_at + unit_chars.len();
            let matches = chars.get(unit_at..after) == Some(&unit_chars[..]);
            let ends = chars.get(after).is_none_or(|c| !c.is_alphanumeric());
            // `2 × 20,000,000` is a product, not a ratio.
            let product =
                *unit == "×" && chars[after..].iter().find(|c| **c != ' ').is_some_and(char::is_ascii_digit);
            if matches && ends && !product {
                found.insert(format!("{number} {unit}"));
                break;
            }
        }
        at = end;
    }
    found
}

/// Every teaching page, as `(path under book/src, text)`.
fn teaching_pages() -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, pages: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|error| panic!("reading {}: {error}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            let relative =
                path.strip_prefix(root).expect("under book/src").to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                // Diagrams are parts of the pages that include them, drawn, not prose.
                if relative != "diagrams" {
                    walk(root, &path, pages);
                }
            } else if relative.ends_with(".md")
                && relative != "SUMMARY.md"
                && !NOT_TEACHING.contains(&relative.as_str())
            {
                pages.push((relative, fs::read_to_string(&path).expect("a readable page")));
            }
        }
    }
    let root = workspace_root().join("book/src");
    let mut pages = Vec::new();
    walk(&root, &root, &mut pages);
    pages.sort();
    assert!(pages.len() > 50, "too few teaching pages: {}", pages.len());
    pages
}

#[test]
fn the_figure_reader_finds_figures_and_nothing_else() {
    let found = figures(
        "took 4.96 ms (13.6× `fork_child`); 1,428 µs, 97 % and 40 MiB; v1.2 s3 C13 x86-64; 4 × 10 adds",
    );
    let expected: BTreeSet<String> =
        ["4.96 ms", "13.6 ×", "1428 µs", "97 %", "40 MiB"].into_iter().map(str::to_owned).collect();
    assert_eq!(found, expected);
    assert!(figures(&prose("a `2 MiB` span, a [link](page.md#3-s)\n```text\n5 ms\n```\n")).is_empty());
}

#[test]
fn no_measured_figure_is_on_more_than_two_teaching_pages() {
    let mut pages_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (page, text) in teaching_pages() {
        for figure in figures(&prose(&text)) {
            pages_of.entry(figure).or_default().push(page.clone());
        }
    }
    let repeated: Vec<String> = pages_of
        .iter()
        .filter(|(figure, pages)| {
            pages.len() > MOST_PAGES
                && !NOT_MEASURED.iter().any(|(listed, _)| listed.replace(' ', "") == figure.replace(' ', ""))
        })
        .map(|(figure, pages)| format!("{figure}: {}", pages.join(", ")))
        .collect();
    // A listed quantity that no longer recurs leaves the list: it would hide a measurement.
    let unneeded: Vec<&str> = NOT_MEASURED
        .iter()
        .map(|(listed, _)| *listed)
        .filter(|listed| pages_of.get(*listed).is_none_or(|pages| pages.len() <= MOST_PAGES))
        .collect();
    assert!(unneeded.is_empty(), "NOT_MEASURED lists figures on at most {MOST_PAGES} pages: {unneeded:?}");
    assert!(
        repeated.is_empty(),
        "figures on more than {MOST_PAGES} teaching pages (keep each where it makes the point, link to \
         Measurements elsewhere):\n{}",
        repeated.join("\n")
    );
}
