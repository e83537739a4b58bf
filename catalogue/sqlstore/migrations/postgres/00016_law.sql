-- The law's facts about a home (catalogue/law.go). registration is a children's home's or
-- supported accommodation provider's standing with Ofsted (registered, suspended, cancelled,
-- none; empty for family homes); temporary_approval is a connected person's temporary approval
-- under regulation 24 of the Care Planning, Placement and Case Review (England) Regulations
-- 2010 ({"from": date, "extended": bool}), NULL when there is none. A family home's approval
-- dates and a fostering-limit exemption live in the approval document.
--
-- Homes and supported accommodation stored before this migration are taken as registered when
-- they carry an Ofsted URN, and as not registered otherwise: an administrator records the
-- regulator's word. Family homes stored before it have no approval dates, so they are not
-- offered until their keeper records them (docs/operations.md).

-- +goose Up
ALTER TABLE placements ADD COLUMN registration text NOT NULL DEFAULT '';
ALTER TABLE placements ADD COLUMN temporary_approval jsonb;
UPDATE placements SET registration = CASE WHEN urn <> '' THEN 'registered' ELSE 'none' END
    WHERE kind IN ('childrens_home', 'supported_accommodation');

-- +goose Down
ALTER TABLE placements DROP COLUMN temporary_approval;
ALTER TABLE placements DROP COLUMN registration;
