//! `RwLock` under a writer: every read sees a whole version, never half one.

use std::sync::RwLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::ensure;

#[derive(Debug)]
struct Config {
    version: u32,
    greeting: String,
}

pub fn main() -> anyhow::Result<()> {
    let config =
        RwLock::new(Config { version: 1, greeting: "hello v1".into() });

    // ANCHOR: writer
    let caught_up = AtomicU32::new(0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let versions_seen = thread::scope(|scope| {
        let readers: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    let mut seen = Vec::new();
                    while seen.last() != Some(&5) {
                        ensure!(Instant::now() < deadline, "saw {seen:?}");
                        let config =
                            config.read().expect("no panic holding it");
                        assert_eq!(
                            config.greeting,
                            format!("hello v{}", config.version)
                        );
                        if seen.last() != Some(&config.version) {
                            seen.push(config.version);
                            caught_up.fetch_add(1, Ordering::Release);
                        }
                        drop(config);
                        thread::yield_now();
                    }
                    Ok(seen)
                })
            })
            .collect();
        for version in 2..=5 {
            while caught_up.load(Ordering::Acquire) < 3 * (version - 1) {
                ensure!(Instant::now() < deadline, "the readers fell behind");
                thread::yield_now();
            }
            let mut config = config.write().expect("no panic holding it");
            config.version = version;
            config.greeting = format!("hello v{version}");
        }
        readers
            .into_iter()
            .map(|reader| reader.join().expect("a reader panicked"))
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    // ANCHOR_END: writer

    for (reader, seen) in versions_seen.iter().enumerate() {
        println!(
            "reader {reader} saw versions {seen:?}, each with its own greeting"
        );
    }
    println!("every read saw matching fields");
    println!("final: {:?}", config.read().expect("no panic holding it"));
    Ok(())
}
