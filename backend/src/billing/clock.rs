//! The billing clock: real time plus an offset that tests move forward through months.
//! Authentication never uses it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::clock::unix_now;

#[derive(Clone, Default, Debug)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Unix seconds on the billing clock.
    pub fn now(&self) -> i64 {
        unix_now() + self.offset.load(Ordering::SeqCst)
    }

    /// Moves the clock forward (or back) by `secs`.
    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::SeqCst);
    }

    /// Sets the clock to read `at` now.
    pub fn set(&self, at: i64) {
        self.offset.store(at - unix_now(), Ordering::SeqCst);
    }
}
