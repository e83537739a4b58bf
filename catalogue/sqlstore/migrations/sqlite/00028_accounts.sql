-- Accounts and sign-in (issue 19): named people with a role and a council or provider scope, as
-- tokens have; the password kept only as an argon2id hash (PHC format); each account has a
-- token of its own (token_id), whose secret is never made known, so that every record naming
-- who did something by token names the account's. Sessions keep only the SHA-256 of the
-- cookie's secret, with the last request's time (the idle timeout) and an absolute expiry. The
-- audit log names the person signed in (account_id, account_name) from now on; rows written
-- before name none.

-- +goose Up
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT      NOT NULL,
    email         TEXT      NOT NULL,
    role          TEXT      NOT NULL,
    council       TEXT      NOT NULL DEFAULT '',
    provider_id   INTEGER REFERENCES providers (id),
    level         TEXT      NOT NULL DEFAULT '',
    password_hash TEXT      NOT NULL,
    token_id      INTEGER   NOT NULL REFERENCES tokens (id),
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX accounts_email ON accounts (email);

CREATE TABLE account_sessions (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER   NOT NULL REFERENCES accounts (id),
    hash         BLOB      NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX account_sessions_hash ON account_sessions (hash);
CREATE INDEX account_sessions_account ON account_sessions (account_id);

ALTER TABLE audit_log ADD COLUMN account_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN account_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_log DROP COLUMN account_name;
ALTER TABLE audit_log DROP COLUMN account_id;
DROP TABLE account_sessions;
DROP TABLE accounts;
