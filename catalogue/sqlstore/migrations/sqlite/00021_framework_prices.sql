-- Framework prices (catalogue.FrameworkPrice): a council's weekly price for one kind of care,
-- against which the commissioners' report sets the fees providers offer. One row per council
-- and kind. Referrals are read by the day they were sent for the report's referral figures.

-- +goose Up
CREATE TABLE framework_prices (
    council      TEXT      NOT NULL,
    kind         TEXT      NOT NULL,
    weekly_price INTEGER   NOT NULL,
    note         TEXT      NOT NULL DEFAULT '',
    version      INTEGER   NOT NULL DEFAULT 1,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (council, kind),
    CONSTRAINT framework_prices_kind CHECK (kind IN ('council_foster', 'agency_foster', 'kinship', 'childrens_home', 'supported_accommodation')),
    CONSTRAINT framework_prices_price CHECK (weekly_price > 0)
);
CREATE INDEX referrals_created ON referrals (created_at, id);

-- +goose Down
DROP INDEX referrals_created;
DROP TABLE framework_prices;
