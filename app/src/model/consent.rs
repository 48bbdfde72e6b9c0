//! Consent rounds ("décision par consentement"), the server's like voting sessions: the
//! facilitator opens a round on a proposal (a post-it); each person answers consent, a
//! reservation or an objection, with its reason; the answers stay in the server's database,
//! never in this document, until the facilitator closes the round. Then the server writes the
//! result into `settings.consent`: how many consented, and the reservations and objections
//! with their reasons (and who gave them, unless the board is anonymous). Consent is reached
//! when nobody objects.

use automerge::{transaction::Transactable, ObjType};
use serde::Serialize;

use super::{
    document::Board,
    error::ModelError,
    limits::clip,
    read::{self, Reader},
    schema,
};
use crate::{ephemeral::MAX_NAME_CHARS, ids::NoteId};

/// Longest reason given with an answer, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// What a person answers in a consent round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Consent,
    Reservation,
    Objection,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Consent, Answer::Reservation, Answer::Objection];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Consent => "consent",
            Answer::Reservation => "reservation",
            Answer::Objection => "objection",
        }
    }

    pub fn parse(text: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// Whether it must come with its reason (an objection says what to work on).
    pub fn needs_a_reason(self) -> bool {
        self == Answer::Objection
    }
}

/// A reservation or an objection, once the round is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub reason: String,
    /// Who gave it; `None` on an anonymous board, or for someone who gave no name.
    pub name: Option<String>,
}

/// What a closed round found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ConsentResult {
    pub consents: i64,
    pub reservations: Vec<Reason>,
    pub objections: Vec<Reason>,
}

impl ConsentResult {
    /// Nobody objects.
    pub fn reached(&self) -> bool {
        self.objections.is_empty()
    }
}

/// The current or last consent round, as the document says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    /// Its number on this board.
    pub round: i64,
    /// The proposal.
    pub note: Option<NoteId>,
    pub open: bool,
    /// How many have answered so far (never what).
    pub answered: i64,
    /// Once closed.
    pub result: Option<ConsentResult>,
}

impl Board {
    /// Opens consent round `round` on a proposal (the server does, having recorded it); an
    /// older round than the board's (two opened at once, written out of order) changes nothing.
    pub fn open_consent(&mut self, round: i64, note: &NoteId) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        if consent(self.reader(), &settings).is_some_and(|shown| shown.round > round) {
            return Ok(());
        }
        let consent = self
            .doc
            .put_object(&settings, schema::CONSENT, ObjType::Map)?;
        self.doc.put(&consent, schema::ROUND, round)?;
        self.doc.put(&consent, schema::NOTE, note.as_str())?;
        self.doc.put(&consent, schema::STATE, schema::OPEN)?;
        self.doc.put(&consent, schema::ANSWERED, 0)?;
        Ok(())
    }

    /// How many have answered round `round` (the server writes it after each answer; counts
    /// written out of order never go back).
    pub fn set_consent_answered(&mut self, round: i64, answered: i64) -> Result<(), ModelError> {
        let Some(consent) = self.consent_obj(round) else {
            return Ok(());
        };
        let shown = read::integer(self.reader(), &consent, schema::ANSWERED).unwrap_or(0);
        if answered > shown {
            self.doc.put(&consent, schema::ANSWERED, answered)?;
        }
        Ok(())
    }

    /// Closes round `round` with what it found (the server does, having read the answers).
    pub fn close_consent(&mut self, round: i64, result: &ConsentResult) -> Result<(), ModelError> {
        let Some(consent) = self.consent_obj(round) else {
            return Ok(());
        };
        self.doc.put(&consent, schema::STATE, schema::CLOSED)?;
        let answered =
            result.consents + (result.reservations.len() + result.objections.len()) as i64;
        self.doc.put(&consent, schema::ANSWERED, answered)?;
        self.doc.put(&consent, schema::CONSENTS, result.consents)?;
        for (key, reasons) in [
            (schema::RESERVATIONS, &result.reservations),
            (schema::OBJECTIONS, &result.objections),
        ] {
            let list = self.doc.put_object(&consent, key, ObjType::List)?;
            for (i, reason) in reasons.iter().enumerate() {
                let item = self.doc.insert_object(&list, i, ObjType::Map)?;
                self.doc.put(
                    &item,
                    schema::REASON,
                    clip(&reason.reason, MAX_REASON_CHARS),
                )?;
                if let Some(name) = &reason.name {
                    self.doc
                        .put(&item, schema::NAME, clip(name, MAX_NAME_CHARS))?;
                }
            }
        }
        Ok(())
    }

    /// The round's map, if the document's is that round.
    fn consent_obj(&mut self, round: i64) -> Option<automerge::ObjId> {
        let settings = self.settings_obj().ok()?;
        let consent = read::map_obj(self.reader(), &settings, schema::CONSENT)?;
        (read::integer(self.reader(), &consent, schema::ROUND) == Some(round)).then_some(consent)
    }
}

/// The consent round, from `settings`.
pub(super) fn consent<'a>(r: impl Reader<'a>, settings: &automerge::ObjId) -> Option<Consent> {
    let consent = read::map_obj(r, settings, schema::CONSENT)?;
    let open = read::string_at(r, &consent, schema::STATE).as_deref() != Some(schema::CLOSED);
    let reasons = |key| -> Vec<Reason> {
        read::list_obj(r, &consent, key)
            .map(|list| {
                r.items(list)
                    .map(|(_, item)| Reason {
                        reason: read::string_at(r, &item, schema::REASON)
                            .map(|t| clip(&t, MAX_REASON_CHARS))
                            .unwrap_or_default(),
                        name: read::string_at(r, &item, schema::NAME)
                            .map(|n| clip(&n, MAX_NAME_CHARS))
                            .filter(|n| !n.is_empty()),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let result = (!open).then(|| ConsentResult {
        consents: read::integer(r, &consent, schema::CONSENTS)
            .unwrap_or(0)
            .max(0),
        reservations: reasons(schema::RESERVATIONS),
        objections: reasons(schema::OBJECTIONS),
    });
    Some(Consent {
        round: read::integer(r, &consent, schema::ROUND).unwrap_or(0),
        note: read::string_at(r, &consent, schema::NOTE).and_then(|n| NoteId::parse(&n).ok()),
        open,
        answered: read::integer(r, &consent, schema::ANSWERED)
            .unwrap_or(0)
            .max(0),
        result,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_opens_counts_its_answers_and_closes_with_its_result() {
        let mut board = Board::new("Accords").unwrap();
        let proposal = NoteId::random();
        board.open_consent(1, &proposal).unwrap();
        board.set_consent_answered(1, 2).unwrap();
        // An older count, or another round's, changes nothing.
        board.set_consent_answered(1, 1).unwrap();
        board.open_consent(0, &NoteId::random()).unwrap();
        board.set_consent_answered(7, 9).unwrap();
        let open = board.facilitation().consent.unwrap();
        assert_eq!((open.round, open.open, open.answered), (1, true, 2));
        assert_eq!(open.note.as_ref(), Some(&proposal));
        assert!(open.result.is_none());
        let found = ConsentResult {
            consents: 2,
            reservations: vec![],
            objections: vec![Reason {
                reason: "Trop tôt".into(),
                name: Some("Bob".into()),
            }],
        };
        board.close_consent(1, &found).unwrap();
        let closed = board.facilitation().consent.unwrap();
        assert!(!closed.open);
        assert_eq!(closed.answered, 3);
        assert_eq!(closed.result.as_ref(), Some(&found));
        assert!(!found.reached());
    }
}
