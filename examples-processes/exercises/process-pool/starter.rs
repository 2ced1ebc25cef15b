// Exercise `process-pool` (the capstone): a process pool with the contract of
// Python's ProcessPoolExecutor: `submit(job)` returns a handle, `map(jobs)` the
// results in the jobs' order. Finish it so that
// - a worker that crashes is reported by its signal name and replaced: only its
//   job fails, every later job is done;
// - Ctrl-C ends every worker and then the pool: nothing is left behind;
// - nothing waits for ever.
//
// Run it as `process-pool JOB...`: job N answers N * N after N % 4 fifths of a
// second; job 13 aborts its worker, as a bug in a job would; job 1000 takes
// 100 s, time to press Ctrl-C. The check runs it with such jobs, and sends
// SIGINT to the whole process group once it printed `pool: 3 workers started`.
use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

const WORKERS: usize = 3;
const CRASHING_JOB: u64 = 13;

/// What a worker does with one job.
fn work(job: u64) -> u64 {
    if job == CRASHING_JOB {
        std::process::abort(); // SIGABRT
    }
    let fifths = if job >= 1000 { 500 } else { job % 4 };
    thread::sleep(Duration::from_millis(fifths * 200));
    job * job
}

/// A worker's life: a job per line on stdin, its answer per line on stdout.
fn worker() {
    // A Ctrl-C reaches the whole group; ending the workers is the pool's job.
    ignore_ctrl_c();
    println!("ready");
    for line in io::stdin().lines().map_while(Result::ok) {
        println!("{}", work(line.trim().parse().expect("a job is a number")));
    }
}

/// A worker's reader thread sends `(worker, Some(line))` per result, and
/// `(worker, None)` at end of file: the worker has ended.
type News = (usize, Option<String>);

struct Worker {
    process: Child,
    jobs: ChildStdin,
    busy_with: Option<usize>, // the handle of its job
}

impl Worker {
    fn start(index: usize, news: &Sender<News>) -> io::Result<Worker> {
        // Step 1: create it: this program again, stdin and stdout piped.
        let mut command = Command::new(std::env::current_exe()?);
        // Step 2: set its target: the hidden argument runs `worker()`.
        command.arg("--worker").stdin(Stdio::piped()).stdout(Stdio::piped());
        // Step 3: start it, and wait until it ignores Ctrl-C.
        let mut process = command.spawn()?;
        let jobs = process.stdin.take().expect("stdin is piped");
        let mut results = BufReader::new(process.stdout.take().expect("piped"));
        if results.read_line(&mut String::new())? == 0 {
            return Err(io::Error::other("a worker ended before it was ready"));
        }
        let news = news.clone();
        thread::spawn(move || {
            for line in results.lines().map_while(Result::ok) {
                news.send((index, Some(line))).ok();
            }
            news.send((index, None)).ok();
        });
        Ok(Worker { process, jobs, busy_with: None })
    }
}

struct Pool {
    workers: Vec<Worker>,
    jobs: Vec<u64>,         // every job submitted, by handle
    queue: VecDeque<usize>, // handles not yet given to a worker
    done: HashMap<usize, Result<u64, String>>,
    news: Receiver<News>,
    sender: Sender<News>, // for the workers started later
}

impl Pool {
    fn start() -> io::Result<Pool> {
        let (sender, news) = mpsc::channel();
        let workers = (0..WORKERS)
            .map(|index| Worker::start(index, &sender))
            .collect::<io::Result<_>>()?;
        let (jobs, queue, done) = (Vec::new(), VecDeque::new(), HashMap::new());
        Ok(Pool { workers, jobs, queue, done, news, sender })
    }

    /// Python's `submit`: the job is queued; its handle gets its result.
    fn submit(&mut self, job: u64) -> usize {
        self.jobs.push(job);
        self.queue.push_back(self.jobs.len() - 1);
        self.jobs.len() - 1
    }

    /// Python's `map`: each job's result, in the jobs' order.
    fn map(&mut self, jobs: &[u64]) -> io::Result<Vec<Result<u64, String>>> {
        let handles: Vec<usize> =
            jobs.iter().map(|&job| self.submit(job)).collect();
        handles.into_iter().map(|handle| self.result(handle)).collect()
    }

    /// Waits for the result of the job `handle`.
    fn result(&mut self, handle: usize) -> io::Result<Result<u64, String>> {
        loop {
            if let Some(result) = self.done.remove(&handle) {
                return Ok(result);
            }
            self.step()?;
        }
    }

    /// Gives each idle worker a queued job; then takes one piece of news,
    /// waiting at most 0.1 s so that a Ctrl-C is seen.
    fn step(&mut self) -> io::Result<()> {
        for worker in self.workers.iter_mut().filter(|w| w.busy_with.is_none())
        {
            let Some(handle) = self.queue.pop_front() else { break };
            writeln!(worker.jobs, "{}", self.jobs[handle])?;
            worker.busy_with = Some(handle);
        }
        if INTERRUPTED.load(Ordering::SeqCst) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "Ctrl-C"));
        }
        match self.news.recv_timeout(Duration::from_millis(100)) {
            Ok((index, Some(line))) => {
                let handle = self.workers[index].busy_with.take();
                let answer = line.parse().map_err(|_| format!("answer {line}"));
                self.done.insert(handle.expect("a busy worker"), answer);
            }
            Ok((_, None)) => {} // a worker's output ended
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                unreachable!("we hold a sender")
            }
        }
        Ok(())
    }

    /// Step 4, join: end of file on each worker's stdin ends its loop; reap it.
    fn shutdown(self) -> io::Result<()> {
        for Worker { mut process, jobs, .. } in self.workers {
            drop(jobs);
            let status = process.wait()?;
            if !status.success() {
                let ending = describe(status);
                return Err(io::Error::other(format!("a worker {ending}")));
            }
        }
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("--worker") {
        worker();
        return Ok(());
    }
    let jobs = std::env::args().skip(1).map(|job| job.parse());
    let jobs: Vec<u64> = jobs.collect::<Result<_, _>>()?;
    catch_ctrl_c();
    let mut pool = Pool::start()?;
    println!("pool: {WORKERS} workers started");
    let results = pool.map(&jobs)?;
    pool.shutdown()?;
    for (job, result) in jobs.iter().zip(&results) {
        match result {
            Ok(answer) => println!("job {job} -> {answer}"),
            Err(why) => println!("job {job} -> failed: {why}"),
        }
    }
    Ok(())
}

// Signals: the only unsafe code, each call wrapped once.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_ctrl_c(_signal: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

fn catch_ctrl_c() {
    let handler = on_ctrl_c as extern "C" fn(libc::c_int);
    // SAFETY: the handler only stores to an atomic: async-signal-safe.
    unsafe { libc::signal(libc::SIGINT, handler as libc::sighandler_t) };
}

fn ignore_ctrl_c() {
    // SAFETY: SIG_IGN runs no code of ours.
    unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) };
}

/// How a worker ended: `killed by SIGABRT (signal 6)`.
fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    let Some(signal) = status.signal() else { return status.to_string() };
    let name = match signal {
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGKILL => "SIGKILL",
        _ => "a signal",
    };
    format!("killed by {name} (signal {signal})")
}
