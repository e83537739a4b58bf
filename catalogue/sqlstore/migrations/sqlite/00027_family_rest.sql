-- Family first, the rest (issue 18).
--
-- Placement with parents considered first (Children Act 1989 s22C(2)-(4)): the officer's record
-- on the child that placement with a parent (or a person with parental responsibility, or who
-- held a child arrangements order) was considered, on which day, which limb of s22C(4) sets it
-- aside (not_consistent_with_welfare, not_reasonably_practicable) and why in their words. NULL
-- parents_considered_on: not recorded; a child with no placement going on is then not searched
-- for, referred or offered a home. Existing children are left unrecorded: the law asks for the
-- officer's decision, which a migration cannot make.
--
-- Staying Put agreed during a placement: each placement episode gets a version (a change with
-- a stale one conflicts) and the day its Staying Put arrangement was agreed, when recorded.
--
-- Kin caring outside care: a family network member may already care for the child by family
-- arrangement, under a child arrangements order or as special guardian (caring; empty: not).

-- +goose Up
ALTER TABLE children ADD COLUMN parents_considered_on DATE;
ALTER TABLE children ADD COLUMN parents_not TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN parents_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE placement_episodes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE placement_episodes ADD COLUMN staying_put_agreed_on DATE;
ALTER TABLE family_network ADD COLUMN caring TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE family_network DROP COLUMN caring;
ALTER TABLE placement_episodes DROP COLUMN staying_put_agreed_on;
ALTER TABLE placement_episodes DROP COLUMN version;
ALTER TABLE children DROP COLUMN parents_reason;
ALTER TABLE children DROP COLUMN parents_not;
ALTER TABLE children DROP COLUMN parents_considered_on;
