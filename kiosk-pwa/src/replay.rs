//! Live events that arrive while a screen reloads its state from the
//! server: the reload's answer may have been read before them, so they are
//! applied again on top of it, and an older answer never wins over a newer
//! event. Shared by the kitchen display and the pickup board.

use std::cell::{Cell, RefCell};

pub struct ReloadReplay<E> {
    reloading: Cell<u32>,
    seen: RefCell<Vec<E>>,
}

impl<E> Default for ReloadReplay<E> {
    fn default() -> Self {
        ReloadReplay { reloading: Cell::new(0), seen: RefCell::new(Vec::new()) }
    }
}

impl<E: Clone> ReloadReplay<E> {
    /// Keeps `event` if a reload is under way.
    pub fn record(&self, event: &E) {
        if self.reloading.get() > 0 {
            self.seen.borrow_mut().push(event.clone());
        }
    }

    /// Runs `reload`, then returns what arrived meanwhile, to apply on top.
    pub async fn around(&self, reload: impl Future<Output = ()>) -> Vec<E> {
        if self.reloading.get() == 0 {
            self.seen.borrow_mut().clear();
        }
        self.reloading.set(self.reloading.get() + 1);
        reload.await;
        self.reloading.set(self.reloading.get() - 1);
        self.seen.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The futures here never wait.
    fn block_on<T>(f: impl Future<Output = T>) -> T {
        let mut f = std::pin::pin!(f);
        match f.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("the future waited"),
        }
    }

    #[test]
    fn keeps_only_what_arrives_during_a_reload() {
        let replay = ReloadReplay::default();
        replay.record(&1);
        let during = block_on(replay.around(async { replay.record(&2) }));
        assert_eq!(during, vec![2]);
        replay.record(&3);
        assert_eq!(block_on(replay.around(async {})), Vec::<i32>::new(), "a new reload starts afresh");
    }
}
