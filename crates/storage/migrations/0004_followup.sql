-- Following up recommendations (issue 6): reporting cycles tied to a meeting
-- ("for the 6th Forum"), each member state's implementation of each
-- recommendation as its government, employers, workers and civil society report
-- it, links from recommendations to thematic areas, SDG targets and themes, and
-- social partners as accounts.

-- Social partners act for their organisation (a partner id).
ALTER TABLE role_grant ADD COLUMN partner TEXT REFERENCES partner(id);

-- A reporting cycle: progress on the recommendations of `meeting` (and, carried
-- forward, those of earlier cycles not yet reported implemented), reported to a
-- later meeting (`reported_to`, which may not be in the catalogue yet).
CREATE TABLE reporting_cycle (
    id TEXT PRIMARY KEY,
    meeting TEXT NOT NULL REFERENCES meeting(id),
    title TEXT NOT NULL,
    reported_to TEXT,
    status TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    due_on TEXT,
    closed_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES app_user(id),
    version INTEGER NOT NULL DEFAULT 1
);

-- The recommendations a cycle asks about: those of the meetings it covers.
CREATE TABLE cycle_recommendation (
    cycle TEXT NOT NULL REFERENCES reporting_cycle(id),
    recommendation TEXT NOT NULL REFERENCES recommendation(id),
    PRIMARY KEY (cycle, recommendation)
);

-- One voice's report on one recommendation in one member state for one cycle.
-- Never updated: a correction is a new row (revision + 1); the latest revision is
-- the current report, earlier ones stay.
CREATE TABLE implementation_report (
    id TEXT PRIMARY KEY,
    cycle TEXT NOT NULL REFERENCES reporting_cycle(id),
    recommendation TEXT NOT NULL REFERENCES recommendation(id),
    member_state TEXT NOT NULL REFERENCES member_state(code),
    voice TEXT NOT NULL,
    -- The organisation for employers', workers' and civil-society reports.
    partner TEXT REFERENCES partner(id),
    revision INTEGER NOT NULL,
    status TEXT NOT NULL,
    narrative TEXT,
    evidence_json TEXT,
    reported_at TEXT NOT NULL,
    reported_by TEXT REFERENCES app_user(id),
    reported_by_label TEXT NOT NULL
);
CREATE INDEX implementation_report_by_cell ON implementation_report (cycle, recommendation, member_state);
CREATE INDEX implementation_report_by_state ON implementation_report (member_state);

-- Recommendations linked to thematic areas and SDG targets (`8.7`, `10.7`).
CREATE TABLE recommendation_node (
    recommendation TEXT NOT NULL REFERENCES recommendation(id),
    node TEXT NOT NULL REFERENCES programme_node(id),
    PRIMARY KEY (recommendation, node)
);

CREATE TABLE recommendation_sdg (
    recommendation TEXT NOT NULL REFERENCES recommendation(id),
    target TEXT NOT NULL,
    PRIMARY KEY (recommendation, target)
);

-- Themes group similar recommendations across meetings ("information on
-- recruitment costs" from the 4th Forum to the 5th).
CREATE TABLE recommendation_theme (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE recommendation_theme_member (
    theme TEXT NOT NULL REFERENCES recommendation_theme(id),
    recommendation TEXT NOT NULL REFERENCES recommendation(id),
    PRIMARY KEY (theme, recommendation)
);
