-- Scoring policies: every version ever saved, national (council '') or for one council. A
-- version is never changed or removed, so any option or match run can name the rules it used.

-- +goose Up
CREATE TABLE policies (
    version    INTEGER PRIMARY KEY,
    council    TEXT      NOT NULL DEFAULT '',
    document   TEXT      NOT NULL,
    note       TEXT      NOT NULL DEFAULT '',
    created_by INTEGER   NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX policies_council ON policies (council, version);

-- +goose StatementBegin
CREATE TRIGGER policies_no_update BEFORE UPDATE ON policies
BEGIN
    SELECT RAISE(ABORT, 'policy versions are kept: UPDATE is not allowed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER policies_no_delete BEFORE DELETE ON policies
BEGIN
    SELECT RAISE(ABORT, 'policy versions are kept: DELETE is not allowed');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE policies;
