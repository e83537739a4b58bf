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

-- +goose Down
DROP TABLE alerts;
