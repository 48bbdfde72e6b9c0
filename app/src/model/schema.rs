//! The board document's keys, named once. They are Ardoise's public contract: any automerge-repo
//! client may read and write them (see "The board document" in `docs/protocol.md`), so they
//! never change; new fields are added beside them.

/// Version of the document shape written by this code.
pub const SCHEMA_VERSION: i64 = 1;

/// Root: the version of the document shape, [`SCHEMA_VERSION`].
pub const SCHEMA: &str = "schema";
/// Root: the board's title, Text.
pub const TITLE: &str = "title";
/// Root: the post-its, a map from note id to post-it.
pub const NOTES: &str = "notes";
/// Root: the columns, a map from column id to column (optional).
pub const COLUMNS: &str = "columns";
/// Root: groups of post-its, a map from group id to group (optional).
pub const GROUPS: &str = "groups";
/// Root: the facilitator's settings, a map (optional). Only a facilitator's changes may write
/// in it: the server refuses anyone else's (see [`FACILITATOR_KEYS`]).
pub const SETTINGS: &str = "settings";

/// Settings: the id of the template the board was made from (a string, informative).
pub const TEMPLATE: &str = "template";
/// Settings: short instructions shown on the board, Text.
pub const INSTRUCTIONS: &str = "instructions";
/// Settings: the workshop's phases in order, a list of phase ids (strings).
pub const PHASES: &str = "phases";
/// Settings: the current phase's id.
pub const PHASE: &str = "phase";
/// Settings: the countdown, a map `{remaining, ends_at}` (absent when stopped).
pub const TIMER: &str = "timer";
/// Timer: milliseconds left when it was last paused or started.
pub const REMAINING: &str = "remaining";
/// Timer: when it ends, in milliseconds since the Unix epoch by the server's clock; null while
/// paused.
pub const ENDS_AT: &str = "ends_at";

/// Settings: whether the board is anonymous (a boolean): then no author's name is written into
/// it (the server refuses a change that does) nor sent to the others with presence.
pub const ANONYMOUS: &str = "anonymous";
/// Settings: the current or last voting session, a map written by the server only
/// `{round, state, per_person, several, results?}`.
pub const VOTE: &str = "vote";
/// Vote: its number on this board (1, 2, ...).
pub const ROUND: &str = "round";
/// Vote: `"open"` or `"closed"`.
pub const STATE: &str = "state";
/// Vote: how many votes each person has.
pub const PER_PERSON: &str = "per_person";
/// Vote: whether one person may give several of their votes to one post-it.
pub const SEVERAL: &str = "several";
/// Vote: once closed, the votes each post-it got, a map from note id to count.
pub const RESULTS: &str = "results";
/// Vote state: votes are being cast.
pub const OPEN: &str = "open";
/// Vote state: closed, with its results.
pub const CLOSED: &str = "closed";

/// Settings: whether writing is private (a boolean): then a new post-it is seen by its author
/// only, kept by the server outside this document until revealed.
pub const PRIVATE_WRITING: &str = "private_writing";
/// Settings: how many private post-its each person has, a map written by the server only
/// `{version, people: [{name?, count}]}`.
pub const HIDDEN: &str = "hidden";
/// Hidden: the server's count of changes to the private post-its it wrote the list at.
pub const VERSION: &str = "version";
/// Hidden: one entry per person, by name (one without a name on an anonymous board).
pub const PEOPLE: &str = "people";
/// Hidden entry: the person's name (optional).
pub const NAME: &str = "name";
/// Hidden entry: how many private post-its they have.
pub const COUNT: &str = "count";

/// Settings: the current or last consent round, a map written by the server only
/// `{round, note, state, answered, consents?, reservations?, objections?}`.
pub const CONSENT: &str = "consent";
/// Consent round: the proposal, a post-it's id.
pub const NOTE: &str = "note";
/// Consent round: how many have answered.
pub const ANSWERED: &str = "answered";
/// Consent round, once closed: how many consented.
pub const CONSENTS: &str = "consents";
/// Consent round, once closed: the reservations, a list of `{reason, name?}`.
pub const RESERVATIONS: &str = "reservations";
/// Consent round, once closed: the objections, a list of `{reason, name?}`.
pub const OBJECTIONS: &str = "objections";
/// A reservation's or objection's reason.
pub const REASON: &str = "reason";

/// Root keys whose values, and everything within them, only the facilitator writes.
pub const FACILITATOR_KEYS: &[&str] = &[SETTINGS];

/// Post-it: its text, Text.
pub const TEXT: &str = "text";
/// Post-it: left edge, from its column's left edge when it is in one.
pub const X: &str = "x";
/// Post-it: top edge.
pub const Y: &str = "y";
/// Post-it: width (optional).
pub const W: &str = "w";
/// Post-it: height (optional).
pub const H: &str = "h";
/// Post-it: stacking order, higher in front (optional).
pub const Z: &str = "z";
/// Post-it: colour name.
pub const COLOUR: &str = "colour";
/// Post-it: the name of who added it (optional).
pub const AUTHOR: &str = "author";
/// Post-it: when it was added, a timestamp.
pub const CREATED_AT: &str = "created_at";
/// Post-it: the column it is in, or null (optional).
pub const COLUMN: &str = "column";
/// Post-it: dot counters by dot colour name (optional).
pub const DOTS: &str = "dots";

/// Post-it: the group it is in (optional).
pub const GROUP: &str = "group";
/// Group: its title, Text.
pub const GROUP_TITLE: &str = "title";
/// Post-it: whether it is an action, a boolean (optional). The action's fields are the
/// post-it's own, so that two people filling in different ones at once both keep theirs.
pub const ACTION: &str = "action";
/// Post-it that is an action: who will do it, Text (optional).
pub const OWNER: &str = "owner";
/// Post-it that is an action: when it is due, `YYYY-MM-DD` (optional).
pub const DUE: &str = "due";
/// Post-it that is an action: whether it is done, a boolean (optional).
pub const DONE: &str = "done";

/// Column: its heading, Text.
pub const HEADING: &str = "heading";
/// Column: its place from left to right (ties by id).
pub const ORDER: &str = "order";
/// Column: its left edge when it was removed; present only on a removed column (a tombstone).
pub const REMOVED_LEFT: &str = "removed_left";
