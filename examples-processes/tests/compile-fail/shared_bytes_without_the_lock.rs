//! The bytes without their lock: refused, as `SharedBytes` cannot be indexed (error E0608).
use examples_processes::sys::SharedBytes;

fn main() -> std::io::Result<()> {
    let bytes = SharedBytes::new(8)?;
    let first: u8 = bytes[0];
    println!("{first}");
    Ok(())
}
