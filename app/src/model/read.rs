//! Tolerant reads of the board document, as it is now or as it was at given heads. Any
//! automerge-repo client can write to a board, so a field may be missing, have another type
//! (JavaScript writes whole numbers as integers and strings as Text), or hold nonsense; reads fall
//! back to defaults rather than fail.

use std::{borrow::Cow, collections::HashMap};

use automerge::{
    AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, ScalarValueRef, Value, ValueRef,
    ROOT,
};

use super::{
    actions::{valid_due, ActionView},
    colour::{Colour, Dot},
    facilitation::{Facilitation, Phase, Timer, Vote},
    limits::{
        clamp_coordinate, clamp_size, clip, MAX_DOTS, MAX_HEADING_CHARS, MAX_INSTRUCTIONS_CHARS,
        MAX_NOTE_TEXT_CHARS, MAX_OWNER_CHARS, MAX_TEMPLATE_ID_CHARS, MAX_TIMER_MS, MAX_TITLE_CHARS,
        MAX_VOTES_PER_PERSON, MAX_Z, NOTE_SIZE,
    },
    schema,
    view::{BoardView, ColumnView, GroupView, NoteView},
};
use crate::ids::{ColumnId, GroupId, NoteId};

/// Reads one document, either as it is ([`Now`]) or as it was at given heads ([`At`], with
/// Automerge's `*_at` reads, which read the live document's history without copying it). The
/// reads below are generic over it, so that code that never reads the past (the browser's)
/// does not carry the `*_at` reads.
pub(super) trait Reader<'a>: Copy {
    fn get(self, obj: &ObjId, key: &str) -> Option<(Value<'a>, ObjId)>;

    fn text(self, obj: &ObjId) -> Option<String>;

    /// The entries of a map, by key: `(key, value, object id)`.
    fn entries(self, obj: ObjId) -> impl Iterator<Item = (Cow<'a, str>, ValueRef<'a>, ObjId)>;

    /// The items of a list, in order: `(value, object id)`.
    fn items(self, obj: ObjId) -> impl Iterator<Item = (ValueRef<'a>, ObjId)>;
}

/// The document as it is.
#[derive(Clone, Copy)]
pub(super) struct Now<'a>(pub(super) &'a AutoCommit);

impl<'a> Reader<'a> for Now<'a> {
    fn get(self, obj: &ObjId, key: &str) -> Option<(Value<'a>, ObjId)> {
        self.0.get(obj, key).ok().flatten()
    }

    fn text(self, obj: &ObjId) -> Option<String> {
        self.0.text(obj).ok()
    }

    fn entries(self, obj: ObjId) -> impl Iterator<Item = (Cow<'a, str>, ValueRef<'a>, ObjId)> {
        self.0.map_range(&obj, ..).map(|item| {
            let id = item.id();
            (item.key, item.value, id)
        })
    }

    fn items(self, obj: ObjId) -> impl Iterator<Item = (ValueRef<'a>, ObjId)> {
        self.0.list_range(&obj, ..).map(|item| {
            let id = item.id();
            (item.value, id)
        })
    }
}

/// The document as it was at `heads`.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    pub(super) doc: &'a AutoCommit,
    pub(super) heads: &'a [ChangeHash],
}

impl<'a> Reader<'a> for At<'a> {
    fn get(self, obj: &ObjId, key: &str) -> Option<(Value<'a>, ObjId)> {
        self.doc.get_at(obj, key, self.heads).ok().flatten()
    }

    fn text(self, obj: &ObjId) -> Option<String> {
        self.doc.text_at(obj, self.heads).ok()
    }

    fn entries(self, obj: ObjId) -> impl Iterator<Item = (Cow<'a, str>, ValueRef<'a>, ObjId)> {
        self.doc.map_range_at(&obj, .., self.heads).map(|item| {
            let id = item.id();
            (item.key, item.value, id)
        })
    }

    fn items(self, obj: ObjId) -> impl Iterator<Item = (ValueRef<'a>, ObjId)> {
        self.doc.list_range_at(&obj, .., self.heads).map(|item| {
            let id = item.id();
            (item.value, id)
        })
    }
}

pub(super) fn title<'a>(r: impl Reader<'a>) -> String {
    string(r, &ROOT, schema::TITLE)
        .map(|t| clip(&t, MAX_TITLE_CHARS))
        .unwrap_or_default()
}

pub(super) fn board<'a>(r: impl Reader<'a>) -> BoardView {
    let title = title(r);
    let columns = columns(r);
    let removed = removed_columns(r);
    let mut notes: Vec<NoteView> = match notes_obj(r) {
        Some(notes) => r
            .entries(notes)
            .filter_map(|(key, value, obj)| {
                let id = NoteId::parse(&key).ok()?;
                match value {
                    ValueRef::Object(ObjType::Map) => Some(note(r, id, &obj, &columns, &removed)),
                    _ => None,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    notes.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    // Groups with two post-its or more are shown; a post-it of any other is in none.
    let mut groups: Vec<GroupView> = match map_obj(r, &ROOT, schema::GROUPS) {
        Some(groups) => r
            .entries(groups)
            .filter_map(|(key, value, obj)| {
                let id = GroupId::parse(&key).ok()?;
                let ValueRef::Object(ObjType::Map) = value else {
                    return None;
                };
                let title = string(r, &obj, schema::GROUP_TITLE)
                    .map(|t| clip(&t, MAX_HEADING_CHARS))
                    .unwrap_or_default();
                Some(GroupView {
                    id,
                    title,
                    notes: Vec::new(),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let mut members: HashMap<GroupId, usize> = groups.iter().map(|g| (g.id.clone(), 0)).collect();
    for id in notes.iter().filter_map(|n| n.group.as_ref()) {
        if let Some(count) = members.get_mut(id) {
            *count += 1;
        }
    }
    groups.retain(|g| members.get(&g.id).is_some_and(|count| *count >= 2));
    let shown: HashMap<GroupId, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.clone(), i))
        .collect();
    for note in &mut notes {
        match note.group.as_ref().and_then(|id| shown.get(id)) {
            Some(&i) => groups[i].notes.push(note.id.clone()),
            None => note.group = None,
        }
    }
    let mut view = BoardView::new(title, notes, columns);
    view.groups = groups;
    view.facilitation = facilitation(r);
    view
}

/// One post-it, without reading the others (a post-it's own history reads it at every version).
pub(super) fn one_note<'a>(r: impl Reader<'a>, id: &NoteId) -> Option<NoteView> {
    let notes = notes_obj(r)?;
    match r.get(&notes, id.as_str())? {
        (Value::Object(ObjType::Map), obj) => {
            Some(note(r, id.clone(), &obj, &columns(r), &removed_columns(r)))
        }
        _ => None,
    }
}

/// Whether the settings say the board is anonymous.
pub(super) fn anonymous<'a>(r: impl Reader<'a>) -> bool {
    map_obj(r, &ROOT, schema::SETTINGS).is_some_and(|s| boolean(r, &s, schema::ANONYMOUS))
}

/// The facilitator's script, from `settings` (see `facilitation.rs`).
pub(super) fn facilitation<'a>(r: impl Reader<'a>) -> Facilitation {
    let Some(settings) = map_obj(r, &ROOT, schema::SETTINGS) else {
        return Facilitation::default();
    };
    let mut phases: Vec<Phase> = match r.get(&settings, schema::PHASES) {
        Some((Value::Object(ObjType::List), list)) => r
            .items(list)
            .filter_map(|(value, obj)| match value {
                ValueRef::Scalar(ScalarValueRef::Str(id)) => Phase::parse(&id),
                ValueRef::Object(ObjType::Text) => Phase::parse(&r.text(&obj)?),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    // Each phase once, in the order of the workshop.
    phases.sort_unstable();
    phases.dedup();
    let chosen = string(r, &settings, schema::PHASE).and_then(|p| Phase::parse(&p));
    let phase = chosen
        .filter(|p| phases.contains(p))
        .or_else(|| phases.first().copied());
    let timer = map_obj(r, &settings, schema::TIMER).map(|timer| {
        let remaining = integer(r, &timer, schema::REMAINING).map(|ms| ms.clamp(0, MAX_TIMER_MS));
        match integer(r, &timer, schema::ENDS_AT) {
            Some(ends_at) => Timer::Running {
                ends_at,
                remaining: remaining.unwrap_or(MAX_TIMER_MS),
            },
            None => Timer::Paused {
                remaining: remaining.unwrap_or(0),
            },
        }
    });
    let vote = map_obj(r, &settings, schema::VOTE).map(|vote| {
        let open = string(r, &vote, schema::STATE).as_deref() != Some(schema::CLOSED);
        let mut results: Vec<(NoteId, i64)> = match map_obj(r, &vote, schema::RESULTS) {
            Some(counts) => r
                .entries(counts.clone())
                .filter_map(|(key, _, _)| {
                    let id = NoteId::parse(&key).ok()?;
                    let votes = integer(r, &counts, &key)?;
                    (votes > 0).then_some((id, votes))
                })
                .collect(),
            None => Vec::new(),
        };
        results.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Vote {
            round: integer(r, &vote, schema::ROUND).unwrap_or(0),
            open,
            per_person: integer(r, &vote, schema::PER_PERSON)
                .unwrap_or(0)
                .clamp(0, MAX_VOTES_PER_PERSON),
            several: boolean(r, &vote, schema::SEVERAL),
            results,
        }
    });
    Facilitation {
        vote,
        writing: super::writing::writing(r, &settings),
        consent: super::consent::consent(r, &settings),
        anonymous: boolean(r, &settings, schema::ANONYMOUS),
        template: string(r, &settings, schema::TEMPLATE).map(|t| clip(&t, MAX_TEMPLATE_ID_CHARS)),
        instructions: string(r, &settings, schema::INSTRUCTIONS)
            .map(|t| clip(&t, MAX_INSTRUCTIONS_CHARS))
            .unwrap_or_default(),
        phases,
        phase,
        timer,
    }
}

fn note<'a>(
    r: impl Reader<'a>,
    id: NoteId,
    obj: &ObjId,
    columns: &[ColumnView],
    removed: &HashMap<ColumnId, f64>,
) -> NoteView {
    let (w, h) = note_size(r, obj);
    let dots = match map_obj(r, obj, schema::DOTS) {
        Some(dots) => Dot::ALL.map(|dot| counter(r, &dots, dot.as_str()).clamp(0, MAX_DOTS)),
        None => [0; 4],
    };
    let x = number(r, obj, schema::X)
        .map(clamp_coordinate)
        .unwrap_or(0.0);
    // In a removed column, the post-it stays where the column was; a column that never existed
    // is ignored.
    let column = string(r, obj, schema::COLUMN).and_then(|c| ColumnId::parse(&c).ok());
    let (column, x) = match column {
        Some(c) if columns.iter().any(|column| column.id == c) => (Some(c), x),
        Some(c) => (
            None,
            clamp_coordinate(x + removed.get(&c).copied().unwrap_or(0.0)),
        ),
        None => (None, x),
    };
    NoteView {
        id,
        text: string(r, obj, schema::TEXT)
            .map(|t| clip(&t, MAX_NOTE_TEXT_CHARS))
            .unwrap_or_default(),
        x,
        y: number(r, obj, schema::Y)
            .map(clamp_coordinate)
            .unwrap_or(0.0),
        w,
        h,
        z: z(r, obj),
        colour: string(r, obj, schema::COLOUR)
            .and_then(|c| Colour::parse(&c))
            .unwrap_or_default(),
        dots,
        column,
        author: string(r, obj, schema::AUTHOR),
        created_at: integer(r, obj, schema::CREATED_AT).unwrap_or(0),
        group: string(r, obj, schema::GROUP).and_then(|g| GroupId::parse(&g).ok()),
        action: boolean(r, obj, schema::ACTION).then(|| ActionView {
            owner: string(r, obj, schema::OWNER)
                .map(|o| clip(&o, MAX_OWNER_CHARS))
                .unwrap_or_default(),
            due: string(r, obj, schema::DUE)
                .and_then(|d| valid_due(&d).map(str::to_owned))
                .unwrap_or_default(),
            done: boolean(r, obj, schema::DONE),
        }),
    }
}

/// A post-it's stacking order, within [`MAX_Z`].
pub(super) fn z<'a>(r: impl Reader<'a>, obj: &ObjId) -> i64 {
    integer(r, obj, schema::Z).unwrap_or(0).clamp(-MAX_Z, MAX_Z)
}

/// A post-it's width and height.
pub(super) fn note_size<'a>(r: impl Reader<'a>, obj: &ObjId) -> (f64, f64) {
    let side = |key| number(r, obj, key).map(clamp_size).unwrap_or(NOTE_SIZE);
    (side(schema::W), side(schema::H))
}

/// The board's columns from left to right.
pub(super) fn columns<'a>(r: impl Reader<'a>) -> Vec<ColumnView> {
    let Some(columns) = columns_obj(r) else {
        return Vec::new();
    };
    let mut columns: Vec<ColumnView> = r
        .entries(columns)
        .filter_map(|(key, value, obj)| {
            let id = ColumnId::parse(&key).ok()?;
            let ValueRef::Object(ObjType::Map) = value else {
                return None;
            };
            if number(r, &obj, schema::REMOVED_LEFT).is_some() {
                return None;
            }
            Some(ColumnView {
                id,
                heading: string(r, &obj, schema::HEADING)
                    .map(|t| clip(&t, MAX_HEADING_CHARS))
                    .unwrap_or_default(),
                order: number(r, &obj, schema::ORDER)
                    .filter(|o| o.is_finite())
                    .unwrap_or(0.0),
            })
        })
        .collect();
    columns.sort_by(|a, b| a.order.total_cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    columns
}

/// The removed columns' last left edges.
fn removed_columns<'a>(r: impl Reader<'a>) -> HashMap<ColumnId, f64> {
    let Some(columns) = columns_obj(r) else {
        return HashMap::new();
    };
    r.entries(columns)
        .filter_map(|(key, _, obj)| {
            let id = ColumnId::parse(&key).ok()?;
            let left = number(r, &obj, schema::REMOVED_LEFT)?;
            Some((id, clamp_coordinate(left)))
        })
        .collect()
}

/// The map at `key` of `obj`, if it is one.
pub(super) fn map_obj<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> Option<ObjId> {
    match r.get(obj, key)? {
        (Value::Object(ObjType::Map), id) => Some(id),
        _ => None,
    }
}

/// The list at `key` of `obj`, if it is one.
pub(super) fn list_obj<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> Option<ObjId> {
    match r.get(obj, key)? {
        (Value::Object(ObjType::List), id) => Some(id),
        _ => None,
    }
}

pub(super) fn columns_obj<'a>(r: impl Reader<'a>) -> Option<ObjId> {
    map_obj(r, &ROOT, schema::COLUMNS)
}

pub(super) fn column_obj<'a>(r: impl Reader<'a>, id: &ColumnId) -> Option<ObjId> {
    map_obj(r, &columns_obj(r)?, id.as_str())
}

pub(super) fn notes_obj<'a>(r: impl Reader<'a>) -> Option<ObjId> {
    map_obj(r, &ROOT, schema::NOTES)
}

pub(super) fn note_obj<'a>(r: impl Reader<'a>, id: &NoteId) -> Option<ObjId> {
    map_obj(r, &notes_obj(r)?, id.as_str())
}

/// A counter's value (a plain integer is read too), 0 when missing.
pub(super) fn counter<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> i64 {
    match r.get(obj, key) {
        Some((Value::Scalar(value), _)) => match value.as_ref() {
            ScalarValue::Counter(c) => i64::from(c),
            ScalarValue::Int(i) => *i,
            ScalarValue::Uint(u) => i64::try_from(*u).unwrap_or(0),
            _ => 0,
        },
        _ => 0,
    }
}

/// Whether the value at `key` is a counter.
pub(super) fn is_counter<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> bool {
    matches!(
        r.get(obj, key),
        Some((Value::Scalar(value), _)) if matches!(value.as_ref(), ScalarValue::Counter(_))
    )
}

pub(super) fn text_obj<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> Option<ObjId> {
    match r.get(obj, key)? {
        (Value::Object(ObjType::Text), id) => Some(id),
        _ => None,
    }
}

/// Whether the value at `key` is a plain string (not Text).
pub(super) fn is_scalar_string<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> bool {
    matches!(
        r.get(obj, key),
        Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Str(_))
    )
}

/// [`string`], for the model's edits.
pub(super) fn string_at<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> Option<String> {
    string(r, obj, key)
}

/// A string stored either as Text (what JavaScript writes) or as a scalar string.
fn string<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> Option<String> {
    match r.get(obj, key)? {
        (Value::Object(ObjType::Text), id) => r.text(&id),
        (Value::Scalar(value), _) => match value.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn number<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> Option<f64> {
    match r.get(obj, key)? {
        (Value::Scalar(value), _) => match value.as_ref() {
            ScalarValue::F64(f) => Some(*f),
            ScalarValue::Int(i) => Some(*i as f64),
            ScalarValue::Uint(u) => Some(*u as f64),
            _ => None,
        },
        _ => None,
    }
}

/// A boolean, false when missing or of another type.
pub(super) fn boolean<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> bool {
    matches!(
        r.get(obj, key),
        Some((Value::Scalar(v), _)) if matches!(v.as_ref(), ScalarValue::Boolean(true))
    )
}

pub(super) fn integer<'a>(r: impl Reader<'a>, obj: &ObjId, key: &str) -> Option<i64> {
    match r.get(obj, key)? {
        (Value::Scalar(value), _) => match value.as_ref() {
            ScalarValue::Timestamp(t) | ScalarValue::Int(t) => Some(*t),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            ScalarValue::F64(f) if f.is_finite() => Some(*f as i64),
            _ => None,
        },
        _ => None,
    }
}
