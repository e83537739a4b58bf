-- Sharing agreements (catalogue.SharingAgreement): which councils may use which council's own
-- foster carers, council to council (the owner first, then the receiving council, one way or
-- both) or in a regional pool of member councils, for some kinds of care, from one day to
-- another. Members and kinds are lists written with a comma before and after each item
-- (',E08000035,E06000003,'), so that "agreements this council is a member of" is one LIKE on
-- either backend; days are 'YYYY-MM-DD' ('' for no last day), compared as text. Only
-- sqlstore's converters read and write them. A placement's owning council is not stored: it is
-- its provider's council, read with the placement.

-- +goose Up
CREATE TABLE sharing_agreements (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    members    TEXT NOT NULL,
    one_way    BOOLEAN NOT NULL DEFAULT FALSE,
    kinds      TEXT NOT NULL,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT sharing_agreements_kind CHECK (kind IN ('council_to_council', 'regional_pool')),
    CONSTRAINT sharing_agreements_days CHECK (to_day = '' OR to_day >= from_day)
);

-- +goose Down
DROP TABLE sharing_agreements;
