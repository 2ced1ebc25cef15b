use std::cell::Cell;
use std::sync::Arc;
fn main() {
    let hits = Arc::new(Cell::new(0));
    let for_thread = Arc::clone(&hits);
    let handle = std::thread::spawn(move || for_thread.set(for_thread.get() + 1));
    handle.join().unwrap();
}
