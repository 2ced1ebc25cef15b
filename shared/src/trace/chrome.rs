//! The Chrome trace-event format, the JSON that Perfetto (<https://ui.perfetto.dev>, "Open
//! trace file") and `chrome://tracing` open: an object with a `traceEvents` array. Each slice
//! is a complete event (`"ph": "X"`) with its start `ts` and its duration `dur` in
//! microseconds, on a process (`pid`) and a thread (`tid`); metadata events (`"ph": "M"`)
//! name the processes and threads; a mark is an instant event (`"ph": "i"`, process scope).
//! The format: "Trace Event Format",
//! <https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU/>, which
//! Perfetto reads as described at <https://perfetto.dev/docs/getting-started/other-formats>.

use serde_json::{Value, json};

use super::Timeline;

/// Microseconds from the timeline's origin, the unit of `ts` and `dur`.
fn micros(timeline: &Timeline, ns: u64) -> f64 {
    (ns as f64 - timeline.origin_ns as f64) / 1e3
}

/// The trace-event JSON of `timeline`. A lane's `tid` is its number within its process,
/// from 1 in the order the lanes first worked.
pub fn to_json(timeline: &Timeline) -> Value {
    let lanes = timeline.lanes();
    let tid = |pid: u32, lane: &str| {
        let within = lanes.iter().filter(|(p, _)| *p == pid);
        within.take_while(|(_, name)| name != lane).count() + 1
    };
    let mut events = Vec::new();
    let mut named = Vec::new();
    for (index, (pid, lane)) in lanes.iter().enumerate() {
        if !named.contains(pid) {
            named.push(*pid);
            let name = timeline.process_name(*pid);
            events.push(
                json!({ "name": "process_name", "ph": "M", "pid": pid, "tid": 0, "args": { "name": name } }),
            );
            let order = named.len();
            events.push(json!({ "name": "process_sort_index", "ph": "M", "pid": pid, "tid": 0, "args": { "sort_index": order } }));
        }
        let tid = tid(*pid, lane);
        events.push(
            json!({ "name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": { "name": lane } }),
        );
        events.push(json!({ "name": "thread_sort_index", "ph": "M", "pid": pid, "tid": tid, "args": { "sort_index": index } }));
    }
    for slice in &timeline.slices {
        let cpu = slice.cpu.map_or(Value::Null, |cpu| json!(cpu));
        events.push(json!({
            "name": slice.label,
            "cat": "work",
            "ph": "X",
            "ts": micros(timeline, slice.start_ns),
            "dur": (slice.end_ns.saturating_sub(slice.start_ns)) as f64 / 1e3,
            "pid": slice.pid,
            "tid": tid(slice.pid, &slice.lane),
            "args": { "cpu": cpu },
        }));
    }
    for mark in &timeline.marks {
        events.push(json!({
            "name": mark.label,
            "cat": "event",
            "ph": "i",
            "s": "p",
            "ts": micros(timeline, mark.at_ns),
            "pid": mark.pid,
            "tid": 0,
        }));
    }
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "clock": crate::sys::MONOTONIC_CLOCK,
            "origin_ns": timeline.origin_ns,
            "cpu_source": crate::sys::CURRENT_CPU_SOURCE.unwrap_or("none"),
        },
    })
}
