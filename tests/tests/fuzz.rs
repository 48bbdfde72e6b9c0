//! Fuzzing what reads bytes from the network: the protocol's codec, Ardoise's ephemeral payloads,
//! Automerge sync messages applied to a board and the check of which reserved part of the board a
//! change writes in, then the same bytes sent by a hand-made client to a real server. Valid
//! messages are mutated (bits flipped, bytes inserted, removed or overwritten, cut short, spliced)
//! by a seeded generator, so that a failure can be replayed.
//!
//! CI runs a bounded number of cases; run it longer with, for instance:
//! `ARDOISE_FUZZ_CASES=1000000 ARDOISE_FUZZ_SEED=7 cargo test --release -p ardoise-tests --test fuzz`

use app::{
    ephemeral::{Ephemeral, Presence},
    ids::{BoardId, NoteId, PeerId},
    model::{Board, NewNote},
    protocol::Message,
};
use ardoise_tests::{RawSocket, Serves, SyncClient, TestApp};
use automerge::{sync, transaction::Transactable, ObjType, ROOT};

/// Cases per target in CI (a few seconds in a release build).
const DEFAULT_CASES: u64 = 100_000;
/// Frames sent to the real server in CI.
const DEFAULT_SERVER_CASES: u64 = 1_000;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A mutation of one of `seeds` (sometimes of two spliced together).
    fn mutate(&mut self, seeds: &[Vec<u8>]) -> Vec<u8> {
        let mut bytes = seeds[self.below(seeds.len())].clone();
        for _ in 0..=self.below(4) {
            let at = self.below(bytes.len() + 1);
            let last = bytes.len().saturating_sub(1);
            match self.below(6) {
                0 if !bytes.is_empty() => bytes[at.min(last)] ^= 1 << self.below(8),
                1 => bytes.insert(at, self.next() as u8),
                2 if at < bytes.len() => {
                    bytes.remove(at);
                }
                3 if !bytes.is_empty() => bytes[at.min(last)] = self.next() as u8,
                4 => bytes.truncate(at),
                _ => {
                    let other = &seeds[self.below(seeds.len())];
                    let from = self.below(other.len() + 1);
                    bytes.truncate(at);
                    bytes.extend_from_slice(&other[from..]);
                }
            }
        }
        bytes
    }
}

fn seed() -> u64 {
    setting("ARDOISE_FUZZ_SEED", 0x00A2_D015_E000_0001).max(1)
}

/// A board with a post-it, and the sync messages that bring it, and a change of it, to a peer:
/// the valid inputs the mutations start from.
fn sync_seeds() -> (Board, Vec<Vec<u8>>) {
    let mut board = Board::new("Graines").unwrap();
    board
        .add_note(NewNote::with_text("un post-it").at(1.0, 2.0))
        .unwrap();
    let mut seeds = Vec::new();
    let mut state = sync::State::new();
    let mut peer = Board::empty();
    let mut peer_state = sync::State::new();
    for _ in 0..4 {
        if let Some(message) = board.generate_sync_message(&mut state) {
            seeds.push(message.clone().encode());
            peer.receive_sync_message(&mut peer_state, message).unwrap();
        }
        if let Some(message) = peer.generate_sync_message(&mut peer_state) {
            seeds.push(message.clone().encode());
            board.receive_sync_message(&mut state, message).unwrap();
        }
    }
    // A change that writes the facilitator's settings, as a hand-made client would send it.
    let heads = peer.heads();
    let mut raw = automerge::AutoCommit::load(&peer.save()).unwrap();
    let settings = raw.put_object(ROOT, "settings", ObjType::Map).unwrap();
    raw.put(&settings, "phase", "vote").unwrap();
    seeds.push(
        sync::Message {
            heads: raw.get_heads(),
            need: Vec::new(),
            have: Vec::new(),
            changes: raw.save_after(&heads).into(),
            flags: None,
            version: sync::MessageVersion::V1,
        }
        .encode(),
    );
    (board, seeds)
}

fn protocol_seeds(sync_data: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let (peer, board) = (PeerId::random(), BoardId::random());
    let presence = Presence {
        name: "Alice".into(),
        colour: "#d32f2f".into(),
        cursor: Some((1.0, 2.0)),
        editing: Some(NoteId::random()),
        dragging: None,
        view: Some(app::ephemeral::View {
            x: 10.0,
            y: -4.0,
            zoom: 0.8,
        }),
        summon: 3,
    };
    let mut seeds = vec![
        Message::Join {
            sender_id: peer.clone(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: Default::default(),
        }
        .encode(),
        Message::Ephemeral {
            sender_id: peer.clone(),
            target_id: peer.clone(),
            count: 3,
            session_id: "s".into(),
            document_id: board.clone(),
            data: presence.encode(),
        }
        .encode(),
        Message::Leave {
            sender_id: peer.clone(),
        }
        .encode(),
    ];
    for data in sync_data {
        seeds.push(
            Message::Sync {
                sender_id: peer.clone(),
                target_id: peer.clone(),
                document_id: board.clone(),
                data: data.clone(),
            }
            .encode(),
        );
    }
    seeds
}

#[test]
fn the_codec_ephemeral_payloads_sync_messages_and_the_settings_check_take_any_bytes() {
    let cases = setting("ARDOISE_FUZZ_CASES", DEFAULT_CASES);
    let mut rng = Rng(seed());
    let (board, sync_data) = sync_seeds();
    let frames = protocol_seeds(&sync_data);
    let presence = Presence {
        name: "Bob".into(),
        colour: "#1976d2".into(),
        cursor: None,
        editing: None,
        dragging: None,
        view: Some(app::ephemeral::View {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }),
        summon: 1,
    }
    .encode();
    let payloads = vec![presence, Ephemeral::Storage { saved: true }.encode()];
    let mut applied = 0;
    for _ in 0..cases {
        let frame = rng.mutate(&frames);
        if let Ok(message) = Message::decode(&frame) {
            // What decodes encodes again, and reads back the same.
            assert_eq!(Message::decode(&message.encode()).ok(), Some(message));
        }
        let _ = Ephemeral::decode(&rng.mutate(&payloads));
        let data = rng.mutate(&sync_data);
        if let Ok(message) = sync::Message::decode(&data) {
            let mut copy = board.clone();
            let before = copy.heads();
            if copy
                .receive_sync_message(&mut sync::State::new(), message)
                .is_ok()
            {
                applied += 1;
                let _ = copy.written_since(&before);
                let _ = copy.view();
                copy.revert_to(&before).unwrap();
                assert_eq!(copy.heads(), before);
            }
        }
    }
    assert!(applied > 0, "some mutated sync messages still apply");
}

#[tokio::test]
async fn a_server_fed_mutated_frames_keeps_serving_its_board() {
    let cases = setting("ARDOISE_FUZZ_SERVER_CASES", DEFAULT_SERVER_CASES);
    let mut rng = Rng(seed() ^ 0x5eed);
    let server = TestApp::start().await;
    let board = server.create_board("Sous le feu").await;
    let mut watcher = SyncClient::open(&server, &board).await;
    let (_, sync_data) = sync_seeds();
    let mut socket = RawSocket::connect(&server).await;
    let mut peer = PeerId::random();
    let server_peer = socket.join(&peer).await;
    for case in 0..cases {
        // Valid envelopes around mutated sync data, or mutated envelopes.
        let frame = if case % 2 == 0 {
            Message::Sync {
                sender_id: peer.clone(),
                target_id: server_peer.clone(),
                document_id: board.clone(),
                data: rng.mutate(&sync_data),
            }
            .encode()
        } else {
            let envelopes = protocol_seeds(&sync_data);
            rng.mutate(&envelopes)
        };
        // Then leave, and read until the server has closed: a frame it refused closed the
        // connection already.
        let leave = Message::Leave {
            sender_id: peer.clone(),
        };
        if socket.try_send_bytes(frame).await {
            socket.try_send_bytes(leave.encode()).await;
        }
        let _ = socket.until_closed().await;
        socket = RawSocket::connect(&server).await;
        peer = PeerId::random();
        socket.join(&peer).await;
    }
    // The board is still served, to the client that watched it all along and to a new one.
    let note = watcher
        .edit(|b| b.add_note(NewNote::with_text("toujours debout").at(0.0, 0.0)))
        .await;
    SyncClient::open(&server, &board)
        .await
        .wait_until("a new client sees the board", |v| v.note(&note).is_some())
        .await;
}
