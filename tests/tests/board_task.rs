//! A board task driven through its mailbox, in this process: no binary, no socket. Peers are
//! sans-IO sessions whose outboxes the test reads; where a test needs minutes to pass, it
//! advances tokio's clock instead of waiting.

use std::{sync::Arc, time::Duration};

use app::{
    access::Role,
    ids::{BoardId, PeerId},
    model::{Board, NewNote},
    protocol::{Message, PeerMetadata, PROTOCOL_VERSION},
    session::Session,
};
use ardoise_server::{
    storage::Storage,
    sync::{
        board::{self, BoardContext},
        cluster::Cluster,
        directory::Directory,
        mailbox::{BoardEvent, BoardSender, PeerLink},
    },
};
use ardoise_tests::{stored_board, Db, TestDatabase, WAIT_LIMIT};
use axum::body::Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// A board's task on a real SQLite file, and what the test needs to drive it.
struct OpenBoard {
    id: BoardId,
    storage: Storage,
    boards: Directory,
    server: PeerId,
    /// The next peer's connection id.
    connections: std::sync::atomic::AtomicU64,
    _database: TestDatabase,
}

impl OpenBoard {
    async fn start(idle_unload: Duration) -> OpenBoard {
        let database = TestDatabase::new(Db::Sqlite);
        let storage = Storage::connect(&database.url).await.unwrap();
        let (id, _) = stored_board(&storage, "Atelier").await;
        let server = PeerId::random();
        let cx = Arc::new(BoardContext {
            storage: storage.clone(),
            metrics: Arc::default(),
            cluster: Cluster::local(),
            server_peer: server.clone(),
            idle_unload,
            limits: Default::default(),
        });
        let boards = Directory::default();
        let (mailbox, events) = mpsc::channel(64);
        boards.insert_or_get(&id, mailbox);
        let loaded = storage.load_document(&id).await.unwrap().unwrap();
        board::spawn(cx, boards.slot(&id), id.clone(), loaded, events);
        OpenBoard {
            id,
            storage,
            boards,
            server,
            connections: Default::default(),
            _database: database,
        }
    }

    /// A peer that joined, with an outbox of `capacity` messages.
    async fn join(&self, capacity: usize) -> TestPeer {
        let (outbox, queued) = mpsc::channel(capacity);
        let kick = CancellationToken::new();
        let mut session = Session::new(PeerId::random(), self.id.clone(), Board::empty());
        session.connected();
        // The connection's answer to `join`.
        let answer = Message::Peer {
            sender_id: self.server.clone(),
            target_id: session.peer_id().clone(),
            selected_protocol_version: PROTOCOL_VERSION.into(),
            peer_metadata: PeerMetadata::default(),
        };
        let first = session.receive(answer).unwrap().outgoing;
        let connection = self
            .connections
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let link = PeerLink {
            connection,
            outbox,
            kick: kick.clone(),
        };
        let peer = session.peer_id().clone();
        let mailbox = self.mailbox();
        let join = BoardEvent::Join {
            peer,
            link,
            role: Role::Participant,
            key: None,
        };
        mailbox.send(join).await.unwrap();
        let mut peer = TestPeer {
            session,
            connection,
            queued,
            kick,
            mailbox,
        };
        peer.send(first).await;
        peer
    }

    /// The task's mailbox, as a connection holds it while it has the board open: a board is
    /// unloaded only once nobody holds one.
    fn mailbox(&self) -> BoardSender {
        self.boards.get(&self.id).expect("the board is open")
    }

    /// Waits until the task has left the directory (it unloaded the board).
    async fn wait_until_unloaded(&self) {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while self.boards.contains(&self.id) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the board stayed open"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A peer as the board task sees it: a session, and the outbox its connection would write out.
struct TestPeer {
    session: Session,
    connection: u64,
    queued: mpsc::Receiver<Bytes>,
    kick: CancellationToken,
    mailbox: BoardSender,
}

impl TestPeer {
    async fn send(&mut self, messages: Vec<Message>) {
        for message in messages {
            let (Message::Sync { data, .. } | Message::Request { data, .. }) = message else {
                continue;
            };
            let peer = self.session.peer_id().clone();
            self.mailbox
                .send(BoardEvent::Sync { peer, data })
                .await
                .unwrap();
        }
    }

    /// Handles the next message the task sends.
    async fn receive_one(&mut self) {
        let frame = tokio::time::timeout(WAIT_LIMIT, self.queued.recv())
            .await
            .expect("the task answers")
            .expect("the task holds the outbox");
        let message = Message::decode(&frame).unwrap();
        let replies = self.session.receive(message).unwrap().outgoing;
        self.send(replies).await;
    }

    /// Handles what the task sends until the board satisfies `condition`.
    async fn wait_until(&mut self, what: &str, condition: impl Fn(&Board) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while !condition(self.session.board()) {
            let frame = tokio::time::timeout_at(deadline, self.queued.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting until {what}"))
                .expect("the task holds the outbox");
            let message = Message::decode(&frame).unwrap();
            let replies = self.session.receive(message).unwrap().outgoing;
            self.send(replies).await;
        }
    }

    async fn edit<R>(&mut self, edit: impl FnOnce(&mut Board) -> R) -> R {
        let (result, outgoing) = self.session.edit(edit);
        self.send(outgoing).await;
        result
    }
}

#[tokio::test]
async fn a_change_is_stored_then_relayed_and_an_idle_board_unloads_compacted() {
    let idle = Duration::from_secs(3600);
    let open = OpenBoard::start(idle).await;
    let mut alice = open.join(64).await;
    let mut bob = open.join(64).await;
    alice
        .wait_until("alice has the board", Board::is_initialised)
        .await;
    bob.wait_until("bob has the board", Board::is_initialised)
        .await;

    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("durable")).unwrap())
        .await;
    bob.wait_until("bob sees alice's post-it", |b| b.view().note(&id).is_some())
        .await;
    // Relayed means stored: the log already holds it.
    let stored = open.storage.load_document(&open.id).await.unwrap().unwrap();
    assert!(stored.board.view().note(&id).is_some());
    assert!(
        !stored.stored.changes.is_empty(),
        "in the log, not compacted yet"
    );

    for peer in [&alice, &bob] {
        let leave = BoardEvent::Leave {
            peer: peer.session.peer_id().clone(),
            connection: peer.connection,
        };
        open.mailbox().send(leave).await.unwrap();
    }
    drop((alice, bob));
    // Nobody there, but the board stays open until the idle time has passed: an hour, which
    // the clock skips.
    tokio::time::pause();
    tokio::time::advance(idle / 2).await;
    tokio::time::resume();
    assert!(
        open.boards.contains(&open.id),
        "unloaded before its idle time"
    );
    tokio::time::pause();
    tokio::time::advance(idle).await;
    tokio::time::resume();
    open.wait_until_unloaded().await;

    let stored = open.storage.load_document(&open.id).await.unwrap().unwrap();
    assert!(stored.stored.changes.is_empty(), "compacted when unloaded");
    assert_eq!(stored.board.view().note(&id).unwrap().text, "durable");
}

#[tokio::test]
async fn a_peer_that_does_not_read_is_dropped_and_the_others_go_on() {
    let open = OpenBoard::start(Duration::from_secs(60)).await;
    let mut alice = open.join(64).await;
    alice
        .wait_until("alice has the board", Board::is_initialised)
        .await;
    // Bob's connection never writes his messages out: his queue holds one.
    let slow = open.join(1).await;
    for i in 0..5 {
        alice
            .edit(|b| {
                b.add_note(NewNote::with_text(&format!("idée {i}")))
                    .unwrap()
            })
            .await;
        // The server's answer: the post-it is stored (and relayed) before the next one.
        alice.receive_one().await;
    }
    tokio::time::timeout(WAIT_LIMIT, slow.kick.cancelled())
        .await
        .expect("the slow peer's connection is closed");
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("après")).unwrap())
        .await;
    let mut carol = open.join(64).await;
    carol
        .wait_until("a newcomer gets everything", |b| {
            b.view().note(&id).is_some()
        })
        .await;
    assert_eq!(carol.session.board().view().notes.len(), 6);
}
