//! A small process pool, Python's `Pool.map` and `ProcessPoolExecutor.map`: a fixed
//! set of worker processes fed inputs over pipes, the results collected in input
//! order. A worker that crashes is reported by signal name and replaced while every
//! other result arrives; a flag (set by a SIGINT handler) stops the pool early. The
//! `pool` and `pool-ctrl-c` examples use it; the workers run the hidden `pool-worker`
//! task below.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::{Context, bail};
use shared::work::cpu_job;

use crate::status::{check_waited, describe};
use crate::{sys, tasks};

/// How many worker processes a pool keeps.
pub const WORKERS: usize = 3;
/// The input that crashes the worker computing it.
pub const CRASHING_INPUT: u64 = 7;
const DEADLINE: Duration = Duration::from_secs(5);

/// The function the pool maps over its inputs: one slice of the CPU-bound job.
pub fn job(input: u64) -> u64 {
    cpu_job(input * 10_000 + 1..(input + 1) * 10_000 + 1)
}

// ANCHOR: pool
/// One worker process, and the input it is computing, if any.
struct Worker {
    process: Child,
    inputs: ChildStdin,
    results: ChildStdout,
    busy_with: Option<usize>,
}

impl Worker {
    /// Steps 1 to 3: a fresh run of this program, sent to the `pool-worker` task,
    /// with its stdin and stdout piped to us. (Step 4, the join, is in `map` and
    /// `shutdown`.)
    fn start(pause_ms: u64) -> anyhow::Result<Worker> {
        let arguments = [CRASHING_INPUT.to_string(), pause_ms.to_string()];
        let mut command =
            tasks::command("pool-worker", &[&arguments[0], &arguments[1]])?;
        let mut process =
            command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
        shared::trace::name_process(
            process.id(),
            format_args!("worker {}", process.id()),
        );
        let inputs = process.stdin.take().context("the worker's stdin is piped")?;
        let results =
            process.stdout.take().context("the worker's stdout is piped")?;
        Ok(Worker { process, inputs, results, busy_with: None })
    }
}

/// The pool: its workers, and how long each pauses per input (to leave time for
/// Ctrl-C).
pub struct Pool {
    workers: Vec<Worker>,
    pause_ms: u64,
}

impl Pool {
    /// Starts [`WORKERS`] workers; each pauses `pause_ms` per input.
    pub fn start(pause_ms: u64) -> anyhow::Result<Pool> {
        let workers = (0..WORKERS)
            .map(|_| Worker::start(pause_ms))
            .collect::<anyhow::Result<_>>()?;
        Ok(Pool { workers, pause_ms })
    }

    /// `job(input)` for every input, in input order; `Err` for an input whose worker
    /// died. Stops early, with an error, once `interrupted` is set.
    pub fn map(
        &mut self,
        inputs: &[u64],
        interrupted: &AtomicBool,
    ) -> anyhow::Result<Vec<Result<u64, String>>> {
        let mut results: Vec<Option<Result<u64, String>>> = vec![None; inputs.len()];
        let (mut next, mut done) = (0, 0);
        while done < inputs.len() {
            // Checked before any write, so a worker that Ctrl-C ended is never
            // written to.
            if interrupted.load(Ordering::SeqCst) {
                bail!("interrupted");
            }
            // Every idle worker gets the next input: 8 bytes down its stdin.
            for worker in
                self.workers.iter_mut().filter(|worker| worker.busy_with.is_none())
            {
                if next < inputs.len() {
                    worker.inputs.write_all(&inputs[next].to_le_bytes())?;
                    worker.busy_with = Some(next);
                    next += 1;
                }
            }
            // Wait, at most 0.1 s so that a Ctrl-C is seen, for busy workers with
            // news.
            let busy: Vec<usize> = (0..self.workers.len())
                .filter(|&i| self.workers[i].busy_with.is_some())
                .collect();
            let fds: Vec<_> =
                busy.iter().map(|&i| &self.workers[i].results).collect();
            let ready = sys::wait_readable(&fds, Duration::from_millis(100))?;
            for (&index, _) in busy.iter().zip(ready).filter(|(_, ready)| *ready) {
                let worker = &mut self.workers[index];
                let input =
                    worker.busy_with.take().expect("only busy workers are polled");
                let mut result = [0; 8];
                results[input] = Some(match worker.results.read_exact(&mut result) {
                    Ok(()) => Ok(u64::from_le_bytes(result)),
                    // End of file: the worker died. Reap it, say how it ended,
                    // replace it.
                    Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                        let pid = worker.process.id();
                        let ending = describe(
                            sys::wait_or_kill(&mut worker.process, DEADLINE)?
                                .status(),
                        );
                        shared::trace::mark(pid, &ending); // `--trace`: the crash.
                        *worker = Worker::start(self.pause_ms)?;
                        Err(format!(
                            "worker {pid} {ending}; a new worker took its place"
                        ))
                    }
                    Err(error) => {
                        return Err(error).context("reading a worker's result");
                    }
                });
                done += 1;
            }
        }
        Ok(results
            .into_iter()
            .map(|result| result.expect("every input has a result"))
            .collect())
    }

    /// Ends every worker and reaps it: by closing its stdin (end of file: its loop
    /// ends), or at once with SIGKILL when `kill` is set.
    pub fn shutdown(self, kill: bool) -> anyhow::Result<()> {
        let mut outcome = Ok(());
        for Worker { mut process, inputs, .. } in self.workers {
            drop(inputs);
            let waited = sys::wait_or_kill(
                &mut process,
                if kill { Duration::ZERO } else { DEADLINE },
            );
            if !kill {
                let checked = waited
                    .map_err(anyhow::Error::from)
                    .and_then(|waited| check_waited("a worker", waited));
                // Keep the first error; reap every worker.
                outcome = outcome.and(checked);
            } else if let Err(error) = waited {
                outcome = outcome.and(Err(error.into()));
            }
        }
        outcome
    }
}
// ANCHOR_END: pool

// ANCHOR: worker
/// The `pool-worker CRASHING_INPUT PAUSE_MS` task: reads inputs (8 bytes each) from
/// stdin until end of file and writes `job(input)` (8 bytes) to stdout for each. The
/// crashing input crashes it (SIGSEGV), as a bug in native code would.
pub fn worker(args: &[String]) -> anyhow::Result<()> {
    let [crashing_input, pause_ms] = args else {
        return Err(shared::usage_error!(
            "expected CRASHING_INPUT PAUSE_MS, got: {}",
            args.join(" ")
        ));
    };
    let crashing_input: u64 = crashing_input.parse().context("CRASHING_INPUT")?;
    let pause = Duration::from_millis(pause_ms.parse().context("PAUSE_MS")?);
    let (mut inputs, mut results) = (io::stdin().lock(), io::stdout().lock());
    let mut input = [0; 8];
    loop {
        match inputs.read_exact(&mut input) {
            Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                return Ok(());
            }
            result => result?,
        }
        let input = u64::from_le_bytes(input);
        if input == crashing_input {
            sys::disable_core_dumps()?;
            sys::crash_invalid_memory_access();
        }
        thread::sleep(pause);
        let result =
            shared::trace::slice(format_args!("input {input}"), || job(input));
        results.write_all(&result.to_le_bytes())?;
        results.flush()?;
    }
}
// ANCHOR_END: worker

pub const TASKS_WITH_ARGS: &[crate::tasks::TaskWithArgs] = &[("pool-worker", worker)];
