//! A plain view of atomic cells, that a forked child could write under: refused, as
//! `AtomicCells` has no `DerefMut` (error E0596).
use examples_processes::sys::{AtomicCells, Sharing};

fn main() -> std::io::Result<()> {
    let cells = AtomicCells::new(1, Sharing::Shared)?;
    let plain: &mut u64 = cells[0].get_mut();
    *plain += 1;
    Ok(())
}
