//! False sharing: two threads each increment their own counter. On one cache
//! line, every increment moves the line between the two cores; padded apart,
//! it does not.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;

/// Increments per thread: a run takes a visible fraction of a second.
pub const INCREMENTS: u64 = 20_000_000;

// ANCHOR: layouts
/// Two counters side by side: 16 bytes, aligned to start a 64-byte line.
#[repr(C, align(64))]
pub struct SameLine {
    pub counters: [AtomicU64; 2],
}

/// Each counter padded to its own cache line (128 bytes on x86-64 and aarch64:
/// `CachePadded`'s documentation says why).
pub struct Padded {
    pub counters: [CachePadded<AtomicU64>; 2],
}
// ANCHOR_END: layouts

pub fn main() -> anyhow::Result<()> {
    println!(
        "SameLine: {} bytes; Padded: {} bytes",
        size_of::<SameLine>(),
        size_of::<Padded>()
    );
    // ANCHOR: run
    let same_line =
        SameLine { counters: [AtomicU64::new(0), AtomicU64::new(0)] };
    let padded = Padded {
        counters: [
            CachePadded::new(AtomicU64::new(0)),
            CachePadded::new(AtomicU64::new(0)),
        ],
    };
    let [a, b] = &same_line.counters;
    let one_line = increment_both([a, b], INCREMENTS)?;
    let [c, d] = &padded.counters;
    let apart = increment_both([c, d], INCREMENTS)?;
    // ANCHOR_END: run
    for (name, [first, second], time) in
        [("one line", [a, b], one_line), ("padded", [&**c, &**d], apart)]
    {
        let [at, at2] = [first, second].map(|c| std::ptr::from_ref(c) as usize);
        let (gap, same) = (at.abs_diff(at2), at / 64 == at2 / 64);
        println!(
            "{name}: counters {gap} bytes apart, in one 64-byte line: {same}"
        );
        let [n, n2] = [first, second].map(|c| c.load(Ordering::Relaxed));
        let ms = time.as_secs_f64() * 1e3;
        println!("{name}: {ms:.0} ms; counts: {n} and {n2}, none lost");
    }
    println!(
        "false sharing made it {:.1}x slower",
        one_line.as_secs_f64() / apart.as_secs_f64()
    );
    Ok(())
}

// ANCHOR: increment
/// Two threads, one per counter, each add 1 to their own counter `increments`
/// times; returns how long both took, once no increment is found lost.
pub fn increment_both(
    counters: [&AtomicU64; 2],
    increments: u64,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    thread::scope(|scope| {
        let threads = counters.map(|counter| {
            scope.spawn(move || {
                for _ in 0..increments {
                    // Each increment needs the line owned by this core alone
                    // (MESI's Modified state); Relaxed: only the count matters.
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        });
        for thread in threads {
            thread.join().expect("an incrementing thread panicked");
        }
    });
    let elapsed = started.elapsed();
    for counter in counters {
        let count = counter.load(Ordering::Relaxed);
        anyhow::ensure!(
            count == increments,
            "a counter reached {count}, not {increments}"
        );
    }
    Ok(elapsed)
}
// ANCHOR_END: increment
