//! Checks that stored Automerge bytes are whole: a sequence of complete chunks, each with the
//! magic bytes, a known chunk type, a length that fits in what is stored, and, for uncompressed
//! chunks, a valid checksum. Automerge's incremental load skips what it cannot read with a mere
//! log line; Ardoise needs to know, to report the board as damaged and leave its bytes alone.
//!
//! Chunk layout (Automerge binary format): magic `85 6f 4a 83`, 4 checksum bytes (the first bytes
//! of the SHA-256 of type, length and data), 1 type byte, the data length as unsigned LEB128, the
//! data.

use automerge::ChangeHash;
use sha2::{Digest, Sha256};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// Chunk types: document, change, compressed change, bundle.
const LAST_CHUNK_TYPE: u8 = 3;
/// An uncompressed change chunk: its SHA-256 is the change's hash.
const CHANGE: u8 = 1;
/// A compressed change's checksum is that of its uncompressed data: not checked here.
const COMPRESSED_CHANGE: u8 = 2;
/// Longest LEB128 encoding of a `u64`.
const MAX_LEB128_BYTES: usize = 10;

/// What is wrong with stored bytes, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    #[error("no Automerge chunk starts at byte {0}")]
    BadMagic(usize),
    #[error("unknown chunk type {kind} at byte {offset}")]
    UnknownType { offset: usize, kind: u8 },
    #[error("the chunk at byte {0} is cut short")]
    Truncated(usize),
    #[error("the chunk at byte {0} does not match its checksum")]
    Checksum(usize),
}

/// What a check found in whole bytes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Chunks {
    pub count: usize,
    /// Hashes of the uncompressed change chunks: a document that loaded these bytes must hold
    /// every one of them.
    pub changes: Vec<ChangeHash>,
}

/// Checks every chunk of `bytes`.
pub fn check(bytes: &[u8]) -> Result<Chunks, Damage> {
    let mut offset = 0;
    let mut chunks = Chunks::default();
    while offset < bytes.len() {
        let (next, hash) = check_chunk(bytes, offset)?;
        offset = next;
        chunks.count += 1;
        chunks.changes.extend(hash);
    }
    Ok(chunks)
}

/// Checks the chunk at `start`; returns where the next one starts, and the change's hash if it
/// is an uncompressed change.
fn check_chunk(bytes: &[u8], start: usize) -> Result<(usize, Option<ChangeHash>), Damage> {
    let rest = &bytes[start..];
    if rest.len() < 9 {
        return Err(if rest.starts_with(&MAGIC[..rest.len().min(4)]) {
            Damage::Truncated(start)
        } else {
            Damage::BadMagic(start)
        });
    }
    if rest[..4] != MAGIC {
        return Err(Damage::BadMagic(start));
    }
    let kind = rest[8];
    if kind > LAST_CHUNK_TYPE {
        return Err(Damage::UnknownType {
            offset: start,
            kind,
        });
    }
    let (length, length_bytes) = leb128(&rest[9..]).ok_or(Damage::Truncated(start))?;
    let data_start = 9 + length_bytes;
    let data_end = usize::try_from(length)
        .ok()
        .and_then(|length| data_start.checked_add(length))
        .filter(|end| *end <= rest.len())
        .ok_or(Damage::Truncated(start))?;
    let mut hash = None;
    if kind != COMPRESSED_CHANGE {
        let digest: [u8; 32] = Sha256::new()
            .chain_update(&rest[8..data_start])
            .chain_update(&rest[data_start..data_end])
            .finalize()
            .into();
        if digest[..4] != rest[4..8] {
            return Err(Damage::Checksum(start));
        }
        if kind == CHANGE {
            hash = Some(ChangeHash(digest));
        }
    }
    Ok((start + data_end, hash))
}

/// An unsigned LEB128 number and the bytes it took; `None` if cut short or too long.
fn leb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (index, byte) in bytes.iter().take(MAX_LEB128_BYTES).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::{Board, Colour, NewNote};

    fn board_bytes() -> (Vec<u8>, Vec<u8>) {
        let mut board = Board::new("Intégrité").unwrap();
        let snapshot = board.save();
        board
            .add_note(NewNote {
                text: "un post-it".into(),
                x: 1.0,
                y: 2.0,
                colour: Colour::Green,
                author: None,
                created_at: 3,
            })
            .unwrap();
        let change = board.save_incremental();
        (snapshot, change)
    }

    #[test]
    fn whole_documents_and_changes_pass() {
        let (snapshot, change) = board_bytes();
        assert_eq!(check(&snapshot).unwrap().count, 1);
        let changes = check(&change).unwrap().changes;
        assert_eq!(changes.len(), 1);
        // The hash computed here is Automerge's own hash of the change.
        let mut board = Board::load(&[snapshot.clone(), change.clone()].concat()).unwrap();
        assert!(
            board.missing_deps(&changes).is_empty(),
            "the change is in the document"
        );
        let both = [snapshot, change].concat();
        assert!(check(&both).unwrap().count >= 2);
        assert_eq!(check(&[]), Ok(Chunks::default()));
    }

    #[test]
    fn truncated_corrupted_or_foreign_bytes_are_reported() {
        let (snapshot, change) = board_bytes();
        for cut in [1, 5, 9, change.len() / 2, change.len() - 1] {
            assert_eq!(
                check(&change[..cut]),
                Err(Damage::Truncated(0)),
                "cut at {cut}"
            );
        }
        let mut flipped = snapshot.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x01;
        assert_eq!(check(&flipped), Err(Damage::Checksum(0)));
        assert_eq!(check(b"not automerge at all"), Err(Damage::BadMagic(0)));
        let damaged_tail = [snapshot.clone(), change[..change.len() - 3].to_vec()].concat();
        assert_eq!(check(&damaged_tail), Err(Damage::Truncated(snapshot.len())));
    }
}
