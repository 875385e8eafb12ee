//! A document as table rows: the column lists of the schema and the flattening of an
//! [`IkiDocument`] into them, shared by both backends.
//!
//! Both writers take the same rows: SQLite binds them to prepared `INSERT`s, PostgreSQL
//! streams them through binary `COPY`. The column lists here must match the migrations; a test
//! compares them with the columns of a freshly migrated database of each kind.

use std::borrow::Cow;

use iki_model::{Formula, IkiDocument, Item, Status, WarningCode};
use serde::Serialize;

/// The type of a column, as both backends store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// BIGINT
    Int,
    /// DOUBLE PRECISION
    Real,
    Text,
    Bool,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Bool(bool),
}

impl<'a> Value<'a> {
    fn text(text: &'a str) -> Self {
        Value::Text(Cow::Borrowed(text))
    }

    fn opt_text(text: Option<&'a str>) -> Self {
        text.map_or(Value::Null, Value::text)
    }

    fn opt_real(value: Option<f64>) -> Self {
        value.map_or(Value::Null, Value::Real)
    }

    fn int(value: usize) -> Self {
        Value::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

/// A table: its name and its columns in insertion order.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
}

impl Table {
    pub fn column_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|(name, _)| *name)
    }
}

use Kind::{Bool, Int, Real, Text};

/// `documents` without its auto-assigned `id`.
pub const DOCUMENTS: Table = Table {
    name: "documents",
    columns: &[
        ("content_key", Text),
        ("sha256", Text),
        ("bytes", Int),
        ("format", Text),
        ("encoding", Text),
        ("schema_version", Text),
        ("kind", Text),
        ("status", Text),
        ("error_code", Text),
        ("error_message", Text),
        ("confidence", Real),
    ],
};

pub const DOCUMENT_SOURCES: Table = Table {
    name: "document_sources",
    columns: &[
        ("document_id", Int),
        ("path", Text),
        ("archive", Text),
        ("entry", Text),
        ("import_id", Int),
    ],
};

pub const PERSONS: Table = Table {
    name: "persons",
    columns: &[
        ("nip", Text),
        ("birth_date", Text),
        ("birth_digits", Text),
        ("appointed", Text),
        ("appointed_digits", Text),
        ("gender", Text),
        ("serial", Text),
        ("plausible", Bool),
        ("name", Text),
    ],
};

pub const IMPORTS: Table = Table {
    name: "imports",
    columns: &[("started_at", Text), ("iki_version", Text)],
};

pub const RECORDS: Table = Table {
    name: "records",
    columns: &[
        ("document_id", Int),
        ("record_no", Int),
        ("start_line", Int),
        ("end_line", Int),
        ("heading", Text),
        ("year", Int),
        ("organization", Text),
        ("jabatan", Text),
        ("eselon", Text),
        ("confidence", Real),
    ],
};

pub const LIST_ITEMS: Table = Table {
    name: "list_items",
    columns: &[
        ("document_id", Int),
        ("record_no", Int),
        ("list", Text),
        ("item_no", Int),
        ("label", Text),
        ("text", Text),
        ("line", Int),
    ],
};

pub const INDICATORS: Table = Table {
    name: "indicators",
    columns: &[
        ("document_id", Int),
        ("record_no", Int),
        ("indicator_no", Int),
        ("no", Text),
        ("sasaran", Text),
        ("indikator", Text),
        ("rumus", Text),
        ("formula_kind", Text),
        ("formula_numerator", Text),
        ("formula_denominator", Text),
        ("formula_scale", Real),
        ("formula_unit", Text),
        ("formula_divisor", Real),
        ("formula_subject", Text),
        ("formula_text", Text),
        ("target_raw", Text),
        ("target_value", Real),
        ("target_unit", Text),
        ("sumber_data", Text),
        ("line", Int),
        ("confidence", Real),
    ],
};

pub const FORMULA_TERMS: Table = Table {
    name: "formula_terms",
    columns: &[
        ("document_id", Int),
        ("record_no", Int),
        ("indicator_no", Int),
        ("term_no", Int),
        ("term", Text),
        ("line", Int),
    ],
};

pub const INDICATOR_RESPONSIBLES: Table = Table {
    name: "indicator_responsibles",
    columns: &[
        ("document_id", Int),
        ("record_no", Int),
        ("indicator_no", Int),
        ("item_no", Int),
        ("responsible", Text),
        ("line", Int),
    ],
};

pub const SIGNATORIES: Table = Table {
    name: "signatories",
    columns: &[
        ("document_id", Int),
        ("signatory_no", Int),
        ("role", Text),
        ("position", Text),
        ("acting", Bool),
        ("name", Text),
        ("display_name", Text),
        ("nip", Text),
        ("person_nip", Text),
        ("nip_repaired", Bool),
        ("place", Text),
        ("date", Text),
        ("line", Int),
        ("confidence", Real),
    ],
};

pub const SIGNATORY_DEGREES: Table = Table {
    name: "signatory_degrees",
    columns: &[
        ("document_id", Int),
        ("signatory_no", Int),
        ("degree_no", Int),
        ("degree", Text),
        ("line", Int),
    ],
};

pub const RECORD_SIGNATORIES: Table = Table {
    name: "record_signatories",
    columns: &[
        ("document_id", Int),
        ("record_no", Int),
        ("signatory_no", Int),
    ],
};

pub const WARNINGS: Table = Table {
    name: "warnings",
    columns: &[
        ("document_id", Int),
        ("warning_no", Int),
        ("record_no", Int),
        ("code", Text),
        ("message", Text),
        ("line", Int),
    ],
};

/// The tables below a document, in an order that satisfies their foreign keys.
pub const CONTENT_TABLES: [&Table; 9] = [
    &RECORDS,
    &LIST_ITEMS,
    &INDICATORS,
    &FORMULA_TERMS,
    &INDICATOR_RESPONSIBLES,
    &SIGNATORIES,
    &SIGNATORY_DEGREES,
    &RECORD_SIGNATORIES,
    &WARNINGS,
];

/// Every table of the schema (the migration bookkeeping aside).
pub const ALL_TABLES: [&Table; 13] = [
    &DOCUMENTS,
    &DOCUMENT_SOURCES,
    &PERSONS,
    &IMPORTS,
    &RECORDS,
    &LIST_ITEMS,
    &INDICATORS,
    &FORMULA_TERMS,
    &INDICATOR_RESPONSIBLES,
    &SIGNATORIES,
    &SIGNATORY_DEGREES,
    &RECORD_SIGNATORIES,
    &WARNINGS,
];

/// Error codes of inputs whose bytes were never read: their `sha256` is that of nothing, so it
/// cannot tell two of them apart.
fn bytes_unread(doc: &IkiDocument) -> bool {
    use iki_model::ErrorCode as E;
    doc.status == Status::Failed
        && doc.error.as_ref().is_some_and(|e| {
            matches!(
                e.code,
                E::NotFound
                    | E::NotAFile
                    | E::IoError
                    | E::FileTooLarge
                    | E::ArchiveCorrupt
                    | E::ArchiveTruncated
                    | E::ArchiveEmpty
                    | E::ArchiveTooLarge
                    | E::ArchiveRatioExceeded
                    | E::ArchiveTooDeep
            )
        })
}

/// What makes two documents the same (`documents.content_key`).
pub fn content_key(doc: &IkiDocument) -> String {
    match (&doc.error, bytes_unread(doc)) {
        (Some(error), true) => format!("unread:{}:{}", error.code, doc.source.path),
        _ => doc.source.sha256.clone(),
    }
}

/// The contract's spelling of an enum value ("ok", "pdf-ocr", "signer" ...).
fn spelling<T: Serialize>(value: &T) -> Cow<'static, str> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Cow::Owned(s),
        _ => Cow::Borrowed("unknown"),
    }
}

/// The `documents` row of `doc` (without `id`).
pub fn document_row<'a>(doc: &'a IkiDocument, content_key: &'a str) -> Vec<Value<'a>> {
    vec![
        Value::text(content_key),
        Value::text(&doc.source.sha256),
        Value::Int(i64::try_from(doc.source.bytes).unwrap_or(i64::MAX)),
        Value::Text(spelling(&doc.source.format)),
        Value::opt_text(doc.source.encoding.as_deref()),
        Value::text(&doc.schema_version),
        Value::Text(spelling(&doc.kind)),
        Value::Text(spelling(&doc.status)),
        doc.error
            .as_ref()
            .map_or(Value::Null, |e| Value::text(e.code.as_str())),
        Value::opt_text(doc.error.as_ref().map(|e| e.message.as_str())),
        Value::Real(doc.confidence),
    ]
}

/// The `document_sources` row of `path` (split at the first `!/` into archive and entry).
pub fn source_row(document_id: i64, path: &str, import_id: i64) -> Vec<Value<'_>> {
    let (archive, entry) = match path.split_once("!/") {
        Some((archive, entry)) => (Value::text(archive), Value::text(entry)),
        None => (Value::Null, Value::Null),
    };
    vec![
        Value::Int(document_id),
        Value::text(path),
        archive,
        entry,
        Value::Int(import_id),
    ]
}

/// The 18-digit NIPs of `doc` with their decoding, one `persons` row each (first name seen).
pub fn person_rows(doc: &IkiDocument) -> Vec<Vec<Value<'_>>> {
    doc.signatories
        .iter()
        .filter_map(|s| {
            let nip = person_nip(s)?;
            let info = s.nip_info.as_ref()?;
            Some(vec![
                Value::text(nip),
                Value::opt_text(info.birth_date.as_deref()),
                Value::text(&info.birth_digits),
                Value::opt_text(info.appointed.as_deref()),
                Value::text(&info.appointed_digits),
                Value::Text(spelling(&info.gender)),
                Value::text(&info.serial),
                Value::Bool(info.plausible),
                Value::text(&s.name),
            ])
        })
        .collect()
}

/// The NIP a signatory is linked to a person by: the NIP as read (after the parser's OCR
/// repair) when it is 18 digits the parser could decode. Never a guess: two NIPs that differ
/// in any digit are two persons.
pub fn person_nip(s: &iki_model::Signatory) -> Option<&str> {
    let nip = s.nip.as_deref()?;
    (s.nip_info.is_some() && nip.len() == 18 && nip.bytes().all(|b| b.is_ascii_digit()))
        .then_some(nip)
}

/// Rows of the content tables of one document, values flat per table (row after row), in the
/// order of [`CONTENT_TABLES`].
#[derive(Debug, Default)]
pub struct ContentRows<'a> {
    pub tables: [Vec<Value<'a>>; 9],
}

impl<'a> ContentRows<'a> {
    /// Flatten `doc`, stored as `documents.id = document_id`.
    pub fn new(doc: &'a IkiDocument, document_id: i64) -> Self {
        let mut rows = ContentRows::default();
        let id = Value::Int(document_id);
        let [records, list_items, indicators, terms, responsibles, signatories, degrees, links, warnings] =
            &mut rows.tables;
        // Room for the big tables up front (growing their vectors cost the writer ~4%).
        let items: usize = doc
            .records
            .iter()
            .map(|r| {
                r.tugas_pokok.len() + r.fungsi.len() + r.tujuan.len() + r.indikator_tujuan.len()
            })
            .sum();
        let indicator_count: usize = doc.records.iter().map(|r| r.indicators.len()).sum();
        records.reserve(doc.records.len() * RECORDS.columns.len());
        list_items.reserve(items * LIST_ITEMS.columns.len());
        indicators.reserve(indicator_count * INDICATORS.columns.len());
        signatories.reserve(doc.signatories.len() * SIGNATORIES.columns.len());
        for (r, record) in doc.records.iter().enumerate() {
            let record_no = Value::int(r);
            records.extend([
                id.clone(),
                record_no.clone(),
                Value::int(record.span.start_line),
                Value::int(record.span.end_line),
                Value::opt_text(record.heading.as_deref()),
                record.year.map_or(Value::Null, |y| Value::Int(y.into())),
                Value::opt_text(record.organization.as_deref()),
                Value::opt_text(record.jabatan.as_deref()),
                Value::opt_text(record.eselon.as_deref()),
                Value::Real(record.confidence),
            ]);
            let lists: [(&'static str, &'a [Item]); 4] = [
                ("tugas_pokok", &record.tugas_pokok),
                ("fungsi", &record.fungsi),
                ("tujuan", &record.tujuan),
                ("indikator_tujuan", &record.indikator_tujuan),
            ];
            for (list, items) in lists {
                for (i, item) in items.iter().enumerate() {
                    list_items.extend([
                        id.clone(),
                        record_no.clone(),
                        Value::text(list),
                        Value::int(i),
                        Value::opt_text(item.label.as_deref()),
                        Value::text(&item.text),
                        Value::int(item.line),
                    ]);
                }
            }
            for (n, indicator) in record.indicators.iter().enumerate() {
                let indicator_no = Value::int(n);
                let line = Value::int(indicator.line);
                indicators.extend([
                    id.clone(),
                    record_no.clone(),
                    indicator_no.clone(),
                    Value::opt_text(indicator.no.as_deref()),
                    Value::opt_text(indicator.sasaran.as_deref()),
                    Value::text(&indicator.indikator),
                    Value::opt_text(indicator.rumus.as_deref()),
                ]);
                indicators.extend(formula_values(indicator.formula.as_ref()));
                let target = indicator.target.as_ref();
                indicators.extend([
                    Value::opt_text(target.map(|t| t.raw.as_str())),
                    Value::opt_real(target.and_then(|t| t.value)),
                    Value::opt_text(target.and_then(|t| t.unit.as_deref())),
                    Value::opt_text(indicator.sumber_data.as_deref()),
                    line.clone(),
                    Value::Real(indicator.confidence),
                ]);
                let average_terms: &[String] = match &indicator.formula {
                    Some(Formula::Average { terms, .. }) => terms,
                    _ => &[],
                };
                // Two lists of texts under an indicator, stored alike.
                for (table, texts) in [
                    (&mut *terms, average_terms),
                    (&mut *responsibles, indicator.penanggung_jawab.as_slice()),
                ] {
                    for (k, text) in texts.iter().enumerate() {
                        table.extend([
                            id.clone(),
                            record_no.clone(),
                            indicator_no.clone(),
                            Value::int(k),
                            Value::text(text),
                            line.clone(),
                        ]);
                    }
                }
            }
            for &s in &record.signatory_refs {
                links.extend([id.clone(), record_no.clone(), Value::int(s)]);
            }
        }
        let repaired = repaired_signatories(doc);
        for (s, signatory) in doc.signatories.iter().enumerate() {
            let signatory_no = Value::int(s);
            let line = Value::int(signatory.line);
            signatories.extend([
                id.clone(),
                signatory_no.clone(),
                Value::Text(spelling(&signatory.role)),
                Value::opt_text(signatory.position.as_deref()),
                Value::Bool(signatory.acting),
                Value::text(&signatory.name),
                Value::text(&signatory.display_name),
                Value::opt_text(signatory.nip.as_deref()),
                Value::opt_text(person_nip(signatory)),
                Value::Bool(repaired.contains(&s)),
                Value::opt_text(signatory.place.as_deref()),
                Value::opt_text(signatory.date.as_deref()),
                line.clone(),
                Value::Real(signatory.confidence),
            ]);
            for (d, degree) in signatory.degrees.iter().enumerate() {
                degrees.extend([
                    id.clone(),
                    signatory_no.clone(),
                    Value::int(d),
                    Value::text(degree),
                    line.clone(),
                ]);
            }
        }
        let record_warnings = doc
            .records
            .iter()
            .enumerate()
            .flat_map(|(r, record)| record.warnings.iter().map(move |w| (Some(r), w)));
        let all_warnings = doc
            .warnings
            .iter()
            .map(|w| (None, w))
            .chain(record_warnings);
        for (n, (record_no, warning)) in all_warnings.enumerate() {
            warnings.extend([
                id.clone(),
                Value::int(n),
                record_no.map_or(Value::Null, Value::int),
                Value::text(warning.code.as_str()),
                Value::text(&warning.message),
                warning.line.map_or(Value::Null, Value::int),
            ]);
        }
        rows
    }

    /// The rows of each content table with the table they belong to.
    pub fn by_table(&self) -> impl Iterator<Item = (&'static Table, &[Value<'a>])> {
        CONTENT_TABLES
            .into_iter()
            .zip(self.tables.iter().map(Vec::as_slice))
    }
}

/// `formula_kind` .. `formula_text` of an indicator.
fn formula_values(formula: Option<&Formula>) -> [Value<'_>; 8] {
    let mut values = std::array::from_fn(|_| Value::Null);
    let Some(formula) = formula else {
        return values;
    };
    let [kind, numerator, denominator, scale, unit, divisor, subject, text] = &mut values;
    match formula {
        Formula::Ratio {
            numerator: n,
            denominator: d,
            scale: s,
            unit: u,
        } => {
            *kind = Value::text("ratio");
            *numerator = Value::text(n);
            *denominator = Value::text(d);
            *scale = Value::opt_real(*s);
            *unit = Value::opt_text(u.as_deref());
        }
        Formula::Average { divisor: d, .. } => {
            *kind = Value::text("average");
            *divisor = Value::Real(*d);
        }
        Formula::Count { subject: s } => {
            *kind = Value::text("count");
            *subject = Value::text(s);
        }
        Formula::Text { text: t } => {
            *kind = Value::text("text");
            *text = Value::text(t);
        }
    }
    values
}

/// Indexes of the signatories whose NIP the parser repaired from OCR evidence.
///
/// The parser reports a repair as a `nip_repaired` warning at the line the NIP was read from,
/// which is the signatory's name line or a line below it, before the next block. A warning
/// belongs to the nearest signatory at or above its line; when signatures stand side by side
/// (several signatories on that line) the repaired NIP in the message picks among them.
pub fn repaired_signatories(doc: &IkiDocument) -> Vec<usize> {
    let mut repaired = Vec::new();
    let warnings = doc
        .warnings
        .iter()
        .chain(doc.records.iter().flat_map(|r| r.warnings.iter()))
        .filter(|w| w.code == WarningCode::NipRepaired);
    for warning in warnings {
        let Some(line) = warning.line else { continue };
        let nearest = doc
            .signatories
            .iter()
            .map(|s| s.line)
            .filter(|&l| l <= line)
            .max();
        let Some(nearest) = nearest else { continue };
        let candidates: Vec<usize> = (0..doc.signatories.len())
            .filter(|&i| doc.signatories[i].line == nearest)
            .collect();
        let named: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                doc.signatories[i]
                    .nip
                    .as_deref()
                    .is_some_and(|nip| warning.message.contains(nip))
            })
            .collect();
        let chosen = if named.is_empty() { candidates } else { named };
        repaired.extend(chosen);
    }
    repaired.sort_unstable();
    repaired.dedup();
    repaired
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_content_row_is_whole() {
        let doc = sample_document();
        let rows = ContentRows::new(&doc, 7);
        for (table, values) in rows.by_table() {
            assert_eq!(values.len() % table.columns.len(), 0, "{}", table.name);
            for row in values.chunks(table.columns.len()) {
                assert_eq!(
                    row[0],
                    Value::Int(7),
                    "{} starts with document_id",
                    table.name
                );
            }
        }
    }

    fn sample_document() -> IkiDocument {
        serde_json::from_value(serde_json::json!({
            "schema_version": "1",
            "source": {"path": "a.zip!/x/b.txt", "sha256": "ab", "bytes": 3, "format": "text", "encoding": "utf-8"},
            "kind": "iki", "status": "ok", "error": null, "confidence": 0.9,
            "records": [{
                "span": {"start_line": 1, "end_line": 9}, "heading": null, "year": 2024,
                "organization": null, "jabatan": "Sekretaris", "eselon": null,
                "tugas_pokok": [{"label": null, "text": "t", "line": 2}], "fungsi": [], "tujuan": [], "indikator_tujuan": [],
                "indicators": [{"no": "1", "sasaran": "s", "indikator": "i", "rumus": "(a+b)/2", "formula": {"kind": "average", "terms": ["a", "b"], "divisor": 2.0},
                                "target": {"raw": "100 %", "value": 100.0, "unit": "%"}, "sumber_data": null, "penanggung_jawab": ["X", "Y"], "line": 5, "confidence": 1.0}],
                "signatory_refs": [0], "confidence": 0.9, "warnings": [{"code": "row_joined", "message": "m", "line": 5}]
            }],
            "signatories": [{"role": "signer", "position": "P", "acting": false, "name": "N", "display_name": "N, S.H.", "degrees": ["S.H."],
                             "nip": "197208181994031009", "nip_info": {"birth_date": "1972-08-18", "birth_digits": "19720818", "appointed": "1994-03", "appointed_digits": "199403", "gender": "male", "serial": "009", "plausible": true},
                             "place": null, "date": null, "line": 8, "confidence": 0.9}],
            "warnings": [{"code": "nip_repaired", "message": "NIP of N read as 197208181994031009 after OCR repair", "line": 9}]
        }))
        .unwrap()
    }

    #[test]
    fn a_repair_warning_marks_the_signatory_above_it() {
        let doc = sample_document();
        assert_eq!(repaired_signatories(&doc), [0]);
        let rows = ContentRows::new(&doc, 1);
        let signatories = &rows.tables[5];
        assert_eq!(signatories[9], Value::Bool(true));
        assert_eq!(signatories[8], Value::text("197208181994031009"));
    }

    #[test]
    fn archive_paths_split_into_archive_and_entry() {
        let row = source_row(1, "a.zip!/x/b.txt", 2);
        assert_eq!(row[2], Value::text("a.zip"));
        assert_eq!(row[3], Value::text("x/b.txt"));
        assert_eq!(source_row(1, "plain.txt", 2)[2], Value::Null);
    }

    #[test]
    fn unread_inputs_are_keyed_by_path() {
        let mut doc = sample_document();
        assert_eq!(content_key(&doc), "ab");
        doc.status = Status::Failed;
        doc.error = Some(iki_model::ErrorInfo::new(
            iki_model::ErrorCode::NotFound,
            "gone",
        ));
        assert_eq!(content_key(&doc), "unread:not_found:a.zip!/x/b.txt");
        doc.error = Some(iki_model::ErrorInfo::new(
            iki_model::ErrorCode::EmptyFile,
            "empty",
        ));
        assert_eq!(content_key(&doc), "ab", "an empty file was read");
    }
}
