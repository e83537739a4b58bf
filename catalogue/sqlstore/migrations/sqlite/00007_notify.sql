-- The embedded store serves one instance, which refreshes its own snapshot: nothing to announce.
-- (On PostgreSQL this version adds the triggers that NOTIFY other instances.)

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
