//! The model's limits, named once, and the clamps that keep what any client wrote within them.

/// Longest board title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest post-it text, in characters.
pub const MAX_NOTE_TEXT_CHARS: usize = 5_000;
/// Longest column heading, in characters.
pub const MAX_HEADING_CHARS: usize = 100;
/// Longest instructions of a board's script, in characters.
pub const MAX_INSTRUCTIONS_CHARS: usize = 1_000;
/// Longest template id kept in a board's settings.
pub const MAX_TEMPLATE_ID_CHARS: usize = 64;
/// Longest countdown: a day, in milliseconds.
pub const MAX_TIMER_MS: i64 = 24 * 60 * 60 * 1000;
/// Longest owner of an action, in characters.
pub const MAX_OWNER_CHARS: usize = 80;
/// Most votes one person may have in a voting session.
pub const MAX_VOTES_PER_PERSON: i64 = 50;
/// What the countdown's "+1 min" adds, in milliseconds.
pub const TIMER_STEP_MS: i64 = 60 * 1000;
/// Post-its are kept within `[-BOARD_EXTENT, BOARD_EXTENT]` on both axes.
pub const BOARD_EXTENT: f64 = 100_000.0;
/// Width and height of a new post-it on the canvas, in board units (CSS pixels at zoom 1).
pub const NOTE_SIZE: f64 = 160.0;
/// Smallest side of a resized post-it.
pub const MIN_NOTE_SIZE: f64 = 100.0;
/// Largest side of a resized post-it.
pub const MAX_NOTE_SIZE: f64 = 800.0;
/// Default of the server's `--max-notes`: most post-its on a board (a big workshop wall holds a
/// few hundred).
pub const MAX_NOTES: usize = 2_000;
/// Most columns on a board (scrumblr allows 8).
pub const MAX_COLUMNS: usize = 12;
/// Width of a column, in board units.
pub const COLUMN_WIDTH: f64 = 320.0;
/// The height of an empty column; columns grow with the post-its in them.
pub const COLUMN_MIN_HEIGHT: f64 = 800.0;
/// Stacking orders are kept within `[-MAX_Z, MAX_Z]` (a client could write anything).
pub const MAX_Z: i64 = 1_000_000;
/// Most dots of one colour on a post-it.
pub const MAX_DOTS: i64 = 99;

/// A post-it side within [`MIN_NOTE_SIZE`, `MAX_NOTE_SIZE`] (NaN becomes [`NOTE_SIZE`]).
pub fn clamp_size(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(MIN_NOTE_SIZE, MAX_NOTE_SIZE)
    } else {
        NOTE_SIZE
    }
}

pub(super) fn finite(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

/// Keeps at most `max` characters.
pub(super) fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// A finite coordinate within the board's extent (NaN becomes 0).
pub fn clamp_coordinate(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(-BOARD_EXTENT, BOARD_EXTENT)
    } else {
        0.0
    }
}
