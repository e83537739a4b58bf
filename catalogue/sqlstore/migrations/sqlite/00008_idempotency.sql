-- Idempotency keys: the first response to a POST sent with an Idempotency-Key, replayed to
-- retries for a day so that a request retried after a lost answer does not act twice.

-- +goose Up
CREATE TABLE idempotency_keys (
    caller       TEXT      NOT NULL,
    key          TEXT      NOT NULL,
    route        TEXT      NOT NULL,
    fingerprint  BLOB      NOT NULL,
    state        TEXT      NOT NULL,
    status       INTEGER   NOT NULL DEFAULT 0,
    content_type TEXT      NOT NULL DEFAULT '',
    location     TEXT      NOT NULL DEFAULT '',
    body         BLOB,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
