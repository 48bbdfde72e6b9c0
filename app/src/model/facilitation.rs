//! The facilitator's script, kept in the document's `settings` (which only the facilitator's
//! link may write, the server checks it): the template the board was made from, its short
//! instructions, the workshop's phases and the current one, and the countdown.
//!
//! Voting sessions are the server's: it keeps the votes while a session is open and writes
//! only the session's rules, then its results, in `settings.vote` (see [`Vote`]).
//!
//! The countdown is kept as the server's clock sees it: `ends_at` is a time by the server's
//! clock (pages learn their offset from it, see `ephemeral::Ephemeral::Clock`), so every page
//! shows the same time left whatever its own clock says. Paused, it keeps the time left instead.

use automerge::{transaction::Transactable, ObjId, ObjType, ScalarValue, ROOT};
use serde::{Deserialize, Serialize};

use super::view::BoardView;
use super::{
    document::Board,
    error::ModelError,
    limits::{
        clip, MAX_INSTRUCTIONS_CHARS, MAX_TEMPLATE_ID_CHARS, MAX_TIMER_MS, MAX_VOTES_PER_PERSON,
    },
    read, schema,
};
use crate::ids::{GroupId, NoteId};

/// A step of a workshop, in the order a workshop runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Everyone writes their ideas.
    Writing,
    /// The ideas are shown to everyone.
    Reveal,
    /// Similar ideas are put together.
    Grouping,
    /// Everyone votes for what to talk about.
    Voting,
    /// The group talks and decides on actions.
    Discussion,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Writing,
        Phase::Reveal,
        Phase::Grouping,
        Phase::Voting,
        Phase::Discussion,
    ];

    /// The phase's id in the document and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Writing => "writing",
            Phase::Reveal => "reveal",
            Phase::Grouping => "grouping",
            Phase::Voting => "voting",
            Phase::Discussion => "discussion",
        }
    }

    pub fn parse(id: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == id)
    }

    /// Its place in [`Phase::ALL`] (where its words are in the interface's lists).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The countdown, by the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Timer {
    /// Counting down to `ends_at` (milliseconds since the Unix epoch, server's clock), from
    /// `remaining` milliseconds when it was last set: it never shows more than that, however
    /// far behind a page's estimate of the server's clock is.
    Running { ends_at: i64, remaining: i64 },
    /// Stopped with `remaining` milliseconds left.
    Paused { remaining: i64 },
}

impl Timer {
    /// Milliseconds left at `now` (server's clock), never below zero.
    pub fn remaining_at(self, now: i64) -> i64 {
        match self {
            Timer::Running { ends_at, remaining } => {
                ends_at.saturating_sub(now).clamp(0, remaining.max(0))
            }
            Timer::Paused { remaining } => remaining.max(0),
        }
    }

    /// Whether the countdown has reached zero at `now`.
    pub fn is_over_at(self, now: i64) -> bool {
        self.remaining_at(now) == 0
    }
}

/// What the document says of the facilitator's script.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Facilitation {
    /// The template the board was made from.
    pub template: Option<String>,
    pub instructions: String,
    /// The workshop's phases in order (none: the board has no script).
    pub phases: Vec<Phase>,
    /// The current phase: one of `phases` (the first when none was chosen).
    pub phase: Option<Phase>,
    pub timer: Option<Timer>,
    /// The current or last voting session.
    pub vote: Option<Vote>,
    /// No author's name is written into the board nor sent with presence.
    pub anonymous: bool,
    /// Silent writing: whether it is on, and how many private post-its each person has.
    pub writing: super::writing::Writing,
    /// The current or last consent round.
    pub consent: Option<super::consent::Consent>,
}

impl Facilitation {
    /// The phase after the current one, if any.
    pub fn next_phase(&self) -> Option<Phase> {
        let at = self.phases.iter().position(|p| Some(*p) == self.phase)?;
        self.phases.get(at + 1).copied()
    }

    /// The phase before the current one, if any.
    pub fn previous_phase(&self) -> Option<Phase> {
        let at = self.phases.iter().position(|p| Some(*p) == self.phase)?;
        at.checked_sub(1).and_then(|i| self.phases.get(i)).copied()
    }
}

/// What a template sets on a new board besides its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script<'a> {
    pub template: &'a str,
    pub instructions: &'a str,
    pub phases: &'a [Phase],
}

impl Board {
    /// The facilitator's script as the document says it now.
    pub fn facilitation(&self) -> Facilitation {
        read::facilitation(self.reader())
    }

    /// Sets the template's id, instructions and phases, the first phase being the current one.
    pub fn set_script(&mut self, script: &Script) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        self.doc.put(
            &settings,
            schema::TEMPLATE,
            clip(script.template, MAX_TEMPLATE_ID_CHARS),
        )?;
        self.set_text(
            &settings,
            schema::INSTRUCTIONS,
            &clip(script.instructions, MAX_INSTRUCTIONS_CHARS),
        )?;
        let phases = self
            .doc
            .put_object(&settings, schema::PHASES, ObjType::List)?;
        for (i, phase) in script.phases.iter().enumerate() {
            self.doc.insert(&phases, i, phase.as_str())?;
        }
        match script.phases.first() {
            Some(first) => self.doc.put(&settings, schema::PHASE, first.as_str())?,
            None => self.doc.delete(&settings, schema::PHASE)?,
        }
        Ok(())
    }

    /// Whether the board is anonymous (one key read: the server asks at every presence).
    pub fn is_anonymous(&self) -> bool {
        read::anonymous(self.reader())
    }

    /// Makes the board anonymous (from now on, no author's name is written into it nor sent to
    /// the others), or not.
    pub fn set_anonymous(&mut self, anonymous: bool) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        self.doc.put(
            &settings,
            schema::ANONYMOUS,
            ScalarValue::Boolean(anonymous),
        )?;
        Ok(())
    }

    /// Makes `phase` the current one; it must be one of the board's phases.
    pub fn set_phase(&mut self, phase: Phase) -> Result<(), ModelError> {
        if !self.facilitation().phases.contains(&phase) {
            return Err(ModelError::NoSuchPhase(phase.as_str()));
        }
        let settings = self.settings_obj()?;
        self.doc.put(&settings, schema::PHASE, phase.as_str())?;
        Ok(())
    }

    pub fn set_instructions(&mut self, instructions: &str) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        self.set_text(
            &settings,
            schema::INSTRUCTIONS,
            &clip(instructions, MAX_INSTRUCTIONS_CHARS),
        )
    }

    /// Starts a countdown of `duration` milliseconds at `now` (server's clock), replacing any.
    pub fn start_timer(&mut self, now: i64, duration: i64) -> Result<(), ModelError> {
        let duration = duration.clamp(0, MAX_TIMER_MS);
        let settings = self.settings_obj()?;
        let timer = self
            .doc
            .put_object(&settings, schema::TIMER, ObjType::Map)?;
        self.doc.put(&timer, schema::REMAINING, duration)?;
        self.doc
            .put(&timer, schema::ENDS_AT, now.saturating_add(duration))?;
        Ok(())
    }

    /// Pauses a running countdown at `now`, keeping the time left.
    pub fn pause_timer(&mut self, now: i64) -> Result<(), ModelError> {
        let Some(Timer::Running { ends_at, .. }) = self.facilitation().timer else {
            return Ok(());
        };
        let timer = self.timer_obj()?;
        let remaining = ends_at.saturating_sub(now).clamp(0, MAX_TIMER_MS);
        self.doc.put(&timer, schema::REMAINING, remaining)?;
        self.doc.put(&timer, schema::ENDS_AT, ScalarValue::Null)?;
        Ok(())
    }

    /// Starts a paused countdown again at `now`.
    pub fn resume_timer(&mut self, now: i64) -> Result<(), ModelError> {
        let Some(Timer::Paused { remaining }) = self.facilitation().timer else {
            return Ok(());
        };
        let timer = self.timer_obj()?;
        self.doc
            .put(&timer, schema::ENDS_AT, now.saturating_add(remaining))?;
        self.doc.put(&timer, schema::REMAINING, remaining)?;
        Ok(())
    }

    /// Adds `more` milliseconds to the countdown (a countdown that has ended starts again from
    /// `now` with that much).
    pub fn add_to_timer(&mut self, now: i64, more: i64) -> Result<(), ModelError> {
        let Some(timer) = self.facilitation().timer else {
            return self.start_timer(now, more);
        };
        let left = (timer.remaining_at(now) + more).clamp(0, MAX_TIMER_MS);
        let obj = self.timer_obj()?;
        if let Timer::Running { .. } = timer {
            self.doc
                .put(&obj, schema::ENDS_AT, now.saturating_add(left))?;
        }
        self.doc.put(&obj, schema::REMAINING, left)?;
        Ok(())
    }

    /// Stops the countdown and takes it off the board.
    pub fn stop_timer(&mut self) -> Result<(), ModelError> {
        if let Some(settings) = read::map_obj(self.reader(), &ROOT, schema::SETTINGS) {
            self.doc.delete(&settings, schema::TIMER)?;
        }
        Ok(())
    }

    /// The settings map, made if missing.
    pub(super) fn settings_obj(&mut self) -> Result<ObjId, ModelError> {
        match read::map_obj(self.reader(), &ROOT, schema::SETTINGS) {
            Some(settings) => Ok(settings),
            None => Ok(self.doc.put_object(ROOT, schema::SETTINGS, ObjType::Map)?),
        }
    }

    fn timer_obj(&mut self) -> Result<ObjId, ModelError> {
        let settings = self.settings_obj()?;
        match read::map_obj(self.reader(), &settings, schema::TIMER) {
            Some(timer) => Ok(timer),
            None => Ok(self
                .doc
                .put_object(&settings, schema::TIMER, ObjType::Map)?),
        }
    }
}

/// A voting session as the document says: while open, nobody's votes are in the document
/// (the server keeps them); once closed, the server writes how many each post-it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vote {
    /// Its number on this board.
    pub round: i64,
    pub open: bool,
    /// Votes each person has.
    pub per_person: i64,
    /// Whether one person may give several votes to one post-it.
    pub several: bool,
    /// Once closed: the post-its that got votes and how many, most first (ties in the order
    /// of their ids); serialized as `[{"note", "votes"}]`.
    #[serde(serialize_with = "counts")]
    pub results: Vec<(NoteId, i64)>,
}

fn counts<S: serde::Serializer>(
    results: &[(NoteId, i64)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Count<'a> {
        note: &'a NoteId,
        votes: i64,
    }
    serializer.collect_seq(results.iter().map(|(note, votes)| Count {
        note,
        votes: *votes,
    }))
}

impl Vote {
    /// The votes a post-it got (0 while the vote is open).
    pub fn votes_for(&self, note: &NoteId) -> i64 {
        self.results
            .iter()
            .find(|(id, _)| id == note)
            .map_or(0, |(_, n)| *n)
    }
}

impl Board {
    /// Opens voting session `round` (the server does, having recorded it).
    pub fn open_vote(
        &mut self,
        round: i64,
        per_person: i64,
        several: bool,
    ) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        let vote = self.doc.put_object(&settings, schema::VOTE, ObjType::Map)?;
        self.doc.put(&vote, schema::ROUND, round)?;
        self.doc.put(&vote, schema::STATE, schema::OPEN)?;
        self.doc.put(
            &vote,
            schema::PER_PERSON,
            per_person.clamp(1, MAX_VOTES_PER_PERSON),
        )?;
        self.doc.put(&vote, schema::SEVERAL, several)?;
        Ok(())
    }

    /// Closes voting session `round` with its results (the server does, having counted them).
    pub fn close_vote(&mut self, round: i64, results: &[(NoteId, i64)]) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        let vote = match read::map_obj(self.reader(), &settings, schema::VOTE) {
            Some(vote) => vote,
            None => self.doc.put_object(&settings, schema::VOTE, ObjType::Map)?,
        };
        self.doc.put(&vote, schema::ROUND, round)?;
        self.doc.put(&vote, schema::STATE, schema::CLOSED)?;
        let counts = self.doc.put_object(&vote, schema::RESULTS, ObjType::Map)?;
        for (note, votes) in results {
            self.doc.put(&counts, note.as_str(), *votes)?;
        }
        Ok(())
    }
}

/// One line of a vote's results: a group counts its post-its' votes as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ranked {
    Note { id: NoteId, votes: i64 },
    Group { id: GroupId, votes: i64 },
}

impl Ranked {
    pub fn votes(&self) -> i64 {
        match self {
            Ranked::Note { votes, .. } | Ranked::Group { votes, .. } => *votes,
        }
    }
}

impl Vote {
    /// The results on `board` as it is now: each group once, with its post-its' votes added
    /// up, and each post-it in no group; most votes first (ties in the order given).
    pub fn ranked(&self, board: &BoardView) -> Vec<Ranked> {
        let mut ranked: Vec<Ranked> = Vec::new();
        for (id, votes) in &self.results {
            let Some(note) = board.note(id) else { continue };
            match &note.group {
                Some(group) => {
                    let seen = ranked.iter_mut().find_map(|r| match r {
                        Ranked::Group { id, votes } if id == group => Some(votes),
                        _ => None,
                    });
                    match seen {
                        Some(total) => *total += votes,
                        None => ranked.push(Ranked::Group {
                            id: group.clone(),
                            votes: *votes,
                        }),
                    }
                }
                None => ranked.push(Ranked::Note {
                    id: id.clone(),
                    votes: *votes,
                }),
            }
        }
        ranked.sort_by_key(|r| std::cmp::Reverse(r.votes()));
        ranked
    }
}
