-- Monitoring the Work Programme (issue 4): progress updates with their outputs,
-- links and evidence; documents of meetings recorded through the application;
-- annual progress reports and their workflow; the output-level checklist
-- (scorecard) with versioned templates and revisioned answers; mid-term and
-- final reviews; and the lineage of actions continued from one plan to the next.
-- Everything here is append-only or versioned: history is never rewritten.

-- One update on where an action stands. The action's current state is its latest
-- update (by date reported, then by time written); earlier ones stay as history.
CREATE TABLE progress_update (
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL REFERENCES action(id),
    reported_on TEXT NOT NULL,
    status TEXT NOT NULL,
    narrative TEXT,
    -- Set when recording a meeting that implements the action wrote this update.
    meeting TEXT REFERENCES meeting(id),
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES app_user(id),
    author_label TEXT NOT NULL
);
CREATE INDEX progress_update_by_action ON progress_update (action, reported_on, created_at);
CREATE INDEX progress_update_by_date ON progress_update (reported_on);

-- The outputs an update reports, of the five kinds the 2010-2015 Work Programme
-- names: meetings held, stakeholder outreach, trainings delivered, decisions
-- issued, country practices modified.
CREATE TABLE progress_output (
    update_id TEXT NOT NULL REFERENCES progress_update(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    title TEXT,
    participants_female INTEGER,
    participants_male INTEGER,
    meeting TEXT REFERENCES meeting(id),
    member_state TEXT REFERENCES member_state(code),
    PRIMARY KEY (update_id, position)
);

CREATE TABLE progress_link (
    update_id TEXT NOT NULL REFERENCES progress_update(id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (update_id, position)
);

-- Uploaded evidence. The content is kept as base64 text so that one column type
-- serves both backends and backups stay plain JSON Lines; files are capped small.
CREATE TABLE evidence_file (
    id TEXT PRIMARY KEY,
    update_id TEXT NOT NULL REFERENCES progress_update(id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content_base64 TEXT NOT NULL
);
CREATE INDEX evidence_file_by_update ON evidence_file (update_id);

-- Documents of a meeting (agenda, report, statement), as links.
CREATE TABLE meeting_document (
    meeting TEXT NOT NULL REFERENCES meeting(id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (meeting, position)
);

-- Meetings and recommendations recorded through the application, not the catalogue.
ALTER TABLE meeting ADD COLUMN created_by TEXT REFERENCES app_user(id);
ALTER TABLE recommendation ADD COLUMN created_by TEXT REFERENCES app_user(id);

-- An action continued from an action of an earlier plan: its lineage.
CREATE TABLE action_continuation (
    action TEXT PRIMARY KEY REFERENCES action(id),
    continues TEXT NOT NULL REFERENCES action(id)
);
CREATE INDEX action_continuation_by_previous ON action_continuation (continues);
ALTER TABLE action ADD COLUMN created_by TEXT REFERENCES app_user(id);

-- The annual progress report of a subsidiary body to SLOM. Status: draft,
-- submitted, returned, accepted. On acceptance the assembled report is frozen
-- into frozen_json and never assembled again.
CREATE TABLE annual_report (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL REFERENCES body(id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    frozen_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (body, year)
);

-- The narrative per thematic area (area is a programme node id, or '' for the
-- report's general introduction). Earlier texts stay in the audit trail.
CREATE TABLE annual_report_narrative (
    report TEXT NOT NULL REFERENCES annual_report(id),
    area TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES app_user(id),
    PRIMARY KEY (report, area)
);

-- The workflow: created, submitted, returned (with a comment), accepted.
CREATE TABLE annual_report_event (
    id TEXT PRIMARY KEY,
    report TEXT NOT NULL REFERENCES annual_report(id),
    at TEXT NOT NULL,
    actor_user TEXT REFERENCES app_user(id),
    actor_label TEXT NOT NULL,
    event TEXT NOT NULL,
    comment TEXT
);
CREATE INDEX annual_report_event_by_report ON annual_report_event (report, at);

-- The output-level checklist: templates drafted by the Secretariat, versioned
-- (family + version), frozen once published.
CREATE TABLE checklist_template (
    id TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    notes TEXT,
    created_at TEXT NOT NULL,
    published_at TEXT,
    UNIQUE (family, version)
);

CREATE TABLE checklist_item (
    template TEXT NOT NULL REFERENCES checklist_template(id),
    item_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    category TEXT NOT NULL,
    question TEXT NOT NULL,
    answer_type TEXT NOT NULL,
    -- For answer_type 'level': the scale, as a JSON array of labels, lowest first.
    levels_json TEXT,
    guidance TEXT,
    PRIMARY KEY (template, item_key)
);

-- One body's checklist for one year, on one template version.
CREATE TABLE checklist_response (
    id TEXT PRIMARY KEY,
    template TEXT NOT NULL REFERENCES checklist_template(id),
    body TEXT NOT NULL REFERENCES body(id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (body, year)
);

-- Answers, one row per item per revision in which it changed: the latest
-- revision of each item is the current answer, earlier ones are its history.
CREATE TABLE checklist_answer (
    response TEXT NOT NULL REFERENCES checklist_response(id),
    item_key TEXT NOT NULL,
    revision INTEGER NOT NULL,
    value TEXT,
    comment TEXT,
    answered_at TEXT NOT NULL,
    answered_by TEXT REFERENCES app_user(id),
    answered_by_label TEXT NOT NULL,
    PRIMARY KEY (response, item_key, revision)
);

-- Outcome-based reviews of a programme at its mid-point and end.
CREATE TABLE programme_review (
    id TEXT PRIMARY KEY,
    programme TEXT NOT NULL REFERENCES programme(id),
    kind TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme, kind)
);

-- A finding and rating per key result area or strategic priority.
CREATE TABLE review_finding (
    review TEXT NOT NULL REFERENCES programme_review(id),
    node TEXT NOT NULL REFERENCES programme_node(id),
    rating TEXT NOT NULL,
    findings TEXT,
    evidence_json TEXT,
    PRIMARY KEY (review, node)
);

-- What the review recommends; each may become a trackable action of the next plan.
CREATE TABLE review_recommendation (
    id TEXT PRIMARY KEY,
    review TEXT NOT NULL REFERENCES programme_review(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    action TEXT REFERENCES action(id)
);
CREATE INDEX review_recommendation_by_review ON review_recommendation (review, position);
