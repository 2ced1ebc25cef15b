//! Copies the `event` example's `Event` and the `semaphore` example's
//! `Semaphore` (between their `ANCHOR` lines in
//! `examples-threads/src/examples/`) into `OUT_DIR`, where `src/sync/event.rs`
//! and `src/sync/semaphore.rs` include them: loom and CPython's ported tests
//! then check the one copy of the code that the book shows and the example
//! runs.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    copy("event", &["event", "wait_timeout"], &out);
    copy("semaphore", &["semaphore_type"], &out);
}

/// Writes each anchored region of `examples/NAME.rs` to `OUT_DIR/ANCHOR.rs`.
fn copy(name: &str, anchors: &[&str], out: &str) {
    let example = format!("../examples-threads/src/examples/{name}.rs");
    println!("cargo::rerun-if-changed={example}");
    let source = fs::read_to_string(&example).expect("reading the example");
    for anchor in anchors {
        let (start, end) = (format!("// ANCHOR: {anchor}\n"), format!("// ANCHOR_END: {anchor}\n"));
        let from = source.find(&start).expect("the example has the anchor") + start.len();
        let to = from + source[from..].find(&end).expect("the anchor has an end");
        let code = &source[from..to];
        fs::write(Path::new(&out).join(format!("{anchor}.rs")), code).expect("writing to OUT_DIR");
    }
}
