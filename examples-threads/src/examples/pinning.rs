//! Two threads pinned to one CPU can only take turns: the time they run at
//! once, which `parallel-proof` measures, drops to 0.

use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use core_affinity::CoreId;

const ROUND: Duration = Duration::from_millis(200);
// Two samples this close: the thread ran all the time between them.
const GAP: Duration = Duration::from_micros(20);

pub fn main() -> anyhow::Result<()> {
    let Some(cpus) = core_affinity::get_core_ids() else {
        println!("pinning: not on this platform");
        return Ok(());
    };
    if cfg!(target_os = "macos") {
        println!("note: macOS takes pinning as a hint (an affinity tag)");
    }
    let usable = thread::available_parallelism()?.get();
    say_if_busy(usable.min(2), usable);
    two_threads("unpinned", None);
    two_threads(&format!("pinned to CPU {}", cpus[0].id), Some(cpus[0]));
    Ok(())
}

// ANCHOR: round
fn two_threads(label: &str, cpu: Option<CoreId>) {
    let (start_line, start) = (Barrier::new(2), Instant::now());
    let sample = || {
        if let Some(cpu) = cpu
            && !core_affinity::set_for_current(cpu)
        {
            println!("{label}: this thread could not be pinned");
        }
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
    };
    let (a, b) = thread::scope(|scope| {
        // Steps 1 to 3: create, set the target and start, in one call.
        let (a, b) = (scope.spawn(sample), scope.spawn(sample));
        // Step 4: join both.
        let (a, b) = (a.join(), b.join());
        (a.expect("thread A panicked"), b.expect("thread B panicked"))
    });
    let (mut together, mut i, mut j) = (Duration::ZERO, 0, 0);
    while let (Some(&(a_from, a_to)), Some(&(b_from, b_to))) =
        (a.get(i), b.get(j))
    {
        together += a_to.min(b_to).saturating_sub(a_from.max(b_from));
        if a_to < b_to { i += 1 } else { j += 1 } // Past the one ending first.
    }
    let ms = together.as_secs_f64() * 1e3;
    println!(
        "{label}: both at once for {ms:.1} ms of {} ms",
        ROUND.as_millis()
    );
}
// ANCHOR_END: round

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
