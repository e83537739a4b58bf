-- Notifications to a child's allocated social worker (catalogue.Recipient.Worker): the address
-- is the child's allocation's e-mail, read when the notification is delivered. And the statutory
-- placement notices (catalogue.PlacementNotice, regulation 13 of the Care Planning, Placement
-- and Case Review (England) Regulations 2010): made when an offer is accepted, one for each
-- person the law names and each child moving, tracked from pending to sent (how, when, by whom);
-- the area authority's may be e-mailed through the outbox (notification_id).

-- +goose Up
ALTER TABLE notifications ADD COLUMN worker_child_id INTEGER NOT NULL DEFAULT 0;

CREATE TABLE placement_notices (
    id              INTEGER PRIMARY KEY,
    offer_id        INTEGER     NOT NULL REFERENCES offers (id),
    child_id        INTEGER     NOT NULL REFERENCES children (id),
    council         TEXT        NOT NULL,
    placement_id    INTEGER     NOT NULL REFERENCES placements (id),
    to_whom         TEXT        NOT NULL,
    area            TEXT        NOT NULL DEFAULT '',
    emergency       BOOLEAN     NOT NULL DEFAULT 0,
    due_by          TIMESTAMP   NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'pending',
    sent_at         TIMESTAMP,
    sent_how        TEXT        NOT NULL DEFAULT '',
    sent_by         INTEGER     NOT NULL DEFAULT 0,
    note            TEXT        NOT NULL DEFAULT '',
    notification_id INTEGER     NOT NULL DEFAULT 0,
    version         INTEGER     NOT NULL DEFAULT 1,
    created_at      TIMESTAMP   NOT NULL,
    CONSTRAINT placement_notices_status CHECK (status IN ('pending', 'sent')),
    CONSTRAINT placement_notices_to CHECK (to_whom IN ('area_authority', 'iro', 'school', 'gp', 'health'))
);
CREATE UNIQUE INDEX placement_notices_once ON placement_notices (offer_id, child_id, to_whom);
CREATE INDEX placement_notices_council ON placement_notices (council, id);
CREATE INDEX placement_notices_area ON placement_notices (area, id) WHERE to_whom = 'area_authority';
CREATE INDEX placement_notices_child ON placement_notices (child_id, id);
CREATE INDEX placement_notices_outbox ON placement_notices (notification_id) WHERE notification_id > 0;

-- +goose Down
DROP TABLE placement_notices;
ALTER TABLE notifications DROP COLUMN worker_child_id;
