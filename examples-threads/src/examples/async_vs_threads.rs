//! 10,000 waits (sleeps standing in for I/O) as tokio tasks, then as threads.

use anyhow::Context;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use std::{num::NonZeroUsize, sync::Arc, thread};

pub const WAIT: Duration = Duration::from_secs(1);
pub type Figures = (Duration, Duration, Option<u64>); // started, done, +KiB
pub fn main() -> anyhow::Result<()> {
    let waits = std::env::args().skip_while(|a| a != "--waits").nth(1);
    let waits = waits.as_deref().unwrap_or("10000").parse::<NonZeroUsize>();
    let waits = waits.context("--waits N, N > 0")?.get();
    println!("{waits} concurrent waits of {} ms each", WAIT.as_millis());
    say_if_busy(1, thread::available_parallelism()?.get());
    // Tasks first: memory the threads free stays resident, for tasks to reuse.
    let tasks = with_tasks(waits)?;
    let ways = [("tokio tasks", tasks), ("threads", with_threads(waits)?)];
    for (way, (started, done, kib)) in ways {
        let memory = kib.map_or("memory not measured here".into(), |kib| {
            let per_wait = kib * 1024 / waits as u64;
            format!("memory +{kib} KiB ({per_wait} bytes per wait)")
        });
        let (started, done) = (started.as_millis(), done.as_millis());
        println!(
            "{way}: {waits} waits; all started after {started} ms, done after \
             {done} ms; {memory}"
        );
    }
    Ok(())
}
fn resident_kib() -> Option<u64> {
    Some(memory_stats::memory_stats()?.physical_mem as u64 / 1024)
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

// ANCHOR: tasks
pub fn with_tasks(waits: usize) -> anyhow::Result<Figures> {
    let (before, clock) = (resident_kib(), Instant::now());
    let running = Arc::new(AtomicUsize::new(0));
    let mut runtime = tokio::runtime::Builder::new_current_thread();
    runtime.enable_time().build()?.block_on(async {
        let wait = |running: Arc<AtomicUsize>| async move {
            running.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(WAIT).await; // Yields: no thread is blocked.
        };
        let tasks: Vec<_> =
            (0..waits).map(|_| tokio::spawn(wait(running.clone()))).collect();
        while running.load(Ordering::Relaxed) < waits {
            tokio::task::yield_now().await;
        }
        let (started, after) = (clock.elapsed(), resident_kib());
        for task in tasks {
            task.await?; // A task's panic comes back here, as from join.
        }
        let memory_kib = after.zip(before).map(|(a, b)| a.saturating_sub(b));
        Ok((started, clock.elapsed(), memory_kib))
    })
}
// ANCHOR_END: tasks
// ANCHOR: threads
pub fn with_threads(waits: usize) -> anyhow::Result<Figures> {
    let (before, clock) = (resident_kib(), Instant::now());
    let running = AtomicUsize::new(0);
    thread::scope(|scope| {
        let mut threads = Vec::with_capacity(waits);
        for _ in 0..waits {
            // Steps 1 to 3: create, set the target and start, in one call.
            let builder = thread::Builder::new().stack_size(64 * 1024);
            threads.push(builder.spawn_scoped(scope, || {
                running.fetch_add(1, Ordering::Relaxed);
                thread::sleep(WAIT);
            })?);
        }
        while running.load(Ordering::Relaxed) < waits {
            thread::sleep(Duration::from_millis(1));
        }
        let (started, after) = (clock.elapsed(), resident_kib());
        // Step 4: join every thread.
        for thread in threads {
            thread.join().expect("a waiting thread panicked");
        }
        let memory_kib = after.zip(before).map(|(a, b)| a.saturating_sub(b));
        Ok((started, clock.elapsed(), memory_kib))
    })
}
// ANCHOR_END: threads
