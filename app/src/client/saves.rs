//! When the browser writes its own copy of the board: at most [`LOCAL_SAVE_DELAY_MS`] after an
//! edit while the server stores everything, at every edit while it cannot, and never two writes
//! at once (a write that ends with the board changed meanwhile is followed by another).

/// While the server stores every change, the browser's own copy is refreshed this long after an
/// edit at most (saving a big board costs a few milliseconds).
pub const LOCAL_SAVE_DELAY_MS: i32 = 1_000;

/// What to do after the board changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveNow {
    /// Write now.
    Now,
    /// Write in this many milliseconds.
    Later(i32),
    /// A write is already scheduled.
    Nothing,
}

/// The state of the browser's copy of the board.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LocalSaves {
    /// A write is in progress.
    writing: bool,
    /// The board changed since the last write started.
    dirty: bool,
    /// A delayed write is scheduled.
    scheduled: bool,
}

impl LocalSaves {
    /// The board changed; `server_stores`: the server stores every change right now.
    pub fn changed(&mut self, server_stores: bool) -> SaveNow {
        self.dirty = true;
        if !server_stores {
            SaveNow::Now
        } else if self.scheduled {
            SaveNow::Nothing
        } else {
            self.scheduled = true;
            SaveNow::Later(LOCAL_SAVE_DELAY_MS)
        }
    }

    /// The scheduled write is due.
    pub fn due(&mut self) {
        self.scheduled = false;
    }

    /// A write may start now: `false` if one is under way (it writes again when it ends).
    pub fn start(&mut self) -> bool {
        if self.writing {
            self.dirty = true;
            return false;
        }
        self.writing = true;
        self.dirty = false;
        true
    }

    /// The write ended: returns whether to write again (the board changed meanwhile).
    pub fn finished(&mut self) -> bool {
        self.writing = false;
        self.dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_saved_later_while_the_server_stores_and_at_once_while_it_cannot() {
        let mut saves = LocalSaves::default();
        assert_eq!(saves.changed(true), SaveNow::Later(LOCAL_SAVE_DELAY_MS));
        assert_eq!(saves.changed(true), SaveNow::Nothing, "one write scheduled");
        saves.due();
        assert!(saves.start());
        assert!(!saves.finished(), "nothing changed during the write");
        assert_eq!(saves.changed(false), SaveNow::Now);
    }

    #[test]
    fn a_change_during_a_write_is_written_after_it_and_writes_never_overlap() {
        let mut saves = LocalSaves::default();
        assert!(saves.start());
        assert_eq!(saves.changed(false), SaveNow::Now);
        assert!(!saves.start(), "a write is under way");
        assert!(
            saves.finished(),
            "the change made during the write is written next"
        );
        assert!(saves.start());
        assert!(!saves.finished());
    }
}
