//! `process-pool`, the capstone: results exact and in the jobs' order; a crashed
//! worker reported by its signal name and replaced (only its job fails); Ctrl-C
//! ends the pool and every worker, nothing left behind; every run bounded. All
//! three runs are made, and every failure is said.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use shared::exercise::{Ran, run_program, run_program_interrupted_after};

const DEADLINE: Duration = Duration::from_secs(30);
/// Long enough for a pool to end three workers and reap them; far shorter than
/// job 1000 (100 s).
const CTRL_C_DEADLINE: Duration = Duration::from_secs(10);

pub fn check(program: &Path) -> Result<String, String> {
    let mut failures = Vec::new();
    // Job N takes N % 4 fifths of a second: the jobs end out of order.
    let in_order: Vec<u64> = (0..12).collect();
    if let Err(why) = jobs_run(program, &in_order) {
        failures.push(why);
    }
    // Four crashes for three workers: a pool that does not replace a crashed
    // worker runs out of workers.
    let crashes = [1, 13, 2, 13, 3, 13, 5, 13, 6];
    if let Err(why) = jobs_run(program, &crashes) {
        failures.push(why);
    }
    if let Err(why) = ctrl_c_run(program) {
        failures.push(why);
    }
    if failures.is_empty() {
        Ok("results exact and in the jobs' order; each crash (job 13) reported as \
            SIGABRT and its worker replaced; Ctrl-C ended every process"
            .to_owned())
    } else {
        Err(failures.join("\n\n"))
    }
}

fn command(program: &Path, jobs: &[u64]) -> Command {
    let mut command = Command::new(program);
    command.args(jobs.iter().map(u64::to_string));
    command
}

/// Runs the pool on `jobs`: each job's line, in order, exact; job 13's line says
/// that its worker was killed by SIGABRT.
fn jobs_run(program: &Path, jobs: &[u64]) -> Result<(), String> {
    let shown = jobs.iter().map(u64::to_string).collect::<Vec<_>>().join(" ");
    let ran = run_program(command(program, jobs), DEADLINE)
        .map_err(|error| format!("{error:#}"))?;
    if ran.timed_out {
        return Err(format!(
            "with jobs {shown}: it did not finish in {} s, and was stopped: something waits for ever \
             (a result that never comes from a crashed worker? no worker left to do a job?)\n{}",
            DEADLINE.as_secs(),
            output(&ran)
        ));
    }
    if !ran.status.is_some_and(|status| status.success()) {
        return Err(format!(
            "with jobs {shown}: it ended with {}: a crash must fail only its own job\n{}",
            ran.ended(),
            output(&ran)
        ));
    }
    if ran.strays {
        return Err(format!(
            "with jobs {shown}: it left processes behind (killed since)\n{}",
            output(&ran)
        ));
    }
    let lines: Vec<&str> =
        ran.stdout.lines().filter(|line| line.starts_with("job ")).collect();
    if lines.len() != jobs.len() {
        return Err(format!(
            "with jobs {shown}: not one `job N -> …` line per job\n{}",
            ran.stdout
        ));
    }
    // What each line must say after ` -> `: the square, or that the crash failed the job.
    let answer = |line: &str| match line.split_once(" -> ") {
        Some((_, said)) if said.starts_with("failed") && said.contains("SIGABRT") => {
            "crash".to_owned()
        }
        Some((_, said)) => said.to_owned(),
        None => line.to_owned(),
    };
    let expected = |job: u64| {
        if job == 13 { "crash".to_owned() } else { (job * job).to_string() }
    };
    let said: Vec<String> = lines.iter().map(|line| answer(line)).collect();
    let wanted: Vec<String> = jobs.iter().map(|&job| expected(job)).collect();
    if said != wanted {
        let (mut said_sorted, mut wanted_sorted) = (said.clone(), wanted.clone());
        said_sorted.sort();
        wanted_sorted.sort();
        if said_sorted == wanted_sorted {
            return Err(format!(
                "with jobs {shown}: every answer is there, but not in the jobs' order: `map` must \
                 return each job's result in its place, however the workers finish\n{}",
                ran.stdout
            ));
        }
        let at = said
            .iter()
            .zip(&wanted)
            .position(|(said, wanted)| said != wanted)
            .unwrap_or(0);
        let should = if jobs[at] == 13 {
            "`failed`, with the signal that ended its worker (SIGABRT)".to_owned()
        } else {
            format!("`job {} -> {}`", jobs[at], wanted[at])
        };
        return Err(format!(
            "with jobs {shown}: `{}` should be {should}\n{}",
            lines[at], ran.stdout
        ));
    }
    Ok(())
}

/// Four 100-second jobs, and SIGINT to the whole group once the pool started.
fn ctrl_c_run(program: &Path) -> Result<(), String> {
    let command = command(program, &[1000, 1000, 1000, 1000]);
    let ran = run_program_interrupted_after(
        command,
        CTRL_C_DEADLINE,
        "pool: 3 workers started",
    )
    .map_err(|error| format!("{error:#}"))?;
    if !ran.stdout.contains("pool: 3 workers started") {
        return Err(format!(
            "Ctrl-C: it never printed `pool: 3 workers started`\n{}",
            output(&ran)
        ));
    }
    if ran.timed_out {
        return Err(format!(
            "Ctrl-C: it was still running {} s after it started, SIGINT sent to its group: the pool \
             must notice Ctrl-C and end (stopped now)\n{}",
            CTRL_C_DEADLINE.as_secs(),
            output(&ran)
        ));
    }
    if ran.strays {
        return Err(format!(
            "Ctrl-C: the pool ended ({}) but left worker processes behind, running or zombies never waited for (reaped since): the workers \
             ignore SIGINT, so the pool must end each one and wait for it before it exits\n{}",
            ran.ended(),
            output(&ran)
        ));
    }
    Ok(())
}

fn output(ran: &Ran) -> String {
    format!("{}{}", ran.stdout, ran.stderr)
}
