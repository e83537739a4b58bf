-- A match run counts the offers it took out because two children of the run offered the same
-- home could not live there together (matcher.MatchResult.Separated): an officer reading the
-- run sees how often the household rules between its children changed the answer.

-- +goose Up
ALTER TABLE match_runs ADD COLUMN separated INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE match_runs DROP COLUMN separated;
