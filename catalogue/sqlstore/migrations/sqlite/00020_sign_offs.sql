-- Sign-offs (catalogue.SignOff): a manager's approval, with a reason, of what accepting one home
-- of an offer needs (out of area, Key Stage 4 school move, high cost, a children's home under 12);
-- who gave it (token, role, level) is read from the token in the writing transaction. One of
-- each kind for each home of an offer. A director's override of a home's inadequate rating for
-- one child (catalogue.InadequateOverride) lets the search consider that home for that child
-- only, and stands as the offer's inadequate_override sign-off. Managers' tokens carry a level.

-- +goose Up
ALTER TABLE tokens ADD COLUMN level TEXT NOT NULL DEFAULT '';

CREATE TABLE sign_offs (
    id           INTEGER PRIMARY KEY,
    offer_id     INTEGER     NOT NULL REFERENCES offers (id),
    placement_id INTEGER     NOT NULL REFERENCES placements (id),
    council       TEXT        NOT NULL,
    kind          TEXT        NOT NULL,
    level         TEXT        NOT NULL,
    reason        TEXT        NOT NULL,
    given_by     INTEGER     NOT NULL,
    given_role    TEXT        NOT NULL,
    given_level   TEXT        NOT NULL,
    given_at     TIMESTAMP   NOT NULL
);
CREATE UNIQUE INDEX sign_offs_once ON sign_offs (offer_id, placement_id, kind);

CREATE TABLE inadequate_overrides (
    id           INTEGER PRIMARY KEY,
    child_id     INTEGER     NOT NULL REFERENCES children (id),
    placement_id INTEGER     NOT NULL REFERENCES placements (id),
    council       TEXT        NOT NULL,
    reason        TEXT        NOT NULL,
    given_by     INTEGER     NOT NULL,
    given_level   TEXT        NOT NULL,
    given_at     TIMESTAMP   NOT NULL
);
CREATE UNIQUE INDEX inadequate_overrides_once ON inadequate_overrides (child_id, placement_id);

-- +goose Down
DROP TABLE inadequate_overrides;
DROP TABLE sign_offs;
ALTER TABLE tokens DROP COLUMN level;
