//! The boundary cost: a pipe, a socket or a queue carries bytes only, so every
//! message between processes is turned into bytes and back. Rust's serde with
//! postcard (a compact binary format: no field names) beside CPython's `pickle`, the
//! format `multiprocessing` uses at its default protocol, on the same records.

use std::hint::black_box;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use shared::measure::{
    Found, Options, Summary, figure_or_skipped, python_figures, time_samples,
};

/// CPython holds it as the tuple `(id, name, score, tags)`, or as a dict.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Record {
    id: u64,
    name: String,
    score: f64,
    tags: Vec<u32>,
}

/// Record `i`, built the same way in serialize.py.
fn record(i: u64) -> Record {
    let tags = vec![(i % 7) as u32, (i % 11) as u32, (i % 13) as u32];
    Record { id: i, name: format!("item-{i}"), score: i as f64 * 0.5, tags }
}

/// The CPython side: the same records, through pickle, as tuples and as dicts.
const SNIPPET: &str = include_str!("serialize.py");

pub fn measure(options: &Options, _: &Map<String, Value>) -> anyhow::Result<Found> {
    let (records, samples) = options.pick((100_000, 15), (10_000, 3));
    let data: Vec<Record> = (0..records as u64).map(record).collect();
    let blob = postcard::to_allocvec(&data)?;
    let back: Vec<Record> = postcard::from_bytes(&blob)?;
    anyhow::ensure!(back == data, "the round trip changed the data");
    // One warm-up each; `time_samples` black-boxes what each run returns.
    let encode =
        time_samples(1, samples, || Ok(postcard::to_allocvec(black_box(&data))?))?;
    let decode = time_samples(1, samples, || {
        Ok(postcard::from_bytes::<Vec<Record>>(black_box(&blob))?)
    })?;
    let postcard = json!({ "encode_ms": Summary::millis(&encode),
                           "decode_ms": Summary::millis(&decode), "bytes": blob.len() });
    let args = [records.to_string(), samples.to_string()];
    let deadline = options.pick(Duration::from_secs(90), Duration::from_secs(20));
    let python =
        python_figures(options, SNIPPET, &[&args[0], &args[1]], deadline, |out| {
            let protocol = out.value("pickle_protocol")?;
            let (tuples, dicts) = (out.value("tuples")?, out.value("dicts")?);
            Ok(json!({ "interpreter": out.label(), "pickle_protocol": protocol,
                       "tuples": tuples, "dicts": dicts }))
        });
    Ok(Found::new(
        "Into bytes and back: records (id, name, score, three tags), one round trip each",
        json!({ "serialize": {
            "records": records, "postcard": postcard, "python": figure_or_skipped(&python),
        }}),
    ))
}
