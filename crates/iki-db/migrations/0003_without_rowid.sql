-- Schema version 3 (SQLite only; nothing changes in PostgreSQL): the tables keyed by their
-- primary key alone are WITHOUT ROWID, so a row is one b-tree entry instead of two (the rowid
-- table and the primary-key index). Bulk import writes a third less; the columns are the same.
-- Each table is rebuilt with its rows; its indexes are made again.

CREATE TABLE document_sources_v3 (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    archive TEXT,
    entry TEXT,
    import_id BIGINT REFERENCES imports (id),
    PRIMARY KEY (document_id, path)
) WITHOUT ROWID;
INSERT INTO document_sources_v3 SELECT document_id, path, archive, entry, import_id FROM document_sources;
DROP TABLE document_sources;
ALTER TABLE document_sources_v3 RENAME TO document_sources;
CREATE INDEX document_sources_path ON document_sources (path);

CREATE TABLE records_v3 (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    start_line BIGINT NOT NULL,
    end_line BIGINT NOT NULL,
    heading TEXT,
    year BIGINT,
    organization TEXT,
    jabatan TEXT,
    eselon TEXT,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (document_id, record_no)
) WITHOUT ROWID;
INSERT INTO records_v3 SELECT document_id, record_no, start_line, end_line, heading, year,
    organization, jabatan, eselon, confidence FROM records;
DROP TABLE records;
ALTER TABLE records_v3 RENAME TO records;
CREATE INDEX records_jabatan ON records (jabatan);

CREATE TABLE list_items_v3 (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    list TEXT NOT NULL,
    item_no BIGINT NOT NULL,
    label TEXT,
    text TEXT NOT NULL,
    line BIGINT NOT NULL,
    PRIMARY KEY (document_id, record_no, list, item_no)
) WITHOUT ROWID;
INSERT INTO list_items_v3 SELECT document_id, record_no, list, item_no, label, text, line
    FROM list_items;
DROP TABLE list_items;
ALTER TABLE list_items_v3 RENAME TO list_items;

CREATE TABLE indicators_v3 (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    indicator_no BIGINT NOT NULL,
    no TEXT,
    sasaran TEXT,
    indikator TEXT NOT NULL,
    rumus TEXT,
    formula_kind TEXT,
    formula_numerator TEXT,
    formula_denominator TEXT,
    formula_scale DOUBLE PRECISION,
    formula_unit TEXT,
    formula_divisor DOUBLE PRECISION,
    formula_subject TEXT,
    formula_text TEXT,
    target_raw TEXT,
    target_value DOUBLE PRECISION,
    target_unit TEXT,
    sumber_data TEXT,
    line BIGINT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (document_id, record_no, indicator_no)
) WITHOUT ROWID;
INSERT INTO indicators_v3 SELECT document_id, record_no, indicator_no, no, sasaran, indikator,
    rumus, formula_kind, formula_numerator, formula_denominator, formula_scale, formula_unit,
    formula_divisor, formula_subject, formula_text, target_raw, target_value, target_unit,
    sumber_data, line, confidence FROM indicators;
DROP TABLE indicators;
ALTER TABLE indicators_v3 RENAME TO indicators;

CREATE TABLE formula_terms_v3 (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    indicator_no BIGINT NOT NULL,
    term_no BIGINT NOT NULL,
    term TEXT NOT NULL,
    line BIGINT NOT NULL,
    PRIMARY KEY (document_id, record_no, indicator_no, term_no)
) WITHOUT ROWID;
INSERT INTO formula_terms_v3 SELECT document_id, record_no, indicator_no, term_no, term, line
    FROM formula_terms;
DROP TABLE formula_terms;
ALTER TABLE formula_terms_v3 RENAME TO formula_terms;

CREATE TABLE indicator_responsibles_v3 (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    indicator_no BIGINT NOT NULL,
    item_no BIGINT NOT NULL,
    responsible TEXT NOT NULL,
    line BIGINT NOT NULL,
    PRIMARY KEY (document_id, record_no, indicator_no, item_no)
) WITHOUT ROWID;
INSERT INTO indicator_responsibles_v3 SELECT document_id, record_no, indicator_no, item_no,
    responsible, line FROM indicator_responsibles;
DROP TABLE indicator_responsibles;
ALTER TABLE indicator_responsibles_v3 RENAME TO indicator_responsibles;

CREATE TABLE persons_v3 (
    nip TEXT PRIMARY KEY,
    birth_date TEXT,
    birth_digits TEXT NOT NULL,
    appointed TEXT,
    appointed_digits TEXT NOT NULL,
    gender TEXT NOT NULL,
    serial TEXT NOT NULL,
    plausible BOOLEAN NOT NULL,
    name TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO persons_v3 SELECT nip, birth_date, birth_digits, appointed, appointed_digits, gender,
    serial, plausible, name FROM persons;
DROP TABLE persons;
ALTER TABLE persons_v3 RENAME TO persons;

CREATE TABLE signatories_v3 (
    document_id BIGINT NOT NULL,
    signatory_no BIGINT NOT NULL,
    role TEXT NOT NULL,
    position TEXT,
    acting BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    nip TEXT,
    person_nip TEXT,
    nip_repaired BOOLEAN NOT NULL,
    place TEXT,
    date TEXT,
    line BIGINT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (document_id, signatory_no)
) WITHOUT ROWID;
INSERT INTO signatories_v3 SELECT document_id, signatory_no, role, position, acting, name,
    display_name, nip, person_nip, nip_repaired, place, date, line, confidence FROM signatories;
DROP TABLE signatories;
ALTER TABLE signatories_v3 RENAME TO signatories;
CREATE INDEX signatories_person ON signatories (person_nip);

CREATE TABLE signatory_degrees_v3 (
    document_id BIGINT NOT NULL,
    signatory_no BIGINT NOT NULL,
    degree_no BIGINT NOT NULL,
    degree TEXT NOT NULL,
    line BIGINT NOT NULL,
    PRIMARY KEY (document_id, signatory_no, degree_no)
) WITHOUT ROWID;
INSERT INTO signatory_degrees_v3 SELECT document_id, signatory_no, degree_no, degree, line
    FROM signatory_degrees;
DROP TABLE signatory_degrees;
ALTER TABLE signatory_degrees_v3 RENAME TO signatory_degrees;

CREATE TABLE record_signatories_v3 (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    signatory_no BIGINT NOT NULL,
    PRIMARY KEY (document_id, record_no, signatory_no)
) WITHOUT ROWID;
INSERT INTO record_signatories_v3 SELECT document_id, record_no, signatory_no
    FROM record_signatories;
DROP TABLE record_signatories;
ALTER TABLE record_signatories_v3 RENAME TO record_signatories;

CREATE TABLE warnings_v3 (
    document_id BIGINT NOT NULL,
    warning_no BIGINT NOT NULL,
    record_no BIGINT,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    line BIGINT,
    PRIMARY KEY (document_id, warning_no)
) WITHOUT ROWID;
INSERT INTO warnings_v3 SELECT document_id, warning_no, record_no, code, message, line
    FROM warnings;
DROP TABLE warnings;
ALTER TABLE warnings_v3 RENAME TO warnings;
