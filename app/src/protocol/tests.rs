//! Tests of the codec: every message kind round trips, and hostile or malformed input is refused
//! with a clear error.

use ciborium::Value;

use super::*;
use crate::ids::{BoardId, PeerId};

fn peer(name: &str) -> PeerId {
    PeerId::parse(name).unwrap()
}

fn all_kinds() -> Vec<Message> {
    let doc = BoardId::random();
    vec![
        Message::Join {
            sender_id: peer("alice"),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: true,
            },
        },
        Message::Peer {
            sender_id: peer("server"),
            target_id: peer("alice"),
            selected_protocol_version: "1".into(),
            peer_metadata: PeerMetadata {
                storage_id: Some("store-1".into()),
                is_ephemeral: false,
            },
        },
        Message::Leave {
            sender_id: peer("alice"),
        },
        Message::Error {
            message: "nope".into(),
        },
        Message::Request {
            sender_id: peer("alice"),
            target_id: peer("server"),
            document_id: doc.clone(),
            data: vec![1, 2, 3],
        },
        Message::Sync {
            sender_id: peer("server"),
            target_id: peer("alice"),
            document_id: doc.clone(),
            data: vec![0; 300],
        },
        Message::DocUnavailable {
            sender_id: peer("server"),
            target_id: peer("alice"),
            document_id: doc.clone(),
        },
        Message::Ephemeral {
            sender_id: peer("alice"),
            target_id: peer("bob"),
            count: 7,
            session_id: "s1".into(),
            document_id: doc,
            data: vec![9],
        },
    ]
}

#[test]
fn every_message_kind_round_trips() {
    for message in all_kinds() {
        assert_eq!(
            Message::decode(&message.encode()),
            Ok(message.clone()),
            "{}",
            message.kind()
        );
    }
}

fn cbor(value: Value) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::into_writer(&value, &mut bytes).unwrap();
    bytes
}

fn map(entries: Vec<(&str, Value)>) -> Vec<u8> {
    cbor(Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (Value::Text(k.into()), v))
            .collect(),
    ))
}

#[test]
fn field_names_on_the_wire_are_automerge_repo_s() {
    let bytes = all_kinds()[1].encode();
    let value: Value = ciborium::from_reader(bytes.as_slice()).unwrap();
    let keys: Vec<String> = match value {
        Value::Map(entries) => entries
            .into_iter()
            .filter_map(|(k, _)| k.as_text().map(str::to_owned))
            .collect(),
        _ => panic!("not a map"),
    };
    assert_eq!(
        keys,
        [
            "type",
            "senderId",
            "targetId",
            "selectedProtocolVersion",
            "peerMetadata"
        ]
    );
}

#[test]
fn byte_strings_tagged_as_typed_arrays_are_accepted() {
    let doc = BoardId::random();
    let bytes = map(vec![
        ("type", Value::Text("sync".into())),
        ("senderId", Value::Text("a".into())),
        ("targetId", Value::Text("b".into())),
        ("documentId", Value::Text(doc.as_str().into())),
        ("data", Value::Tag(64, Box::new(Value::Bytes(vec![4, 5])))),
    ]);
    let Message::Sync { data, .. } = Message::decode(&bytes).unwrap() else {
        panic!("not a sync message");
    };
    assert_eq!(data, vec![4, 5]);
}

#[test]
fn malformed_input_is_refused_with_a_reason() {
    assert_eq!(
        Message::decode(&[0xff, 0x00, 0x13]),
        Err(DecodeError::NotCbor)
    );
    assert_eq!(Message::decode(&[]), Err(DecodeError::NotCbor));
    assert_eq!(
        Message::decode(&cbor(Value::Integer(3.into()))),
        Err(DecodeError::NotAMap)
    );
    assert_eq!(
        Message::decode(&map(vec![("senderId", Value::Text("a".into()))])),
        Err(DecodeError::Missing("type"))
    );
    assert_eq!(
        Message::decode(&map(vec![
            ("type", Value::Text("join".into())),
            ("senderId", Value::Integer(1.into())),
        ])),
        Err(DecodeError::WrongType("senderId"))
    );
    assert_eq!(
        Message::decode(&map(vec![
            ("type", Value::Text("request".into())),
            ("senderId", Value::Text("a".into())),
            ("targetId", Value::Text("b".into())),
            ("documentId", Value::Text("../../etc/passwd".into())),
            ("data", Value::Bytes(vec![])),
        ])),
        Err(DecodeError::BadId("documentId"))
    );
    assert_eq!(
        Message::decode(&map(vec![
            ("type", Value::Text("join".into())),
            ("senderId", Value::Text("a b".into())),
        ])),
        Err(DecodeError::BadId("senderId"))
    );
    // A truncated valid message.
    let whole = all_kinds()[4].encode();
    assert_eq!(
        Message::decode(&whole[..whole.len() - 2]),
        Err(DecodeError::NotCbor)
    );
}

#[test]
fn unknown_message_types_are_accepted_and_named() {
    let bytes = map(vec![("type", Value::Text("remote-heads-changed".into()))]);
    assert_eq!(
        Message::decode(&bytes),
        Ok(Message::Other {
            kind: "remote-heads-changed".into()
        })
    );
}
