//! Proof that Rust threads run at the same instant on different CPUs: two threads
//! note when, and on which CPU (where the platform says), they ran; the overlap adds up.

use std::time::{Duration, Instant};
use std::{collections::BTreeSet, sync::Barrier, thread};

use crate::sys::{CURRENT_CPU_SOURCE, current_cpu};
use shared::{join_scoped, trace, work::cpu_job};

pub const ROUND: Duration = Duration::from_millis(200);
const ONE_CPU: &str = "; on one CPU threads can only take turns, so the overlap is 0";
/// At most this many rounds (10 s): on a busy machine one moment at once is enough.
const ROUNDS: u32 = 50;
/// Two samples this close, on one CPU: the thread ran there all the time between.
const GAP: Duration = Duration::from_micros(20);

/// A stretch of time a thread certainly ran, on one CPU (`None`: cannot say which).
pub struct Stretch {
    pub from: Duration,
    pub to: Duration,
    pub cpu: Option<usize>,
}

// ANCHOR: record
/// Works until `ROUND` after `start`, noting after each small piece of work when and
/// on which CPU the thread is; returns the stretches it certainly ran, in time order.
pub fn record(start: Instant, start_line: &Barrier) -> Vec<Stretch> {
    start_line.wait(); // Both threads start together.
    let (mut stretches, mut last) = (Vec::new(), None);
    while start.elapsed() < ROUND {
        std::hint::black_box(cpu_job(1..50));
        let (cpu, now) = (current_cpu(), start.elapsed());
        if let Some((then, last_cpu)) = last
            && last_cpu == cpu
            && now - then < GAP
        {
            stretches.push(Stretch { from: then, to: now, cpu });
        }
        last = Some((now, cpu));
    }
    stretches
}

/// How long `a` and `b` ran at once, hence on different CPUs (checked where named).
pub fn overlap(a: &[Stretch], b: &[Stretch]) -> Duration {
    let (mut total, mut i, mut j) = (Duration::ZERO, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let (from, to) = (x.from.max(y.from), x.to.min(y.to));
        if from < to && (x.cpu.is_none() || x.cpu != y.cpu) {
            total += to - from;
        }
        // Step past whichever stretch ends first.
        if x.to < y.to { i += 1 } else { j += 1 }
    }
    total
}
// ANCHOR_END: record

/// Samples two threads for 200 ms; again while another program holds a CPU, until the
/// two are seen running at once (on two CPUs or more), for up to `ROUNDS` rounds.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let trace = trace::Trace::from_args(args)?; // `--trace FILE`: the last round.
    let cpus = thread::available_parallelism().map_or(1, |cpus| cpus.get());
    let note = if cpus < 2 { ONE_CPU } else { "" };
    println!("CPUs this process may use: {cpus}{note}");
    if let Err(reason) = CURRENT_CPU_SOURCE {
        println!("CPU numbers: none ({reason}); timestamps alone prove the overlap");
    }
    for round in 1..=ROUNDS {
        // ANCHOR: run
        let (start_line, start) = (Barrier::new(2), Instant::now());
        let sample = || record(start, &start_line);
        let (a, b) = thread::scope(|scope| {
            let (a, b) = (scope.spawn(sample), scope.spawn(sample));
            anyhow::Ok((join_scoped(a)?, join_scoped(b)?))
        })?;
        let cpus_used = |stretches: &[Stretch]| {
            stretches.iter().filter_map(|s| s.cpu).collect::<BTreeSet<_>>()
        };
        println!(
            "round {round}: thread A ran on CPUs {:?}, B on CPUs {:?}",
            cpus_used(&a),
            cpus_used(&b)
        );
        let together = overlap(&a, &b).as_secs_f64() * 1e3;
        println!(
            "both ran at once, on different CPUs, for {together:.1} ms of {} ms",
            ROUND.as_millis()
        );
        // ANCHOR_END: run
        if together > 0.0 || cpus < 2 || round == ROUNDS {
            for (lane, ss) in [("thread A", &a), ("thread B", &b)] {
                trace::add_all(lane, start, ss.iter().map(|s| (s.cpu, s.from, s.to)));
            }
            break;
        }
    }
    trace.finish()
}
