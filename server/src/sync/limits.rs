//! The sync side's limits and delays, named once.

use std::time::Duration;

pub use app::protocol::MAX_MESSAGE_BYTES;
/// Messages queued for one peer before it is considered too slow and disconnected (it resyncs
/// when it reconnects).
pub const PEER_QUEUE_CAPACITY: usize = 1024;
/// Bytes read from a websocket at a time (tungstenite zeroes this much before each read; its
/// default of 128 KiB made zeroing the main cost of reading the small messages peers send).
/// Larger messages are read in several steps.
pub const SOCKET_READ_BUFFER_BYTES: usize = 8 * 1024;
/// Events queued for one board before connections wait for it.
pub const BOARD_QUEUE_CAPACITY: usize = 1024;
/// Boards one connection may have open at once.
pub const MAX_BOARDS_PER_CONNECTION: usize = 32;
/// Wait before listening again for other servers' changes after the connection failed.
pub const FEED_RETRY_DELAY: Duration = Duration::from_secs(1);
/// Wait before retrying a failed write to the database.
pub const STORAGE_RETRY_DELAY: Duration = Duration::from_secs(1);
/// Events from the peers applied together and written in one transaction (group commit), at
/// most: the ones that queued up while the previous write was in progress.
pub const MAX_EVENTS_PER_COMMIT: usize = 256;
/// The change log is folded into the snapshot once it is larger than the snapshot and this size.
pub const MIN_COMPACTION_BYTES: usize = 64 * 1024;
