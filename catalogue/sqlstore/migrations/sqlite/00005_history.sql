-- Children's placement histories (SSDA903 episodes, with the reason each placement ended), the
-- reviews that unplanned moves open for the child's independent reviewing officer, and the
-- check-ins children make after a move, with the schedule agreed with them. A child's council
-- is read from children, never copied, so a change of council moves their history with them.
--
-- Reviews and check-ins have a foreign key to their episode. The other references (an episode's
-- child, placement and provider; a review's child and next episode; a check-in's child) are
-- checked by the store in the transaction that writes them; placements and providers are never
-- deleted, and a child only by retention, which deletes their history, reviews, check-ins and
-- plan with them. A national import writes some 300,000 episodes, and on PostgreSQL a foreign key
-- check locks the row it checks: with a key from each episode to its child, writing England's
-- histories took about three times as long.
-- Dates are declared DATE and instants TIMESTAMP so that the driver reads them back as times;
-- the plan's days are JSON text.

-- +goose Up
CREATE TABLE placement_episodes (
    id             INTEGER PRIMARY KEY,
    child_id       INTEGER          NOT NULL,
    start_date     DATE             NOT NULL,
    end_date       DATE,
    reason         TEXT             NOT NULL DEFAULT '',
    setting        TEXT             NOT NULL,
    placement_id   INTEGER,
    provider_id    INTEGER,
    placed_in      TEXT             NOT NULL DEFAULT '',
    distance_km    REAL             NOT NULL DEFAULT -1,
    changed_school BOOLEAN          NOT NULL DEFAULT 0,
    created_at     TIMESTAMP        NOT NULL,
    updated_at     TIMESTAMP        NOT NULL,
    CONSTRAINT placement_episodes_dates CHECK (end_date IS NULL OR end_date > start_date),
    -- Ending a placement requires the SSDA903 reason for placement change.
    CONSTRAINT placement_episodes_reason CHECK ((end_date IS NULL) = (reason = ''))
);
CREATE INDEX placement_episodes_child ON placement_episodes (child_id, start_date);
-- A child has at most one current placement.
CREATE UNIQUE INDEX placement_episodes_current ON placement_episodes (child_id) WHERE end_date IS NULL;

CREATE TABLE move_reviews (
    id              INTEGER PRIMARY KEY,
    child_id        INTEGER     NOT NULL,
    episode_id      INTEGER     NOT NULL REFERENCES placement_episodes (id),
    next_episode_id INTEGER,
    reason          TEXT        NOT NULL,
    moved_on        DATE        NOT NULL,
    note            TEXT        NOT NULL DEFAULT '',
    reviewed_at     TIMESTAMP,
    reviewed_by     INTEGER     NOT NULL DEFAULT 0,
    outcome         TEXT        NOT NULL DEFAULT '',
    child_spoken_to BOOLEAN     NOT NULL DEFAULT 0,
    findings        TEXT        NOT NULL DEFAULT '',
    version         INTEGER     NOT NULL DEFAULT 1,
    created_at      TIMESTAMP   NOT NULL,
    updated_at      TIMESTAMP   NOT NULL,
    CONSTRAINT move_reviews_outcome CHECK ((reviewed_at IS NULL) = (outcome = ''))
);
-- One review for each placement that ended.
CREATE UNIQUE INDEX move_reviews_episode ON move_reviews (episode_id);
CREATE INDEX move_reviews_child ON move_reviews (child_id, id);
CREATE INDEX move_reviews_open ON move_reviews (child_id) WHERE reviewed_at IS NULL;

CREATE TABLE check_ins (
    id         INTEGER PRIMARY KEY,
    child_id   INTEGER     NOT NULL,
    episode_id INTEGER     NOT NULL REFERENCES placement_episodes (id),
    at         TIMESTAMP   NOT NULL,
    settled    INTEGER     NOT NULL DEFAULT 0,
    safe       INTEGER     NOT NULL DEFAULT 0,
    getting_on INTEGER     NOT NULL DEFAULT 0,
    seeing     INTEGER     NOT NULL DEFAULT 0,
    would_help TEXT        NOT NULL DEFAULT '',
    way        TEXT        NOT NULL DEFAULT '',
    CONSTRAINT check_ins_answers CHECK (settled BETWEEN 0 AND 5 AND safe BETWEEN 0 AND 5 AND
        getting_on BETWEEN 0 AND 5 AND seeing BETWEEN 0 AND 5)
);
CREATE INDEX check_ins_child ON check_ins (child_id, at);
CREATE INDEX check_ins_episode ON check_ins (episode_id);

CREATE TABLE check_in_plans (
    child_id   INTEGER     PRIMARY KEY REFERENCES children (id),
    days       TEXT        NOT NULL,
    then_every INTEGER     NOT NULL DEFAULT 0,
    agreed_at  TIMESTAMP   NOT NULL,
    version    INTEGER     NOT NULL DEFAULT 1,
    updated_at TIMESTAMP   NOT NULL
);

-- +goose Down
DROP TABLE check_in_plans;
DROP TABLE check_ins;
DROP TABLE move_reviews;
DROP TABLE placement_episodes;
