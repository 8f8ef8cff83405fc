//! Notices raised where no progress sink reaches — a password file others may read (found
//! while settings resolve), a scratch database dropped or left (also after an error or
//! Ctrl-C) — queued here and written by the renderer (`render::error::notices`).

use std::sync::Mutex;

/// How a notice is labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `strata: ...`
    Note,
    /// `warning: ...`
    Warning,
}

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

static QUEUE: Mutex<Vec<Notice>> = Mutex::new(Vec::new());

fn push(level: Level, text: String) {
    if let Ok(mut queue) = QUEUE.lock() {
        queue.push(Notice { level, text });
    }
}

/// Queues a note.
pub fn note(text: String) {
    push(Level::Note, text);
}

/// Queues a warning.
pub fn warn(text: String) {
    push(Level::Warning, text);
}

/// Takes the notices queued so far, for the renderer.
pub fn take() -> Vec<Notice> {
    QUEUE
        .lock()
        .map(|mut queue| std::mem::take(&mut *queue))
        .unwrap_or_default()
}
