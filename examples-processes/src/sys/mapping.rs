//! Anonymous memory mappings that forked children inherit: shared or copy-on-write.

use std::io;

use super::check;

/// Whether a child's writes to a [`Mapping`] reach its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// `MAP_SHARED`: parent and forked children see the same pages; a write by one is seen by
    /// all (Python's `multiprocessing.Value`, `Array` and `shared_memory` are built on this).
    Shared,
    /// `MAP_PRIVATE`: after a fork, each process has its own copy-on-write view; a child's
    /// writes stay in the child.
    Private,
}

/// An anonymous memory mapping (no file behind it, so nothing to clean up on disk and nothing
/// another user can open), zero-filled, unmapped on drop. Forked children inherit it.
#[derive(Debug)]
pub struct Mapping {
    address: std::ptr::NonNull<u8>,
    length: usize,
}

// SAFETY: the mapping is plain memory owned by this handle; access goes through `&self`
// (atomics) or `&mut self` (slices), so the usual borrow rules keep threads apart.
unsafe impl Send for Mapping {}
// SAFETY: as above: shared references only hand out atomics and `&[u8]`.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Maps `length` bytes (rounded up to whole pages by the kernel), zero-filled.
    pub fn new(length: usize, sharing: Sharing) -> io::Result<Mapping> {
        let visibility = match sharing {
            Sharing::Shared => libc::MAP_SHARED,
            Sharing::Private => libc::MAP_PRIVATE,
        };
        // SAFETY: a new anonymous mapping at an address the kernel chooses overlaps nothing
        // of ours; the arguments are checked by the kernel, which returns MAP_FAILED on error.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),               // Let the kernel choose the address.
                length.max(1),                      // Bytes to map (a length of 0 is invalid).
                libc::PROT_READ | libc::PROT_WRITE, // Readable and writable.
                visibility | libc::MAP_ANONYMOUS,   // Shared or private; no file behind it.
                -1,                                 // No file descriptor (anonymous).
                0,                                  // No offset (anonymous).
            )
        };
        if address == libc::MAP_FAILED {
            let error = io::Error::last_os_error();
            return Err(io::Error::new(error.kind(), format!("mmap({length} bytes, {sharing:?}): {error}")));
        }
        let address =
            std::ptr::NonNull::new(address.cast::<u8>()).expect("mmap never returns null on success");
        Ok(Mapping { address, length })
    }

    /// The mapping's length in bytes.
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether the mapping has no bytes.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The bytes, to read.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `address` points to `length` readable, initialised (zero-filled) bytes that
        // live as long as `self`. Other processes may write them concurrently only through
        // atomics handed out by `atomic_u64`, which readers of the same words must also use.
        unsafe { std::slice::from_raw_parts(self.address.as_ptr(), self.length) }
    }

    /// The bytes, to write.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as in `as_slice`, and `&mut self` makes this the only reference in this
        // process.
        unsafe { std::slice::from_raw_parts_mut(self.address.as_ptr(), self.length) }
    }

    /// The `index`-th 8-byte word of the mapping, as an atomic: safe to update from several
    /// threads, and from several processes when the mapping is [`Sharing::Shared`].
    pub fn atomic_u64(&self, index: usize) -> &std::sync::atomic::AtomicU64 {
        let offset = index.checked_mul(8).expect("index * 8 overflows");
        assert!(offset + 8 <= self.length, "word {index} is outside a mapping of {} bytes", self.length);
        // SAFETY: the mapping is page-aligned, so every multiple of 8 is aligned for AtomicU64;
        // the word is inside the mapping (checked above) and lives as long as `&self`.
        unsafe { &*self.address.as_ptr().add(offset).cast::<std::sync::atomic::AtomicU64>() }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `address` and `length` are exactly what `mmap` returned and was given, and no
        // reference into the mapping outlives `self`.
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
