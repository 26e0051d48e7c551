-- Issue 5, speed: an observation names its series (area, indicator, breakdown) by an integer,
-- a workflow step is recorded once with one small row per value it moved, and a submission
-- sent straight to the validators says so itself.
--
-- Why: importing a million observations spent most of its time inserting into a unique index
-- over six text columns and into a text-keyed event table. Series are few (thousands) and
-- their periods many, so the text keys now live once per series, and the observation table's
-- key is (series, period). On SQLite `INTEGER PRIMARY KEY` makes the id the rowid (one B-tree
-- fewer per observation); on PostgreSQL it is a 32-bit integer, ample for observations.
--
-- The tables of migration 5 are renamed, their rows copied into the new ones with the same ids,
-- and then dropped, children first so that no reference is ever left dangling.

DROP INDEX stat_observation_series;
DROP INDEX stat_observation_state;
DROP INDEX stat_event_observation;
DROP INDEX stat_finding_observation;
DROP INDEX stat_vintage_value_observation;
ALTER TABLE stat_observation RENAME TO stat_observation_5;
ALTER TABLE stat_revision RENAME TO stat_revision_5;
ALTER TABLE stat_event RENAME TO stat_event_5;
ALTER TABLE stat_finding RENAME TO stat_finding_5;
ALTER TABLE stat_vintage_value RENAME TO stat_vintage_value_5;

-- A submission sent straight to the validators is the "submitted" event of each revision it
-- made: recorded once here rather than as a million event rows.
ALTER TABLE stat_submission ADD COLUMN submitted INTEGER NOT NULL DEFAULT 0;

-- A series: one member state's values of one indicator for one breakdown, over periods.
CREATE TABLE stat_series (
    id INTEGER PRIMARY KEY,
    ref_area TEXT NOT NULL,
    indicator TEXT NOT NULL,
    measure TEXT NOT NULL,
    sex TEXT NOT NULL,
    classif1 TEXT NOT NULL,
    classif2 TEXT NOT NULL,
    UNIQUE (ref_area, indicator, sex, classif1, classif2)
);
-- The ASEAN figure reads one breakdown of an indicator across the member states.
CREATE INDEX stat_series_indicator ON stat_series (indicator, sex, classif1, classif2);

CREATE TABLE stat_observation (
    id INTEGER PRIMARY KEY,
    series INTEGER NOT NULL REFERENCES stat_series(id),
    time TEXT NOT NULL,
    -- draft, submitted, returned, validated, published
    state TEXT NOT NULL,
    -- The newest revision, and the one the public sees (NULL until first published).
    revision INTEGER NOT NULL,
    published_revision INTEGER,
    UNIQUE (series, time)
);
CREATE INDEX stat_observation_state ON stat_observation (state);

CREATE TABLE stat_revision (
    observation INTEGER NOT NULL REFERENCES stat_observation(id),
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

-- One workflow step: submitted, returned (with the validator's comment), validated or
-- published, by whom and when, over any number of values.
CREATE TABLE stat_step (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    comment TEXT,
    at TEXT NOT NULL,
    by_user TEXT
);

-- The values a step moved, each at the revision it had then.
CREATE TABLE stat_event (
    step TEXT NOT NULL REFERENCES stat_step(id),
    observation INTEGER NOT NULL REFERENCES stat_observation(id),
    revision INTEGER NOT NULL,
    PRIMARY KEY (step, observation)
);
CREATE INDEX stat_event_observation ON stat_event (observation);

CREATE TABLE stat_finding (
    submission TEXT NOT NULL REFERENCES stat_submission(id),
    observation INTEGER NOT NULL REFERENCES stat_observation(id),
    revision INTEGER NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX stat_finding_observation ON stat_finding (observation);

CREATE TABLE stat_vintage_value (
    vintage INTEGER NOT NULL REFERENCES stat_vintage(number),
    observation INTEGER NOT NULL REFERENCES stat_observation(id),
    revision INTEGER NOT NULL,
    PRIMARY KEY (vintage, observation)
);
CREATE INDEX stat_vintage_value_observation ON stat_vintage_value (observation, vintage);

INSERT INTO stat_series (id, ref_area, indicator, measure, sex, classif1, classif2)
SELECT ROW_NUMBER() OVER (ORDER BY ref_area, indicator, sex, classif1, classif2),
       ref_area, indicator, MIN(measure), sex, classif1, classif2
FROM stat_observation_5
GROUP BY ref_area, indicator, sex, classif1, classif2;

INSERT INTO stat_observation (id, series, time, state, revision, published_revision)
SELECT o.id, s.id, o.time, o.state, o.revision, o.published_revision
FROM stat_observation_5 o
JOIN stat_series s ON s.ref_area = o.ref_area AND s.indicator = o.indicator AND s.sex = o.sex
    AND s.classif1 = o.classif1 AND s.classif2 = o.classif2;

INSERT INTO stat_revision
SELECT observation, revision, value, text_value, obs_status, source, note_indicator, note_source,
       evidence, std_error, cv, sample_count, submission, line
FROM stat_revision_5;

-- Each event of migration 5 was a step of one value.
INSERT INTO stat_step (id, kind, comment, at, by_user)
SELECT id, kind, comment, at, by_user FROM stat_event_5;
INSERT INTO stat_event (step, observation, revision)
SELECT id, observation, revision FROM stat_event_5;

INSERT INTO stat_finding
SELECT submission, observation, revision, rule, severity, message FROM stat_finding_5;

INSERT INTO stat_vintage_value
SELECT vintage, observation, revision FROM stat_vintage_value_5;

DROP TABLE stat_vintage_value_5;
DROP TABLE stat_finding_5;
DROP TABLE stat_event_5;
DROP TABLE stat_revision_5;
DROP TABLE stat_observation_5;
