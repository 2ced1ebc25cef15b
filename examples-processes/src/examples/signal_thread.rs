//! Signals blocked in every thread and taken by one thread with `sigwait`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, Builder};
use std::time::Duration;

use anyhow::Context;

use crate::sys::{self, current_pid, send_signal, signal_name};

const SIGNALS: [libc::c_int; 2] = [libc::SIGUSR1, libc::SIGTERM];

pub fn run() -> anyhow::Result<()> {
    // Before any other thread starts: every thread inherits the mask.
    sys::block_in_this_thread(&SIGNALS)?;
    let (stop, (told, heard)) = (AtomicBool::new(false), mpsc::channel());
    thread::scope(|scope| {
        // Steps 1 to 3: create, set the target and start, one call per thread.
        let signals = Builder::new().name("signals".into());
        let signals =
            signals.spawn_scoped(scope, || take_signals(&stop, told))?;
        let workers = [1, 2].map(|_| scope.spawn(|| work(&stop)));
        let sent = signal_three_times(&heard);
        if sent.is_err() {
            // Whatever failed, let every thread end.
            stop.store(true, Ordering::Relaxed);
            send_signal(current_pid(), libc::SIGTERM)?;
        }
        // Step 4: join every thread.
        signals.join().expect("the signal thread panicked")?;
        for (n, worker) in (1..).zip(workers) {
            let report = worker.join().expect("a worker panicked")?;
            println!("worker {n}: {report}");
        }
        sent
    })
}

/// Not a handler: it may lock, allocate and print.
fn take_signals(stop: &AtomicBool, told: Sender<String>) -> anyhow::Result<()> {
    loop {
        let signal = sys::wait_for_signal(&SIGNALS)?;
        let name = thread::current().name().unwrap_or("unnamed").to_owned();
        told.send(format!("taken by thread '{name}'"))?;
        if signal == libc::SIGTERM {
            stop.store(true, Ordering::Relaxed);
            return Ok(());
        }
    }
}

fn work(stop: &AtomicBool) -> anyhow::Result<String> {
    let inherited = sys::blocked_in_this_thread(libc::SIGUSR1)?
        && sys::blocked_in_this_thread(libc::SIGTERM)?;
    while !stop.load(Ordering::Relaxed) {
        thread::sleep(Duration::from_millis(1)); // Stands for real work.
    }
    Ok(format!("SIGUSR1 and SIGTERM blocked here too: {inherited}; stopped"))
}

fn signal_three_times(heard: &Receiver<String>) -> anyhow::Result<()> {
    for signal in [libc::SIGUSR1, libc::SIGUSR1, libc::SIGTERM] {
        // To the process, not to a thread: the kernel picks the thread.
        send_signal(current_pid(), signal)?;
        let timeout = Duration::from_secs(5);
        let taken = heard.recv_timeout(timeout).context("not taken in 5 s")?;
        println!("main: sent {} to the process; {taken}", signal_name(signal));
    }
    Ok(())
}
