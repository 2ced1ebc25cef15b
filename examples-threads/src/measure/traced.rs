//! `timeline NAME --trace FILE`: the book's timelines of `parallel-proof`, `cpu-vs-io`
//! and `rayon`, their workloads run again with `shared::trace` recording, so that the
//! examples themselves, which a reader pastes alone, carry no recording.

use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use shared::trace::{self, Slice, TRACE_OPTIONS, Trace};
use shared::usage_error;
use shared::work::{cpu_job, split_range};

use crate::sys::current_cpu;

const NAMES: &str = "parallel-proof, cpu-vs-io or rayon";

/// The command's options, as `timeline --help` lists them.
pub const OPTIONS: &[(&str, &str)] = &[TRACE_OPTIONS[0], ("NAME", NAMES)];

/// Records the workload of example `NAME` into `--trace FILE` (both required).
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let usage = || usage_error!("usage: timeline NAME --trace FILE, NAME: {NAMES}");
    let [name, trace_args @ ..] = args else { return Err(usage()) };
    let record: fn() = match name.as_str() {
        _ if trace_args.is_empty() => return Err(usage()),
        "parallel-proof" => parallel_proof,
        "cpu-vs-io" => cpu_vs_io,
        "rayon" => rayon_pieces,
        _ => return Err(usage()),
    };
    let trace = Trace::from_args(trace_args)?;
    record();
    trace.finish()
}

/// How long each of `parallel-proof`'s rounds samples.
const ROUND: Duration = Duration::from_millis(200);

/// Two samples this close on one CPU: the thread ran the whole time between (a piece of
/// work takes about 1 µs).
const GAP: Duration = Duration::from_micros(20);

/// A stretch a thread certainly ran: from, to (ns on [`trace::ns_of`]'s clock), its CPU.
pub(super) type Stretch = (u64, u64, Option<usize>);

/// `parallel-proof`'s two threads, lined up at a barrier, each sampling for `length`
/// (with the CPU of every sample): the stretches each certainly ran.
pub(super) fn sample_two(length: Duration) -> anyhow::Result<[Vec<Stretch>; 2]> {
    let start_line = Barrier::new(2);
    let [a, b] = thread::scope(|scope| {
        [(); 2]
            .map(|()| scope.spawn(|| sample(&start_line, length)))
            .map(shared::join_scoped)
    });
    Ok([a?, b?])
}

fn sample(start_line: &Barrier, length: Duration) -> Vec<Stretch> {
    start_line.wait();
    let (mut stretches, mut last) =
        (Vec::<Stretch>::new(), (Instant::now(), current_cpu()));
    let end = last.0 + length;
    while last.0 < end {
        std::hint::black_box(cpu_job(1..50));
        let now = (Instant::now(), current_cpu());
        if now.1 == last.1 && now.0 - last.0 < GAP {
            let (from, to) = (trace::ns_of(last.0), trace::ns_of(now.0));
            match stretches.last_mut() {
                Some(stretch) if stretch.1 == from => stretch.1 = to,
                _ => stretches.push((from, to, now.1)),
            }
        }
        last = now;
    }
    stretches
}

/// The time, ns, `a` and `b` ran at once on different CPUs (or CPUs unknown).
pub(super) fn overlap_ns(a: &[Stretch], b: &[Stretch]) -> u64 {
    let (mut total, mut i, mut j) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        if x.2.is_none() || x.2 != y.2 {
            total += x.1.min(y.1).saturating_sub(x.0.max(y.0));
        }
        if x.1 < y.1 { i += 1 } else { j += 1 }
    }
    total
}

/// The slices of process `pid`'s `lane`: its `stretches`, each moved `shift` ns earlier.
pub(super) fn slices<'a>(
    pid: u32,
    lane: &'a str,
    stretches: &'a [Stretch],
    shift: u64,
) -> impl Iterator<Item = Slice> + 'a {
    stretches.iter().map(move |&(start_ns, end_ns, cpu)| Slice {
        pid,
        lane: lane.to_owned(),
        cpu,
        start_ns: start_ns - shift,
        end_ns: end_ns - shift,
        label: "ran".to_owned(),
    })
}

/// `parallel-proof`'s rounds, until one shows the two threads at once (50 at most); records
/// the last round's stretches, one lane per thread, and prints its overlap.
fn parallel_proof() {
    for round in 1..=50 {
        let [a, b] = sample_two(ROUND).expect("a sampling thread panicked");
        let together = overlap_ns(&a, &b);
        if together > 0 || shared::measure::machine::cpus() < 2 || round == 50 {
            for (lane, stretches) in [("thread A", &a), ("thread B", &b)] {
                slices(std::process::id(), lane, stretches, 0)
                    .for_each(trace::record_slice);
            }
            let (ms, of_ms) = (together as f64 / 1e6, ROUND.as_millis());
            println!(
                "round {round}: both ran at once, on different CPUs, for {ms:.1} ms of {of_ms} ms"
            );
            return;
        }
    }
}

/// `cpu-vs-io`'s eight CPU-bound tasks, then eight sleeps, on 1, 2, 4 and 8 threads, three
/// runs each: every task a slice on its thread's lane (`worker N`), labelled with its kind.
fn cpu_vs_io() {
    let cpu_tasks = split_range(1..200_001, 8);
    for threads in [1, 2, 4, 8] {
        for _ in 0..3 {
            on_threads(threads, format!("CPU, {threads} threads"), |task| {
                std::hint::black_box(cpu_job(cpu_tasks[task].clone()));
            });
            on_threads(threads, format!("wait, {threads}"), |_| {
                thread::sleep(Duration::from_millis(25))
            });
        }
        println!("recorded the runs on {threads} threads");
    }
}

/// Tasks 0 to 7 on `threads` threads, task `i` on thread `i % threads`, each a slice.
fn on_threads(threads: usize, label: String, task: impl Fn(usize) + Sync) {
    let (task, label) = (&task, &label);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    trace::name_lane(format_args!("worker {first}"));
                    (first..8)
                        .step_by(threads)
                        .for_each(|i| trace::slice(label, || task(i)));
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("a worker panicked");
        }
    });
}

/// `rayon`'s parallel job, three times: each of its 64 pieces a slice (`piece N`).
fn rayon_pieces() {
    for _ in 0..3 {
        let pieces = split_range(1..200_001, 64).into_par_iter().enumerate();
        let sum: u64 = pieces.map(trace::numbered("piece", cpu_job)).sum();
        println!("par_iter: {sum} on {} threads", rayon::current_num_threads());
    }
}
