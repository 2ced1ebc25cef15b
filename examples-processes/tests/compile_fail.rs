//! The programs `sys/mapping.rs` refuses (`tests/compile-fail/`): no plain view of atomic
//! cells, no slice of shared bytes outliving its lock, no bytes without the lock. Each must
//! fail to compile against this crate with the error in the `.stderr` file beside it; the
//! allowed programs beside them are `mapping.rs`'s doc tests. `TRYBUILD=overwrite cargo test
//! -p examples-processes --test compile_fail` writes the files anew, for a new compiler
//! release.

/// The `.stderr` files are rustc 1.95's (CI's release); another release words its errors
/// differently, so with it this test is ignored, and says why. Unix only, as the mapping is.
#[cfg(unix)]
#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are rustc 1.95's messages"
)]
#[test]
fn shared_memory_refused_programs_fail_with_the_expected_errors() {
    let programs = trybuild::TestCases::new();
    programs.compile_fail("tests/compile-fail/*.rs");
}
