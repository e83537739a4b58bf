-- Match runs (joint matches of the children waiting) and what they offer each child; the
-- children's preferences between their offers, and what each child ends with once those are
-- settled (deferred acceptance). A run is stored running, then its results and its status
-- succeeded in one transaction; a run still running when its process died is marked failed.

-- +goose Up
CREATE TABLE match_runs (
    id              INTEGER PRIMARY KEY,
    council         TEXT      NOT NULL DEFAULT '',
    region          TEXT      NOT NULL DEFAULT '',
    status          TEXT      NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    policy          INTEGER   NOT NULL DEFAULT 0,
    top_k           INTEGER   NOT NULL DEFAULT 0,
    children        INTEGER   NOT NULL DEFAULT 0,
    offered_two     INTEGER   NOT NULL DEFAULT 0,
    offered_one     INTEGER   NOT NULL DEFAULT 0,
    offered_none    INTEGER   NOT NULL DEFAULT 0,
    groups_planned  INTEGER   NOT NULL DEFAULT 0,
    groups_together INTEGER   NOT NULL DEFAULT 0,
    groups_split    INTEGER   NOT NULL DEFAULT 0,
    groups_without  INTEGER   NOT NULL DEFAULT 0,
    objective       INTEGER   NOT NULL DEFAULT 0,
    lower_bound     INTEGER   NOT NULL DEFAULT 0,
    widened         INTEGER   NOT NULL DEFAULT 0,
    solves          INTEGER   NOT NULL DEFAULT 0,
    timings         TEXT      NOT NULL DEFAULT '{}',
    error           TEXT      NOT NULL DEFAULT '',
    stage           TEXT      NOT NULL DEFAULT '',
    done            INTEGER   NOT NULL DEFAULT 0,
    total           INTEGER   NOT NULL DEFAULT 0,
    requested_by    INTEGER   NOT NULL DEFAULT 0,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    heartbeat_at    TIMESTAMP NOT NULL
);
CREATE INDEX match_runs_running ON match_runs (heartbeat_at) WHERE status = 'running';
CREATE INDEX match_runs_council ON match_runs (council, id);

CREATE TABLE match_results (
    run_id          INTEGER   NOT NULL REFERENCES match_runs (id),
    child_id        INTEGER   NOT NULL REFERENCES children (id),
    council         TEXT      NOT NULL,
    needed_by       DATE      NOT NULL, -- the day a place is needed by (the later of the run's day and the child's)
    sibling_group   INTEGER   NOT NULL DEFAULT 0,
    group_members   TEXT      NOT NULL DEFAULT '[]',
    group_lead      BOOLEAN   NOT NULL DEFAULT 0, -- the first member of a group placed together
    offers          TEXT      NOT NULL DEFAULT '[]',
    n_offers        INTEGER   NOT NULL CHECK (n_offers BETWEEN 0 AND 2),
    suitable        INTEGER   NOT NULL DEFAULT 0,
    complete        BOOLEAN   NOT NULL DEFAULT 0,
    reason          TEXT      NOT NULL DEFAULT '',
    rejected        TEXT      NOT NULL DEFAULT '[]',
    split           BOOLEAN   NOT NULL DEFAULT 0,
    widened         BOOLEAN   NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, child_id)
);
CREATE INDEX match_results_council ON match_results (run_id, council, child_id);

CREATE TABLE match_preferences (
    run_id          INTEGER   NOT NULL REFERENCES match_runs (id),
    child_id        INTEGER   NOT NULL REFERENCES children (id),
    council         TEXT      NOT NULL,
    ranked          TEXT      NOT NULL DEFAULT '[]',
    neither         BOOLEAN   NOT NULL DEFAULT 0,
    stated_at       TIMESTAMP NOT NULL,
    stated_by       INTEGER   NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, child_id),
    FOREIGN KEY (run_id, child_id) REFERENCES match_results (run_id, child_id)
);

CREATE TABLE match_allocations (
    run_id          INTEGER   NOT NULL REFERENCES match_runs (id),
    child_id        INTEGER   NOT NULL REFERENCES children (id),
    council         TEXT      NOT NULL,
    placement_id    INTEGER   REFERENCES placements (id),
    outcome         TEXT      NOT NULL CHECK (outcome IN ('first_choice', 'second_choice', 'none', 'declined', 'no_offers')),
    stated          BOOLEAN   NOT NULL DEFAULT 0,
    reason          TEXT      NOT NULL DEFAULT '',
    decided_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, child_id),
    FOREIGN KEY (run_id, child_id) REFERENCES match_results (run_id, child_id)
);
CREATE INDEX match_allocations_council ON match_allocations (run_id, council, child_id);

-- +goose Down
DROP TABLE match_allocations;
DROP TABLE match_preferences;
DROP TABLE match_results;
DROP TABLE match_runs;
