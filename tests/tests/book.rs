//! The book stays in sync with the code: every include points at an existing file and anchor,
//! every anchor is closed, every relative link resolves, every example and every claim of the
//! seed article is covered.

#![cfg(unix)] // The harness, for `--list`, needs Unix.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use tests::{Bin, listed_names, workspace_root};

fn book_src() -> PathBuf {
    workspace_root().join("book/src")
}

/// Every Markdown file under `book/src`, with its text.
fn book_pages() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, pages: &mut Vec<(PathBuf, String)>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|error| panic!("reading {}: {error}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, pages);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                let text = fs::read_to_string(&path).expect("a readable page");
                pages.push((path, text));
            }
        }
    }
    let mut pages = Vec::new();
    walk(&book_src(), &mut pages);
    pages.sort();
    assert!(pages.len() > 5, "the book has too few pages: {}", pages.len());
    pages
}

/// `(path, anchor or line range)` of every `{{#include …}}` and `{{#rustdoc_include …}}`.
fn includes(text: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    for directive in ["{{#include ", "{{#rustdoc_include "] {
        let mut rest = text;
        while let Some(start) = rest.find(directive) {
            let after = &rest[start + directive.len()..];
            let end = after.find("}}").expect("an include closed with }}");
            let target = after[..end].trim();
            let (path, selector) = match target.split_once(':') {
                Some((path, selector)) => (path, Some(selector.to_owned())),
                None => (target, None),
            };
            found.push((path.to_owned(), selector));
            rest = &after[end..];
        }
    }
    found
}

/// The anchors a source file defines, checking that each one is closed and that anchors nest.
fn anchors(path: &Path, text: &str) -> BTreeSet<String> {
    let mut open: Vec<String> = Vec::new();
    let mut defined = BTreeSet::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(name) = marker(line, "ANCHOR_END:") {
            let innermost = open.pop();
            assert_eq!(
                innermost.as_deref(),
                Some(name.as_str()),
                "{}:{}: ANCHOR_END: {name} does not close the innermost open anchor",
                path.display(),
                number + 1
            );
        } else if let Some(name) = marker(line, "ANCHOR:") {
            assert!(defined.insert(name.clone()), "{}: anchor {name} defined twice", path.display());
            open.push(name);
        }
    }
    assert!(open.is_empty(), "{}: anchors never closed: {open:?}", path.display());
    defined
}

fn marker(line: &str, keyword: &str) -> Option<String> {
    let start = line.find(keyword)?;
    let name = line[start + keyword.len()..].split_whitespace().next()?;
    Some(name.to_owned())
}

#[test]
fn every_include_points_at_an_existing_file_and_anchor() {
    let mut checked = 0;
    for (page, text) in book_pages() {
        for (path, selector) in includes(&text) {
            let source = page.parent().expect("a page has a directory").join(&path);
            let code = fs::read_to_string(&source).unwrap_or_else(|error| {
                panic!("{}: includes {path}, which cannot be read: {error}", page.display())
            });
            let defined = anchors(&source, &code);
            match selector.as_deref() {
                None => {}
                // `file:10`, `file:10:20`, `file::20`, `file:10:`: line ranges.
                Some(range) if range.chars().all(|c| c.is_ascii_digit() || c == ':') => {
                    let last_line =
                        range.split(':').filter_map(|n| n.parse::<usize>().ok()).max().unwrap_or(0);
                    assert!(
                        last_line <= code.lines().count(),
                        "{}: {path}:{range} is past the end of the file",
                        page.display()
                    );
                }
                Some(anchor) => assert!(
                    defined.contains(anchor),
                    "{}: includes {path}:{anchor}, but that file has no ANCHOR: {anchor} (it has {defined:?})",
                    page.display()
                ),
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no include was found: the book shows no code");
}

#[test]
fn every_anchor_in_the_sources_is_closed_and_nested() {
    for directory in ["shared/src", "examples-threads/src", "examples-processes/src", "book/python"] {
        let mut stack = vec![workspace_root().join(directory)];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).expect("a source directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|extension| extension == "rs" || extension == "py") {
                    anchors(&path, &fs::read_to_string(&path).expect("a readable source"));
                }
            }
        }
    }
}

#[test]
fn every_relative_link_resolves() {
    for (page, text) in book_pages() {
        let mut rest = text.as_str();
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target = after[..end].split_whitespace().next().unwrap_or("");
            rest = &after[end..];
            let is_external = target.contains("://") || target.starts_with("mailto:");
            let file = target.split('#').next().unwrap_or("");
            if is_external || file.is_empty() {
                continue;
            }
            let resolved = page.parent().expect("a page has a directory").join(file);
            assert!(
                resolved.exists(),
                "{}: link to {target}, but {} does not exist",
                page.display(),
                resolved.display()
            );
        }
    }
}

#[test]
fn every_page_is_in_the_summary_and_every_summary_entry_exists() {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    for (page, _) in book_pages() {
        let relative = page.strip_prefix(book_src()).expect("a page under book/src");
        let relative = relative.to_string_lossy();
        // A diagram or a scheduler level is a part of the page that includes it, not a
        // chapter.
        if relative == "SUMMARY.md" || relative.starts_with("diagrams/") || relative.starts_with("scheduler/")
        {
            continue;
        }
        assert!(summary.contains(&format!("]({relative})")), "{relative} is not listed in SUMMARY.md");
    }
}

#[test]
fn every_example_appears_in_the_book() {
    let book: String = book_pages().into_iter().map(|(_, text)| text).collect();
    for bin in Bin::ALL {
        for name in listed_names(bin) {
            // `cargo run -p B -- NAME`, with `--release` or other options before `-p` allowed.
            let command = format!("-p {} -- {name}", bin.name());
            let shown = book.contains(&command)
                || (name == "seed" && book.contains(&format!("cargo run -p {}", bin.name())));
            assert!(shown, "the book never shows how to run {} {name} (`cargo run {command}`)", bin.name());
        }
    }
}

/// The seed article's claims as `claims.md` must have them: id, the article's section (from
/// the seed's CLAIMS.md), and the verdict, in bold, that the book settled on.
const CLAIMS: [(&str, &str, &str); 13] = [
    ("C1", "2.1", "False"),
    ("C2", "2.2", "Misleading"),
    ("C3", "3.1", "Partly"),
    ("C4", "3.2", "Partly"),
    ("C5", "3.3, 3.4", "True"),
    ("C6", "3.5", "Unsupported"),
    ("C7", "4.1, 4.2", "True"),
    ("C8", "5", "True"),
    ("C9", "6.1", "Partly"),
    ("C10", "6.2", "True in outline"),
    ("C11", "6.3", "Backwards on data"),
    ("C12", "4.1 (observed)", "True of Python"),
    ("C13", "4.2 (observed)", "True"),
];

/// Whether `text` mentions claim `id` as a word: `C1` is not found inside `C10`.
fn mentions(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The ids mdBook gives a page's headings: lower case, spaces to `-`, other punctuation
/// dropped, from the heading's text (code spans and emphasis marks removed).
/// The ids of a page's headings: an explicit `{#id}` (the Chinese edition's headings keep
/// the English ids this way), else the one mdBook makes from the text.
fn heading_ids(page: &str) -> BTreeSet<String> {
    page.lines()
        .filter_map(|line| line.strip_prefix('#'))
        .map(|heading| {
            if let Some((_, id)) =
                heading.trim_end().strip_suffix('}').and_then(|rest| rest.rsplit_once("{#"))
            {
                return id.to_owned();
            }
            let text = heading.trim_start_matches('#').trim().replace(['`', '*'], "");
            text.chars()
                .filter_map(|c| match c {
                    c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c.to_ascii_lowercase()),
                    c if c.is_whitespace() => Some('-'),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// `claims.md` has one row per claim, in order, with the seed's section and the book's
/// verdict; every link of "Settled in" resolves to a page and, with `#…`, to a heading on it;
/// and the first page it names takes the claim up by its id.
#[test]
fn every_claim_of_the_seed_article_is_taken_up() {
    let claims = fs::read_to_string(book_src().join("claims.md")).expect("claims.md");
    let rows: Vec<Vec<&str>> = claims
        .lines()
        .filter_map(|line| line.strip_prefix("| C"))
        .map(|row| {
            let cells: Vec<&str> = row.trim_end_matches(" |").split(" | ").collect();
            cells
        })
        .collect();
    assert_eq!(rows.len(), CLAIMS.len(), "claims.md must have one row per claim, C1 to C13");
    for ((id, section, verdict), cells) in CLAIMS.iter().zip(&rows) {
        assert_eq!(cells.len(), 5, "{id}: a row has five cells: {cells:?}");
        assert_eq!(format!("C{}", cells[0]), *id, "the rows are in order C1 to C13");
        assert_eq!(cells[1], *section, "{id}: the article's section");
        assert!(
            cells[3].starts_with(&format!("**{verdict}**")),
            "{id}: the verdict is not **{verdict}**: {}",
            cells[3]
        );
        let links: Vec<&str> = cells[4]
            .split("](")
            .skip(1)
            .map(|rest| rest.split(')').next().expect("a link ends with )"))
            .collect();
        assert!(!links.is_empty(), "{id}: no page settles it");
        for (index, link) in links.iter().enumerate() {
            let (file, heading) =
                link.split_once('#').map_or((*link, None), |(file, heading)| (file, Some(heading)));
            let page = fs::read_to_string(book_src().join(file))
                .unwrap_or_else(|error| panic!("{id}: {link}: {error}"));
            if let Some(heading) = heading {
                assert!(heading_ids(&page).contains(heading), "{id}: {file} has no heading #{heading}");
            }
            if index == 0 {
                assert!(mentions(&page, id), "{id}: {file}, which settles it, never names it");
            }
        }
    }
}

/// The widest code line the book can show without scrolling sideways, in characters, at
/// mdBook 0.5's default theme: `.content main` is at most 750px wide (`--content-max-width`),
/// `pre > code` pads it by 1rem (10px) on each side, code is set at 0.875em of the body's
/// 16px (14px), and every glyph of its font, Source Code Pro, advances 600/1000 em (8.4px).
/// (750 − 2 × 10) / 8.4 = 86.9: 86 characters.
const BOOK_CODE_COLUMNS: usize = 86;

#[test]
fn every_included_line_fits_the_books_width() {
    let mut too_wide = Vec::new();
    for (page, text) in book_pages() {
        for (path, selector) in includes(&text) {
            // A compiler's message, as it printed it (`tests/compile-fail/`), a sample
            // output (book/src/samples), what the program printed, line for line, a
            // diagram (book/src/diagrams), which is drawn, not shown as text, and a
            // scheduler level (book/src/scheduler): its data and prose, not code.
            if path.ends_with(".stderr")
                || ["samples/", "diagrams/", "scheduler/"].iter().any(|dir| path.contains(dir))
            {
                continue;
            }
            let source = page.parent().expect("a page has a directory").join(&path);
            let code = fs::read_to_string(&source).expect("checked by the include test");
            for (number, line) in included_lines(&code, selector.as_deref()) {
                let width = line.chars().count();
                if width > BOOK_CODE_COLUMNS {
                    too_wide.push(format!("{}:{number}: {width} columns", source.display()));
                }
            }
        }
    }
    too_wide.sort();
    too_wide.dedup();
    assert!(
        too_wide.is_empty(),
        "{} included lines are wider than the book's {BOOK_CODE_COLUMNS} columns:\n{}",
        too_wide.len(),
        too_wide.join("\n")
    );
}

/// The lines an include shows, with their line numbers: an anchor's lines, a line range, or
/// the whole file; never the anchor markers, which mdBook leaves out.
fn included_lines<'a>(code: &'a str, selector: Option<&str>) -> Vec<(usize, &'a str)> {
    let numbered = code.lines().enumerate().map(|(index, line)| (index + 1, line));
    let (first, last) = match selector {
        None => (1, usize::MAX),
        Some(range) if range.chars().all(|c| c.is_ascii_digit() || c == ':') => {
            let mut bounds = range.split(':').map(|bound| bound.parse::<usize>().ok());
            let first = bounds.next().flatten().unwrap_or(1);
            (first, bounds.next().flatten().unwrap_or(if range.contains(':') { usize::MAX } else { first }))
        }
        Some(anchor) => {
            let start = numbered.clone().find(|(_, line)| marker(line, "ANCHOR:").as_deref() == Some(anchor));
            let end =
                numbered.clone().find(|(_, line)| marker(line, "ANCHOR_END:").as_deref() == Some(anchor));
            (start.map_or(1, |(number, _)| number), end.map_or(usize::MAX, |(number, _)| number))
        }
    };
    numbered
        .filter(|(number, _)| (first..=last).contains(number))
        .filter(|(_, line)| !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:"))
        .collect()
}

/// An example longer than this shows more than one idea: it becomes two examples.
const EXAMPLE_LINES: usize = 100;

#[test]
fn every_example_file_is_at_most_100_lines() {
    let mut too_long = Vec::new();
    for crate_dir in ["examples-threads", "examples-processes"] {
        let dir = workspace_root().join(crate_dir).join("src/examples");
        for entry in fs::read_dir(&dir).expect("an examples directory") {
            let path = entry.expect("an entry").path();
            let lines = fs::read_to_string(&path).expect("a readable example").lines().count();
            if lines > EXAMPLE_LINES {
                too_long.push(format!("{}: {lines} lines", path.display()));
            }
        }
    }
    assert!(too_long.is_empty(), "examples over {EXAMPLE_LINES} lines:\n{}", too_long.join("\n"));
}

/// The diagrams ("pictures of what happens"), by the page that shows each, in page order:
/// `book/src/diagrams/NAME.md`, included by exactly one page. The browser test
/// (`tests/browser/book.test.js`) checks that each is drawn, in each edition's language.
const DIAGRAMS: [(&str, &[&str]); 8] = [
    ("concepts.md", &["gil-handover", "thread-process-memory"]),
    ("how-they-work.md", &["fork-cow", "fd-table-fork-exec", "zombie-orphan"]),
    ("steps.md", &["four-steps"]),
    ("threads/memory-ordering.md", &["happens-before"]),
    ("threads/store-buffering.md", &["store-buffer"]),
    ("processes/pipes.md", &["pipe-buffer"]),
    ("processes/pipe-deadlock.md", &["pipe-deadlock"]),
    ("processes/pool.md", &["process-pool"]),
];

/// The names of the diagrams a page includes, in order.
fn diagrams_on(text: &str) -> Vec<String> {
    includes(text)
        .into_iter()
        .filter_map(|(path, _)| {
            let (folder, file) = path.rsplit_once('/')?;
            (folder.ends_with("diagrams")).then(|| file.strip_suffix(".md").unwrap_or(file).to_owned())
        })
        .collect()
}

/// Every diagram file, `(name, text)`, sorted by name.
fn diagram_files() -> Vec<(String, String)> {
    let dir = book_src().join("diagrams");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("reading {}: {error}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            assert!(
                path.extension().is_some_and(|extension| extension == "md"),
                "{}: a diagram is a .md file, which mdBook neither renders alone nor copies",
                path.display()
            );
            (name, fs::read_to_string(&path).expect("a readable diagram"))
        })
        .collect();
    files.sort();
    files
}

/// Each page shows the diagrams `DIAGRAMS` gives it, in that order, and no other page shows
/// one: at least ten in all, each on one page, once.
#[test]
fn every_diagram_is_on_its_page_once() {
    let mut shown = Vec::new();
    for (page, text) in book_pages() {
        let relative = page.strip_prefix(book_src()).expect("a page under book/src");
        let relative = relative.to_string_lossy().into_owned();
        let found = diagrams_on(&text);
        let expected: Vec<String> = DIAGRAMS
            .iter()
            .find(|(listed, _)| *listed == relative)
            .map(|(_, names)| names.iter().map(|name| (*name).to_owned()).collect())
            .unwrap_or_default();
        assert_eq!(found, expected, "{relative}: the diagrams it includes, in order");
        shown.extend(found);
    }
    let files: Vec<String> = diagram_files().into_iter().map(|(name, _)| name).collect();
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(sorted, files, "every file in book/src/diagrams is shown, once");
    assert!(shown.len() >= 10, "the book has {} diagrams; at least ten", shown.len());
}

/// The words of a diagram are Markdown paragraphs between its HTML blocks, each inside a
/// `<foreignObject><div>` (or the `<figcaption>`): mdbook-xgettext extracts a paragraph as
/// a message, and skips a block of HTML whole, so a word written into the SVG's markup
/// (a `<text>`, a `<title>`, an attribute) would stay English in the Chinese edition. Its
/// colours come from `book/assets/diagrams.css` through classes, never from the markup, so
/// that every theme, light or dark, draws it; its ids start with its own name, so that
/// `print.html`, which holds every diagram, has no id twice.
#[test]
fn every_diagrams_words_are_translatable_and_its_colours_the_themes() {
    for (name, text) in diagram_files() {
        let opening = format!("<figure class=\"diagram\" id=\"diagram-{name}\">\n<svg viewBox=\"");
        assert!(text.starts_with(&opening), "{name}: begins with {opening:?}");
        assert!(text.trim_end().ends_with("</figcaption>\n</figure>"), "{name}: ends with its caption");
        let blocks: Vec<&str> = text.split("\n\n").map(str::trim).filter(|block| !block.is_empty()).collect();
        let mut labels = 0;
        for (index, block) in blocks.iter().enumerate() {
            if block.starts_with('<') {
                let words = words_outside_tags(block);
                assert!(words.is_empty(), "{name}: words in the markup, which no translator sees: {words:?}");
                for attribute in ["fill=", "stroke=", "style=", "color="] {
                    assert!(!block.contains(attribute), "{name}: a colour in the markup ({attribute})");
                }
                continue;
            }
            // A paragraph: one label, between a `<div>` opened in a `<foreignObject>` (or
            // the caption's opening) and its closing.
            let before = blocks[..index].last().copied().unwrap_or("");
            let after = blocks.get(index + 1).copied().unwrap_or("");
            let last_line = before.lines().last().unwrap_or("");
            let in_label = last_line.starts_with("<foreignObject ") && last_line.ends_with('>');
            let in_caption = last_line == format!("<figcaption id=\"diagram-{name}-caption\">");
            assert!(in_label || in_caption, "{name}: the words {block:?} are not in a label or the caption");
            let closing = if in_caption { "</figcaption>" } else { "</div></foreignObject>" };
            assert!(after.starts_with(closing), "{name}: {block:?} is not closed by {closing}");
            assert!(!block.starts_with("    "), "{name}: {block:?} is indented: a code block");
            labels += 1;
        }
        assert!(labels >= 4, "{name}: {labels} paragraphs: a diagram has labels and a caption");
        // Ids: the figure's, its caption's, and its markers', all named after it.
        for id in text.split(" id=\"").skip(1).map(|rest| rest.split('"').next().unwrap_or("")) {
            assert!(
                id.starts_with(&format!("diagram-{name}")) || id.starts_with(&format!("{name}-")),
                "{name}: the id {id:?} does not start with the diagram's name"
            );
        }
        for target in text.split("url(#").skip(1).map(|rest| rest.split(')').next().unwrap_or("")) {
            assert!(
                text.contains(&format!(" id=\"{target}\"")),
                "{name}: url(#{target}) names no id of its own"
            );
        }
    }
}

/// The text of a block of HTML outside its tags, with no letters allowed: a digit drawn as
/// SVG `<text>` (a step's number) needs no translation, a word does.
fn words_outside_tags(block: &str) -> String {
    let mut outside = String::new();
    let mut in_tag = false;
    for c in block.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_alphabetic() => outside.push(c),
            _ => {}
        }
    }
    outside
}

/// CPython's own files, which the book names by file name alone: a module of `multiprocessing`
/// after naming its package (`popen_fork.py`), and `threading.py` in py-spy's frames.
const CPYTHON_FILE_NAMES: [&str; 2] = ["popen_fork.py", "threading.py"];

/// The packages of CPython's standard library whose files the book names (`multiprocessing/
/// popen_fork.py`, `concurrent/futures/process.py`): CPython's paths, not the repository's.
const CPYTHON_PACKAGES: [&str; 2] = ["multiprocessing/", "concurrent/"];

/// Every path ending in `.py`, and every path under `book/python/`, that `text` names, with
/// where it starts: the longest run of path characters around each.
fn named_paths(text: &str) -> Vec<(usize, &str)> {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some(offset) = text[at..].find(|c: char| is_path_char(c)) else { break };
        let start = at + offset;
        let end = text[start..].find(|c: char| !is_path_char(c)).map_or(text.len(), |length| start + length);
        let word = text[start..end].trim_end_matches('.');
        if word.ends_with(".py") || word.starts_with("book/python/") {
            found.push((start, word));
        }
        at = end;
    }
    found
}

/// Whether `path`, named in `text` at `start`, is CPython's rather than the repository's: under
/// an installed CPython's library (`…/lib/python3.11/`), in CPython's source tree (`Lib/`), in
/// a standard-library package, part of a web address, or a bare file name that is one of
/// CPython's: a sibling named just after a CPython path (`` `Lib/multiprocessing/queues.py`,
/// `connection.py` ``) or one of [`CPYTHON_FILE_NAMES`].
fn is_cpython_path(text: &str, start: usize, path: &str) -> bool {
    let is_cpythons = |path: &str| {
        path.contains("/lib/python3.")
            || path.starts_with("Lib/")
            || CPYTHON_PACKAGES.iter().any(|package| path.starts_with(package))
    };
    let in_address = text[..start].ends_with("://") || text[..start].ends_with(':');
    let sibling = !path.contains('/') && {
        let mut from = start.saturating_sub(100);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        named_paths(&text[from..start]).iter().any(|(_, before)| before.contains('/') && is_cpythons(before))
    };
    in_address || is_cpythons(path) || sibling || CPYTHON_FILE_NAMES.contains(&path)
}

/// The text of a gettext catalogue's messages, each `msgid` and `msgstr` joined from its
/// quoted pieces (a path may be split across two of them) and unescaped; comments and
/// obsolete messages (`#~`) left out.
fn po_messages(po: &str) -> String {
    let mut text = String::new();
    for line in po.lines() {
        let piece = if let Some(first) = line.strip_prefix("msgid ").or_else(|| line.strip_prefix("msgstr "))
        {
            text.push('\n');
            first
        } else if line.starts_with('"') {
            line
        } else {
            continue;
        };
        let inner = piece.trim().strip_prefix('"').and_then(|rest| rest.strip_suffix('"')).unwrap_or("");
        text.push_str(&inner.replace("\\\"", "\"").replace("\\n", "\n"));
    }
    text
}

/// No page quotes a path that is not in the repository: every path ending in `.py`, or under
/// `book/python/`, that a page names, in its text or in a file it includes from `book/src/` (a
/// sample output, a tool's output), and in the Chinese edition's translations, is a file or
/// directory of the repository; or it is CPython's own (see [`is_cpython_path`]). A path from
/// the repository's root (`book/python/race.py`) or relative to the page (`../../python/…`, as
/// an include has it) must exist; a bare file name (`gil_threads.py`, in py-spy's frames) must
/// be the name of a file in `book/python/`.
#[test]
fn every_python_path_a_page_names_exists() {
    let root = workspace_root();
    let programs: BTreeSet<String> = fs::read_dir(root.join("book/python"))
        .expect("book/python")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    // Each text to search, with the directory its relative paths start from.
    let mut texts: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    for (page, text) in book_pages() {
        let dir = page.parent().expect("a page has a directory").to_path_buf();
        for (path, _) in includes(&text) {
            let source = dir.join(&path);
            if source.starts_with(book_src()) || path.starts_with("samples/") || path.starts_with("find-it/")
            {
                let included = fs::read_to_string(&source).expect("checked by the include test");
                texts.push((source, dir.clone(), included));
            }
        }
        texts.push((page, dir, text));
    }
    let po = root.join("book/po/zh-CN.po");
    let translations = po_messages(&fs::read_to_string(&po).expect("book/po/zh-CN.po"));
    texts.push((po, book_src(), translations));
    let mut missing = Vec::new();
    let mut checked = 0;
    for (file, dir, text) in &texts {
        for (start, path) in named_paths(text) {
            if is_cpython_path(text, start, path) {
                continue;
            }
            let exists = if path.starts_with("../") || path.starts_with("./") {
                dir.join(path).exists()
            } else if path.contains('/') {
                root.join(path).exists()
            } else {
                programs.contains(path)
            };
            checked += 1;
            if !exists {
                missing.push(format!("{}: {path}", file.display()));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(checked > 20, "too few paths found ({checked}): is the search broken?");
    assert!(
        missing.is_empty(),
        "paths named in the book that are not in the repository:\n{}",
        missing.join("\n")
    );
}

/// The minutes a table row of `start-here.md` states in its last cell (`7 min`), if any.
fn minutes(row: &str) -> Option<u32> {
    let last = row.trim().trim_end_matches('|').rsplit('|').next()?;
    last.trim().trim_matches('*').strip_suffix(" min")?.trim().parse().ok()
}

/// The relative links of a line: `(page, id)` for `[text](page#id)`.
fn page_links(line: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        rest = &after[end..];
        if !target.contains("://") {
            let (page, id) = match target.split_once('#') {
                Some((page, id)) => (page, Some(id.to_owned())),
                None => (target, None),
            };
            found.push((page.to_owned(), id));
        }
    }
    found
}

/// "Start here": every page and `#id` a route table names exists; in each table the rows'
/// minutes add up to the total its last row states; the core route (the first table) takes
/// 100 to 140 minutes; and the introduction points to the page.
#[test]
fn the_start_here_route_names_real_pages_and_its_times_add_up() {
    let text = fs::read_to_string(book_src().join("start-here.md")).expect("start-here.md");
    let mut tables: Vec<Vec<&str>> = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        let is_row = line.starts_with('|');
        if is_row && !in_table {
            tables.push(Vec::new());
        }
        if is_row {
            tables.last_mut().expect("a table was opened").push(line);
        }
        in_table = is_row;
    }
    assert!(
        tables.len() >= 2,
        "start-here.md: a core route and a deeper reading table, found {}",
        tables.len()
    );
    let mut totals = Vec::new();
    for (index, rows) in tables.iter().enumerate() {
        let (total_row, rows) = rows.split_last().expect("a table has rows");
        assert!(
            total_row.contains("**Total**"),
            "table {}: the last row is not the total: {total_row}",
            index + 1
        );
        let total =
            minutes(total_row).unwrap_or_else(|| panic!("table {}: no minutes in {total_row}", index + 1));
        let timed: Vec<(&str, u32)> = rows.iter().filter_map(|row| Some((*row, minutes(row)?))).collect();
        assert!(timed.len() >= 5, "table {}: too few timed rows: {}", index + 1, timed.len());
        let sum: u32 = timed.iter().map(|(_, minutes)| minutes).sum();
        assert_eq!(
            sum,
            total,
            "table {}: the rows add up to {sum} min, the total says {total} min",
            index + 1
        );
        for (row, _) in &timed {
            let links = page_links(row);
            assert!(!links.is_empty(), "table {}: a timed row names no page: {row}", index + 1);
            for (page, id) in links {
                let path = book_src().join(&page);
                let page_text = fs::read_to_string(&path).unwrap_or_else(|error| {
                    panic!("start-here.md names {page}, which cannot be read: {error}")
                });
                if let Some(id) = id {
                    // Explicit, so that the Chinese edition's heading, in other words, has it too.
                    assert!(
                        page_text.contains(&format!("{{#{id}}}")),
                        "start-here.md names {page}#{id}: no heading with that explicit {{#id}}"
                    );
                }
            }
        }
        totals.push(total);
    }
    assert!((100..=140).contains(&totals[0]), "the core route takes {} min, not about two hours", totals[0]);
    let introduction = fs::read_to_string(book_src().join("introduction.md")).expect("introduction.md");
    assert!(introduction.contains("](start-here.md)"), "the introduction does not point to Start here");
}
