-- Refusals of sign-offs (catalogue.SignOffRefusal, issue 19): a manager who may give a sign-off
-- refuses it instead, with a written reason; who refused (token, role, level) is read from the
-- token in the writing transaction. A refusal is final for that home of that offer: the home
-- cannot be accepted on it, and the sign-off is not given after it. One refusal of each kind
-- for each home of an offer.

-- +goose Up
CREATE TABLE sign_off_refusals (
    id            INTEGER PRIMARY KEY,
    offer_id      INTEGER     NOT NULL REFERENCES offers (id),
    placement_id  INTEGER     NOT NULL REFERENCES placements (id),
    council       TEXT        NOT NULL,
    kind          TEXT        NOT NULL,
    level         TEXT        NOT NULL,
    reason        TEXT        NOT NULL,
    refused_by    INTEGER     NOT NULL,
    refused_role  TEXT        NOT NULL,
    refused_level TEXT        NOT NULL,
    refused_at    TIMESTAMP   NOT NULL
);
CREATE UNIQUE INDEX sign_off_refusals_once ON sign_off_refusals (offer_id, placement_id, kind);

-- +goose Down
DROP TABLE sign_off_refusals;
