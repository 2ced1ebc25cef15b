//! The programs the `send-sync` example shows as refused (`tests/compile-fail/`, included by
//! its book page): each must fail to compile with the error in the `.stderr` file beside it,
//! which the book shows too. `TRYBUILD=overwrite cargo test -p examples-threads --test
//! compile_fail` writes the files anew, for a new compiler release.

/// The `.stderr` files are rustc 1.95's (CI's release); another release words its errors
/// differently, so with it this test is ignored, and says why.
#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are rustc 1.95's messages"
)]
#[test]
fn send_sync_refused_programs_fail_with_the_errors_the_book_shows() {
    let programs = trybuild::TestCases::new();
    programs.compile_fail("tests/compile-fail/send_sync_*.rs");
}
