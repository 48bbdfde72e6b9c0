-- Templates saved by facilitators from their boards, for every board of this server: `body` is
-- the template's columns, instructions and phases as JSON; `lang` the language it was written in.
CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lang TEXT NOT NULL,
    body TEXT NOT NULL,
    source_board TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
