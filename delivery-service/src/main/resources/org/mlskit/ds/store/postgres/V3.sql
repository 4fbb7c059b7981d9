-- Schema 3: the rooms each write generation changed (a NULL room: possibly any), so a writer that
-- sees another instance's change forgets the facts of those rooms only. Old rows are pruned.
CREATE TABLE fact_changes (generation BIGINT NOT NULL, group_id BYTEA);
CREATE INDEX fact_changes_generation ON fact_changes (generation);
