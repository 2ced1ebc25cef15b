//! Synchronisation primitives that Python's `threading` has and Rust's standard library does
//! not, built by hand from `Mutex` and `Condvar`.
