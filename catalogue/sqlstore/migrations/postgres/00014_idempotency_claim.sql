-- Idempotency keys name the attempt that holds them while pending (claim), and a pending key
-- expires with its request's time limit rather than after a day: a request killed mid-way no
-- longer leaves its key answering 409 for 24 hours. Keys pending when this runs get a minute
-- from their claim (another instance may still be handling one).

-- +goose Up
ALTER TABLE idempotency_keys ADD COLUMN claim text NOT NULL DEFAULT '';
UPDATE idempotency_keys SET expires_at = LEAST(expires_at, created_at + interval '1 minute') WHERE state = 'pending';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN claim;
