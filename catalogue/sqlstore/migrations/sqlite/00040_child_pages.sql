-- The child's pages (issue 20): a confidential placement, marked by an officer when the child's
-- safety requires it; the child's page then names no area and none of the carers. And each brother
-- and sister offered together has their own say on the same offer, through their own link: what
-- they said, by child ID, as JSON (the child's own say stays in say).

-- +goose Up
ALTER TABLE children ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN sibling_says TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE offers DROP COLUMN sibling_says;
ALTER TABLE children DROP COLUMN confidential;
