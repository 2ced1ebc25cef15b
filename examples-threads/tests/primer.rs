//! The Rust primer of the book (`book/src/rust-primer.md`): each test is one snippet the
//! page shows, between its anchors, so every snippet compiles and its assertions hold.

use std::cell::Cell;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

#[test]
fn arc_shares_one_value_between_owners() {
    // ANCHOR: arc
    let names = Arc::new(vec!["Ada".to_owned(), "Grace".to_owned()]);
    let for_thread = Arc::clone(&names); // A second owner, not a copy.
    assert_eq!(Arc::strong_count(&names), 2);
    let handle = thread::spawn(move || for_thread.len());
    assert_eq!(handle.join().expect("the thread panicked"), 2);
    assert_eq!(Arc::strong_count(&names), 1); // The thread's owner is gone.
    // ANCHOR_END: arc
}

#[test]
fn mutex_lets_one_thread_at_a_time_change_the_value() {
    // ANCHOR: mutex
    let total = Arc::new(Mutex::new(0));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let total = Arc::clone(&total);
            thread::spawn(move || *total.lock().expect("poisoned") += 1)
        })
        .collect();
    for handle in handles {
        handle.join().expect("a thread panicked");
    }
    assert_eq!(*total.lock().expect("poisoned"), 4);
    // ANCHOR_END: mutex
}

#[test]
fn send_and_sync_are_checked_by_the_compiler() {
    // ANCHOR: send_sync
    fn can_move_to_a_thread<T: Send>() {}
    fn can_share_between_threads<T: Sync>() {}
    can_move_to_a_thread::<Mutex<Vec<String>>>();
    can_share_between_threads::<Mutex<Vec<String>>>();
    can_move_to_a_thread::<Cell<u32>>(); // Cell is Send, but not Sync:
    // can_share_between_threads::<Cell<u32>>(); would not compile, nor would
    // can_move_to_a_thread::<std::rc::Rc<u32>>(): Rc's count is not atomic.
    // ANCHOR_END: send_sync
}

#[test]
fn a_channel_carries_values_from_threads_to_one_receiver() {
    // ANCHOR: channel
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        for id in 0..3 {
            let sender = sender.clone(); // One sender per thread.
            scope.spawn(move || sender.send(id * 10).expect("receiver gone"));
        }
    });
    drop(sender); // The last sender: now the receiver's iterator can end.
    let mut received: Vec<i32> = receiver.iter().collect();
    received.sort(); // Arrival order varies from run to run.
    assert_eq!(received, [0, 10, 20]);
    // ANCHOR_END: channel
}

#[test]
fn a_move_closure_takes_ownership_of_what_it_uses() {
    // ANCHOR: move
    let greeting = String::from("hello");
    // Without `move`, the closure would borrow `greeting`, and spawn refuses a
    // borrow: the thread may outlive this function.
    let handle = thread::spawn(move || format!("{greeting} from a thread"));
    assert_eq!(handle.join().expect("the thread panicked"), "hello from a thread");
    // `greeting` now belongs to the closure: using it here would not compile.
    // ANCHOR_END: move
}
