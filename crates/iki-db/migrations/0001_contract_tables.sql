-- Schema version 1: the IkiDocument contract (v1) as tables.
--
-- One `documents` row per distinct input content; `document_sources` lists every path those
-- bytes were seen at. Everything inside a document is keyed by (document_id, its position in
-- the document), so rows need no ids of their own and a document is written, or left out,
-- whole in one transaction. `*_no` columns are 0-based positions in the contract's arrays
-- (record_no = index in IkiDocument.records, signatory_no = index in IkiDocument.signatories,
-- which is what IkiRecord.signatory_refs holds). `line`, `start_line` and `end_line` are the
-- 1-based lines of the input text each value was read from. Enumerations are stored as the
-- contract spells them (status 'ok' | 'partial' | 'failed', role 'signer' | 'approver', ...).
-- Dates are ISO 8601 text ('2024-01-05'), months 'YYYY-MM'.
--
-- Rows below a document refer to it (document_id -> documents.id, record_no -> records, ...)
-- without FOREIGN KEY constraints: iki writes a document and all its rows in one transaction,
-- and a per-row foreign-key check tripled the time of a bulk import. Delete a document with
-- its rows by deleting from every table WHERE document_id = ... (see the README).
--
-- The same file creates the schema in SQLite and PostgreSQL: the only difference, the
-- auto-assigned key of `documents`, is written {{id}} and replaced by the tool
-- (SQLite: INTEGER PRIMARY KEY; PostgreSQL: an identity column).

CREATE TABLE documents (
    id {{id}},
    -- What makes a document the same document: the sha256 of its bytes; for an input whose
    -- bytes could not be read (not found, too large, unreadable archive ...) 'unread:' followed
    -- by its error code and path, so each such input is a row of its own and a rerun finds it.
    content_key TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    format TEXT NOT NULL,                 -- source.format: 'text', 'pdf', 'pdf-ocr', ...
    encoding TEXT,                        -- as detected, e.g. 'utf-8', 'windows-1252'
    schema_version TEXT NOT NULL,         -- the contract version of the document
    kind TEXT NOT NULL,                   -- 'iki', 'iku', 'perjanjian_kinerja', 'skp', 'unknown'
    status TEXT NOT NULL,                 -- 'ok', 'partial', 'failed'
    error_code TEXT,                      -- error.code when status is 'failed'
    error_message TEXT,
    confidence DOUBLE PRECISION NOT NULL
);

CREATE TABLE document_sources (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    path TEXT NOT NULL,                   -- source.path: 'ARCHIVE!/ENTRY' inside an archive
    archive TEXT,                         -- the part of path before the first '!/', else null
    entry TEXT,                           -- the entry name inside that archive, else null
    PRIMARY KEY (document_id, path)
);
CREATE INDEX document_sources_path ON document_sources (path);

CREATE TABLE records (
    document_id BIGINT NOT NULL,            -- documents.id
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
);
CREATE INDEX records_jabatan ON records (jabatan);

-- tugas_pokok, fungsi, tujuan and indikator_tujuan of a record.
CREATE TABLE list_items (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    list TEXT NOT NULL,                   -- 'tugas_pokok', 'fungsi', 'tujuan', 'indikator_tujuan'
    item_no BIGINT NOT NULL,
    label TEXT,                           -- 'a', '1', '3.a'; null for a plain paragraph
    text TEXT NOT NULL,
    line BIGINT NOT NULL,
    PRIMARY KEY (document_id, record_no, list, item_no)
);

-- One row per indicator row of a record's table, with its formula parsed into columns.
CREATE TABLE indicators (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    indicator_no BIGINT NOT NULL,
    no TEXT,                              -- the row number as printed
    sasaran TEXT,
    indikator TEXT NOT NULL,
    rumus TEXT,                           -- the formula cell as printed
    formula_kind TEXT,                    -- 'ratio', 'average', 'count', 'text'; null: no formula
    formula_numerator TEXT,               -- ratio
    formula_denominator TEXT,             -- ratio
    formula_scale DOUBLE PRECISION,       -- ratio, e.g. 100
    formula_unit TEXT,                    -- ratio, e.g. '%'
    formula_divisor DOUBLE PRECISION,     -- average (its terms are in formula_terms)
    formula_subject TEXT,                 -- count
    formula_text TEXT,                    -- text: a formula no grammar understood
    target_raw TEXT,                      -- '100 %', '3 dokumen'
    target_value DOUBLE PRECISION,
    target_unit TEXT,
    sumber_data TEXT,
    line BIGINT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (document_id, record_no, indicator_no)
);

-- The terms of an 'average' formula, in order.
CREATE TABLE formula_terms (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    indicator_no BIGINT NOT NULL,
    term_no BIGINT NOT NULL,
    term TEXT NOT NULL,
    line BIGINT NOT NULL,                 -- the indicator's line
    PRIMARY KEY (document_id, record_no, indicator_no, term_no)
);

-- Penanggung jawab of an indicator, in order.
CREATE TABLE indicator_responsibles (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    indicator_no BIGINT NOT NULL,
    item_no BIGINT NOT NULL,
    responsible TEXT NOT NULL,
    line BIGINT NOT NULL,                 -- the indicator's line
    PRIMARY KEY (document_id, record_no, indicator_no, item_no)
);

-- One civil servant per NIP (18 digits, as read after OCR repair), decoded. Two different
-- NIPs are two persons, however alike their names.
CREATE TABLE persons (
    nip TEXT PRIMARY KEY,
    birth_date TEXT,                      -- null when the digits name no calendar date
    birth_digits TEXT NOT NULL,           -- 'YYYYMMDD' as printed
    appointed TEXT,                       -- 'YYYY-MM'; null when the digits name no month
    appointed_digits TEXT NOT NULL,       -- 'YYYYMM' as printed
    gender TEXT NOT NULL,                 -- 'male', 'female', 'unknown'
    serial TEXT NOT NULL,
    plausible BOOLEAN NOT NULL,           -- false: impossible dates or appointed before age 18
    name TEXT NOT NULL                    -- the name at the first signature imported; the
                                          -- names as written are on signatories
);

-- Every signature block of a document.
CREATE TABLE signatories (
    document_id BIGINT NOT NULL,            -- documents.id
    signatory_no BIGINT NOT NULL,
    role TEXT NOT NULL,                   -- 'signer', 'approver' ('Mengetahui')
    position TEXT,
    acting BOOLEAN NOT NULL,              -- 'Plt.'
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    nip TEXT,                             -- as in the document, null when none was read
    person_nip TEXT,                      -- persons.nip, set when nip decodes as a NIP
    nip_repaired BOOLEAN NOT NULL,        -- the parser repaired OCR digit confusions in nip
    place TEXT,
    date TEXT,
    line BIGINT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (document_id, signatory_no)
);
CREATE INDEX signatories_person ON signatories (person_nip);

CREATE TABLE signatory_degrees (
    document_id BIGINT NOT NULL,
    signatory_no BIGINT NOT NULL,
    degree_no BIGINT NOT NULL,
    degree TEXT NOT NULL,
    line BIGINT NOT NULL,                 -- the signatory's line
    PRIMARY KEY (document_id, signatory_no, degree_no)
);

-- Which signature blocks close which record (IkiRecord.signatory_refs).
CREATE TABLE record_signatories (
    document_id BIGINT NOT NULL,
    record_no BIGINT NOT NULL,
    signatory_no BIGINT NOT NULL,
    PRIMARY KEY (document_id, record_no, signatory_no)
);

-- Document and record warnings together; record_no is null for a document warning.
CREATE TABLE warnings (
    document_id BIGINT NOT NULL,            -- documents.id
    warning_no BIGINT NOT NULL,
    record_no BIGINT,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    line BIGINT,
    PRIMARY KEY (document_id, warning_no)
);
