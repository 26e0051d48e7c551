-- The catalogue: everything the seed documents name.
-- Every catalogue record keeps its source (document, section, file) and two seeding
-- columns: seed_hash, the hash of the catalogue entry last applied, and
-- locally_edited, set when the record is changed through the application, so that
-- `tripart seed` never overwrites such an edit. `version` counts changes.
-- Dates are ISO 8601 text (YYYY-MM-DD) on both backends.

CREATE TABLE catalogue_file (
    path TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    title TEXT NOT NULL,
    notes TEXT
);

CREATE TABLE member_state (
    code TEXT PRIMARY KEY,
    iso2 TEXT NOT NULL,
    name TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE body (
    id TEXT PRIMARY KEY,
    abbreviation TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    reports_to TEXT REFERENCES body(id),
    established TEXT,
    description TEXT,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE partner (
    id TEXT PRIMARY KEY,
    abbreviation TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE glossary_term (
    term TEXT PRIMARY KEY,
    expansion TEXT NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

-- Other documents whose abbreviation lists hold the same term.
CREATE TABLE glossary_citation (
    term TEXT NOT NULL REFERENCES glossary_term(term),
    source_document TEXT NOT NULL,
    source_section TEXT NOT NULL,
    PRIMARY KEY (term, source_document, source_section)
);

CREATE TABLE instrument (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    date_text TEXT,
    description TEXT,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE action_line (
    id TEXT PRIMARY KEY,
    instrument TEXT NOT NULL REFERENCES instrument(id),
    code TEXT NOT NULL,
    text TEXT,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE pillar_concern (
    id TEXT PRIMARY KEY,
    pillar TEXT NOT NULL,
    text TEXT NOT NULL,
    position INTEGER NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE convention (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    short_title TEXT,
    adopted_year INTEGER,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

-- A convention's category over time (C155 and C187 became fundamental in 2022).
CREATE TABLE convention_category (
    convention TEXT NOT NULL REFERENCES convention(id),
    category TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (convention, valid_from)
);

-- Ratification events are only ever added: the record is the list of events.
CREATE TABLE ratification_event (
    id TEXT PRIMARY KEY,
    member_state TEXT NOT NULL REFERENCES member_state(code),
    convention TEXT NOT NULL REFERENCES convention(id),
    event TEXT NOT NULL,
    event_date TEXT NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ratification_event_by_state ON ratification_event (member_state, convention, event_date);

-- What a document's table states at a date, kept to check the events against.
CREATE TABLE ratification_snapshot (
    as_of TEXT NOT NULL,
    member_state TEXT NOT NULL REFERENCES member_state(code),
    convention TEXT NOT NULL REFERENCES convention(id),
    status TEXT NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (as_of, member_state, convention)
);

CREATE TABLE programme (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES body(id),
    start_year INTEGER NOT NULL,
    end_year INTEGER,
    objective TEXT,
    description TEXT,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);

-- Strategic priorities, key result areas, goals, targets, thematic areas, thrusts.
CREATE TABLE programme_node (
    id TEXT PRIMARY KEY,
    programme TEXT NOT NULL REFERENCES programme(id),
    node_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT,
    title TEXT NOT NULL,
    description TEXT,
    parent TEXT REFERENCES programme_node(id),
    position INTEGER NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX programme_node_by_programme ON programme_node (programme, position);

CREATE TABLE node_body (
    node TEXT NOT NULL REFERENCES programme_node(id),
    body TEXT NOT NULL REFERENCES body(id),
    PRIMARY KEY (node, body)
);

CREATE TABLE action (
    id TEXT PRIMARY KEY,
    programme TEXT NOT NULL REFERENCES programme(id),
    action_key TEXT NOT NULL,
    label TEXT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    node TEXT REFERENCES programme_node(id),
    parent TEXT REFERENCES action(id),
    calendar_text TEXT,
    calendar_kind TEXT NOT NULL,
    -- Years the action spans: from its calendar, or the programme's for
    -- "annual" and "on-going"; null when to be confirmed.
    start_year INTEGER,
    end_year INTEGER,
    status TEXT NOT NULL,
    status_stated INTEGER NOT NULL,
    absorbed_into TEXT REFERENCES action(id),
    position INTEGER NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX action_by_programme ON action (programme, position);
CREATE INDEX action_by_node ON action (node);
CREATE INDEX action_by_parent ON action (parent);

CREATE TABLE action_body (
    action TEXT NOT NULL REFERENCES action(id),
    body TEXT NOT NULL REFERENCES body(id),
    PRIMARY KEY (action, body)
);
CREATE INDEX action_body_by_body ON action_body (body);

-- Coordinators and collaborators, in the document's order. party_kind is one of
-- member_state, body, partner, secretariat, all_member_states, tbc, text.
CREATE TABLE action_party (
    action TEXT NOT NULL REFERENCES action(id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    party_kind TEXT NOT NULL,
    member_state TEXT REFERENCES member_state(code),
    body TEXT REFERENCES body(id),
    partner TEXT REFERENCES partner(id),
    text TEXT,
    PRIMARY KEY (action, role, position)
);
CREATE INDEX action_party_by_member_state ON action_party (member_state);
CREATE INDEX action_party_by_partner ON action_party (partner);

-- An action of one plan that carries out an action of another.
CREATE TABLE action_carries (
    action TEXT NOT NULL REFERENCES action(id),
    carried TEXT NOT NULL REFERENCES action(id),
    PRIMARY KEY (action, carried)
);

CREATE TABLE action_action_line (
    action TEXT NOT NULL REFERENCES action(id),
    action_line TEXT NOT NULL REFERENCES action_line(id),
    PRIMARY KEY (action, action_line)
);

CREATE TABLE action_instrument (
    action TEXT NOT NULL REFERENCES action(id),
    instrument TEXT NOT NULL REFERENCES instrument(id),
    PRIMARY KEY (action, instrument)
);

CREATE TABLE meeting (
    id TEXT PRIMARY KEY,
    series TEXT,
    number INTEGER,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT REFERENCES body(id),
    host TEXT REFERENCES member_state(code),
    city TEXT,
    start_date TEXT,
    end_date TEXT,
    date_text TEXT,
    theme TEXT,
    description TEXT,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX meeting_by_start ON meeting (start_date);

CREATE TABLE meeting_party (
    meeting TEXT NOT NULL REFERENCES meeting(id),
    position INTEGER NOT NULL,
    party_kind TEXT NOT NULL,
    member_state TEXT REFERENCES member_state(code),
    body TEXT REFERENCES body(id),
    partner TEXT REFERENCES partner(id),
    text TEXT,
    PRIMARY KEY (meeting, position)
);

-- The actions a meeting implements.
CREATE TABLE meeting_action (
    meeting TEXT NOT NULL REFERENCES meeting(id),
    action TEXT NOT NULL REFERENCES action(id),
    PRIMARY KEY (meeting, action)
);
CREATE INDEX meeting_action_by_action ON meeting_action (action);

CREATE TABLE meeting_instrument (
    meeting TEXT NOT NULL REFERENCES meeting(id),
    instrument TEXT NOT NULL REFERENCES instrument(id),
    PRIMARY KEY (meeting, instrument)
);

CREATE TABLE recommendation (
    id TEXT PRIMARY KEY,
    meeting TEXT NOT NULL REFERENCES meeting(id),
    number TEXT NOT NULL,
    parent TEXT REFERENCES recommendation(id),
    heading TEXT,
    text TEXT NOT NULL,
    position INTEGER NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX recommendation_by_meeting ON recommendation (meeting, position);

CREATE TABLE recommendation_action (
    recommendation TEXT NOT NULL REFERENCES recommendation(id),
    action TEXT NOT NULL REFERENCES action(id),
    PRIMARY KEY (recommendation, action)
);
CREATE INDEX recommendation_action_by_action ON recommendation_action (action);

CREATE TABLE recommendation_instrument (
    recommendation TEXT NOT NULL REFERENCES recommendation(id),
    instrument TEXT NOT NULL REFERENCES instrument(id),
    PRIMARY KEY (recommendation, instrument)
);

CREATE TABLE indicator (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    indicator_set TEXT NOT NULL,
    kind TEXT NOT NULL,
    group_name TEXT,
    label TEXT,
    ilostat_code TEXT,
    definition TEXT NOT NULL,
    unit TEXT,
    adopted_by TEXT REFERENCES recommendation(id),
    position INTEGER NOT NULL,
    source_document TEXT NOT NULL, source_section TEXT NOT NULL, source_file TEXT NOT NULL,
    source_reference TEXT, notes TEXT,
    seed_hash TEXT, locally_edited INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1
);
