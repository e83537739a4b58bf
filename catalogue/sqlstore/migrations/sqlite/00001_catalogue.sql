-- The catalogue: providers, sibling groups, children, placements and their vacancies, API
-- tokens and the append-only audit log. Filterable fields are columns with indexes; nested lists
-- are JSON text written and read only by sqlstore's converters. Dates are declared DATE and
-- instants TIMESTAMP so that the driver reads them back as times.

-- +goose Up
CREATE TABLE providers (
    id         INTEGER PRIMARY KEY,
    name       TEXT      NOT NULL,
    kind       TEXT      NOT NULL,
    urn        TEXT      NOT NULL DEFAULT '',
    council    TEXT      NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX providers_kind ON providers (kind, id);

CREATE TABLE sibling_groups (
    id         INTEGER PRIMARY KEY,
    council    TEXT      NOT NULL,
    plan       TEXT      NOT NULL,
    reason     TEXT      NOT NULL DEFAULT '',
    version    INTEGER   NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sibling_groups_council ON sibling_groups (council, id);

CREATE TABLE children (
    id               INTEGER PRIMARY KEY,
    council          TEXT      NOT NULL,
    case_ref         TEXT      NOT NULL DEFAULT '',
    first_name       TEXT      NOT NULL,
    date_of_birth    DATE      NOT NULL,
    sex              TEXT      NOT NULL,
    ethnicity        TEXT      NOT NULL,
    religion         TEXT      NOT NULL,
    first_language   TEXT      NOT NULL,
    communication    TEXT      NOT NULL DEFAULT '[]',
    legal_status     TEXT      NOT NULL,
    needs            TEXT      NOT NULL DEFAULT '[]',
    risks_to_others  TEXT      NOT NULL DEFAULT '[]',
    care_type        TEXT      NOT NULL,
    purpose          TEXT      NOT NULL,
    needed_by        DATE      NOT NULL,
    home_lat         REAL      NOT NULL,
    home_lng         REAL      NOT NULL,
    school           TEXT,
    contacts         TEXT      NOT NULL DEFAULT '[]',
    sibling_group_id INTEGER REFERENCES sibling_groups (id),
    exclusion_zones  TEXT      NOT NULL DEFAULT '[]',
    companions       TEXT      NOT NULL,
    pets             TEXT      NOT NULL,
    allergies        TEXT      NOT NULL DEFAULT '[]',
    respiratory      BOOLEAN   NOT NULL DEFAULT 0,
    wheelchair       BOOLEAN   NOT NULL DEFAULT 0,
    wishes           TEXT      NOT NULL DEFAULT '{}',
    status           TEXT      NOT NULL,
    version          INTEGER   NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX children_council ON children (council, id);
CREATE INDEX children_status ON children (status, id);
CREATE INDEX children_sibling_group ON children (sibling_group_id, id);
CREATE INDEX children_home ON children (home_lat, home_lng);
-- A council's case reference names one child; children without one are not constrained.
CREATE UNIQUE INDEX children_case_ref ON children (council, case_ref) WHERE case_ref <> '';

CREATE TABLE placements (
    id              INTEGER PRIMARY KEY,
    kind            TEXT      NOT NULL,
    provider_id     INTEGER   NOT NULL REFERENCES providers (id),
    name            TEXT      NOT NULL,
    urn             TEXT      NOT NULL DEFAULT '',
    council         TEXT      NOT NULL,
    area_name       TEXT      NOT NULL,
    lat             REAL      NOT NULL,
    lng             REAL      NOT NULL,
    approval        TEXT      NOT NULL,
    household       TEXT      NOT NULL,
    skills          TEXT      NOT NULL DEFAULT '[]',
    languages       TEXT      NOT NULL DEFAULT '[]',
    religion        TEXT      NOT NULL DEFAULT '',
    ethnicity       TEXT      NOT NULL DEFAULT '',
    experience      INTEGER   NOT NULL DEFAULT 0,
    ended_planned   INTEGER   NOT NULL DEFAULT 0,
    ended_unplanned INTEGER   NOT NULL DEFAULT 0,
    ofsted          TEXT      NOT NULL DEFAULT '',
    staying_put     BOOLEAN   NOT NULL DEFAULT 0,
    long_term       BOOLEAN   NOT NULL DEFAULT 0,
    weekly_cost     INTEGER   NOT NULL DEFAULT 0,
    profile         TEXT      NOT NULL DEFAULT '',
    active          BOOLEAN   NOT NULL DEFAULT 1,
    connected_to    TEXT      NOT NULL DEFAULT '[]',
    version         INTEGER   NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX placements_kind ON placements (kind, id);
CREATE INDEX placements_provider ON placements (provider_id, id);
CREATE INDEX placements_council ON placements (council, id);
CREATE INDEX placements_location ON placements (lat, lng);
CREATE INDEX placements_active ON placements (active, id);

-- One row per place. A place is held for, or filled by, exactly one child.
CREATE TABLE vacancies (
    id             INTEGER PRIMARY KEY,
    placement_id   INTEGER   NOT NULL REFERENCES placements (id),
    available_from DATE      NOT NULL,
    status         TEXT      NOT NULL,
    child_id       INTEGER REFERENCES children (id),
    version        INTEGER   NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CONSTRAINT vacancies_child_status CHECK ((status IN ('held', 'filled')) = (child_id IS NOT NULL))
);
CREATE INDEX vacancies_placement ON vacancies (placement_id, status);
CREATE INDEX vacancies_status ON vacancies (status, id);
CREATE INDEX vacancies_child ON vacancies (child_id);
-- The backstop against double booking: a child fills at most one place.
CREATE UNIQUE INDEX vacancies_filled_child ON vacancies (child_id) WHERE status = 'filled';

-- Bearer tokens, kept as the SHA-256 of the secret only.
CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    label       TEXT      NOT NULL DEFAULT '',
    role        TEXT      NOT NULL,
    council     TEXT      NOT NULL DEFAULT '',
    provider_id INTEGER REFERENCES providers (id),
    hash        BLOB      NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE UNIQUE INDEX tokens_hash ON tokens (hash);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TIMESTAMP NOT NULL,
    actor   INTEGER   NOT NULL DEFAULT 0,
    role    TEXT      NOT NULL DEFAULT '',
    action  TEXT      NOT NULL,
    subject TEXT      NOT NULL DEFAULT '',
    council TEXT      NOT NULL DEFAULT '',
    reason  TEXT      NOT NULL DEFAULT '',
    request TEXT      NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);
CREATE INDEX audit_log_council ON audit_log (council, id);

-- The audit log is append-only: rows can be inserted, never changed or removed.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE is not allowed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: DELETE is not allowed');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE tokens;
DROP TABLE vacancies;
DROP TABLE placements;
DROP TABLE children;
DROP TABLE sibling_groups;
DROP TABLE providers;
