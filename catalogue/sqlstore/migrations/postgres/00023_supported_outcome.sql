-- Ofsted's three-outcome model for supported accommodation (catalogue/ofsted.go). Ofsted
-- registers and inspects the supported accommodation provider, and judges it on one of three
-- outcomes ("Social care common inspection framework (SCCIF): supported accommodation", 2024),
-- not the four-point grade children's homes and agencies get. ofsted_outcome holds a supported
-- setting's provider's outcome (consistently_strong, inconsistent, serious_weaknesses; empty
-- when not yet inspected, and for every other kind).
--
-- Supported settings stored before this migration may carry a four-point grade, which Ofsted
-- never gave them: it is moved to the nearest outcome, so that a setting the catalogue held as
-- inadequate stays never offered (inadequate -> serious_weaknesses, requires_improvement ->
-- inconsistent, good and outstanding -> consistently_strong), and the grade is cleared. An
-- administrator should confirm each against Ofsted's published report (docs/operations.md).

-- +goose Up
ALTER TABLE placements ADD COLUMN ofsted_outcome text NOT NULL DEFAULT '';
UPDATE placements SET ofsted_outcome = CASE ofsted
        WHEN 'inadequate' THEN 'serious_weaknesses'
        WHEN 'requires_improvement' THEN 'inconsistent'
        WHEN 'good' THEN 'consistently_strong'
        WHEN 'outstanding' THEN 'consistently_strong'
        ELSE '' END,
    ofsted = ''
    WHERE kind = 'supported_accommodation';

-- +goose Down
UPDATE placements SET ofsted = CASE ofsted_outcome
        WHEN 'serious_weaknesses' THEN 'inadequate'
        WHEN 'inconsistent' THEN 'requires_improvement'
        WHEN 'consistently_strong' THEN 'good'
        ELSE ofsted END
    WHERE kind = 'supported_accommodation';
ALTER TABLE placements DROP COLUMN ofsted_outcome;
