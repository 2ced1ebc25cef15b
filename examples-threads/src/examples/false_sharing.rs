//! False sharing: two threads each increment their own counter. On one cache line,
//! every increment moves the line between the two cores; padded apart, it does not.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;
use shared::join_scoped;

/// Increments per thread: enough that the run takes a visible fraction of a second.
pub const INCREMENTS: u64 = 20_000_000;

// ANCHOR: layouts
/// Two counters side by side: 16 bytes, aligned so that both are in one 64-byte line.
#[repr(C, align(64))]
pub struct SameLine {
    pub counters: [AtomicU64; 2],
}

/// Two counters each padded to its own cache line (128 bytes on x86-64 and aarch64,
/// where the prefetcher fetches lines in pairs; `CachePadded`'s documentation lists
/// the sizes).
pub struct Padded {
    pub counters: [CachePadded<AtomicU64>; 2],
}
// ANCHOR_END: layouts

/// Times the same work on both layouts, checks the counts and prints the ratio.
pub fn run() -> anyhow::Result<()> {
    println!(
        "SameLine: {} bytes; Padded: {} bytes",
        size_of::<SameLine>(),
        size_of::<Padded>()
    );
    // ANCHOR: run
    let same_line = SameLine { counters: [AtomicU64::new(0), AtomicU64::new(0)] };
    let padded = Padded {
        counters: [
            CachePadded::new(AtomicU64::new(0)),
            CachePadded::new(AtomicU64::new(0)),
        ],
    };
    let one_line =
        increment_both([&same_line.counters[0], &same_line.counters[1]], INCREMENTS)?;
    let apart =
        increment_both([&padded.counters[0], &padded.counters[1]], INCREMENTS)?;
    // ANCHOR_END: run
    let layouts = [
        ("one line", [&same_line.counters[0], &same_line.counters[1]], one_line),
        ("padded", [&*padded.counters[0], &*padded.counters[1]], apart),
    ];
    for (name, [first, second], time) in layouts {
        // Where the two counters really are, and what they hold.
        let [at, at2] = [first, second].map(|c| std::ptr::from_ref(c) as usize);
        let (gap, same) = (at.abs_diff(at2), at / 64 == at2 / 64);
        println!("{name}: counters {gap} bytes apart, in one 64-byte line: {same}");
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
/// Two threads, one per counter, each add 1 to its own counter `increments` times;
/// returns how long both took, after checking that no increment was lost.
pub fn increment_both(
    counters: [&AtomicU64; 2],
    increments: u64,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    thread::scope(|scope| {
        let threads = counters.map(|counter| {
            scope.spawn(move || {
                for _ in 0..increments {
                    // Relaxed: the count is all that matters. Each increment needs
                    // the line in this core's cache, owned exclusively (MESI's
                    // Modified state).
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        });
        threads.into_iter().try_for_each(join_scoped)
    })?;
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
