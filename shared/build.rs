//! Copies the `event` example's `Event` (between its `ANCHOR` lines in
//! `examples-threads/src/examples/event.rs`) into `OUT_DIR`, where
//! `src/sync/event.rs` includes it: loom and CPython's ported tests then check
//! the one copy of the code that the book shows and the example runs.

use std::{env, fs, path::Path};

fn main() {
    let example = "../examples-threads/src/examples/event.rs";
    println!("cargo::rerun-if-changed={example}");
    let source = fs::read_to_string(example).expect("reading the event example");
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for anchor in ["event", "wait_timeout"] {
        let (start, end) = (format!("// ANCHOR: {anchor}\n"), format!("// ANCHOR_END: {anchor}\n"));
        let from = source.find(&start).expect("the example has the anchor") + start.len();
        let to = from + source[from..].find(&end).expect("the anchor has an end");
        let code = &source[from..to];
        fs::write(Path::new(&out).join(format!("{anchor}.rs")), code).expect("writing to OUT_DIR");
    }
}
