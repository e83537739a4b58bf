-- Children's links for their check-ins. A link (offer_links, which keeps its name) and the
-- session it opens (child_sessions) are now for a purpose: an offer (offer_id set: the child's
-- choices of home) or the child's check-ins after a move (offer_id empty). Every link and session
-- names its child, so that retention deletes both kinds with the child's record, and a check-in
-- session reads its child's council from children, never a copy. Tokens and secrets stay
-- SHA-256 hashes only.
--
-- SQLite cannot drop a column's NOT NULL, so both tables are rebuilt, in the migration's
-- transaction and with foreign keys enforced: the new tables are made and filled (each row's
-- child from its offer), the old ones dropped (sessions first: they refer to links; nothing
-- refers to sessions), and the new ones renamed, which also renames the sessions' reference to
-- their links. IDs are kept, so the sessions' links stay theirs.
--
-- A check-in can also ask for an advocate (advocate_requested), alone or with answers.

-- +goose Up
CREATE TABLE offer_links_v9 (
    id          INTEGER PRIMARY KEY,
    purpose     TEXT      NOT NULL,
    offer_id    INTEGER   REFERENCES offers (id),
    child_id    INTEGER   NOT NULL REFERENCES children (id),
    hash        BLOB      NOT NULL,
    created_by  INTEGER   NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    redeemed_at TIMESTAMP,
    revoked_at  TIMESTAMP,
    CONSTRAINT offer_links_purpose CHECK (
        (purpose = 'offer' AND offer_id IS NOT NULL) OR (purpose = 'check_in' AND offer_id IS NULL))
);
INSERT INTO offer_links_v9 (id, purpose, offer_id, child_id, hash, created_by, created_at, expires_at, redeemed_at, revoked_at)
SELECT l.id, 'offer', l.offer_id, o.child_id, l.hash, l.created_by, l.created_at, l.expires_at, l.redeemed_at, l.revoked_at
FROM offer_links l JOIN offers o ON o.id = l.offer_id;

CREATE TABLE child_sessions_v9 (
    id         INTEGER PRIMARY KEY,
    purpose    TEXT      NOT NULL,
    offer_id   INTEGER   REFERENCES offers (id),
    child_id   INTEGER   NOT NULL REFERENCES children (id),
    link_id    INTEGER   NOT NULL REFERENCES offer_links_v9 (id),
    hash       BLOB      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    CONSTRAINT child_sessions_purpose CHECK (
        (purpose = 'offer' AND offer_id IS NOT NULL) OR (purpose = 'check_in' AND offer_id IS NULL))
);
INSERT INTO child_sessions_v9 (id, purpose, offer_id, child_id, link_id, hash, created_at, expires_at, revoked_at)
SELECT s.id, 'offer', s.offer_id, o.child_id, s.link_id, s.hash, s.created_at, s.expires_at, s.revoked_at
FROM child_sessions s JOIN offers o ON o.id = s.offer_id;

DROP TABLE child_sessions;
DROP TABLE offer_links;
ALTER TABLE offer_links_v9 RENAME TO offer_links;
ALTER TABLE child_sessions_v9 RENAME TO child_sessions;

CREATE UNIQUE INDEX offer_links_hash ON offer_links (hash);
CREATE INDEX offer_links_offer ON offer_links (offer_id, id);
CREATE INDEX offer_links_child ON offer_links (child_id, purpose, id);
CREATE UNIQUE INDEX child_sessions_hash ON child_sessions (hash);
CREATE INDEX child_sessions_offer ON child_sessions (offer_id, id);
CREATE INDEX child_sessions_child ON child_sessions (child_id, purpose, id);
-- A link opens one session, once.
CREATE UNIQUE INDEX child_sessions_link ON child_sessions (link_id);

ALTER TABLE check_ins ADD COLUMN advocate_requested INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE check_ins DROP COLUMN advocate_requested;

CREATE TABLE offer_links_v8 (
    id          INTEGER PRIMARY KEY,
    offer_id    INTEGER   NOT NULL REFERENCES offers (id),
    hash        BLOB      NOT NULL,
    created_by  INTEGER   NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    redeemed_at TIMESTAMP,
    revoked_at  TIMESTAMP
);
INSERT INTO offer_links_v8 (id, offer_id, hash, created_by, created_at, expires_at, redeemed_at, revoked_at)
SELECT id, offer_id, hash, created_by, created_at, expires_at, redeemed_at, revoked_at FROM offer_links WHERE purpose = 'offer';

CREATE TABLE child_sessions_v8 (
    id         INTEGER PRIMARY KEY,
    offer_id   INTEGER   NOT NULL REFERENCES offers (id),
    link_id    INTEGER   NOT NULL REFERENCES offer_links_v8 (id),
    hash       BLOB      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
INSERT INTO child_sessions_v8 (id, offer_id, link_id, hash, created_at, expires_at, revoked_at)
SELECT id, offer_id, link_id, hash, created_at, expires_at, revoked_at FROM child_sessions WHERE purpose = 'offer';

DROP TABLE child_sessions;
DROP TABLE offer_links;
ALTER TABLE offer_links_v8 RENAME TO offer_links;
ALTER TABLE child_sessions_v8 RENAME TO child_sessions;

CREATE UNIQUE INDEX offer_links_hash ON offer_links (hash);
CREATE INDEX offer_links_offer ON offer_links (offer_id, id);
CREATE UNIQUE INDEX child_sessions_hash ON child_sessions (hash);
CREATE INDEX child_sessions_offer ON child_sessions (offer_id, id);
CREATE UNIQUE INDEX child_sessions_link ON child_sessions (link_id);
