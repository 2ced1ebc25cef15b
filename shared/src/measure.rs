//! Timing and statistics helpers for the `measure` commands of both binaries.
