-- Issue 5: labour-market and OSH data on ILOSTAT's conventions. An observation is identified
-- by area, ILOSTAT bulk indicator code, classifications and period; its values live in
-- revisions that are never changed or deleted. A publication (vintage) records which revision
-- of each observation it made public, so every earlier vintage can be read back.

-- One file or form sent in: who, when, why, in what format.
CREATE TABLE stat_submission (
    id TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    file_name TEXT,
    areas TEXT NOT NULL,
    observations INTEGER NOT NULL,
    revisions INTEGER NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT
);

CREATE TABLE stat_observation (
    id BIGINT PRIMARY KEY,
    ref_area TEXT NOT NULL,
    indicator TEXT NOT NULL,
    measure TEXT NOT NULL,
    sex TEXT NOT NULL,
    classif1 TEXT NOT NULL,
    classif2 TEXT NOT NULL,
    time TEXT NOT NULL,
    -- draft, submitted, returned, validated, published
    state TEXT NOT NULL,
    -- The newest revision, and the one the public sees (NULL until first published).
    revision INTEGER NOT NULL,
    published_revision INTEGER,
    UNIQUE (ref_area, indicator, sex, classif1, classif2, time)
);
CREATE INDEX stat_observation_series ON stat_observation (indicator, time);
CREATE INDEX stat_observation_state ON stat_observation (state, ref_area);

CREATE TABLE stat_revision (
    observation BIGINT NOT NULL REFERENCES stat_observation(id),
    revision INTEGER NOT NULL,
    value DOUBLE PRECISION,
    text_value TEXT,
    obs_status TEXT,
    source TEXT,
    note_indicator TEXT,
    note_source TEXT,
    evidence TEXT,
    std_error DOUBLE PRECISION,
    cv DOUBLE PRECISION,
    sample_count BIGINT,
    submission TEXT NOT NULL REFERENCES stat_submission(id),
    line INTEGER,
    PRIMARY KEY (observation, revision)
);

-- The workflow of each value: submitted, returned (with the validator's comment), validated,
-- published, and comments in reply.
CREATE TABLE stat_event (
    id TEXT PRIMARY KEY,
    observation BIGINT NOT NULL REFERENCES stat_observation(id),
    revision INTEGER NOT NULL,
    kind TEXT NOT NULL,
    comment TEXT,
    at TEXT NOT NULL,
    by_user TEXT
);
CREATE INDEX stat_event_observation ON stat_event (observation);

-- Rule findings of each submission (warnings that let the value in, for the validator).
CREATE TABLE stat_finding (
    submission TEXT NOT NULL REFERENCES stat_submission(id),
    observation BIGINT NOT NULL REFERENCES stat_observation(id),
    revision INTEGER NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX stat_finding_observation ON stat_finding (observation);

CREATE TABLE stat_vintage (
    number INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    note TEXT,
    published_at TEXT NOT NULL,
    published_by TEXT,
    observations INTEGER NOT NULL
);

-- What each vintage made public: the revision of each observation it published.
CREATE TABLE stat_vintage_value (
    vintage INTEGER NOT NULL REFERENCES stat_vintage(number),
    observation BIGINT NOT NULL REFERENCES stat_observation(id),
    revision INTEGER NOT NULL,
    PRIMARY KEY (vintage, observation)
);
CREATE INDEX stat_vintage_value_observation ON stat_vintage_value (observation, vintage);

-- The Secretariat's validation rules (tripart_stats::rules), as JSON, with their history in
-- the audit trail.
CREATE TABLE stat_rule (
    id TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);
