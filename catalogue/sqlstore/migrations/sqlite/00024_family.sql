-- Family first, contact as it really is (issue 18). As the PostgreSQL migration of the same
-- number says: contact types in place of the flag "safe" (safe: direct; not safe: supervised at a
-- centre not yet recorded, with a person who must not know where the child lives), the officer's
-- reason for not ranking connected persons first, and the family network with its viability
-- assessments.

-- +goose Up
ALTER TABLE children ADD COLUMN kin_not_first_reason TEXT NOT NULL DEFAULT '';

UPDATE children SET contacts = (
    SELECT coalesce(json_group_array(json(c)), '[]') FROM (
        SELECT CASE
            WHEN json_type(e.value, '$.type') IS NOT NULL THEN e.value
            WHEN coalesce(json_extract(e.value, '$.safe'), 0) THEN json_set(json_remove(e.value, '$.safe'), '$.type', 'direct')
            ELSE json_set(json_remove(e.value, '$.safe'), '$.type', 'supervised', '$.must_not_know', json('true'))
        END AS c
        FROM json_each(children.contacts) AS e ORDER BY e.key))
WHERE json_array_length(contacts) > 0;

CREATE TABLE family_network (
    id               INTEGER PRIMARY KEY,
    child_id         INTEGER   NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    council          TEXT      NOT NULL,
    name             TEXT      NOT NULL,
    relationship     TEXT      NOT NULL,
    named_by         TEXT      NOT NULL,
    lat              REAL      NOT NULL DEFAULT 0,
    lng              REAL      NOT NULL DEFAULT 0,
    assessment_due   DATE      NOT NULL,
    outcome          TEXT      NOT NULL,
    outcome_on       DATE,
    outcome_reason   TEXT      NOT NULL DEFAULT '',
    placement_id     INTEGER   REFERENCES placements (id),
    version          INTEGER   NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX family_network_child ON family_network (child_id, id);

-- +goose Down
DROP TABLE family_network;

UPDATE children SET contacts = (
    SELECT coalesce(json_group_array(json(c)), '[]') FROM (
        SELECT json_set(json_remove(e.value, '$.type', '$.centre', '$.must_not_know'), '$.safe',
            json(CASE WHEN json_extract(e.value, '$.type') = 'direct' AND NOT coalesce(json_extract(e.value, '$.must_not_know'), 0)
                 THEN 'true' ELSE 'false' END)) AS c
        FROM json_each(children.contacts) AS e ORDER BY e.key))
WHERE json_array_length(contacts) > 0;

ALTER TABLE children DROP COLUMN kin_not_first_reason;
