//! Every example page asks the reader to commit to a prediction before the run, and answers it
//! after the run, collapsed: a `## Predict first {#predict}` section just before the page's first
//! "Run it" heading, and a `<details>` block whose summary is "Answer" just after the first
//! sample output that follows it. Both are Markdown paragraphs (the summary too), so the Chinese
//! edition translates them; `book/i18n-check` checks that it does.

use std::fs;

use tests::workspace_root;

const PREDICT: &str = "## Predict first {#predict}";

/// The pages of one chapter of SUMMARY.md that run an example: the entries nested under the
/// chapter's index, except the index itself and the pages named in `without`, and any quiz.
fn example_pages(index: &str, without: &[&str]) -> Vec<String> {
    let summary = fs::read_to_string(workspace_root().join("book/src/SUMMARY.md")).expect("SUMMARY.md");
    let mut lines = summary.lines().skip_while(|line| !line.contains(&format!("]({index})")));
    assert!(lines.next().is_some(), "SUMMARY.md has no entry for {index}");
    let directory = index.rsplit_once('/').map_or("", |(directory, _)| directory);
    let mut pages = Vec::new();
    for line in lines.take_while(|line| line.starts_with("  ")) {
        let Some((_, rest)) = line.split_once("](") else { continue };
        let page = rest.trim_end().trim_end_matches(')');
        let name = page.strip_prefix(directory).unwrap_or(page).trim_start_matches('/');
        if !without.contains(&name) && !name.contains("quiz") {
            pages.push(page.to_owned());
        }
    }
    pages
}

/// What is wrong with a page's prediction and answer, if anything.
fn prediction_faults(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut faults = Vec::new();
    let predicts: Vec<usize> =
        lines.iter().enumerate().filter(|(_, line)| line.contains("{#predict}")).map(|(at, _)| at).collect();
    if predicts.len() != 1 {
        return vec![format!("{} `{{#predict}}` headings, not one", predicts.len())];
    }
    let predict = predicts[0];
    if lines[predict] != PREDICT {
        faults.push(format!("the prediction's heading reads {:?}, not {PREDICT:?}", lines[predict]));
    }
    let Some(run) = lines.iter().position(|line| matches!(*line, "## Run it" | "### Run it")) else {
        return vec!["no \"Run it\" heading".to_owned()];
    };
    if predict > run {
        return vec![format!(
            "the prediction (line {}) comes after the first run (line {})",
            predict + 1,
            run + 1
        )];
    }
    // Between the two headings: the question (and perhaps a list of answers), nothing else.
    let question = &lines[predict + 1..run];
    if question.iter().any(|line| line.starts_with('#') || line.starts_with("```")) {
        faults.push(
            "something other than the question stands between the prediction and \"Run it\"".to_owned(),
        );
    }
    let paragraph: Vec<&str> = question
        .iter()
        .copied()
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect();
    let words = paragraph.join(" ").split_whitespace().count();
    if words == 0 || paragraph[0].starts_with("- ") {
        faults.push("the prediction asks no question".to_owned());
    } else if words > 60 {
        faults.push(format!("the question has {words} words, more than 60"));
    }
    // The answer: collapsed, right after the first sample output of the run, or, where the run
    // shows none (a timing that means nothing in a sample), right after its command.
    let section_end = lines[run + 1..]
        .iter()
        .position(|line| line.starts_with("## "))
        .map_or(lines.len(), |at| run + 1 + at);
    let output = lines[run..section_end]
        .iter()
        .position(|line| line.contains("{{#include ../samples/"))
        .or_else(|| lines[run..section_end].iter().position(|line| line.starts_with("```console")))
        .map(|at| run + at);
    let Some(sample) = output else {
        return vec![format!("no sample output and no command after \"Run it\" (line {})", run + 1)];
    };
    // The line that closes the output's fence.
    let Some(close) =
        lines[sample + 1..].iter().position(|line| line.starts_with("```")).map(|at| sample + 1 + at)
    else {
        return vec![format!("the block at line {} is never closed", sample + 1)];
    };
    let after: Vec<&str> = lines[close + 1..].iter().copied().skip_while(|line| line.is_empty()).collect();
    let opening = ["<details>", "<summary>", "", "Answer", "", "</summary>", ""];
    if after.len() < opening.len() || after[..opening.len()] != opening {
        faults.push(format!(
            "the run's first output (line {}) is not followed by a collapsed block with the summary \
             \"Answer\" as a paragraph of its own",
            sample + 1
        ));
        return faults;
    }
    let body = &after[opening.len()..];
    match body.iter().position(|line| *line == "</details>") {
        Some(end) if !body[..end].iter().any(|line| line.starts_with('#')) => {
            let words = body[..end].join(" ").split_whitespace().count();
            if words == 0 {
                faults.push("the answer is empty".to_owned());
            } else if words > 120 {
                faults.push(format!("the answer has {words} words, more than 120"));
            }
        }
        _ => faults.push("the answer's <details> is not closed before the next heading".to_owned()),
    }
    let answers = lines.windows(3).filter(|window| window == &["<summary>", "", "Answer"]).count();
    if answers != 1 {
        faults.push(format!("{answers} collapsed answers, not one"));
    }
    faults
}

/// Panics, naming each page and what is wrong with it, unless every example page of the
/// chapter `index` (at least `fewest` of them, the pages in `without` left out) predicts
/// before it runs.
fn assert_every_page_predicts(index: &str, without: &[&str], fewest: usize) {
    let pages = example_pages(index, without);
    assert!(pages.len() >= fewest, "too few example pages under {index} in SUMMARY.md: {pages:?}");
    let mut faults = Vec::new();
    for page in &pages {
        let path = workspace_root().join("book/src").join(page);
        let text =
            fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
        faults.extend(prediction_faults(&text).into_iter().map(|fault| format!("{page}: {fault}")));
    }
    assert!(faults.is_empty(), "pages without a proper prediction:\n{}", faults.join("\n"));
}

#[test]
fn every_process_page_predicts_before_it_runs() {
    assert_every_page_predicts("processes/index.md", &["sys.md", "exercises.md", "capstone.md"], 20);
}

#[test]
fn every_thread_page_predicts_before_it_runs() {
    assert_every_page_predicts("threads/index.md", &["exercises.md"], 30);
}

#[test]
fn a_page_without_its_answer_is_caught() {
    let good = "# page\n\n## Predict first {#predict}\n\nWhat will it print?\n\n- one\n- two\n\n## Run it\n\n\
                ```console\n$ cargo run\n```\n\n```text\n{{#include ../samples/x.txt:2:}}\n```\n\n<details>\n\
                <summary>\n\nAnswer\n\n</summary>\n\nTwo, because.\n\n</details>\n\n## What always holds\n";
    assert_eq!(prediction_faults(good), Vec::<String>::new());
    let unanswered = good.replace("<details>", "<div>");
    assert_eq!(prediction_faults(&unanswered).len(), 1, "{:?}", prediction_faults(&unanswered));
    let late = good
        .replace("## Predict first {#predict}\n\nWhat will it print?\n\n- one\n- two\n\n", "")
        .replace("## What always holds", "## Predict first {#predict}\n\nWhat?\n\n## What always holds");
    assert!(!prediction_faults(&late).is_empty());
    let twice = format!("{good}\n## Predict first {{#predict}}\n");
    assert!(!prediction_faults(&twice).is_empty());
}
