-- Alerts (issue 20, catalogue/alert.go): a check-in that says the child does not feel safe, or
-- whose answer fell sharply, raises an alert in its own transaction, with an owner (the child's
-- allocated social worker in hours: owner_worker; the council's emergency duty team out of
-- hours: owner_team) and a deadline; an officer acknowledges it and closes it with what was
-- done; one unacknowledged past its deadline is escalated to the council's managers. Who did
-- each (their token, name and role) is kept on the row. Retention deletes a child's alerts
-- with their check-ins.

-- +goose Up
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    child_id        INTEGER   NOT NULL REFERENCES children (id),
    check_in_id     INTEGER   NOT NULL REFERENCES check_ins (id),
    reasons         TEXT      NOT NULL,
    owner_team      TEXT      NOT NULL DEFAULT '',
    owner_worker    INTEGER   NOT NULL DEFAULT 0,
    out_of_hours    BOOLEAN   NOT NULL DEFAULT 0,
    raised_at       TIMESTAMP NOT NULL,
    deadline        TIMESTAMP NOT NULL,
    state           TEXT      NOT NULL,
    acknowledged_at TIMESTAMP,
    acknowledged_by INTEGER   NOT NULL DEFAULT 0,
    acknowledged_name TEXT    NOT NULL DEFAULT '',
    acknowledged_role TEXT    NOT NULL DEFAULT '',
    escalated_at    TIMESTAMP,
    closed_at       TIMESTAMP,
    closed_by       INTEGER   NOT NULL DEFAULT 0,
    closed_name     TEXT      NOT NULL DEFAULT '',
    closed_role     TEXT      NOT NULL DEFAULT '',
    note            TEXT      NOT NULL DEFAULT '',
    version         INTEGER   NOT NULL DEFAULT 1,
    CONSTRAINT alerts_state CHECK (state IN ('raised', 'acknowledged', 'escalated', 'closed')),
    CONSTRAINT alerts_owner CHECK ((owner_team <> '') <> (owner_worker > 0))
);
CREATE INDEX alerts_child ON alerts (child_id);
CREATE INDEX alerts_raised ON alerts (deadline) WHERE state = 'raised';

-- Help requests (catalogue/helprequest.go): a child's request for an advocate, for the
-- council's advocacy service, tracked to contact made; and a child's request that their
-- independent reviewing officer look again at a decision. shared is what the child chose to
-- share with whoever answers. Retention deletes them with the child's record.
CREATE TABLE help_requests (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    child_id     INTEGER NOT NULL REFERENCES children (id),
    check_in_id  INTEGER REFERENCES check_ins (id),
    offer_id     INTEGER REFERENCES offers (id),
    shared       TEXT NOT NULL DEFAULT '',
    requested_at TIMESTAMP NOT NULL,
    done_at      TIMESTAMP,
    done_by      INTEGER NOT NULL DEFAULT 0,
    done_name    TEXT NOT NULL DEFAULT '',
    done_role    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT help_requests_kind CHECK (kind IN ('advocacy', 'look_again')),
    CONSTRAINT help_requests_done CHECK ((done_at IS NULL) = (note = ''))
);
CREATE INDEX help_requests_child ON help_requests (child_id);
CREATE INDEX help_requests_open ON help_requests (kind, id) WHERE done_at IS NULL;
-- One open request to look again at each offer's decision.
CREATE UNIQUE INDEX help_requests_look_again ON help_requests (offer_id) WHERE kind = 'look_again' AND done_at IS NULL;

-- +goose Down
DROP TABLE help_requests;
DROP TABLE alerts;
