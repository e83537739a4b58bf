-- The SSDA903 return in and out (issue 21). An episode imported from a council's return keeps
-- the return's own codes, for the export back to the return and for the demand forecast: the
-- reason for new episode (RNE), legal status (LS), category of need (CIN), placement type
-- (PLACE) and provider (PLACE_PROVIDER), the reason the episode ceased (REC), whether a reason
-- for placement change was given, the outward codes of the home and placement postcodes (never
-- the whole postcode) and the placement's Ofsted URN. All are empty for an episode recorded in
-- placematch. The child's SSDA903 id is the child's case reference (children.case_ref).

-- +goose Up
ALTER TABLE placement_episodes ADD COLUMN rne TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN legal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN need_category TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN place_code TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN provider_code TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN ceased TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN reason_given BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE placement_episodes ADD COLUMN home_district TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN placed_district TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN urn TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE placement_episodes DROP COLUMN urn;
ALTER TABLE placement_episodes DROP COLUMN placed_district;
ALTER TABLE placement_episodes DROP COLUMN home_district;
ALTER TABLE placement_episodes DROP COLUMN reason_given;
ALTER TABLE placement_episodes DROP COLUMN ceased;
ALTER TABLE placement_episodes DROP COLUMN provider_code;
ALTER TABLE placement_episodes DROP COLUMN place_code;
ALTER TABLE placement_episodes DROP COLUMN need_category;
ALTER TABLE placement_episodes DROP COLUMN legal_code;
ALTER TABLE placement_episodes DROP COLUMN rne;
