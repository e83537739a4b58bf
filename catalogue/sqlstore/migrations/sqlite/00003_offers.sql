-- Offers to children (two choices and a back-up), the private links sent to them and the
-- sessions those links open. A link's token and a session's secret are kept as SHA-256 hashes
-- only. Options, the child's say and the decision are JSON text written and read only by
-- sqlstore's converters.

-- +goose Up
CREATE TABLE offers (
    id               INTEGER PRIMARY KEY,
    child_id         INTEGER   NOT NULL REFERENCES children (id),
    council          TEXT      NOT NULL,
    run_id           INTEGER   NOT NULL DEFAULT 0, -- the match run that made it; 0: one child's options
    policy_version   INTEGER   NOT NULL DEFAULT 0,
    status           TEXT      NOT NULL,
    siblings         TEXT      NOT NULL DEFAULT '[]',
    options          TEXT      NOT NULL,
    say              TEXT      NOT NULL DEFAULT '{}',
    decision         TEXT,
    withdrawn_reason TEXT      NOT NULL DEFAULT '',
    version          INTEGER   NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP,
    placed_at        TIMESTAMP,
    CONSTRAINT offers_status CHECK (status IN ('proposed', 'sent', 'viewed', 'preference_given', 'accepted',
                                               'declined', 'placed', 'withdrawn'))
);
CREATE INDEX offers_council ON offers (council, id);
CREATE INDEX offers_child ON offers (child_id, id);
CREATE INDEX offers_status ON offers (status, id);
CREATE INDEX offers_run ON offers (run_id, id) WHERE run_id <> 0;
-- A child has at most one offer waiting for a decision or accepted at a time.
CREATE UNIQUE INDEX offers_one_open ON offers (child_id)
    WHERE status IN ('proposed', 'sent', 'viewed', 'preference_given', 'accepted');

CREATE TABLE offer_links (
    id          INTEGER PRIMARY KEY,
    offer_id    INTEGER   NOT NULL REFERENCES offers (id),
    hash        BLOB      NOT NULL,
    created_by  INTEGER   NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    redeemed_at TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE UNIQUE INDEX offer_links_hash ON offer_links (hash);
CREATE INDEX offer_links_offer ON offer_links (offer_id, id);

CREATE TABLE child_sessions (
    id         INTEGER PRIMARY KEY,
    offer_id   INTEGER   NOT NULL REFERENCES offers (id),
    link_id    INTEGER   NOT NULL REFERENCES offer_links (id),
    hash       BLOB      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX child_sessions_hash ON child_sessions (hash);
CREATE INDEX child_sessions_offer ON child_sessions (offer_id, id);
-- A link opens one session, once.
CREATE UNIQUE INDEX child_sessions_link ON child_sessions (link_id);

-- +goose Down
DROP TABLE child_sessions;
DROP TABLE offer_links;
DROP TABLE offers;
