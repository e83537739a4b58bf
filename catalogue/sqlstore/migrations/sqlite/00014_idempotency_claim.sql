-- Idempotency keys name the attempt that holds them while pending (claim), and a pending key
-- expires with its request's time limit rather than after a day: a request killed mid-way no
-- longer leaves its key answering 409 for 24 hours. The embedded store serves one process, so a
-- key still pending when this runs (at start) was held by a process that has gone: released.

-- +goose Up
ALTER TABLE idempotency_keys ADD COLUMN claim TEXT NOT NULL DEFAULT '';
DELETE FROM idempotency_keys WHERE state = 'pending';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN claim;
