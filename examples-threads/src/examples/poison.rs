//! A thread that panics while it holds a lock poisons the lock (on purpose).

use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::bail;

pub fn main() -> anyhow::Result<()> {
    let scores = Arc::new(Mutex::new(vec![1, 2]));
    let writer = thread::Builder::new().name("writer".into()).spawn({
        let scores = Arc::clone(&scores);
        move || {
            let mut scores = scores.lock().expect("not poisoned yet");
            scores.push(3);
            panic!("half-way through an update (a panic on purpose)");
        }
    })?;
    if writer.join().is_ok() {
        bail!("the writer was meant to panic");
    }
    println!("join returned Err: the writer panicked holding the lock");

    let recovered = match scores.lock() {
        Ok(_) => bail!("the mutex was meant to be poisoned"),
        // The update may be half done; only we can say if the data is usable.
        Err(poisoned) => poisoned.into_inner().clone(),
    };
    println!(
        "lock returned Err (poisoned); into_inner recovered {recovered:?}"
    );
    scores.clear_poison();
    println!("after clear_poison: poisoned = {}", scores.is_poisoned());
    Ok(())
}
