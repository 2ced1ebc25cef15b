//! The programs the `send-sync` example shows as refused (`tests/compile-fail/`, included by
//! its book page): each must fail to compile with the error in the `.stderr` file beside it,
//! which the book shows too. `TRYBUILD=overwrite cargo test -p examples-threads --test
//! compile_fail` writes the files anew, for a new compiler release.

use std::path::PathBuf;
use std::process::Command;

/// The `.stderr` files are rustc 1.95's (CI's release); another release words its errors
/// differently, so with it this test is ignored, and says why.
#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are rustc 1.95's messages"
)]
#[test]
fn send_sync_refused_programs_fail_with_the_errors_the_book_shows() {
    // rustc quotes the standard library's source in these errors (where `Send` is
    // required) only when that source is installed: rustup's `rust-src` component,
    // which a fresh rustup install does not add. Without it the messages are shorter,
    // so the comparison would fail for a reason that is not the example's.
    if !std_source_installed() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must compare the messages: `rustup component add rust-src`"
        );
        eprintln!(
            "skipped: the errors quote std's source, which needs \
             `rustup component add rust-src`"
        );
        return;
    }
    let programs = trybuild::TestCases::new();
    programs.compile_fail("tests/compile-fail/send_sync_*.rs");
}

/// Whether `rustc --print sysroot` holds the standard library's source.
fn std_source_installed() -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .expect("run rustc --print sysroot");
    let sysroot = String::from_utf8_lossy(&output.stdout);
    PathBuf::from(sysroot.trim()).join("lib/rustlib/src/rust/library/core").is_dir()
}
