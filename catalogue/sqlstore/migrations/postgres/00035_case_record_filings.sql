-- The care record first (issue 23 item 3). A decided offer (accepted, declined or placed: the
-- options, what the child chose and said, the decision and its reason, the sign-offs and the
-- reviews of the move) is part of the child's case record, which the council keeps until the
-- 75th birthday (regulation 50 of the Care Planning, Placement and Case Review (England)
-- Regulations 2010). placematch is not that record: it hands the council's case system a copy
-- and records here that it was filed there (who, when, the case system's reference). Retention
-- deletes no decision record without its row here. One row per offer: filing again changes
-- nothing.

-- +goose Up
CREATE TABLE case_record_filings (
    offer_id   bigint      PRIMARY KEY REFERENCES offers (id),
    child_id   bigint      NOT NULL REFERENCES children (id),
    council    text        NOT NULL,
    reference  text        NOT NULL,
    filed_by   bigint      NOT NULL DEFAULT 0,
    filed_role text        NOT NULL DEFAULT '',
    filed_at   timestamptz NOT NULL
);
CREATE INDEX case_record_filings_child ON case_record_filings (child_id);

-- +goose Down
DROP TABLE case_record_filings;
