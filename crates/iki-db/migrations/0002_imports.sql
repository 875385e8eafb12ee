-- Schema version 2: which import run saw each path.
--
-- Every `iki extract --db` run adds one `imports` row; the `document_sources` rows it adds
-- point at it. Rows imported under version 1 keep import_id null (their run is unknown).

CREATE TABLE imports (
    id {{id}},
    started_at TEXT NOT NULL,             -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
    iki_version TEXT NOT NULL
);

ALTER TABLE document_sources ADD COLUMN import_id BIGINT REFERENCES imports (id);
