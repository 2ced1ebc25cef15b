//! Talking between processes beyond pipes: an open file descriptor sent over a
//! Unix-domain socket (`SCM_RIGHTS`), and a file that lives in memory (`memfd`) to send.
//! `sendmsg` and `recvmsg` are POSIX; `memfd_create` is Linux's (FreeBSD 13 has it too),
//! and elsewhere an unlinked temporary file stands in for it.

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

/// Room for one control message carrying a few descriptors: 64 bytes, aligned as
/// `cmsghdr` needs (8 bytes), which is more than `CMSG_SPACE` of 4 descriptors.
type ControlBuffer = [u64; 8];

/// `sendmsg` and `recvmsg` return a byte count, or -1 with errno set.
fn check_size(result: isize, call: &str) -> io::Result<usize> {
    usize::try_from(result).map_err(|_| {
        let error = io::Error::last_os_error();
        io::Error::new(error.kind(), format!("{call}: {error}"))
    })
}

/// One descriptor's worth of control data, in bytes (`CMSG_SPACE(sizeof(int))`).
fn one_fd_space() -> usize {
    // SAFETY: `CMSG_SPACE` only computes a size from its argument.
    unsafe { libc::CMSG_SPACE(size_of::<libc::c_int>() as libc::c_uint) as usize }
}

/// Sends `message` (at least one byte) with a copy of `fd` over `socket`: the peer
/// receives a new descriptor for the same open file, offset and flags included.
///
/// Can safe code misuse this into undefined behaviour? No: every pointer is to a
/// local or to `message`, all alive across the call; `fd` is borrowed, so it is open.
pub fn send_with_fd(
    socket: &UnixStream,
    message: &[u8],
    fd: BorrowedFd<'_>,
) -> io::Result<()> {
    if message.is_empty() {
        let why = "sendmsg: a descriptor must travel with at least one byte";
        return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
    }
    let mut iov = libc::iovec {
        iov_base: message.as_ptr() as *mut libc::c_void, // Only read by sendmsg.
        iov_len: message.len(),
    };
    let mut control: ControlBuffer = [0; 8];
    // SAFETY: `msghdr` is plain data; all zeros is a valid empty header.
    let mut header: libc::msghdr = unsafe { std::mem::zeroed() };
    header.msg_iov = &mut iov;
    header.msg_iovlen = 1 as _;
    header.msg_control = control.as_mut_ptr().cast();
    header.msg_controllen = one_fd_space() as _;
    // SAFETY: `msg_control` points at `control`, aligned for `cmsghdr` and longer
    // than `msg_controllen`, so `CMSG_FIRSTHDR` is non-null and the header and its
    // one `int` of data lie inside `control`; the data may be unaligned, hence
    // `write_unaligned`.
    unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&header);
        (*cmsg).cmsg_level = libc::SOL_SOCKET; // A socket-level message…
        (*cmsg).cmsg_type = libc::SCM_RIGHTS; // …that carries descriptors…
        (*cmsg).cmsg_len = libc::CMSG_LEN(size_of::<libc::c_int>() as _) as _; // …one.
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast(), fd.as_raw_fd());
    }
    // SAFETY: `header` and everything it points to are alive and initialised.
    let sent = unsafe {
        libc::sendmsg(
            socket.as_raw_fd(), // The connected socket.
            &header,            // The bytes and the control message.
            0,                  // No flags.
        )
    };
    let sent = check_size(sent, "sendmsg(SCM_RIGHTS)")?;
    if sent < message.len() {
        let why = format!("sendmsg: sent {sent} of {} bytes", message.len());
        return Err(io::Error::new(io::ErrorKind::WriteZero, why));
    }
    Ok(())
}

/// Receives bytes into `buffer`, and the descriptor sent with them if any: returns
/// how many bytes, and the new descriptor (close-on-exec on Linux, which sets it as
/// it arrives). Descriptors beyond the first are closed.
///
/// Can safe code misuse this into undefined behaviour? No: the kernel writes only
/// into `buffer` and the local control buffer, within the lengths given; each
/// descriptor it created is owned exactly once.
pub fn receive_with_fd(
    socket: &UnixStream,
    buffer: &mut [u8],
) -> io::Result<(usize, Option<OwnedFd>)> {
    let mut iov =
        libc::iovec { iov_base: buffer.as_mut_ptr().cast(), iov_len: buffer.len() };
    let mut control: ControlBuffer = [0; 8];
    // SAFETY: `msghdr` is plain data; all zeros is a valid empty header.
    let mut header: libc::msghdr = unsafe { std::mem::zeroed() };
    header.msg_iov = &mut iov;
    header.msg_iovlen = 1 as _;
    header.msg_control = control.as_mut_ptr().cast();
    header.msg_controllen = size_of::<ControlBuffer>() as _;
    #[cfg(target_os = "linux")]
    let flags = libc::MSG_CMSG_CLOEXEC; // The new descriptor is not inherited by exec.
    #[cfg(not(target_os = "linux"))]
    let flags = 0;
    // SAFETY: `header` points at `buffer` and `control`, writable for the lengths
    // given, alive across the call.
    let received = unsafe {
        libc::recvmsg(
            socket.as_raw_fd(), // The connected socket.
            &mut header,        // Where the bytes and the control message go.
            flags,
        )
    };
    let received = check_size(received, "recvmsg")?;
    let mut fds = Vec::new();
    // SAFETY: after `recvmsg`, `header` describes the control data the kernel wrote
    // into `control`; `CMSG_FIRSTHDR`/`CMSG_NXTHDR` stay inside it, and each
    // `SCM_RIGHTS` message holds `(cmsg_len - CMSG_LEN(0)) / sizeof(int)` new
    // descriptors, read unaligned, each wrapped in an `OwnedFd` exactly once.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&header);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET
                && (*cmsg).cmsg_type == libc::SCM_RIGHTS
            {
                let data = libc::CMSG_DATA(cmsg).cast::<libc::c_int>();
                let bytes = (*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                for index in 0..bytes / size_of::<libc::c_int>() {
                    let fd = std::ptr::read_unaligned(data.add(index));
                    fds.push(OwnedFd::from_raw_fd(fd));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&header, cmsg);
        }
    }
    if header.msg_flags & libc::MSG_CTRUNC != 0 {
        let why = "recvmsg: control data truncated, descriptors lost";
        return Err(io::Error::new(io::ErrorKind::InvalidData, why));
    }
    Ok((received, fds.into_iter().next()))
}

/// A new file that lives in memory only, with no name in any file system:
/// `memfd_create` (Linux). `name` shows in `/proc/PID/fd` as `/memfd:NAME`.
///
/// Can safe code misuse this into undefined behaviour? No: the name is a valid C
/// string for the call, and the new descriptor is owned by the returned `File`.
#[cfg(target_os = "linux")]
pub fn memory_file(name: &str) -> io::Result<File> {
    let c_name = std::ffi::CString::new(name)?;
    // SAFETY: `c_name` is a NUL-terminated string alive across the call.
    let fd = unsafe {
        libc::memfd_create(
            c_name.as_ptr(),   // A name, for debugging only.
            libc::MFD_CLOEXEC, // Not inherited by exec.
        )
    };
    let fd = super::check(fd, &format!("memfd_create({name})"))?;
    // SAFETY: `fd` is a new descriptor that nothing else owns.
    Ok(unsafe { File::from_raw_fd(fd) })
}

/// Without `memfd_create`: a temporary file, removed at once, so that it too has no
/// name; only the descriptor reaches it.
///
/// Can safe code misuse this into undefined behaviour? No: it calls safe functions.
#[cfg(not(target_os = "linux"))]
pub fn memory_file(name: &str) -> io::Result<File> {
    let unique = format!("{name}-{}", std::process::id());
    let path = std::env::temp_dir().join(unique);
    let file = File::options().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}
