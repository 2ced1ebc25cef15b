//! The "Be the scheduler" levels (`book/src/scheduler/*.md`), checked
//! independently of the widget that plays them (`book/assets/scheduler.js`):
//! this file interprets the same step lists in Rust, enumerates every schedule
//! of the buggy and the fixed version, and asserts the counts each level states
//! (`expect`), which the browser test checks the widget shows. Both must agree,
//! so the widget cannot teach a wrong count. It also plays each level's
//! `winning` schedule to its failure, and checks that the steps are the
//! example's own lines.
//!
//! Where loom models the same program, its verdict agrees with the counts
//! (`tests/tests/exercises.rs` asserts that each exercise's starter fails its
//! loom check and its solution passes):
//! - `condvar`: the buggy version is the `lost-wakeup` exercise's starter, whose
//!   check (`examples-threads/exercises/lost-wakeup/check.rs`) runs its `Queue`
//!   under loom and finds a consumer asleep for ever; the solution, `done` set
//!   under the lock as in `condvar.rs`, passes. Here: failing schedules in the
//!   buggy version, none in the fixed one.
//! - `race`: the `race-atomic` exercise's check runs the same load-then-store
//!   `increment` on two threads under loom, which finds the lost update; its
//!   solution, `fetch_add`, passes. The same verdict as the `race` level.
//!
//! No loom test in the workspace models the other levels (`deadlock`, `once`,
//! `store-buffering`, `seed`); loom has no processes (`pipe-deadlock`,
//! `fork-with-threads`).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// One version of a level (buggy or fixed), as its JSON gives it.
struct Program {
    vars: Vec<String>,
    init: Vec<i64>,
    locks: Vec<String>,
    channels: Vec<(String, Option<usize>)>,
    condvars: Vec<String>,
    actors: Vec<Actor>,
    fail: Value,
}

struct Actor {
    name: String,
    started: bool,
    steps: Vec<Value>,
}

/// Everything that changes while the program runs; hashed to count the
/// schedules from each state once.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct State {
    mem: Vec<i64>,
    holder: Vec<Option<usize>>,
    chans: Vec<(Vec<i64>, bool)>,
    pc: Vec<usize>,
    started: Vec<bool>,
    /// 0: running; 1: asleep on a condvar; 2: woken, wants its lock back.
    sleep: Vec<u8>,
    locals: Vec<BTreeMap<String, i64>>,
    buffers: Vec<Vec<(usize, i64)>>,
    output: Vec<String>,
}

fn index(names: &[String], name: &str, what: &str) -> usize {
    names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no {what} named {name:?}"))
}

fn text(step: &Value, key: &str) -> String {
    step[key].as_str().unwrap_or_else(|| panic!("{key} missing in {step}")).to_owned()
}

impl Program {
    fn parse(json: &Value) -> Program {
        let object = |key: &str| json[key].as_object().cloned().unwrap_or_default();
        let strings = |key: &str| -> Vec<String> {
            json[key]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().expect("a name").to_owned()).collect())
                .unwrap_or_default()
        };
        let vars = object("vars");
        let channels = object("channels")
            .into_iter()
            .map(|(name, cap)| (name, cap.as_u64().map(|c| c as usize)))
            .collect();
        let actors = json["actors"]
            .as_array()
            .expect("actors")
            .iter()
            .map(|a| Actor {
                name: text(a, "name"),
                started: a["started"].as_bool().unwrap_or(true),
                steps: a["steps"].as_array().expect("steps").clone(),
            })
            .collect();
        Program {
            vars: vars.keys().cloned().collect(),
            init: vars.values().map(|v| v.as_i64().expect("a number")).collect(),
            locks: strings("locks"),
            channels,
            condvars: strings("condvars"),
            actors,
            fail: json["fail"].clone(),
        }
    }

    fn start(&self) -> State {
        let n = self.actors.len();
        State {
            mem: self.init.clone(),
            holder: vec![None; self.locks.len()],
            chans: vec![(Vec::new(), false); self.channels.len()],
            pc: vec![0; n],
            started: self.actors.iter().map(|a| a.started).collect(),
            sleep: vec![0; n],
            locals: vec![BTreeMap::new(); n],
            buffers: vec![Vec::new(); n],
            output: Vec::new(),
        }
    }

    fn var(&self, step: &Value) -> usize {
        index(&self.vars, &text(step, "var"), "variable")
    }
    fn lock(&self, step: &Value) -> usize {
        index(&self.locks, &text(step, "lock"), "lock")
    }
    fn chan(&self, step: &Value) -> usize {
        let names: Vec<String> = self.channels.iter().map(|c| c.0.clone()).collect();
        index(&names, &text(step, "chan"), "channel")
    }
    fn actor(&self, step: &Value) -> usize {
        let names: Vec<String> = self.actors.iter().map(|a| a.name.clone()).collect();
        index(&names, &text(step, "actor"), "actor")
    }

    fn finished(&self, s: &State, a: usize) -> bool {
        s.pc[a] >= self.actors[a].steps.len()
    }

    /// A step's value: `value`, or a local (`from`) plus `add`.
    fn value(&self, s: &State, a: usize, step: &Value) -> i64 {
        let base = match step["from"].as_str() {
            Some(local) => *s.locals[a].get(local).expect("a local read before it is set"),
            None => step["value"].as_i64().unwrap_or(0),
        };
        base + step["add"].as_i64().unwrap_or(0)
    }

    /// What actor `a` reads from a shared variable: its own latest buffered
    /// store, else memory.
    fn read(&self, s: &State, a: usize, var: usize) -> i64 {
        s.buffers[a].iter().rev().find(|(v, _)| *v == var).map_or(s.mem[var], |(_, x)| *x)
    }

    fn cond(&self, s: &State, a: usize, c: &Value) -> bool {
        let got = if let Some(var) = c["var"].as_str() {
            self.read(s, a, index(&self.vars, var, "variable"))
        } else {
            *s.locals[a].get(&text(c, "local")).expect("a local read before it is set")
        };
        match (c["eq"].as_i64(), c["ne"].as_i64()) {
            (Some(eq), _) => got == eq,
            (_, Some(ne)) => got != ne,
            _ => panic!("a condition needs eq or ne: {c}"),
        }
    }

    /// Action `i`: actor `i` runs its next step, or for `i >= n` the store
    /// buffer of actor `i - n` writes its oldest store to memory.
    fn enabled(&self, s: &State, i: usize) -> bool {
        let n = self.actors.len();
        if i >= n {
            return !s.buffers[i - n].is_empty();
        }
        let a = i;
        if !s.started[a] || self.finished(s, a) {
            return false;
        }
        let step = &self.actors[a].steps[s.pc[a]];
        match step["op"].as_str().expect("op") {
            "lock" => s.holder[self.lock(step)].is_none(),
            "wait" => match s.sleep[a] {
                0 => true,
                1 => false,
                _ => s.holder[self.lock(step)].is_none(),
            },
            "send" => {
                let c = self.chan(step);
                self.channels[c].1.is_none_or(|cap| s.chans[c].0.len() < cap)
            }
            "recv" => {
                let c = self.chan(step);
                !s.chans[c].0.is_empty() || s.chans[c].1
            }
            "join" => self.finished(s, self.actor(step)),
            "load" if step["fence"].as_bool() == Some(true) => s.buffers[a].is_empty(),
            _ => true,
        }
    }

    fn run(&self, s: &State, i: usize) -> State {
        let mut s = s.clone();
        let n = self.actors.len();
        if i >= n {
            let (var, value) = s.buffers[i - n].remove(0);
            s.mem[var] = value;
            return s;
        }
        let a = i;
        let step = &self.actors[a].steps[s.pc[a]];
        let mut next = step["next"].as_u64().map_or(s.pc[a] + 1, |k| k as usize);
        match step["op"].as_str().expect("op") {
            "load" => {
                let value = self.read(&s, a, self.var(step));
                s.locals[a].insert(text(step, "local"), value);
            }
            "store" => {
                let (var, value) = (self.var(step), self.value(&s, a, step));
                if step["buffered"].as_bool() == Some(true) {
                    s.buffers[a].push((var, value));
                } else {
                    s.mem[var] = value;
                }
            }
            "add" => {
                let var = self.var(step);
                if let Some(local) = step["local"].as_str() {
                    s.locals[a].insert(local.to_owned(), s.mem[var]);
                }
                s.mem[var] += step["n"].as_i64().unwrap_or(1);
            }
            "compute" => {
                let value = self.value(&s, a, step);
                s.locals[a].insert(text(step, "local"), value);
            }
            "check" => {
                if !self.cond(&s, a, &step["cond"]) {
                    next = step["else"].as_u64().expect("else") as usize;
                }
            }
            "lock" => s.holder[self.lock(step)] = Some(a),
            "unlock" => {
                let l = self.lock(step);
                assert_eq!(s.holder[l], Some(a), "unlock of a lock not held: {step}");
                s.holder[l] = None;
            }
            "wait" => {
                let l = self.lock(step);
                if s.sleep[a] == 0 {
                    assert_eq!(s.holder[l], Some(a), "wait without the lock: {step}");
                    s.holder[l] = None;
                    s.sleep[a] = 1;
                    next = s.pc[a];
                } else {
                    s.holder[l] = Some(a);
                    s.sleep[a] = 0;
                }
            }
            "notify" => {
                // Only actors asleep on this condvar; notify_one wakes the
                // first (the levels have one waiter at a time).
                let cv = text(step, "cv");
                index(&self.condvars, &cv, "condvar");
                let all = step["all"].as_bool() == Some(true);
                for b in 0..n {
                    let waits_here = self.actors[b]
                        .steps
                        .get(s.pc[b])
                        .is_some_and(|w| w["op"] == "wait" && w["cv"] == cv.as_str());
                    if s.sleep[b] == 1 && waits_here {
                        s.sleep[b] = 2;
                        if !all {
                            break;
                        }
                    }
                }
            }
            "send" => {
                let (c, value) = (self.chan(step), self.value(&s, a, step));
                s.chans[c].0.push(value);
            }
            "recv" => {
                let c = self.chan(step);
                if s.chans[c].0.is_empty() {
                    next = step["eof"].as_u64().map_or(s.pc[a] + 1, |k| k as usize);
                } else {
                    let value = s.chans[c].0.remove(0);
                    if let Some(local) = step["local"].as_str() {
                        s.locals[a].insert(local.to_owned(), value);
                    }
                }
            }
            "close" => {
                let c = self.chan(step);
                s.chans[c].1 = true;
            }
            "print" => s.output.push(text(step, "text")),
            "spawn" => {
                let b = self.actor(step);
                s.started[b] = true;
            }
            "fork" => {
                // The child has a copy of each lock, held by whoever held
                // the parent's: a thread the child does not have.
                let b = self.actor(step);
                s.started[b] = true;
                for (parent, child) in step["copy"].as_object().cloned().unwrap_or_default() {
                    let from = index(&self.locks, &parent, "lock");
                    let to = index(&self.locks, child.as_str().expect("a lock"), "lock");
                    s.holder[to] = s.holder[from];
                }
            }
            "join" => {}
            op => panic!("unknown op {op:?} in {step}"),
        }
        s.pc[a] = next;
        s
    }

    fn actions(&self) -> usize {
        2 * self.actors.len()
    }

    fn pred(&self, s: &State, p: &Value) -> bool {
        if let Some(all) = p["all"].as_array() {
            return all.iter().all(|q| self.pred(s, q));
        }
        if let Some(any) = p["any"].as_array() {
            return any.iter().any(|q| self.pred(s, q));
        }
        if p["stuck"].as_bool() == Some(true) {
            return (0..self.actors.len()).any(|a| s.started[a] && !self.finished(s, a));
        }
        if let Some(line) = p["last_not"].as_str() {
            return s.output.last().map(String::as_str) != Some(line);
        }
        if let Some([actor, local]) = p["local"].as_array().map(Vec::as_slice) {
            let names: Vec<String> = self.actors.iter().map(|a| a.name.clone()).collect();
            let a = index(&names, actor.as_str().expect("an actor"), "actor");
            let got = s.locals[a].get(local.as_str().expect("a local")).copied();
            return got == p["eq"].as_i64();
        }
        if let Some(var) = p["var"].as_str() {
            let got = s.mem[index(&self.vars, var, "variable")];
            return match (p["eq"].as_i64(), p["ne"].as_i64()) {
                (Some(eq), _) => got == eq,
                (_, Some(ne)) => got != ne,
                _ => panic!("a condition needs eq or ne: {p}"),
            };
        }
        panic!("unknown failure predicate {p}")
    }

    /// (schedules, failing) from state `s`: every sequence of actions until
    /// none is enabled, the failure predicate judged there.
    fn count(&self, s: &State, memo: &mut HashMap<State, (u64, u64)>, depth: usize) -> (u64, u64) {
        assert!(depth < 10_000, "a schedule longer than 10000 steps: a loop?");
        if let Some(&known) = memo.get(s) {
            return known;
        }
        let mut total = (0, 0);
        let mut any = false;
        for i in 0..self.actions() {
            if self.enabled(s, i) {
                any = true;
                let (t, f) = self.count(&self.run(s, i), memo, depth + 1);
                total = (total.0 + t, total.1 + f);
            }
        }
        if !any {
            total = (1, u64::from(self.pred(s, &self.fail)));
        }
        memo.insert(s.clone(), total);
        total
    }
}

struct Level {
    name: String,
    page: String,
    json: Value,
}

/// The levels, and the page that includes each.
fn levels() -> Vec<Level> {
    let dir = repo().join("book/src/scheduler");
    let mut levels = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().expect("a name").to_string_lossy().into_owned();
        let md = fs::read_to_string(&path).expect("a level file");
        let start = md.find("<script type=\"application/json\">").expect("the level's JSON")
            + "<script type=\"application/json\">".len();
        let end = start + md[start..].find("</script>").expect("the end of the JSON");
        let json: Value = serde_json::from_str(&md[start..end])
            .unwrap_or_else(|e| panic!("{name}: the JSON does not parse: {e}"));
        assert!(md.contains(&format!("data-level=\"{name}\"")), "{name}: data-level");
        let page = json["page"].as_str().expect("page").to_owned();
        levels.push(Level { name, page, json });
    }
    levels
}

#[test]
fn at_least_eight_levels_each_on_its_page() {
    let levels = levels();
    assert!(levels.len() >= 8, "{} levels", levels.len());
    for level in &levels {
        let page = repo().join("book/src").join(&level.page);
        let md = fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let depth = level.page.matches('/').count();
        let include = format!("{{{{#include {}scheduler/{}.md}}}}", "../".repeat(depth), level.name);
        assert!(md.contains(&include), "{}: {} lacks {include}", level.name, level.page);
        assert!(
            md.contains("## Be the scheduler {#be-the-scheduler}"),
            "{}: the section heading",
            level.page
        );
    }
}

#[test]
fn counts_agree_with_each_level() {
    let (mut report, mut wrong) = (String::new(), Vec::new());
    for level in levels() {
        for version in ["buggy", "fixed"] {
            let json = &level.json[version];
            let program = Program::parse(json);
            let got = program.count(&program.start(), &mut HashMap::new(), 0);
            let expect = (
                json["expect"]["schedules"].as_u64().expect("expect.schedules"),
                json["expect"]["failing"].as_u64().expect("expect.failing"),
            );
            report += &format!("{} {version}: {} schedules, {} fail\n", level.name, got.0, got.1);
            if got != expect {
                wrong.push(format!("{} {version}: {got:?}, expected {expect:?}", level.name));
            }
            if version == "fixed" {
                assert_eq!(got.1, 0, "{}: the fixed version fails", level.name);
            } else {
                assert!(got.1 > 0, "{}: the buggy version never fails", level.name);
            }
        }
    }
    println!("{report}");
    assert!(wrong.is_empty(), "counts differ:\n{}", wrong.join("\n"));
}

#[test]
fn each_winning_schedule_reaches_the_failure() {
    for level in levels() {
        let program = Program::parse(&level.json["buggy"]);
        let mut state = program.start();
        let winning = level.json["buggy"]["winning"].as_array().expect("winning");
        for (k, action) in winning.iter().enumerate() {
            let i = action.as_u64().expect("an action number") as usize;
            assert!(program.enabled(&state, i), "{}: action {k} ({i}) is not enabled", level.name);
            state = program.run(&state, i);
        }
        let done = (0..program.actions()).all(|i| !program.enabled(&state, i));
        assert!(done, "{}: the winning schedule stops before the end", level.name);
        assert!(program.pred(&state, &program.fail), "{}: no failure", level.name);
    }
}

/// Each step's line is a line of the source its version names (a step marked
/// `sketch` stands for code the example does not have, and says so on the
/// page); the source is the one the level's page includes, or an exercise's
/// starter, which the exercises page sets.
#[test]
fn steps_are_the_examples_lines() {
    for level in levels() {
        let page = fs::read_to_string(repo().join("book/src").join(&level.page)).expect("page");
        for version in ["buggy", "fixed"] {
            let json = &level.json[version];
            let source = json["source"].as_str().expect("source");
            if let Some(rest) = source.strip_prefix("examples-threads/exercises/") {
                let exercise = rest.split('/').next().expect("an exercise");
                let exercises = fs::read_to_string(repo().join("book/src/threads/exercises.md")).expect("md");
                assert!(exercises.contains(&format!("## {exercise}\n")), "{source}");
            } else {
                assert!(page.contains(source), "{}: {} does not include {source}", level.name, level.page);
            }
            for actor in json["actors"].as_array().expect("actors") {
                // An actor may run code from another file (a child's task).
                let source = actor["source"].as_str().unwrap_or(source);
                let code = fs::read_to_string(repo().join(source)).expect("the source");
                let lines: Vec<&str> = code.lines().map(str::trim).collect();
                for step in actor["steps"].as_array().expect("steps") {
                    let line = text(step, "line");
                    if step["sketch"].as_bool() == Some(true) {
                        continue;
                    }
                    assert!(
                        lines.contains(&line.trim()),
                        "{} {version}: {line:?} is not a line of {source}",
                        level.name
                    );
                }
            }
        }
    }
}
