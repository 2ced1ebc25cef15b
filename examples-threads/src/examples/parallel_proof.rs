//! Proof that threads run at the same instant on different CPUs: the time
//! two threads both certainly ran adds up.

use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

const ROUND: Duration = Duration::from_millis(200);
// Two samples this close: the thread ran all the time between them.
const GAP: Duration = Duration::from_micros(20);

// ANCHOR: record
fn record(start: Instant, start_line: &Barrier) -> Vec<(Duration, Duration)> {
    start_line.wait(); // Both threads start together.
    let (mut stretches, mut last) = (Vec::new(), start.elapsed());
    while last < ROUND {
        std::hint::black_box((1..50u64).map(|n| n * n).sum::<u64>());
        let now = start.elapsed();
        if now - last < GAP {
            stretches.push((last, now));
        }
        last = now;
    }
    stretches
}

fn overlap(a: &[(Duration, Duration)], b: &[(Duration, Duration)]) -> Duration {
    let (mut total, mut i, mut j) = (Duration::ZERO, 0, 0);
    while let (Some(&(a_from, a_to)), Some(&(b_from, b_to))) =
        (a.get(i), b.get(j))
    {
        total += a_to.min(b_to).saturating_sub(a_from.max(b_from));
        if a_to < b_to { i += 1 } else { j += 1 } // Past the one ending first.
    }
    total
}
// ANCHOR_END: record

pub fn main() -> anyhow::Result<()> {
    let cpus = thread::available_parallelism()?.get();
    let note =
        if cpus < 2 { "; on one CPU threads can only take turns" } else { "" };
    println!("CPUs this process may use: {cpus}{note}");
    say_if_busy(cpus.min(2), cpus);
    // ANCHOR: run
    // Another program may hold a CPU for a whole round: try again, 50 at most.
    for round in 1..=50 {
        let (start_line, start) = (Barrier::new(2), Instant::now());
        let (a, b) = thread::scope(|scope| {
            // Steps 1 to 3: create, set the target and start, in one call.
            let a = scope.spawn(|| record(start, &start_line));
            let b = scope.spawn(|| record(start, &start_line));
            // Step 4: join both.
            let (a, b) = (a.join(), b.join());
            (a.expect("thread A panicked"), b.expect("thread B panicked"))
        });
        let ms = overlap(&a, &b).as_secs_f64() * 1e3;
        println!(
            "round {round}: both ran at once, on different CPUs, \
             for {ms:.1} ms of {} ms",
            ROUND.as_millis()
        );
        if ms > 0.0 || cpus < 2 {
            break;
        }
    }
    // ANCHOR_END: run
    Ok(())
}

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
