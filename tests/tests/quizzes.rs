//! The quizzes (book/assets/quiz.js reads their markup): every question is well formed, its
//! explanation links to a section both editions have, the Chinese edition has the same questions
//! with the same answers, and the book has as many questions as it promises.
//!
//! The markup of a question, in a page's Markdown (the blank lines make each text a Markdown
//! paragraph, which gettext extracts for translation):
//!
//! ```text
//! <div class="quiz" data-quiz="NAME">
//!
//! <div class="question" data-id="NAME-N" data-answer="2">
//!
//! The question.
//!
//! 1. a choice
//! 2. another
//!
//! <details class="explanation">
//! <summary>
//!
//! Answer
//!
//! </summary>
//!
//! Why, ending with a [link](page.md#section).
//!
//! </details>
//! </div>
//!
//! </div>
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use tests::workspace_root;

/// The tests an outcomes question may name in `data-checked-by` (tests/tests/answer_keys.rs),
/// each checking one example's set of possible outcomes.
const CHECKED_BY: [&str; 7] = [
    "seed_orders",
    "race_lost_updates",
    "store_buffering",
    "torn_lines",
    "deadlock_outcomes",
    "condvar_lost_wakeup",
    "double_print",
];

/// The questions the whole book must have, once the example chapters' quizzes are in
/// (book/src/threads/quiz.md and book/src/processes/quiz.md).
const MIN_QUESTIONS: usize = 80;

/// What each edition must agree on for one question: its answer, its kind, the test that
/// checks it, and its number of choices.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    answer: String,
    kind: Option<String>,
    checked_by: Option<String>,
    choices: usize,
}

#[derive(Debug)]
struct Question {
    /// The page, relative to book/src, and the line of the question's opening tag.
    at: String,
    quiz: String,
    id: String,
    key: Key,
    explanation: String,
}

/// The value of attribute `name` in an HTML tag, if it is there.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_owned())
}

/// Every Markdown page of book/src, relative to it, with its text.
fn pages() -> Vec<(PathBuf, String)> {
    fn walk(root: &Path, dir: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|error| panic!("reading {}: {error}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(root, &path, found);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                let text = fs::read_to_string(&path).expect("a readable page");
                found.push((path.strip_prefix(root).expect("under book/src").to_path_buf(), text));
            }
        }
    }
    let root = workspace_root().join("book/src");
    let mut found = Vec::new();
    walk(&root, &root, &mut found);
    found.sort();
    found
}

/// The quizzes of one page: `(quiz name, its questions)`, checking the markup's shape as it goes.
fn quizzes_on(page: &Path, text: &str) -> Vec<(String, Vec<Question>)> {
    let lines: Vec<&str> = text.lines().collect();
    let blank_after = |i: usize| lines.get(i + 1).is_none_or(|line| line.trim().is_empty());
    let mut quizzes: Vec<(String, Vec<Question>)> = Vec::new();
    let mut open_quiz = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let at = format!("{}:{}", page.display(), i + 1);
        if line.starts_with("<div class=\"quiz\"") {
            assert!(!open_quiz, "{at}: a quiz inside a quiz");
            let name =
                attribute(line, "data-quiz").unwrap_or_else(|| panic!("{at}: a quiz with no data-quiz"));
            assert!(blank_after(i), "{at}: the quiz's opening tag must be followed by a blank line");
            quizzes.push((name, Vec::new()));
            open_quiz = true;
        } else if line.starts_with("<div class=\"question\"") {
            let (quiz, questions) = match quizzes.last_mut() {
                Some(last) if open_quiz => last,
                _ => panic!("{at}: a question outside a <div class=\"quiz\">"),
            };
            assert!(blank_after(i), "{at}: the question's opening tag must be followed by a blank line");
            let end = (i..lines.len())
                .find(|&j| lines[j].trim() == "</div>")
                .unwrap_or_else(|| panic!("{at}: the question is never closed with </div>"));
            let body = &lines[i + 1..end];
            questions.push(question(&at, quiz, line, body));
            i = end;
        } else if line.trim() == "</div>" && open_quiz {
            open_quiz = false;
        }
        i += 1;
    }
    assert!(!open_quiz, "{}: a quiz is never closed with </div>", page.display());
    quizzes
}

fn question(at: &str, quiz: &str, tag: &str, body: &[&str]) -> Question {
    let id = attribute(tag, "data-id").unwrap_or_else(|| panic!("{at}: a question with no data-id"));
    let number = id.strip_prefix(&format!("{quiz}-"));
    assert!(
        number.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
        "{at}: data-id {id:?} is not {quiz}-N"
    );
    let answer = attribute(tag, "data-answer").unwrap_or_else(|| panic!("{at}: {id} has no data-answer"));
    let kind = attribute(tag, "data-kind");
    let checked_by = attribute(tag, "data-checked-by");

    let details = body
        .iter()
        .position(|line| line.trim() == "<details class=\"explanation\">")
        .unwrap_or_else(|| panic!("{at}: {id} has no <details class=\"explanation\">"));
    // The choices: a numbered list, 1., 2., … at the start of a line, before the explanation.
    let numbers: Vec<usize> = body[..details]
        .iter()
        .filter_map(|line| line.split_once(". ").and_then(|(n, _)| n.parse().ok()))
        .collect();
    assert_eq!(
        numbers,
        (1..=numbers.len()).collect::<Vec<_>>(),
        "{at}: {id}'s choices are not numbered 1, 2, …"
    );
    assert!(numbers.len() >= 2, "{at}: {id} has {} choice(s); a question needs at least 2", numbers.len());
    let text_before: Vec<&&str> = body[..details]
        .iter()
        .take_while(|line| line.split_once(". ").is_none_or(|(n, _)| n.parse::<usize>().is_err()))
        .collect();
    assert!(
        text_before.iter().any(|line| !line.trim().is_empty()),
        "{at}: {id} has no question text before its choices"
    );
    assert!(body[details - 1].trim().is_empty(), "{at}: {id}: <details> must follow a blank line");

    let mut answers: Vec<usize> = Vec::new();
    for part in answer.split(',') {
        let n: usize = part
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{at}: {id}: data-answer {answer:?} is not a list of numbers"));
        assert!(
            (1..=numbers.len()).contains(&n),
            "{at}: {id}: data-answer names choice {n}, but there are {}",
            numbers.len()
        );
        assert!(!answers.contains(&n), "{at}: {id}: data-answer names choice {n} twice");
        answers.push(n);
    }

    // <summary>, a blank line, the title as a paragraph, a blank line, </summary>, a blank line.
    let rest = &body[details + 1..];
    let summary_end = rest
        .iter()
        .position(|line| line.trim() == "</summary>")
        .unwrap_or_else(|| panic!("{at}: {id}'s explanation has no </summary>"));
    assert_eq!(
        rest.first().map(|line| line.trim()),
        Some("<summary>"),
        "{at}: {id}: <summary> must follow <details>"
    );
    let title: Vec<&&str> = rest[1..summary_end].iter().filter(|line| !line.trim().is_empty()).collect();
    assert!(
        !title.is_empty() && rest[1].trim().is_empty() && rest[summary_end - 1].trim().is_empty(),
        "{at}: {id}: the summary's title must be a paragraph of its own (blank lines around it)"
    );
    let close = rest
        .iter()
        .position(|line| line.trim() == "</details>")
        .unwrap_or_else(|| panic!("{at}: {id}'s explanation has no </details>"));
    assert!(
        rest[summary_end + 1].trim().is_empty() && rest[close - 1].trim().is_empty(),
        "{at}: {id}: the explanation must be Markdown paragraphs (blank lines after </summary> and before </details>)"
    );
    let explanation = rest[summary_end + 1..close].join("\n");
    assert!(
        explanation.contains("]("),
        "{at}: {id}'s explanation has no link to the section that teaches the point"
    );

    match kind.as_deref() {
        None => assert!(checked_by.is_none(), "{at}: {id} has data-checked-by but no data-kind=\"outcomes\""),
        Some("outcomes") => {
            let name = checked_by
                .as_deref()
                .unwrap_or_else(|| panic!("{at}: {id}: an outcomes question needs data-checked-by"));
            assert!(
                CHECKED_BY.contains(&name),
                "{at}: {id}: data-checked-by={name:?} is not one of {CHECKED_BY:?}"
            );
        }
        Some(other) => panic!("{at}: {id}: data-kind={other:?}; the only kind is \"outcomes\""),
    }

    Question {
        at: at.to_owned(),
        quiz: quiz.to_owned(),
        id,
        key: Key { answer, kind, checked_by, choices: numbers.len() },
        explanation,
    }
}

/// Every quiz of the book: `(page, quiz name, questions)`.
fn all_quizzes() -> Vec<(PathBuf, String, Vec<Question>)> {
    pages()
        .into_iter()
        .flat_map(|(page, text)| {
            quizzes_on(&page, &text).into_iter().map(move |(name, questions)| (page.clone(), name, questions))
        })
        .collect()
}

/// The explicit `{#id}`s of a page's headings: the ids the Chinese edition keeps.
fn explicit_ids(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|line| line.starts_with('#'))
        .filter_map(|line| line.trim_end().strip_suffix('}')?.rsplit_once("{#").map(|(_, id)| id.to_owned()))
        .collect()
}

#[test]
fn every_quiz_is_well_formed() {
    let quizzes = all_quizzes();
    assert!(!quizzes.is_empty(), "the book has no quiz");
    let mut ids = BTreeMap::new();
    let mut names = BTreeSet::new();
    for (page, name, questions) in &quizzes {
        assert!(names.insert(name.clone()), "{}: a second quiz named {name:?}", page.display());
        assert!(!questions.is_empty(), "{}: the quiz {name:?} has no question", page.display());
        for question in questions {
            assert_eq!(question.quiz, *name);
            if let Some(first) = ids.insert(question.id.clone(), question.at.clone()) {
                panic!("{}: data-id {} is already used at {first}", question.at, question.id);
            }
        }
    }
    // An outcomes question names the test that checks its answer key: that test must exist
    // once the file of answer-key tests does.
    let keys_file = workspace_root().join("tests/tests/answer_keys.rs");
    if let Ok(keys) = fs::read_to_string(&keys_file) {
        for question in quizzes.iter().flat_map(|(_, _, questions)| questions) {
            if let Some(name) = &question.key.checked_by {
                assert!(
                    keys.contains(&format!("fn {name}(")),
                    "{}: {} is checked by {name}, but {} has no fn {name}",
                    question.at,
                    question.id,
                    keys_file.display()
                );
            }
        }
    }
}

/// Each link of an explanation leads to an existing page and, with `#id`, to a heading that
/// carries that `{#id}` explicitly, so that the Chinese edition's heading, whose text is
/// translated, keeps the id.
#[test]
fn every_explanation_links_to_a_section_both_editions_have() {
    let src = workspace_root().join("book/src");
    let mut checked = 0;
    for (page, _, questions) in all_quizzes() {
        for question in questions {
            let mut rest = question.explanation.as_str();
            while let Some(start) = rest.find("](") {
                let after = &rest[start + 2..];
                let end = after.find(')').unwrap_or(after.len());
                let target = after[..end].trim().to_owned();
                rest = &after[end..];
                if target.contains("://") {
                    continue;
                }
                let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
                let path = if file.is_empty() {
                    src.join(&page)
                } else {
                    src.join(page.parent().expect("a page has a directory")).join(file)
                };
                let text = fs::read_to_string(&path).unwrap_or_else(|error| {
                    panic!(
                        "{}: {}'s link to {target}: {} cannot be read: {error}",
                        question.at,
                        question.id,
                        path.display()
                    )
                });
                if !fragment.is_empty() {
                    assert!(
                        explicit_ids(&text).contains(fragment),
                        "{}: {} links to {target}, but no heading of {} has {{#{fragment}}}",
                        question.at,
                        question.id,
                        path.display()
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no explanation has a link");
}

#[test]
fn the_book_has_enough_questions() {
    let quizzes = all_quizzes();
    let mut total = 0;
    for (page, name, questions) in &quizzes {
        println!("{:>3} questions  {name} ({})", questions.len(), page.display());
        total += questions.len();
    }
    let counted = pages()
        .iter()
        .map(|(_, text)| text.lines().filter(|line| line.starts_with("<div class=\"question\"")).count())
        .sum::<usize>();
    assert_eq!(total, counted, "questions found in quizzes against question tags on the pages");
    println!("{total} questions in {} quizzes", quizzes.len());
    // The example chapters' quizzes bring the count to the minimum; until their page is in
    // the book, the count is printed, not asserted.
    if workspace_root().join("book/src/threads/quiz.md").exists() {
        assert!(
            total >= MIN_QUESTIONS,
            "the book has {total} questions; it promises at least {MIN_QUESTIONS}"
        );
    }
}

/// `(page, data-id) -> key` for every question of one built edition's HTML, print.html (which
/// repeats every page) and the other edition's directory left out.
fn built_questions(dir: &Path, skip: Option<&Path>) -> BTreeMap<(String, String), Key> {
    fn walk(root: &Path, dir: &Path, skip: Option<&Path>, found: &mut BTreeMap<(String, String), Key>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|error| panic!("reading {}: {error}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if Some(path.as_path()) == skip {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, skip, found);
                continue;
            }
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or("");
            if !name.ends_with(".html") || ["print.html", "toc.html", "404.html"].contains(&name) {
                continue;
            }
            let html = fs::read_to_string(&path).expect("a readable page");
            let page =
                path.strip_prefix(root).expect("under the edition").to_string_lossy().replace('\\', "/");
            let mut rest = html.as_str();
            while let Some(start) = rest.find("<div class=\"question\"") {
                let tag_end = rest[start..].find('>').expect("a closed tag") + start;
                let tag = &rest[start..tag_end];
                let id = attribute(tag, "data-id").expect("a question has a data-id");
                let body_end = rest[tag_end..].find("<details").map_or(rest.len(), |at| at + tag_end);
                let body = &rest[tag_end..body_end];
                let key = Key {
                    answer: attribute(tag, "data-answer").unwrap_or_default(),
                    kind: attribute(tag, "data-kind"),
                    checked_by: attribute(tag, "data-checked-by"),
                    choices: body.matches("<li>").count() + body.matches("<li ").count(),
                };
                found.insert((page.clone(), id), key);
                rest = &rest[body_end..];
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(dir, dir, skip, &mut found);
    found
}

/// The built Chinese edition has the questions of the English one, with the same answers and
/// as many choices. It compares book/book and book/book/zh-CN as `book/build` left them; with
/// no build there (a fresh checkout: CI runs this again after `book/build`, with
/// QUIZZES_REQUIRE_BUILT_BOOK=1), it says so and checks nothing.
#[test]
fn both_built_editions_have_the_same_questions_and_answers() {
    let built = workspace_root().join("book/book");
    let zh = built.join("zh-CN");
    if !zh.join("index.html").exists() {
        assert!(
            std::env::var_os("QUIZZES_REQUIRE_BUILT_BOOK").is_none_or(|value| value != "1"),
            "book/book/zh-CN is not built (QUIZZES_REQUIRE_BUILT_BOOK=1): run bash book/build"
        );
        eprintln!("book/book/zh-CN is not built: run bash book/build to compare the editions' quizzes");
        return;
    }
    let source: BTreeMap<(String, String), Key> = all_quizzes()
        .into_iter()
        .flat_map(|(page, _, questions)| {
            let html = page.with_extension("html").to_string_lossy().replace('\\', "/");
            questions.into_iter().map(move |question| ((html.clone(), question.id), question.key))
        })
        .collect();
    let english = built_questions(&built, Some(&zh));
    assert_eq!(
        english.keys().collect::<Vec<_>>(),
        source.keys().collect::<Vec<_>>(),
        "book/book's questions are not book/src's: the build is older than the pages (run bash book/build)"
    );
    assert_eq!(english, source, "book/book's answers are not book/src's: run bash book/build");
    let chinese = built_questions(&zh, None);
    for (question, key) in &english {
        match chinese.get(question) {
            None => panic!("{} {}: in the English edition, not in the Chinese one", question.0, question.1),
            Some(other) => assert_eq!(
                other, key,
                "{} {}: the Chinese edition's question differs from the English one",
                question.0, question.1
            ),
        }
    }
    assert_eq!(chinese.len(), english.len(), "the Chinese edition has questions the English one has not");
    println!("{} questions, the same in both built editions", english.len());
}
