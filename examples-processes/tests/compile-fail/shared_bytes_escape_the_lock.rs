//! A slice of shared bytes that outlives the guard of their lock: refused (error E0597).
use std::time::Duration;

use examples_processes::sys::SharedBytes;

fn main() -> std::io::Result<()> {
    let bytes = SharedBytes::new(8)?;
    let escaped: &mut [u8] = {
        let mut held = bytes.lock(Duration::from_secs(1))?;
        &mut held[..]
    }; // `held` is dropped here: the lock is released…
    escaped[0] = 1; // …so this write would be unlocked.
    Ok(())
}
