//! The small CBOR maps of Ardoise's ephemeral payloads.

use ciborium::Value;

/// A CBOR map of text keys.
pub(super) fn encode_map(fields: Vec<(&str, Value)>) -> Vec<u8> {
    let map = Value::Map(
        fields
            .into_iter()
            .map(|(key, value)| (Value::Text(key.into()), value))
            .collect(),
    );
    let mut bytes = Vec::new();
    ciborium::into_writer(&map, &mut bytes).expect("writing CBOR to a Vec cannot fail");
    bytes
}

/// The entries of a CBOR map, or `None` if `data` is not one.
pub(super) fn decode_map(data: &[u8]) -> Option<Vec<(Value, Value)>> {
    match ciborium::from_reader::<Value, _>(data).ok()? {
        Value::Map(fields) => Some(fields),
        _ => None,
    }
}

pub(super) fn field<'a>(fields: &'a [(Value, Value)], name: &str) -> Option<&'a Value> {
    fields
        .iter()
        .find(|(key, _)| key.as_text() == Some(name))
        .map(|(_, value)| value)
}

pub(super) fn text<'a>(fields: &'a [(Value, Value)], name: &str) -> Option<&'a str> {
    field(fields, name)?.as_text()
}
