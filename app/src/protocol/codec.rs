//! CBOR encoding of [`Message`], written against `ciborium::Value` so that every field is checked
//! by hand and every refusal says what was wrong.

use ciborium::Value;

use super::message::{Message, PeerMetadata};
use crate::ids::{BoardId, PeerId};

/// Why bytes from the network are not a valid message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("message is not valid CBOR")]
    NotCbor,
    #[error("message is not a CBOR map")]
    NotAMap,
    #[error("message has no `{0}` field")]
    Missing(&'static str),
    #[error("field `{0}` has the wrong type")]
    WrongType(&'static str),
    #[error("field `{0}` is not a valid id")]
    BadId(&'static str),
}

impl Message {
    /// The CBOR bytes of this message.
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    /// Parses and validates one message.
    pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
        decode(bytes)
    }
}

fn encode(message: &Message) -> Vec<u8> {
    let mut fields: Vec<(&str, Value)> = vec![("type", text(message.kind()))];
    match message {
        Message::Join {
            sender_id,
            supported_protocol_versions,
            peer_metadata,
        } => {
            fields.push(("senderId", text(sender_id.as_str())));
            let versions = supported_protocol_versions
                .iter()
                .map(|v| text(v))
                .collect();
            fields.push(("supportedProtocolVersions", Value::Array(versions)));
            fields.push(("peerMetadata", metadata(peer_metadata)));
        }
        Message::Peer {
            sender_id,
            target_id,
            selected_protocol_version,
            peer_metadata,
        } => {
            fields.push(("senderId", text(sender_id.as_str())));
            fields.push(("targetId", text(target_id.as_str())));
            fields.push(("selectedProtocolVersion", text(selected_protocol_version)));
            fields.push(("peerMetadata", metadata(peer_metadata)));
        }
        Message::Leave { sender_id } => fields.push(("senderId", text(sender_id.as_str()))),
        Message::Error { message } => fields.push(("message", text(message))),
        Message::Request {
            sender_id,
            target_id,
            document_id,
            data,
        }
        | Message::Sync {
            sender_id,
            target_id,
            document_id,
            data,
        } => {
            fields.push(("senderId", text(sender_id.as_str())));
            fields.push(("targetId", text(target_id.as_str())));
            fields.push(("documentId", text(document_id.as_str())));
            fields.push(("data", Value::Bytes(data.clone())));
        }
        Message::DocUnavailable {
            sender_id,
            target_id,
            document_id,
        } => {
            fields.push(("senderId", text(sender_id.as_str())));
            fields.push(("targetId", text(target_id.as_str())));
            fields.push(("documentId", text(document_id.as_str())));
        }
        Message::Ephemeral {
            sender_id,
            target_id,
            count,
            session_id,
            document_id,
            data,
        } => {
            fields.push(("senderId", text(sender_id.as_str())));
            fields.push(("targetId", text(target_id.as_str())));
            fields.push(("count", Value::Integer((*count).into())));
            fields.push(("sessionId", text(session_id)));
            fields.push(("documentId", text(document_id.as_str())));
            fields.push(("data", Value::Bytes(data.clone())));
        }
        Message::Other { .. } => {}
    }
    let map = Value::Map(fields.into_iter().map(|(k, v)| (text(k), v)).collect());
    let mut bytes = Vec::new();
    ciborium::into_writer(&map, &mut bytes).expect("writing CBOR to a Vec cannot fail");
    bytes
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn metadata(meta: &PeerMetadata) -> Value {
    let mut fields = vec![(text("isEphemeral"), Value::Bool(meta.is_ephemeral))];
    if let Some(storage_id) = &meta.storage_id {
        fields.push((text("storageId"), text(storage_id)));
    }
    Value::Map(fields)
}

fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
    let value: Value = ciborium::from_reader(bytes).map_err(|_| DecodeError::NotCbor)?;
    let Value::Map(entries) = value else {
        return Err(DecodeError::NotAMap);
    };
    let fields = Fields(entries);
    let message = match fields.text("type")? {
        "join" => Message::Join {
            sender_id: fields.peer("senderId")?,
            supported_protocol_versions: fields.versions()?,
            peer_metadata: fields.metadata()?,
        },
        "peer" => Message::Peer {
            sender_id: fields.peer("senderId")?,
            target_id: fields.peer("targetId")?,
            selected_protocol_version: fields.text("selectedProtocolVersion")?.to_owned(),
            peer_metadata: fields.metadata()?,
        },
        "leave" => Message::Leave {
            sender_id: fields.peer("senderId")?,
        },
        "error" => Message::Error {
            message: fields.text("message")?.to_owned(),
        },
        "request" => Message::Request {
            sender_id: fields.peer("senderId")?,
            target_id: fields.peer("targetId")?,
            document_id: fields.document("documentId")?,
            data: fields.bytes("data")?,
        },
        "sync" => Message::Sync {
            sender_id: fields.peer("senderId")?,
            target_id: fields.peer("targetId")?,
            document_id: fields.document("documentId")?,
            data: fields.bytes("data")?,
        },
        "doc-unavailable" => Message::DocUnavailable {
            sender_id: fields.peer("senderId")?,
            target_id: fields.peer("targetId")?,
            document_id: fields.document("documentId")?,
        },
        "ephemeral" => Message::Ephemeral {
            sender_id: fields.peer("senderId")?,
            target_id: fields.peer("targetId")?,
            count: fields.unsigned("count")?,
            session_id: fields.text("sessionId")?.to_owned(),
            document_id: fields.document("documentId")?,
            data: fields.bytes("data")?,
        },
        other => Message::Other {
            kind: other.chars().take(64).collect(),
        },
    };
    Ok(message)
}

/// The entries of a message map, with typed lookups.
struct Fields(Vec<(Value, Value)>);

impl Fields {
    fn get(&self, name: &'static str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == name))
            .map(|(_, v)| untag(v))
    }

    fn require(&self, name: &'static str) -> Result<&Value, DecodeError> {
        self.get(name).ok_or(DecodeError::Missing(name))
    }

    fn text(&self, name: &'static str) -> Result<&str, DecodeError> {
        match self.require(name)? {
            Value::Text(t) => Ok(t),
            _ => Err(DecodeError::WrongType(name)),
        }
    }

    fn bytes(&self, name: &'static str) -> Result<Vec<u8>, DecodeError> {
        match self.require(name)? {
            Value::Bytes(b) => Ok(b.clone()),
            _ => Err(DecodeError::WrongType(name)),
        }
    }

    fn unsigned(&self, name: &'static str) -> Result<u64, DecodeError> {
        match self.require(name)? {
            Value::Integer(i) => u64::try_from(*i).map_err(|_| DecodeError::WrongType(name)),
            _ => Err(DecodeError::WrongType(name)),
        }
    }

    fn peer(&self, name: &'static str) -> Result<PeerId, DecodeError> {
        PeerId::parse(self.text(name)?).map_err(|_| DecodeError::BadId(name))
    }

    fn document(&self, name: &'static str) -> Result<BoardId, DecodeError> {
        BoardId::parse(self.text(name)?).map_err(|_| DecodeError::BadId(name))
    }

    fn versions(&self) -> Result<Vec<String>, DecodeError> {
        const NAME: &str = "supportedProtocolVersions";
        match self.require(NAME)? {
            Value::Array(items) => items
                .iter()
                .map(|v| match v {
                    Value::Text(t) => Ok(t.clone()),
                    _ => Err(DecodeError::WrongType(NAME)),
                })
                .collect(),
            _ => Err(DecodeError::WrongType(NAME)),
        }
    }

    /// `peerMetadata` is optional: older clients do not send it.
    fn metadata(&self) -> Result<PeerMetadata, DecodeError> {
        const NAME: &str = "peerMetadata";
        match self.get(NAME) {
            None | Some(Value::Null) => Ok(PeerMetadata::default()),
            Some(Value::Map(entries)) => {
                let meta = Fields(entries.clone());
                Ok(PeerMetadata {
                    storage_id: match meta.get("storageId") {
                        Some(Value::Text(t)) => Some(t.clone()),
                        _ => None,
                    },
                    is_ephemeral: matches!(meta.get("isEphemeral"), Some(Value::Bool(true))),
                })
            }
            Some(_) => Err(DecodeError::WrongType(NAME)),
        }
    }
}

/// JavaScript CBOR encoders may tag byte strings as typed arrays; the tag carries no meaning here.
fn untag(value: &Value) -> &Value {
    match value {
        Value::Tag(_, inner) => untag(inner),
        other => other,
    }
}
