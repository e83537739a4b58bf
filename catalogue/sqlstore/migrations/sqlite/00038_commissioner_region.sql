-- A commissioner may be scoped to a region (a regional care co-operative's, issue 21): tokens and
-- accounts carry the region's ONS code ('' for everyone else). A region's commissioner sees the
-- region's and its councils' sufficiency figures unwithheld (sufficiency.Report.For).

-- +goose Up
ALTER TABLE tokens ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN region TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE accounts DROP COLUMN region;
ALTER TABLE tokens DROP COLUMN region;
