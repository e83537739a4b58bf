-- Every change to a placement or its places is announced on the channel placematch_placements,
-- so that each instance of the service sharing this database refreshes its matcher's snapshot
-- at once (LISTEN/NOTIFY: delivered when the writing transaction commits, never for one rolled
-- back). The payload is the changed placements' IDs, comma-separated, or '*' when a statement
-- changed more than 500 (an import): listeners then reload everything. Statement-level
-- triggers with transition tables send one notification per statement, not one per row.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION placematch_announce(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ids) > 500 THEN
        PERFORM pg_notify('placematch_placements', '*');
    ELSIF cardinality(ids) > 0 THEN
        PERFORM pg_notify('placematch_placements', array_to_string(ids, ','));
    END IF;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION placements_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM placematch_announce(ARRAY(SELECT DISTINCT id FROM changed ORDER BY id));
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION vacancies_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM placematch_announce(ARRAY(SELECT DISTINCT placement_id FROM changed ORDER BY placement_id));
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER placements_inserted AFTER INSERT ON placements REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION placements_notify();
CREATE TRIGGER placements_updated AFTER UPDATE ON placements REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION placements_notify();
CREATE TRIGGER placements_deleted AFTER DELETE ON placements REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION placements_notify();
CREATE TRIGGER vacancies_inserted AFTER INSERT ON vacancies REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION vacancies_notify();
CREATE TRIGGER vacancies_updated AFTER UPDATE ON vacancies REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION vacancies_notify();
CREATE TRIGGER vacancies_deleted AFTER DELETE ON vacancies REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION vacancies_notify();

-- +goose Down
DROP TRIGGER vacancies_deleted ON vacancies;
DROP TRIGGER vacancies_updated ON vacancies;
DROP TRIGGER vacancies_inserted ON vacancies;
DROP TRIGGER placements_deleted ON placements;
DROP TRIGGER placements_updated ON placements;
DROP TRIGGER placements_inserted ON placements;
DROP FUNCTION vacancies_notify();
DROP FUNCTION placements_notify();
DROP FUNCTION placematch_announce(bigint[]);
