//! `back-pressure`: `pipeline` with items that count themselves (made, not
//! yet dropped), and a consumer that stalls at the first item, long enough
//! for any producer that is not held back to make them all.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::{CAPACITY, pipeline};

const ITEMS: usize = 200;
const STALL: Duration = Duration::from_millis(500);
const DEADLINE: Duration = Duration::from_secs(60);

/// An item that counts how many items exist.
struct Counted {
    n: usize,
    alive: Arc<AtomicUsize>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.alive.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `pipeline` on a thread of its own, with a deadline: the most items
/// that existed at once, and the items handled, in the order handled.
fn run_pipeline() -> (usize, Vec<usize>) {
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let alive = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let make = {
            let (alive, most) = (Arc::clone(&alive), Arc::clone(&most));
            move |n| {
                let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                Counted { n, alive: Arc::clone(&alive) }
            }
        };
        let mut handled = Vec::new();
        pipeline(ITEMS, make, |item: Counted| {
            if item.n == 0 {
                thread::sleep(STALL); // The consumer stalls.
            }
            handled.push(item.n);
        });
        let _ = done.send((most.load(Ordering::SeqCst), handled));
    });
    match result.recv_timeout(DEADLINE) {
        Ok(result) => result,
        Err(_) => panic!(
            "`pipeline` did not return within {} s: it hangs (a producer that \
             waits for ever, or a channel that never closes?)",
            DEADLINE.as_secs()
        ),
    }
}

#[test]
fn the_producer_waits_for_the_consumer() {
    assert!(CAPACITY == 8, "keep CAPACITY at 8: the check counts on it");
    let (most, handled) = run_pipeline();
    if let Some(lost) = (0..ITEMS).find(|n| !handled.contains(n)) {
        panic!(
            "item {lost} was never handled ({} of {ITEMS} were): a full \
             channel must make the producer wait, not drop the item \
             (`try_send` hands it back in its error)",
            handled.len()
        );
    }
    assert!(
        handled.iter().copied().eq(0..ITEMS),
        "the items were handled out of order: {handled:?}"
    );
    assert!(
        most <= CAPACITY + 2,
        "{most} items existed at once while the consumer stalled: more than \
         CAPACITY ({CAPACITY}) in the channel, one being sent and one being \
         handled. Nothing held the producer back: a sleep only slows it, and a \
         bound bigger than CAPACITY lets more pile up"
    );
    assert!(
        most >= CAPACITY,
        "never more than {most} items existed at once: the channel never held \
         CAPACITY ({CAPACITY}) items, so the producer waited when there was \
         room (a channel of capacity 0 hands over one item at a time)"
    );
}
