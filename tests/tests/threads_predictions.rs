//! Predict, then run: every thread page that runs an example asks its question in a
//! `{#predict}` section just before the run, and answers it in a collapsed "Answer" block
//! just after the run's first sample output.

use std::fs;

use tests::workspace_root;

/// The pages of the thread chapter of `SUMMARY.md` that run an example: every entry under
/// "Thread examples" but the chapter's index, its exercises and any quiz page.
fn thread_pages_that_run() -> Vec<String> {
    let summary =
        fs::read_to_string(workspace_root().join("book/src/SUMMARY.md")).expect("book/src/SUMMARY.md");
    let mut pages = Vec::new();
    let mut in_chapter = false;
    for line in summary.lines() {
        if line.starts_with("- ") {
            in_chapter = line.contains("(threads/index.md)");
            continue;
        }
        let Some(target) = line.trim_start().strip_prefix("- [").and_then(|entry| {
            let (_, rest) = entry.split_once("](")?;
            rest.strip_suffix(')')
        }) else {
            continue;
        };
        let Some(name) = target.strip_prefix("threads/") else { continue };
        if in_chapter && !matches!(name, "index.md" | "exercises.md") && !name.contains("quiz") {
            pages.push(target.to_owned());
        }
    }
    assert!(pages.len() > 30, "too few thread pages found in SUMMARY.md: {pages:?}");
    pages
}

/// The index of the line that closes the fenced block opened at `open`.
fn fence_end(lines: &[&str], open: usize, page: &str) -> usize {
    (open + 1..lines.len())
        .find(|&index| lines[index].starts_with("```"))
        .unwrap_or_else(|| panic!("{page}: the block opened on line {} is never closed", open + 1))
}

/// The index of the `<details>` line of every collapsed block whose summary is "Answer", in
/// the form the translations need: the summary's text a Markdown paragraph of its own.
fn answer_blocks(lines: &[&str]) -> Vec<usize> {
    let form = ["<details>", "<summary>", "", "Answer", "", "</summary>"];
    (0..lines.len()).filter(|&index| lines[index..].starts_with(&form)).collect()
}

#[test]
fn every_thread_page_predicts_before_it_runs() {
    for page in thread_pages_that_run() {
        let text = fs::read_to_string(workspace_root().join("book/src").join(&page))
            .unwrap_or_else(|error| panic!("reading {page}: {error}"));
        let lines: Vec<&str> = text.lines().collect();

        // The first run: the "Run it" heading, or the first command that runs the example.
        let run = lines
            .iter()
            .position(|line| *line == "## Run it" || line.starts_with("$ cargo run"))
            .unwrap_or_else(|| panic!("{page}: no \"Run it\" heading and no `cargo run`"));

        // Exactly one prediction, a section of its own, ending where the run begins.
        assert_eq!(text.matches("{#predict}").count(), 1, "{page}: not exactly one {{#predict}}");
        let predict = lines
            .iter()
            .position(|line| *line == "## Predict first {#predict}")
            .unwrap_or_else(|| panic!("{page}: no `## Predict first {{#predict}}` heading"));
        assert!(predict < run, "{page}: the prediction comes after the run");
        let section = &lines[predict + 1..run];
        assert!(
            section.iter().all(|line| !line.starts_with('#') && !line.starts_with("```")),
            "{page}: something other than the question stands between the prediction and the run"
        );
        assert!(section.iter().any(|line| line.contains('?')), "{page}: the prediction asks no question");

        // Exactly one answer, collapsed, right after the run's first sample output (or,
        // where the run shows none, after its command).
        let blocks = answer_blocks(&lines);
        assert_eq!(blocks.len(), 1, "{page}: not exactly one collapsed \"Answer\" block");
        let answer = blocks[0];
        let sample = (run..lines.len())
            .take_while(|&index| index == run || !lines[index].starts_with("## "))
            .find(|&index| lines[index].starts_with("{{#include ../samples/"));
        let after = match sample {
            Some(include) => fence_end(&lines, include, &page),
            None => {
                let console = (run..lines.len())
                    .find(|&index| lines[index].starts_with("```console"))
                    .unwrap_or_else(|| panic!("{page}: the run shows no command"));
                fence_end(&lines, console, &page)
            }
        };
        assert!(answer > after, "{page}: the answer comes before the run's output");
        assert!(
            lines[after + 1..answer].iter().all(|line| line.trim().is_empty()),
            "{page}: the answer does not follow the run's first output directly"
        );
        let close = (answer..lines.len())
            .find(|&index| lines[index] == "</details>")
            .unwrap_or_else(|| panic!("{page}: the answer block is never closed"));
        assert!(
            lines[answer + 6..close].iter().any(|line| !line.trim().is_empty()),
            "{page}: the answer block is empty"
        );
    }
}
