fn main() {
    let numbers = vec![1, 2, 3];
    let handle = std::thread::spawn(|| println!("{numbers:?}"));
    handle.join().unwrap();
}
