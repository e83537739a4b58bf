-- Referrals of children to the providers of homes (catalogue.Referral): sent -> viewed ->
-- accepted | declined | expired | withdrawn, with the provider's answer as a JSON text document
-- written and read only by sqlstore's converters. An acceptance holds places (vacancies.status
-- 'held' for the child) until hold_until. Each child's allocated social worker and team
-- (catalogue.Allocation). An offer may record why it gives the child one choice only.

-- +goose Up
CREATE TABLE referrals (
    id           INTEGER PRIMARY KEY,
    child_id     INTEGER      NOT NULL REFERENCES children (id),
    council      TEXT        NOT NULL,
    siblings     TEXT       NOT NULL DEFAULT '[]',
    placement_id INTEGER      NOT NULL REFERENCES placements (id),
    provider_id  INTEGER      NOT NULL,
    run_id       INTEGER      NOT NULL DEFAULT 0,
    emergency    BOOLEAN     NOT NULL DEFAULT 0,
    status       TEXT        NOT NULL,
    deadline     TIMESTAMP NOT NULL,
    hold_until   TIMESTAMP,
    held         TEXT       NOT NULL DEFAULT '[]',
    response     TEXT,
    reason       TEXT        NOT NULL DEFAULT '',
    sent_by      INTEGER      NOT NULL DEFAULT 0,
    version      INTEGER     NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    viewed_at    TIMESTAMP,
    reminded_at  TIMESTAMP,
    CONSTRAINT referrals_status CHECK (status IN ('sent', 'viewed', 'accepted', 'declined', 'expired', 'withdrawn'))
);
CREATE INDEX referrals_council ON referrals (council, id);
CREATE INDEX referrals_child ON referrals (child_id, id);
CREATE INDEX referrals_provider ON referrals (provider_id, id);
CREATE INDEX referrals_live ON referrals (status, deadline) WHERE status IN ('sent', 'viewed', 'accepted');
-- A child has at most one live referral to a home.
CREATE UNIQUE INDEX referrals_one_live ON referrals (child_id, placement_id)
    WHERE status IN ('sent', 'viewed', 'accepted');

CREATE TABLE child_allocations (
    child_id      INTEGER     PRIMARY KEY REFERENCES children (id),
    social_worker TEXT        NOT NULL,
    team          TEXT        NOT NULL,
    email         TEXT        NOT NULL DEFAULT '',
    version       INTEGER     NOT NULL DEFAULT 1,
    updated_at    TIMESTAMP NOT NULL
);

ALTER TABLE offers ADD COLUMN one_choice_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE offers DROP COLUMN one_choice_reason;
DROP TABLE child_allocations;
DROP TABLE referrals;
