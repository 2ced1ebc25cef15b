// Exercise `publish`: one thread stores a value in a mailbox and raises its
// `ready` flag; another waits for the flag, then reads the value. Make the
// reader that sees the flag always see the value too.
//
// The check runs `Mailbox` under loom, which tries every interleaving and,
// at each load, every store the memory model lets it return: the bug shows
// there on every run, though x86 hardware may never show it.
#[cfg(loom)]
use loom::sync::atomic::{AtomicBool, AtomicU64, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

struct Mailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    fn new() -> Mailbox {
        Mailbox { data: AtomicU64::new(0), ready: AtomicBool::new(false) }
    }

    /// The writer: the value first, then the flag.
    fn publish(&self, value: u64) {
        self.data.store(value, Ordering::Relaxed);
        // Release: whoever acquires this store sees the value stored before.
        self.ready.store(true, Ordering::Release);
    }

    /// The reader: the value, if the flag says it is there.
    fn read(&self) -> Option<u64> {
        // Acquire: seeing the flag, it sees what the writer did before it.
        if self.ready.load(Ordering::Acquire) {
            Some(self.data.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}

fn main() {
    let mailbox = Mailbox::new();
    let seen = thread::scope(|scope| {
        // The reader spins until the flag is up.
        let reader = scope.spawn(|| {
            loop {
                if let Some(value) = mailbox.read() {
                    return value;
                }
                std::hint::spin_loop();
            }
        });
        mailbox.publish(42);
        reader.join().expect("the reader panicked")
    });
    println!("the reader saw {seen}");
    assert_eq!(seen, 42, "the reader saw the flag but not the value");
}
