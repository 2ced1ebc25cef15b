//! Every process example uses nothing of the project but its crate's safe process
//! layer, `crate::sys` (the wrappers of libc, with their own page in the book): what
//! else it needs, std, crates.io or code of its own, is in its file, where the
//! reader sees it.
//!
//! Each `crate::`, `super::` and `shared::` path in a file of
//! `examples-processes/src/examples/` is checked: `crate::sys` passes, and `super::`
//! only as a module's `use super::*` of its own file.

use std::path::PathBuf;

use tests::workspace_root;

fn examples_dir() -> PathBuf {
    workspace_root().join("examples-processes/src/examples")
}

/// The paths of the project (other than `crate::sys`) that `source` uses.
fn project_paths(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for root in ["crate::", "super::", "shared::"] {
        for (at, _) in source.match_indices(root) {
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // `examples_processes::crate::…` or part of a longer name
            }
            let rest = &source[at + root.len()..];
            let items: Vec<&str> = match rest.strip_prefix('{') {
                Some(list) => list[..list.find('}').unwrap_or(list.len())]
                    .split(',')
                    .map(|item| item.trim())
                    .filter(|item| !item.is_empty())
                    .collect(),
                None => vec![rest],
            };
            for item in items {
                let name: String =
                    item.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '*').collect();
                let allowed = match root {
                    "crate::" => name == "sys",
                    "super::" => name == "*",
                    _ => false,
                };
                if !allowed {
                    found.push(format!("{root}{name}"));
                }
            }
        }
    }
    found
}

fn example_sources() -> Vec<(String, String)> {
    let entries = std::fs::read_dir(examples_dir()).expect("reading the examples' folder");
    let mut sources: Vec<(String, String)> = entries
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            let source = std::fs::read_to_string(&path).expect("reading an example");
            Some((name, source))
        })
        .filter(|(name, _)| name != "mod")
        .collect();
    sources.sort();
    sources
}

#[test]
fn every_process_example_uses_nothing_of_the_project_but_sys() {
    let mut offenders = Vec::new();
    for (name, source) in example_sources() {
        let paths = project_paths(&source);
        if !paths.is_empty() {
            offenders.push(format!("{name}: {}", paths.join(", ")));
        }
    }
    assert!(offenders.is_empty(), "examples that use more than sys:\n{}", offenders.join("\n"));
}

#[test]
fn the_scan_sees_braced_lists_and_lets_sys_through() {
    assert_eq!(project_paths("use crate::{sys, tasks};"), ["crate::tasks"]);
    assert_eq!(project_paths("use crate::sys::{fork_child, Waited};"), Vec::<String>::new());
    assert_eq!(project_paths("    use super::*;"), Vec::<String>::new());
    assert_eq!(project_paths("use super::fork_server::ForkServer;"), ["super::fork_server"]);
    assert_eq!(project_paths("shared::join_scoped(handle)"), ["shared::join_scoped"]);
}
