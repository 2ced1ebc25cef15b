use std::rc::Rc;
fn main() {
    let shared = Rc::new(vec![1, 2, 3]);
    let for_thread = Rc::clone(&shared);
    let handle = std::thread::spawn(move || println!("{for_thread:?}"));
    handle.join().unwrap();
}
