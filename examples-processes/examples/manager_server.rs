//! `multiprocessing.Manager`'s shape in Rust: a server process holds a map,
//! and the parent reaches it with requests over a pipe, one round trip per
//! access. Measures what an access costs that way against the same access to
//! a `HashMap` in the parent. The Python side is `book/python/manager_cost.py`.
//!
//! ```text
//! cargo run --release -p examples-processes --example manager_server
//! ```

use std::collections::HashMap;
use std::hint::black_box;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

// ANCHOR: server
/// The server process: answers `get KEY` with the value and `set KEY VALUE`
/// with `ok`, a line each, until its stdin is closed.
fn serve() -> io::Result<()> {
    let mut map: HashMap<String, u64> = HashMap::new();
    // Rust's stdout writes each line out at its newline, so every answer
    // leaves at once.
    let mut answers = io::stdout().lock();
    for request in io::stdin().lock().lines() {
        let request = request?;
        let words: Vec<&str> = request.split(' ').collect();
        match words[..] {
            ["get", key] => {
                writeln!(answers, "{}", map.get(key).copied().unwrap_or(0))?
            }
            ["set", key, value] => {
                let value = value.parse().map_err(io::Error::other)?;
                map.insert(key.to_owned(), value);
                writeln!(answers, "ok")?;
            }
            _ => return Err(io::Error::other(format!("bad: {request:?}"))),
        }
    }
    Ok(())
}
// ANCHOR_END: server

// ANCHOR: proxy
/// The parent's side, Python's proxy: each call is a request and an answer.
struct Proxy {
    requests: ChildStdin,
    answers: BufReader<ChildStdout>,
    line: String,
}

impl Proxy {
    fn ask(&mut self, request: &str) -> io::Result<&str> {
        // One write per request: the pipe carries it whole.
        self.requests.write_all(format!("{request}\n").as_bytes())?;
        self.line.clear();
        if self.answers.read_line(&mut self.line)? == 0 {
            return Err(io::Error::other("the server closed its stdout"));
        }
        Ok(self.line.trim_end())
    }
}
// ANCHOR_END: proxy

/// The time of one call of `access`, in ns, over `count` calls.
fn per_access_ns(count: u32, mut access: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..count {
        access();
    }
    start.elapsed().as_nanos() as f64 / f64::from(count)
}

/// The median of the per-access times over `rounds` rounds.
fn median_ns(rounds: usize, count: u32, mut access: impl FnMut()) -> f64 {
    let mut times: Vec<f64> =
        (0..rounds).map(|_| per_access_ns(count, &mut access)).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() -> io::Result<()> {
    let argument = std::env::args().nth(1);
    if argument.as_deref() == Some("serve") {
        return serve();
    }
    // Rounds: the first argument, or 5.
    let rounds = argument.map_or(Ok(5), |text| text.parse());
    let rounds: usize = rounds.map_err(io::Error::other)?;
    // Step 1: start the server, our own program with the argument `serve`.
    let mut server = Command::new(std::env::current_exe()?)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut proxy = Proxy {
        requests: server.stdin.take().expect("stdin was piped"),
        answers: BufReader::new(server.stdout.take().expect("stdout piped")),
        line: String::new(),
    };
    // Step 2: use it, and check that it holds what was set.
    assert_eq!(proxy.ask("set hits 41")?, "ok");
    assert_eq!(proxy.ask("get hits")?, "41");
    let mut map = HashMap::from([("hits".to_owned(), 41_u64)]);
    let (local, remote) = (200_000, 2_000);
    let mut failed = None;
    let mut ask = |request: &str| {
        if let Err(error) = proxy.ask(request) {
            failed.get_or_insert(error);
        }
    };
    let plain_read = median_ns(rounds, local, || {
        black_box(map.get(black_box("hits")));
    });
    let server_read = median_ns(rounds, remote, || ask("get hits"));
    let plain_write = median_ns(rounds, local, || {
        map.insert(black_box("hits").to_owned(), 1);
    });
    let server_write = median_ns(rounds, remote, || ask("set hits 1"));
    if let Some(error) = failed {
        return Err(error);
    }
    for (name, count, ns) in [
        ("plain map read", local, plain_read),
        ("server map read", remote, server_read),
        ("plain map write", local, plain_write),
        ("server map write", remote, server_write),
    ] {
        println!(
            "{name}: {ns:.0} ns per access (median of {rounds} rounds of \
             {count})"
        );
    }
    // Step 3: close its stdin, which ends its loop, and wait for it.
    drop(proxy);
    let status = server.wait()?;
    if !status.success() {
        return Err(io::Error::other(format!("the server failed: {status}")));
    }
    Ok(())
}
