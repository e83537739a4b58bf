-- Staying Put and Staying Close (issue 18). Staying Put is staying on with the current foster
-- carers after 18 (Children Act 1989 s23CZA), not a search for a new home: a child's stored
-- purpose staying_put becomes long_term (the home they are looking for), and a placement's
-- approved purpose staying_put is dropped, its carers marked willing (staying_put) instead, with
-- long_term in its place when it was the only purpose. Each placement episode records where the
-- young person's placement stands on Staying Put (willing, not_willing, agreed; empty when not
-- recorded). The down migration keeps the migrated purposes: which were staying_put is not kept.

-- +goose Up
ALTER TABLE placement_episodes ADD COLUMN staying_put text NOT NULL DEFAULT '';

UPDATE children SET purpose = 'long_term' WHERE purpose = 'staying_put';

UPDATE placements SET
    staying_put = staying_put OR kind IN ('council_foster', 'agency_foster', 'kinship'),
    approval = jsonb_set(approval, '{purposes}', CASE
        WHEN (approval -> 'purposes') - 'staying_put' = '[]'::jsonb THEN '["long_term"]'::jsonb
        ELSE (approval -> 'purposes') - 'staying_put' END)
WHERE approval -> 'purposes' @> '["staying_put"]'::jsonb;

-- +goose Down
ALTER TABLE placement_episodes DROP COLUMN staying_put;
