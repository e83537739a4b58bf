-- Support plans: when a match is accepted, each child moving whose needs the home's carers are
-- not trained for gets a plan attached to the placement (National Minimum Standard 15), made in
-- the transaction that accepts the offer. Its items (one for each need not covered: the level,
-- the training for the carers, therapeutic support, equipment or adaptations, and whether each
-- is arranged) are a JSON document written and read only by sqlstore's converters. A child's
-- council is read from children, never copied. A plan is closed in the transaction that ends the
-- child's placement in its home, and deleted by retention with the child's record. It names the
-- offer that made it without a foreign key: the offer is the first child's, and retention may
-- delete it with that child's record while a brother's or sister's plan from it goes on.

-- +goose Up
CREATE TABLE support_plans (
    id            INTEGER PRIMARY KEY,
    child_id      INTEGER   NOT NULL REFERENCES children (id),
    placement_id  INTEGER   NOT NULL REFERENCES placements (id),
    offer_id      INTEGER   NOT NULL,
    status        TEXT      NOT NULL,
    items         TEXT      NOT NULL,
    closed_reason TEXT      NOT NULL DEFAULT '',
    closed_at     TIMESTAMP,
    version       INTEGER   NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CONSTRAINT support_plans_status CHECK (status IN ('open', 'arranged', 'closed')),
    CONSTRAINT support_plans_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
-- One plan for each child an accepted offer moves.
CREATE UNIQUE INDEX support_plans_offer_child ON support_plans (offer_id, child_id);
CREATE INDEX support_plans_child ON support_plans (child_id, id);
CREATE INDEX support_plans_in_force ON support_plans (placement_id) WHERE status <> 'closed';

-- +goose Down
DROP TABLE support_plans;
