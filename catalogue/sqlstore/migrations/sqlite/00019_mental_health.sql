-- Mental health and liberty in the needs model (issue 17): a child's SDQ band (never the score),
-- whether they are open to CAMHS, and whether a deprivation of liberty order binds where they
-- live; a placement's record that it can meet the conditions of such an order. The new kinds of
-- need and skill live in the existing JSON lists and need no column. Rows stored before this
-- migration read as not recorded, not open to CAMHS, no order, and a home that has not recorded
-- it can meet an order's conditions.

-- +goose Up
ALTER TABLE children ADD COLUMN sdq_band TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN camhs BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN deprivation_of_liberty BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE placements ADD COLUMN dol_conditions BOOLEAN NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE placements DROP COLUMN dol_conditions;
ALTER TABLE children DROP COLUMN deprivation_of_liberty;
ALTER TABLE children DROP COLUMN camhs;
ALTER TABLE children DROP COLUMN sdq_band;
