-- Time to settle (issue 20, item 7; catalogue/settling.go): when a child moves under an offer,
-- the offer's back-up is asked to be held for the council's settling period. Its provider
-- agrees (holding one place per child who moved: vacancies.status 'held' for the child, listed
-- in held) or declines; the hold ends when the period does (ends), or earlier when the officer
-- releases it or the provider withdraws, or it is offered to the child (new_offer_id, with the
-- accepted referral that carries the agreement: referral_id). weekly_retainer is what the
-- council pays the provider for holding the place: never the child's placement cost. Retention
-- deletes a child's holds with their record.

-- +goose Up
CREATE TABLE settling_holds (
    id              INTEGER PRIMARY KEY,
    offer_id        INTEGER   NOT NULL REFERENCES offers (id),
    child_id        INTEGER   NOT NULL REFERENCES children (id),
    siblings        TEXT      NOT NULL DEFAULT '[]',
    council         TEXT      NOT NULL,
    placement_id    INTEGER   NOT NULL REFERENCES placements (id),
    provider_id     INTEGER   NOT NULL,
    status          TEXT      NOT NULL,
    weeks           INTEGER   NOT NULL,
    ends            TIMESTAMP NOT NULL,
    weekly_retainer INTEGER   NOT NULL DEFAULT 0,
    note            TEXT      NOT NULL DEFAULT '',
    held            TEXT      NOT NULL DEFAULT '[]',
    answered_by     INTEGER   NOT NULL DEFAULT 0,
    answered_at     TIMESTAMP,
    released_at     TIMESTAMP,
    release_reason  TEXT      NOT NULL DEFAULT '',
    new_offer_id    INTEGER REFERENCES offers (id),
    referral_id     INTEGER REFERENCES referrals (id),
    version         INTEGER   NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CONSTRAINT settling_holds_status CHECK (status IN ('requested', 'agreed', 'declined', 'released', 'offered')),
    CONSTRAINT settling_holds_weeks CHECK (weeks BETWEEN 1 AND 12),
    CONSTRAINT settling_holds_retainer CHECK (weekly_retainer BETWEEN 0 AND 50000)
);
CREATE INDEX settling_holds_council ON settling_holds (council, id);
CREATE INDEX settling_holds_provider ON settling_holds (provider_id, id);
CREATE INDEX settling_holds_child ON settling_holds (child_id, id);
CREATE INDEX settling_holds_live ON settling_holds (ends) WHERE status IN ('requested', 'agreed');
-- One settling hold for each offer a child moved under.
CREATE UNIQUE INDEX settling_holds_offer ON settling_holds (offer_id);

-- +goose Down
DROP TABLE settling_holds;
