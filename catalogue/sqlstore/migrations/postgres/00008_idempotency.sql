-- Idempotency keys: the first response to a POST sent with an Idempotency-Key, replayed to
-- retries for a day so that a request retried after a lost answer does not act twice.

-- +goose Up
CREATE TABLE idempotency_keys (
    caller       text        NOT NULL,
    key          text        NOT NULL,
    route        text        NOT NULL,
    fingerprint  bytea       NOT NULL,
    state        text        NOT NULL, -- pending, done
    status       integer     NOT NULL DEFAULT 0,
    content_type text        NOT NULL DEFAULT '',
    location     text        NOT NULL DEFAULT '',
    body         bytea,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
