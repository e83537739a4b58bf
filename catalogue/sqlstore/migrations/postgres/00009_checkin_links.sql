-- Children's links for their check-ins. A link (offer_links, which keeps its name) and the
-- session it opens (child_sessions) are now for a purpose: an offer (offer_id set: the child's
-- choices of home) or the child's check-ins after a move (offer_id empty). Every link and session
-- names its child, so that retention deletes both kinds with the child's record, and a check-in
-- session reads its child's council from children, never a copy. Tokens and secrets stay
-- SHA-256 hashes only.
--
-- A check-in can also ask for an advocate (advocate_requested), alone or with answers.

-- +goose Up
ALTER TABLE offer_links ADD COLUMN purpose text NOT NULL DEFAULT 'offer';
ALTER TABLE offer_links ADD COLUMN child_id bigint REFERENCES children (id);
UPDATE offer_links l SET child_id = o.child_id FROM offers o WHERE o.id = l.offer_id;
ALTER TABLE offer_links ALTER COLUMN child_id SET NOT NULL;
ALTER TABLE offer_links ALTER COLUMN offer_id DROP NOT NULL;
ALTER TABLE offer_links ALTER COLUMN purpose DROP DEFAULT;
ALTER TABLE offer_links ADD CONSTRAINT offer_links_purpose CHECK (
    (purpose = 'offer' AND offer_id IS NOT NULL) OR (purpose = 'check_in' AND offer_id IS NULL));
CREATE INDEX offer_links_child ON offer_links (child_id, purpose, id);

ALTER TABLE child_sessions ADD COLUMN purpose text NOT NULL DEFAULT 'offer';
ALTER TABLE child_sessions ADD COLUMN child_id bigint REFERENCES children (id);
UPDATE child_sessions s SET child_id = o.child_id FROM offers o WHERE o.id = s.offer_id;
ALTER TABLE child_sessions ALTER COLUMN child_id SET NOT NULL;
ALTER TABLE child_sessions ALTER COLUMN offer_id DROP NOT NULL;
ALTER TABLE child_sessions ALTER COLUMN purpose DROP DEFAULT;
ALTER TABLE child_sessions ADD CONSTRAINT child_sessions_purpose CHECK (
    (purpose = 'offer' AND offer_id IS NOT NULL) OR (purpose = 'check_in' AND offer_id IS NULL));
CREATE INDEX child_sessions_child ON child_sessions (child_id, purpose, id);

ALTER TABLE check_ins ADD COLUMN advocate_requested boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE check_ins DROP COLUMN advocate_requested;

DELETE FROM child_sessions WHERE purpose <> 'offer';
DROP INDEX child_sessions_child;
ALTER TABLE child_sessions DROP CONSTRAINT child_sessions_purpose;
ALTER TABLE child_sessions ALTER COLUMN offer_id SET NOT NULL;
ALTER TABLE child_sessions DROP COLUMN child_id;
ALTER TABLE child_sessions DROP COLUMN purpose;

DELETE FROM offer_links WHERE purpose <> 'offer';
DROP INDEX offer_links_child;
ALTER TABLE offer_links DROP CONSTRAINT offer_links_purpose;
ALTER TABLE offer_links ALTER COLUMN offer_id SET NOT NULL;
ALTER TABLE offer_links DROP COLUMN child_id;
ALTER TABLE offer_links DROP COLUMN purpose;
