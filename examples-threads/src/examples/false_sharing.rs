//! False sharing: two threads each increment their own counter. In one cache
//! line, every increment moves it between the cores; padded apart, none does.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;

pub const INCREMENTS: u64 = 20_000_000;

// ANCHOR: layouts
// 16 bytes, aligned to start a 64-byte line.
#[repr(C, align(64))]
#[derive(Default)]
pub struct SameLine {
    pub counters: [AtomicU64; 2],
}

#[derive(Default)]
pub struct Padded {
    pub counters: [CachePadded<AtomicU64>; 2],
}
// ANCHOR_END: layouts

pub fn main() -> anyhow::Result<()> {
    let cpus = thread::available_parallelism()?.get();
    say_if_busy(cpus.min(2), cpus);
    let sizes = (size_of::<SameLine>(), size_of::<Padded>());
    println!("SameLine: {} bytes; Padded: {} bytes", sizes.0, sizes.1);
    // ANCHOR: run
    let (same_line, padded) = (SameLine::default(), Padded::default());
    let ([a, b], [c, d]) = (&same_line.counters, &padded.counters);
    let mut seconds = Vec::new();
    for (name, pair) in [("one line", [a, b]), ("padded", [&**c, &**d])] {
        let [at, at2] =
            pair.map(|counter| std::ptr::from_ref(counter) as usize);
        let (gap, same) = (at.abs_diff(at2), at / 64 == at2 / 64);
        println!(
            "{name}: counters {gap} bytes apart, in one 64-byte line: {same}"
        );
        let time = increment_both(pair, INCREMENTS)?;
        let [n, n2] = pair.map(|counter| counter.load(Ordering::Relaxed));
        let ms = time.as_secs_f64() * 1e3;
        println!("{name}: {ms:.0} ms; counts: {n} and {n2}, none lost");
        seconds.push(time.as_secs_f64());
    }
    let ratio = seconds[0] / seconds[1];
    println!("false sharing made it {ratio:.1}x slower");
    // ANCHOR_END: run
    Ok(())
}

// ANCHOR: increment
pub fn increment_both(
    counters: [&AtomicU64; 2],
    increments: u64,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    thread::scope(|scope| {
        let threads = counters.map(|counter| {
            scope.spawn(move || {
                for _ in 0..increments {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        });
        for thread in threads {
            thread.join().expect("an incrementing thread panicked");
        }
    });
    let elapsed = started.elapsed();
    let counts = counters.map(|counter| counter.load(Ordering::Relaxed));
    anyhow::ensure!(counts == [increments; 2], "counted {counts:?}");
    Ok(elapsed)
}
// ANCHOR_END: increment

/// Says when the load average (LOADAVG in the tests) leaves too few CPUs free.
fn say_if_busy(needs: usize, cpus: usize) {
    let read =
        std::env::var("LOADAVG").or(std::fs::read_to_string("/proc/loadavg"));
    match read.ok().and_then(|t| t.split(' ').next()?.parse::<f64>().ok()) {
        Some(load) if load + needs as f64 > cpus as f64 + 1.0 => println!(
            "note: busy machine: load average {load:.2} on {cpus} CPUs; \
             these figures need {needs} free"
        ),
        Some(_) => {}
        None => println!("note: no load average read here (Linux only)"),
    }
}
