-- The outbox of notifications (catalogue.Notification): what happened, for a provider or a
-- council's team, written in the transaction of the event that causes it and delivered by
-- e-mail by a worker that claims each row (claim, claimed_until) for one attempt at a time.
-- A notification holds no child's data: its words name records by their IDs. And the e-mail
-- address an administrator sets for each provider and council team.

-- +goose Up
CREATE TABLE notifications (
    id              INTEGER   PRIMARY KEY,
    kind            TEXT      NOT NULL,
    provider_id     INTEGER   NOT NULL DEFAULT 0, -- a provider; or 0 and council and team
    council         TEXT      NOT NULL DEFAULT '',
    team            TEXT      NOT NULL DEFAULT '',
    subject         TEXT      NOT NULL,
    body            TEXT      NOT NULL,
    link            TEXT      NOT NULL,
    status          TEXT      NOT NULL DEFAULT 'pending',
    attempts        INTEGER   NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    last_error      TEXT      NOT NULL DEFAULT '',
    claim           TEXT      NOT NULL DEFAULT '',
    claimed_until   TIMESTAMP NOT NULL,
    CONSTRAINT notifications_status CHECK (status IN ('pending', 'sent', 'failed')),
    CONSTRAINT notifications_recipient CHECK ((provider_id > 0) <> (council <> ''))
);
CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX notifications_provider ON notifications (provider_id, id) WHERE provider_id > 0;
CREATE INDEX notifications_council ON notifications (council, id) WHERE council <> '';

CREATE TABLE notification_addresses (
    provider_id INTEGER   NOT NULL DEFAULT 0,
    council     TEXT      NOT NULL DEFAULT '',
    team        TEXT      NOT NULL DEFAULT '',
    email       TEXT      NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (provider_id, council, team)
);

-- +goose Down
DROP TABLE notification_addresses;
DROP TABLE notifications;
