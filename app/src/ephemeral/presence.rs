//! Presence: who is on a board, where their pointer is, and which post-it they are typing in or
//! dragging. It travels as the `data` of `ephemeral` messages, never in the document: the server
//! relays it to the board's other peers and keeps nothing. A peer sends it when something in it
//! changes, its cursor at most every [`CURSOR_INTERVAL_MS`], and all of it every
//! [`PRESENCE_HEARTBEAT_MS`]; the others forget a peer the server says left (a
//! [`Ephemeral::Left`](super::Ephemeral::Left)) or that said nothing for [`PRESENCE_EXPIRY_MS`].
//!
//! The data is a CBOR map:
//! `{"type": "ardoise/presence", "name": str, "colour": "#rrggbb", "cursor": [x, y] | null,
//!   "editing": <note id> | null, "dragging": <note id> | null,
//!   "view": [x, y, zoom] | null, "summon": int}`.
//! `view` (what the peer looks at: the middle of its screen on the canvas, and its zoom) and
//! `summon` came with "follow": a page follows another's view, and a facilitator's page brings
//! everyone to its own by counting `summon` up (the server sets it to 0 from anyone else).

use ciborium::Value;

use super::cbor;
use crate::{ids::NoteId, model::clamp_coordinate};

/// Longest name shown, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// A cursor is sent at most this often.
pub const CURSOR_INTERVAL_MS: f64 = 50.0;
/// Everything is sent again this often, so that newcomers and peers that missed a message know.
pub const PRESENCE_HEARTBEAT_MS: i32 = 10_000;
/// A peer not heard of for this long is gone.
pub const PRESENCE_EXPIRY_MS: f64 = 30_000.0;
/// The colour shown for a peer whose colour is not `#rrggbb`.
const DEFAULT_COLOUR: &str = "#5b6270";

/// What one participant shows the others.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Presence {
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    /// Where the pointer is on the canvas, in board units.
    pub cursor: Option<(f64, f64)>,
    /// The post-it being typed in.
    pub editing: Option<NoteId>,
    /// The post-it being dragged.
    pub dragging: Option<NoteId>,
    /// What the peer looks at.
    pub view: Option<View>,
    /// How many times this peer brought everyone to its view (a facilitator's only).
    pub summon: u32,
}

/// What a page looks at: the canvas point in the middle of its screen, and its zoom.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct View {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

/// A view's zoom is kept within these (a page's own limits).
pub const MIN_VIEW_ZOOM: f64 = 0.1;
pub const MAX_VIEW_ZOOM: f64 = 3.0;

/// The payload's `type`.
pub(super) const TYPE: &str = "ardoise/presence";

impl Presence {
    /// The payload of an ephemeral message carrying this presence.
    pub fn encode(&self) -> Vec<u8> {
        let mut fields = vec![("type", Value::Text(TYPE.into()))];
        fields.extend(self.fields());
        cbor::encode_map(fields)
    }

    /// The map's fields but `type`.
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let id = |id: &Option<NoteId>| {
            id.as_ref()
                .map_or(Value::Null, |id| Value::Text(id.to_string()))
        };
        let cursor = self.cursor.map_or(Value::Null, |(x, y)| {
            Value::Array(vec![Value::Float(x), Value::Float(y)])
        });
        let view = self.view.map_or(Value::Null, |v| {
            Value::Array(vec![
                Value::Float(v.x),
                Value::Float(v.y),
                Value::Float(v.zoom),
            ])
        });
        vec![
            ("name", Value::Text(self.name.clone())),
            ("colour", Value::Text(self.colour.clone())),
            ("cursor", cursor),
            ("editing", id(&self.editing)),
            ("dragging", id(&self.dragging)),
            ("view", view),
            ("summon", Value::Integer(self.summon.into())),
        ]
    }

    /// The presence a peer sent, made safe to show: names are cut, colours checked,
    /// coordinates kept on the board; missing or malformed fields are empty.
    pub(super) fn from_fields(fields: &[(Value, Value)]) -> Presence {
        let id = |name| cbor::text(fields, name).and_then(|id| NoteId::parse(id).ok());
        let number = |value: &Value| match value {
            Value::Float(f) => Some(*f),
            Value::Integer(i) => Some(i128::from(*i) as f64),
            _ => None,
        };
        let cursor = match cbor::field(fields, "cursor") {
            Some(Value::Array(xy)) if xy.len() == 2 => number(&xy[0])
                .zip(number(&xy[1]))
                .map(|(x, y)| (clamp_coordinate(x), clamp_coordinate(y))),
            _ => None,
        };
        let view = match cbor::field(fields, "view") {
            Some(Value::Array(v)) if v.len() == 3 => {
                match (number(&v[0]), number(&v[1]), number(&v[2])) {
                    (Some(x), Some(y), Some(zoom)) if zoom.is_finite() => Some(View {
                        x: clamp_coordinate(x),
                        y: clamp_coordinate(y),
                        zoom: zoom.clamp(MIN_VIEW_ZOOM, MAX_VIEW_ZOOM),
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        let summon = match cbor::field(fields, "summon") {
            Some(Value::Integer(n)) => u32::try_from(i128::from(*n)).unwrap_or(0),
            _ => 0,
        };
        let colour = cbor::text(fields, "colour")
            .filter(|c| is_hex_colour(c))
            .unwrap_or(DEFAULT_COLOUR);
        Presence {
            name: cbor::text(fields, "name")
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_NAME_CHARS)
                .collect(),
            colour: colour.to_owned(),
            cursor,
            editing: id("editing"),
            dragging: id("dragging"),
            view,
            summon,
        }
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(data: &[u8]) -> Option<Presence> {
        let fields = cbor::decode_map(data)?;
        (cbor::text(&fields, "type")? == TYPE).then(|| Presence::from_fields(&fields))
    }

    #[test]
    fn presence_round_trips_and_hostile_values_are_made_safe() {
        let presence = Presence {
            name: "Aïcha".into(),
            colour: "#1d5fbf".into(),
            cursor: Some((12.5, -40.0)),
            editing: Some(NoteId::random()),
            dragging: None,
            view: Some(View {
                x: 100.0,
                y: -20.0,
                zoom: 1.5,
            }),
            summon: 2,
        };
        assert_eq!(decode(&presence.encode()), Some(presence));
        let storage = cbor::encode_map(vec![("type", Value::Text("ardoise/storage".into()))]);
        assert_eq!(decode(&storage), None);
        assert_eq!(decode(b"\xff\x00"), None);

        let hostile = cbor::encode_map(vec![
            ("type", Value::Text(TYPE.into())),
            ("name", Value::Text(format!("{}\u{7}", "x".repeat(500)))),
            ("colour", Value::Text("red; background: url(//evil)".into())),
            (
                "cursor",
                Value::Array(vec![Value::Float(f64::NAN), Value::Float(1e300)]),
            ),
            ("editing", Value::Text("../../etc".into())),
            (
                "view",
                Value::Array(vec![
                    Value::Float(1e9),
                    Value::Float(0.0),
                    Value::Float(1e9),
                ]),
            ),
            ("summon", Value::Integer((-3).into())),
        ]);
        let decoded = decode(&hostile).unwrap();
        assert_eq!(decoded.name.chars().count(), MAX_NAME_CHARS);
        assert_eq!(decoded.colour, DEFAULT_COLOUR);
        assert_eq!(decoded.cursor, Some((0.0, crate::model::BOARD_EXTENT)));
        assert_eq!((decoded.editing, decoded.dragging), (None, None));
        let view = decoded.view.unwrap();
        assert_eq!(
            (view.x, view.zoom),
            (crate::model::BOARD_EXTENT, MAX_VIEW_ZOOM)
        );
        assert_eq!(decoded.summon, 0);
    }
}
