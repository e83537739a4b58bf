-- Framework prices (catalogue.FrameworkPrice): a council's weekly price for one kind of care,
-- against which the commissioners' report sets the fees providers offer. One row per council
-- and kind. Referrals are read by the day they were sent for the report's referral figures.

-- +goose Up
CREATE TABLE framework_prices (
    council      text        NOT NULL,
    kind         text        NOT NULL,
    weekly_price integer     NOT NULL,
    note         text        NOT NULL DEFAULT '',
    version      integer     NOT NULL DEFAULT 1,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (council, kind),
    CONSTRAINT framework_prices_kind CHECK (kind IN ('council_foster', 'agency_foster', 'kinship', 'childrens_home', 'supported_accommodation')),
    CONSTRAINT framework_prices_price CHECK (weekly_price > 0)
);
CREATE INDEX referrals_created ON referrals (created_at, id);

-- +goose Down
DROP INDEX referrals_created;
DROP TABLE framework_prices;
