//! Anonymous memory mappings that forked children inherit, shared or copy-on-write,
//! in the two shapes that safe code can use soundly when another process may write
//! them:
//!
//! - [`AtomicCells`]: `AtomicU64` cells and nothing else, `MAP_SHARED` or
//!   `MAP_PRIVATE`;
//! - [`SharedBytes`]: plain bytes in a `MAP_SHARED` mapping, reachable only through a
//!   lock that lives in the mapping itself, and only while this process cannot fork.
//!
//! Why not one type with both a byte slice and atomics (as this module once had): a
//! `&[u8]` promises that no one writes those bytes while it lives (the Rust
//! reference, "Behavior considered undefined": a `&T` must point to memory that is
//! not mutated while it is live, except inside an `UnsafeCell`), and a plain read
//! that races an atomic write is a data race (std::sync::atomic, "Memory model for
//! atomic accesses"): undefined behaviour either way. With `MAP_SHARED` the writer
//! can be another process, which the compiler never sees. Volatile reads are no way
//! out: std::ptr::read_volatile says they behave exactly like non-atomic accesses
//! where concurrency is concerned.
//!
//! Atomics between processes: std's atomics are lock-free (std::sync::atomic,
//! "Portability"), so they are plain instructions on the memory itself, with no lock
//! kept in one process; C++20 (whose memory model Rust's follows) notes that
//! lock-free operations should be address-free for exactly this use: communicating
//! through memory shared between processes ([atomics.lockfree]). A forked child's
//! `fetch_add` on a shared page is, to the parent, another thread's `fetch_add`.

use std::io;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::check;

/// Whether a child's writes to a mapping reach its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// `MAP_SHARED`: parent and forked children see the same pages; a write by one is
    /// seen by all (Python's `multiprocessing.Value`, `Array` and `shared_memory` are
    /// built on this).
    Shared,
    /// `MAP_PRIVATE`: after a fork, each process has its own copy-on-write view; a
    /// child's writes stay in the child.
    Private,
}

/// An anonymous mapping (no file behind it, so nothing to clean up on disk and
/// nothing another user can open), zero-filled, page-aligned, unmapped on drop. It
/// hands out no reference itself: the two types below decide what safe code may do
/// with its memory.
#[derive(Debug)]
struct Raw {
    address: NonNull<u8>,
    /// At most `isize::MAX` (checked in [`Raw::new`]).
    length: usize,
}

impl Raw {
    /// Maps `length` bytes. Refused (`InvalidInput`) above `isize::MAX` bytes: no
    /// Rust slice may be larger (`std::slice::from_raw_parts`' safety section), and
    /// on a 32-bit target the kernel could map that much (up to 3 GiB on 32-bit
    /// Linux), so the slices made from this mapping rely on the check.
    fn new(length: usize, sharing: Sharing) -> io::Result<Raw> {
        if isize::try_from(length).is_err() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "mmap({length} bytes): more than isize::MAX ({}), the most a \
                     Rust slice may span",
                    isize::MAX
                ),
            ));
        }
        let visibility = match sharing {
            Sharing::Shared => libc::MAP_SHARED,
            Sharing::Private => libc::MAP_PRIVATE,
        };
        // SAFETY: a new anonymous mapping at an address the kernel chooses overlaps
        // nothing of ours; the arguments are checked by the kernel, which returns
        // MAP_FAILED on error.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(), // Let the kernel choose the address.
                length.max(1),        // Bytes to map (a length of 0 is invalid).
                libc::PROT_READ | libc::PROT_WRITE, // Readable and writable.
                // Shared or private; no file behind it.
                visibility | libc::MAP_ANONYMOUS,
                -1, // No file descriptor (anonymous).
                0,  // No offset (anonymous).
            )
        };
        if address == libc::MAP_FAILED {
            let error = io::Error::last_os_error();
            return Err(io::Error::new(
                error.kind(),
                format!("mmap({length} bytes, {sharing:?}): {error}"),
            ));
        }
        let address = NonNull::new(address.cast::<u8>())
            .expect("mmap never returns null on success");
        Ok(Raw { address, length })
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: `address` and `length` are exactly what `mmap` returned and was
        // given, and no reference into the mapping outlives its owner (`AtomicCells`
        // or `SharedBytes`), which owns this `Raw`.
        let result = unsafe {
            libc::munmap(
                self.address.as_ptr().cast(), // The start of the mapping.
                self.length.max(1),           // Its length, as mapped.
            )
        };
        if let Err(error) = check(result, "munmap") {
            eprintln!("warning: {error}");
        }
    }
}

// SAFETY: `Raw` is an owned region of memory, like a `Box<[u8]>`; which references to
// it may exist, and who may use them, is decided by the types that own it.
unsafe impl Send for Raw {}

/// `AtomicU64` cells in an anonymous mapping, zero at the start, that forked children
/// inherit: with [`Sharing::Shared`] every process updates the same cells, with
/// [`Sharing::Private`] each process its own copy. Index it like a slice:
/// `cells[0].fetch_add(1, Relaxed)`.
///
/// Can safe code misuse this into undefined behaviour? No: it gives out
/// `&[AtomicU64]` only, never `&[u8]`, `&mut [AtomicU64]` or a `&mut u64` (no
/// `DerefMut`, so not `AtomicU64::get_mut` either): every access, from any thread of
/// any process that inherited the cells, is atomic, so none can race. Safe code
/// cannot get a plain view of the cells (`cells[0].get_mut()` does not compile, with
/// error E0596: `tests/compile-fail/atomic_cells_get_mut.rs`), only atomic updates:
///
/// ```
/// # use examples_processes::sys::{AtomicCells, Sharing};
/// # use std::sync::atomic::Ordering;
/// let cells = AtomicCells::new(1, Sharing::Shared)?;
/// cells[0].fetch_add(1, Ordering::Relaxed); // An atomic update: allowed.
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct AtomicCells {
    raw: Raw,
    count: usize,
}

// SAFETY: every access to the cells is atomic (see the type's doc), so sharing
// `&AtomicCells` between threads is as sound as sharing `&[AtomicU64]`.
unsafe impl Sync for AtomicCells {}

impl AtomicCells {
    /// Maps `count` cells of 8 bytes (rounded up to whole pages by the kernel), all
    /// zero. `InvalidInput` if they would span more than `isize::MAX` bytes.
    ///
    /// Can safe code misuse this into undefined behaviour? No: a new anonymous
    /// mapping overlaps nothing of ours.
    pub fn new(count: usize, sharing: Sharing) -> io::Result<AtomicCells> {
        let length = count.checked_mul(size_of::<AtomicU64>()).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{count} cells of 8 bytes overflow usize"),
            )
        })?;
        Ok(AtomicCells { raw: Raw::new(length, sharing)?, count })
    }
}

impl Deref for AtomicCells {
    type Target = [AtomicU64];

    fn deref(&self) -> &[AtomicU64] {
        // SAFETY: the mapping is page-aligned (aligned for `AtomicU64`), holds `count
        // * 8` zero-filled bytes (a valid `AtomicU64` each), at most `isize::MAX` of
        // them (`Raw::new` refuses more), and lives as long as `&self`. Every process
        // that can write these bytes reached them through this type, hence
        // atomically; `AtomicU64` is an `UnsafeCell`, so a shared reference to it
        // allows those writes.
        unsafe {
            std::slice::from_raw_parts(
                self.raw.address.as_ptr().cast::<AtomicU64>(),
                self.count,
            )
        }
    }
}

/// Bytes in an anonymous `MAP_SHARED` mapping that forked children inherit, to hand
/// large data between processes. Plain access, `&mut [u8]`, exists only inside a
/// [`SharedBytesGuard`], from [`lock`](SharedBytes::lock); the lock is a word at the
/// start of the mapping, so it is the same lock in every process that inherited the
/// bytes.
///
/// The protocol, as in a spin lock (Rust Atomics and Locks, chapter 4), between
/// processes:
/// 1. `lock` changes the lock word from 0 (free) to its pid with an *Acquire*
///    compare-exchange, retrying until it succeeds or the deadline passes;
/// 2. the holder reads and writes the bytes through the guard, with plain (fast)
///    accesses;
/// 3. dropping the guard stores 0 with *Release*.
///
/// The Release store and the next holder's Acquire exchange that reads it make
/// everything the first holder wrote *happen before* everything the next one does: no
/// data race, whichever processes they are in. Telling the other side that the bytes
/// are ready (a pipe, a signal) is a separate matter: it wakes the other process, the
/// lock makes its accesses sound.
///
/// Can safe code misuse this into undefined behaviour? No: the lock keeps holders in
/// different processes or threads apart; what it cannot see is `fork` *copying* a
/// holder: a child forked while a guard (or a slice borrowed from it) is alive would
/// hold the lock too, in its copy of the guard. So while any guard of this process is
/// alive, [`fork_raw`](super::fork_raw) refuses to fork (`ResourceBusy`), and no
/// guard is made during a fork. A slice of the bytes cannot outlive its guard either
/// (error E0597: `tests/compile-fail/shared_bytes_escape_the_lock.rs`), and there is no
/// way to the bytes without it (`bytes[0]` is error E0608:
/// `tests/compile-fail/shared_bytes_without_the_lock.rs`); with it:
///
/// ```
/// # use examples_processes::sys::SharedBytes;
/// # use std::time::Duration;
/// let bytes = SharedBytes::new(8)?;
/// let first: u8 = bytes.lock(Duration::from_secs(1))?[0]; // Locked: allowed.
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct SharedBytes {
    raw: Raw,
    length: usize,
}

/// Bytes before the data: the lock word, padded to 4 KiB, so that the holder's writes
/// to the data do not slow down another process spinning on the lock, and the data
/// starts on a 4 KiB boundary, as a large buffer from the allocator does. The second
/// reason is measured: on the snapshot machine (AMD EPYC), copying 256 MiB from such a
/// buffer into data that started 64 bytes after a page boundary took about 2.5 times as
/// long as into page-aligned data. The likely cause: in a copy whose destination runs a
/// few bytes ahead of its source modulo 4 KiB, each load looks as if it depends on a
/// store just issued ("4K aliasing", as Intel's optimization reference manual calls it).
const HEADER: usize = 4096;

// SAFETY: the bytes are reached only through a guard, which the lock gives to one
// holder at a time; the lock word is reached only atomically.
unsafe impl Sync for SharedBytes {}

impl SharedBytes {
    /// Maps `length` bytes (plus a lock word; rounded up to whole pages), all zero,
    /// unlocked. `InvalidInput` if that is more than `isize::MAX` bytes.
    ///
    /// Can safe code misuse this into undefined behaviour? No: a new anonymous
    /// mapping overlaps nothing of ours.
    pub fn new(length: usize) -> io::Result<SharedBytes> {
        let mapped = length.checked_add(HEADER).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{length} bytes and a header overflow usize"),
            )
        })?;
        Ok(SharedBytes { raw: Raw::new(mapped, Sharing::Shared)?, length })
    }

    /// How many bytes there are (the lock word not counted).
    ///
    /// Can safe code misuse this into undefined behaviour? No: it reads a field.
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether there are no bytes.
    ///
    /// Can safe code misuse this into undefined behaviour? No: it reads a field.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The lock word, reached only as an atomic.
    fn lock_word(&self) -> &AtomicU64 {
        // SAFETY: the mapping is page-aligned and starts with `HEADER` zero-filled
        // bytes, which no one reaches except through this atomic; it lives as long as
        // `&self`.
        unsafe { &*self.raw.address.as_ptr().cast::<AtomicU64>() }
    }

    /// Takes the lock (step 1 of the protocol), waiting at most `deadline`: the guard
    /// gives the bytes, and unlocks when dropped. `TimedOut` if another holder (a
    /// thread here, or another process: a child killed while holding it never gives
    /// it back) keeps it that long.
    ///
    /// Can safe code misuse this into undefined behaviour? No: see [`SharedBytes`].
    pub fn lock(&self, deadline: Duration) -> io::Result<SharedBytesGuard<'_>> {
        let started = Instant::now();
        let registered = ForkGate::register(started, deadline)?;
        let pid = u64::from(std::process::id());
        loop {
            match self.lock_word().compare_exchange_weak(
                0,
                pid,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    return Ok(SharedBytesGuard {
                        bytes: self,
                        _registered: registered,
                    });
                }
                Err(holder) if started.elapsed() >= deadline => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!(
                            "SharedBytes::lock: held by process {holder} for over \
                             {deadline:?}"
                        ),
                    ));
                }
                Err(_) => thread::yield_now(),
            }
        }
    }
}

/// The lock of a [`SharedBytes`], held: dereferences to its bytes; unlocks when
/// dropped.
#[derive(Debug)]
///
/// Can safe code misuse this into undefined behaviour? No: see [`SharedBytes`]; the
/// guard borrows it, so neither the bytes nor the lock outlives the mapping.
pub struct SharedBytesGuard<'a> {
    bytes: &'a SharedBytes,
    _registered: ForkGate,
}

impl Deref for SharedBytesGuard<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: as in `deref_mut`, for a shared borrow of the guard.
        unsafe {
            std::slice::from_raw_parts(
                self.bytes.raw.address.as_ptr().add(HEADER),
                self.bytes.length,
            )
        }
    }
}

impl DerefMut for SharedBytesGuard<'_> {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: the `length` bytes after the header are inside the mapping (so at
        // most `isize::MAX`, which `Raw::new` checked), zero-filled at first, and
        // live as long as the guard's borrow of `SharedBytes`. This guard holds the
        // lock: no other guard exists in any process (one holder at a time; and none
        // was copied by a fork, which `ForkGate` refuses while a guard lives), and no
        // one else reaches the bytes except through a guard. The Acquire in `lock`
        // orders the previous holder's accesses before ours.
        unsafe {
            std::slice::from_raw_parts_mut(
                self.bytes.raw.address.as_ptr().add(HEADER),
                self.bytes.length,
            )
        }
    }
}

impl Drop for SharedBytesGuard<'_> {
    fn drop(&mut self) {
        // Step 3 of the protocol: everything this holder did happens before the next
        // holder's Acquire. (`_registered` is dropped after this, so no fork copies a
        // held lock.)
        self.bytes.lock_word().store(0, Ordering::Release);
    }
}

/// How many [`SharedBytesGuard`]s this process holds, or [`FORKING`]: the gate
/// between guards and forks, so that a fork never copies a guard into a child.
static GUARDS_OR_FORKING: AtomicUsize = AtomicUsize::new(0);

/// The value of [`GUARDS_OR_FORKING`] while a fork is under way.
const FORKING: usize = usize::MAX;

/// One registered guard: while it lives, this process does not fork.
#[derive(Debug)]
struct ForkGate(());

impl ForkGate {
    /// Registers a guard, waiting (until `deadline` after `started`) for a fork under
    /// way in another thread to finish.
    fn register(started: Instant, deadline: Duration) -> io::Result<ForkGate> {
        loop {
            let guards = GUARDS_OR_FORKING.load(Ordering::Relaxed);
            if guards == FORKING || guards == FORKING - 1 {
                if started.elapsed() >= deadline {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!(
                            "SharedBytes::lock: a fork (or too many guards) for \
                             over {deadline:?}"
                        ),
                    ));
                }
                thread::yield_now();
            } else if GUARDS_OR_FORKING
                .compare_exchange_weak(
                    guards,
                    guards + 1,
                    Ordering::Acquire,
                    Ordering::Relaxed,
                )
                .is_ok()
            {
                return Ok(ForkGate(()));
            }
        }
    }
}

impl Drop for ForkGate {
    fn drop(&mut self) {
        GUARDS_OR_FORKING.fetch_sub(1, Ordering::Release);
    }
}

/// Runs `fork` (a call to `fork()`) only if no [`SharedBytesGuard`] is alive in this
/// process, and keeps new guards from being made until it returns, in the parent and
/// in the child.
///
/// Can safe code misuse this into undefined behaviour? No (and it is not public): the
/// gate is one atomic word; a fork it refuses is an error, and it reopens the gate in
/// both processes.
pub(super) fn fork_without_guards<T>(
    fork: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    if GUARDS_OR_FORKING
        .compare_exchange(0, FORKING, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        return Err(io::Error::new(
            io::ErrorKind::ResourceBusy,
            "fork: refused while this process holds a SharedBytes lock (the child \
             would hold a copy of it)",
        ));
    }
    let result = fork();
    // In both processes: the child starts with no guards (there were none to copy).
    GUARDS_OR_FORKING.store(0, Ordering::Release);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// One test, not two: both use the process's one gate word. A guard waits for a
    /// fork under way in another thread (here a "fork" that only sleeps, inside the
    /// gate) and is registered once it is done: no error, no overflow of the word. With
    /// the word one below FORKING (as many guards as it can count), a new guard is
    /// refused at its deadline instead of turning the count into FORKING.
    #[test]
    fn a_guard_waits_for_a_fork_and_is_refused_beyond_the_count() {
        let (inside, entered) = mpsc::channel();
        let forker = thread::spawn(move || {
            fork_without_guards(|| {
                inside.send(()).expect("the test waits");
                thread::sleep(Duration::from_millis(100));
                Ok(())
            })
        });
        entered.recv().expect("the forker entered the gate");
        let gate = ForkGate::register(Instant::now(), Duration::from_secs(10));
        forker.join().expect("the forker ends").expect("its fork went through");
        drop(gate.expect("registered once the fork was done"));

        GUARDS_OR_FORKING.store(FORKING - 1, Ordering::Relaxed);
        let refused = ForkGate::register(Instant::now(), Duration::from_millis(20));
        GUARDS_OR_FORKING.store(0, Ordering::Relaxed);
        let error = refused.expect_err("no room for another guard");
        assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
    }
}
