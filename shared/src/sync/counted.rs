//! A `Condvar` that counts the threads inside its waits, around std's (or loom's, under
//! `--cfg loom`): `Event` is the `event` example's code, which waits on a plain `Condvar`;
//! compiled here with this one, it can tell tests when a thread really waits.

use std::sync::LockResult;
#[cfg(not(loom))]
use std::sync::WaitTimeoutResult;
#[cfg(not(loom))]
use std::time::Duration;

#[cfg(loom)]
use loom::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicUsize, Ordering};

use super::imports::{self, MutexGuard};

#[derive(Debug, Default)]
pub(crate) struct Condvar {
    inner: imports::Condvar,
    /// Changed only with the mutex held, before the wait releases it and after it
    /// takes it back: a thread counted is waiting, or about to.
    waiting: AtomicUsize,
}

impl Condvar {
    pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let result = self.inner.wait(guard);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        result
    }

    #[cfg(not(loom))]
    pub(crate) fn wait_timeout_while<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
        condition: impl FnMut(&mut T) -> bool,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let result = self.inner.wait_timeout_while(guard, timeout, condition);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        result
    }

    pub(crate) fn notify_all(&self) {
        self.inner.notify_all();
    }

    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }
}
