// Exercise `back-pressure`: a producer thread makes blocks faster than the
// consumer handles them, and sends them over a channel. Nothing holds it
// back: blocks pile up in the channel, as many as it makes. Make it wait
// instead: never more than CAPACITY blocks in the channel, every block
// handled, in order.
//
// The check calls `pipeline` (keep its signature) with items that count
// themselves and a consumer that stalls at the first one.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// The most items that may wait in the channel.
const CAPACITY: usize = 8;

/// Makes `count` items with `make` on a producer thread, and hands each to
/// `handle` on this thread, in order.
fn pipeline<T: Send>(
    count: usize,
    make: impl Fn(usize) -> T + Send,
    mut handle: impl FnMut(T),
) {
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        let producer = scope.spawn(move || {
            for n in 0..count {
                sender.send(make(n)).expect("the consumer is alive");
            }
            // `sender` is dropped here: the consumer's loop ends.
        });
        for item in receiver {
            handle(item);
        }
        producer.join().expect("the producer panicked");
    });
}

fn main() {
    let handled = AtomicUsize::new(0);
    let most_ahead = AtomicUsize::new(0);
    let make = |n: usize| {
        // Made and not yet handled, this block included.
        let ahead = n + 1 - handled.load(Ordering::SeqCst);
        most_ahead.fetch_max(ahead, Ordering::SeqCst);
        vec![0_u8; 16 * 1024] // A 16 KiB block, as read from a file.
    };
    let handle = |_block: Vec<u8>| {
        thread::sleep(Duration::from_micros(200)); // A slow consumer.
        handled.fetch_add(1, Ordering::SeqCst);
    };
    pipeline(1000, make, handle);
    let most = most_ahead.into_inner();
    println!("{} blocks handled", handled.into_inner());
    println!(
        "the producer ran up to {most} blocks ahead (CAPACITY: {CAPACITY})"
    );
}
