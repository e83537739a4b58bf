-- A placement's own words reach a child only once an officer or administrator, never their
-- author, has approved that exact text (catalogue.ProfileReview). One document beside the text
-- says who last wrote it and which text (its SHA-256) was approved, by whom and when; the store
-- writes it in the same statement as the text, and any change to the text clears the approval.
-- Profiles stored before this migration start unapproved ('{}'): a reviewer must read them.

-- +goose Up
ALTER TABLE placements ADD COLUMN profile_review TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE placements DROP COLUMN profile_review;
