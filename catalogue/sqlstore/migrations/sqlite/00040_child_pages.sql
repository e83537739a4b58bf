-- The child's pages (issue 20): a confidential placement, marked by an officer when the child's
-- safety requires it; the child's page then names no area and none of the carers.

-- +goose Up
ALTER TABLE children ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE children DROP COLUMN confidential;
