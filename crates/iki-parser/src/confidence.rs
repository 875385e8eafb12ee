//! Confidence from evidence: every `confidence` of a document (per indicator row, signatory,
//! record and the document itself) estimates the fraction of that element's fields that are
//! right, the measure `iki eval` reports as accuracy: `tp / (tp + fp + fn)`.
//!
//! The model counts evidence, not impressions. Each piece of [`Evidence`] found in the
//! extracted document (a warning, a guessed column, a formula left as text, a table row read
//! from wrapped space-aligned lines ...) carries a weight: the number of wrong fields it
//! predicts. An element with `n` fields and `e` expected wrong fields (its own evidence, a small
//! base rate per field, and the evidence of the elements it holds) has
//!
//! ```text
//! confidence = (n − e) / (n + e)          e = base · n + Σ weight(evidence)
//! ```
//!
//! which is the accuracy of `n` fields of which `e` are wrong (a wrong value counts as one
//! false positive and one false negative). Everything the model reads is in the output
//! document, except the geometry of space-aligned table rows, which it takes from the source
//! text the rows' line numbers point at.
//!
//! The weights ([`WEIGHTS`], in `data/confidence-weights.txt`) are fitted, not chosen.
//! `iki-families --calibrate --fit` renders every gold fixture in every layout family, fits
//! the weights on all families but one and measures them on the one left out, for every
//! family (the figure that says what confidence is worth on a layout nobody fitted it to),
//! then fits them on all families and writes the file. The fit
//! (`iki_render::calibrate::fit`) minimises the mean squared difference between document
//! confidence and measured accuracy plus a ranking term (every clean rendering should score
//! above every rendering with an error, the smooth form of 1 − AUROC), by coordinate descent
//! with every weight in `[0, 10]`. Kinds of evidence no rendering shows keep their starting
//! weights, and `guessed_columns` is held at or above [`MIN_GUESSED_COLUMNS`]. Refit after
//! parser changes that move accuracy:
//!
//! ```text
//! cargo run --release -p iki-render --bin iki-families -- --calibrate --seeds 10 --fit
//! ```
//!
//! Evidence is read from the document and from the readers' provenance (how each table was
//! segmented, how each row was read), never from the source text again.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::assemble::{RowProvenance, TableProvenance};
use crate::model::{Formula, IkiDocument, IkiRecord, Indicator, Item, Role, WarningCode};
use crate::readers::Segmentation;
use crate::vocab::Column;
use crate::vocab::{fold, fold_head, is_iki_title, TITLE_HEAD};

/// What lowers confidence. The names (snake_case) are the ones `--fit` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Evidence {
    // Indicator rows.
    /// A row of a flattened table: its cells were attributed to columns by count
    /// (`flattened_table`). Per row.
    GuessedColumns,
    /// A flattened row whose cell count fit no row shape (`flattened_row_guessed`).
    GuessedRow,
    /// Text a page break split off, joined back to the row (`row_joined`).
    RowJoined,
    /// Table-header words dropped from a cell, or surplus cells (`header_text_in_cell`,
    /// `extra_cells`, `row_without_indicator`).
    CellRepaired,
    /// A row number repeated or skipped (`duplicate_row_number`, `row_number_skipped`).
    RowNumberIrregular,
    /// A column the table's other rows fill is empty in this row. Per cell.
    EmptyCell,
    /// A rumus that parsed as no formula shape (`formula.kind` = "text").
    FormulaText,
    /// A cell that ends in a connective ("dan", "yang", "/"): text cut at a row boundary.
    CutCell,
    /// A row of a space-aligned table read from several physical lines (wrapped cells).
    WrappedRow,
    /// A wrapped space-aligned row whose number stands below its first line, with no blank
    /// line after it: rows told apart only by where their numbers stand (middle-aligned rows).
    RowsByNumbers,
    /// A row whose sasaran and indicator cells each open a second cell on a later line
    /// (`rows_merged`): two rows read as one.
    RowsMerged,
    /// A cell that reads much more like another column of its table than its own (the
    /// column model): text in the wrong cell, whatever the layout. Per cell.
    CellMisfit,
    /// The table's segmentation won by a small margin over another reading. Per row.
    SegmentationAmbiguous,
    /// Cells whose reading the source doubts (OCR words of low confidence, words across a
    /// ruled line, overflowing text). Per cell.
    OcrDoubt,
    // Records.
    /// Text not attributed to any field (`unattributed_text`).
    UnattributedText,
    /// Running headers, page numbers and the like skipped (`page_furniture`).
    PageFurniture,
    /// A list label skipped or restarted (`list_label_skipped`, `list_label_restarted`).
    ListLabel,
    /// A list item that continues an item ending mid-sentence: a paragraph split in two.
    CutItem,
    /// Leftovers of the title in the heading ("DU (IKI ..."): title words repaired from OCR.
    TitleResidue,
    /// Page furniture inside a value: a page number at the end of a list item, a running
    /// header glued to a position, the title read as the organisation.
    FurnitureInValue,
    /// A form without a position or without an indicator table (`missing_jabatan`,
    /// `missing_table`).
    MissingPart,
    /// A line after the table that reads like one of its rows (`table_row_unread`): a row
    /// lost, its fields missing. Per line.
    RowUnread,
    /// Any other warning of a record or the document.
    OtherWarning,
    // Signatories.
    /// A signature without NIP (`missing_nip`).
    MissingNip,
    /// A NIP read after repairing OCR digit confusions (`nip_repaired`).
    NipRepaired,
    /// A NIP that is not 18 readable digits or decodes to impossible dates (`nip_unreadable`,
    /// `nip_implausible`).
    NipInvalid,
    /// A signer without a date.
    SignerWithoutDate,
    /// A NIP with no name above it (`nip_without_name`): a signature missed.
    NipWithoutName,
}

/// How many kinds of [`Evidence`] there are.
pub const EVIDENCE_KINDS: usize = 28;

impl Evidence {
    /// Every kind, in declaration order ([`Evidence::index`]).
    pub const ALL: [Evidence; EVIDENCE_KINDS] = [
        Evidence::GuessedColumns,
        Evidence::GuessedRow,
        Evidence::RowJoined,
        Evidence::CellRepaired,
        Evidence::RowNumberIrregular,
        Evidence::EmptyCell,
        Evidence::FormulaText,
        Evidence::CutCell,
        Evidence::WrappedRow,
        Evidence::RowsByNumbers,
        Evidence::RowsMerged,
        Evidence::CellMisfit,
        Evidence::SegmentationAmbiguous,
        Evidence::OcrDoubt,
        Evidence::UnattributedText,
        Evidence::PageFurniture,
        Evidence::ListLabel,
        Evidence::CutItem,
        Evidence::TitleResidue,
        Evidence::FurnitureInValue,
        Evidence::MissingPart,
        Evidence::RowUnread,
        Evidence::OtherWarning,
        Evidence::MissingNip,
        Evidence::NipRepaired,
        Evidence::NipInvalid,
        Evidence::SignerWithoutDate,
        Evidence::NipWithoutName,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The snake_case name, as in [`WEIGHTS`]' comments and `--fit` output.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::GuessedColumns => "guessed_columns",
            Evidence::GuessedRow => "guessed_row",
            Evidence::RowJoined => "row_joined",
            Evidence::CellRepaired => "cell_repaired",
            Evidence::RowNumberIrregular => "row_number_irregular",
            Evidence::EmptyCell => "empty_cell",
            Evidence::FormulaText => "formula_text",
            Evidence::CutCell => "cut_cell",
            Evidence::WrappedRow => "wrapped_row",
            Evidence::RowsByNumbers => "rows_by_numbers",
            Evidence::RowsMerged => "rows_merged",
            Evidence::CellMisfit => "cell_misfit",
            Evidence::SegmentationAmbiguous => "segmentation_ambiguous",
            Evidence::OcrDoubt => "ocr_doubt",
            Evidence::UnattributedText => "unattributed_text",
            Evidence::PageFurniture => "page_furniture",
            Evidence::ListLabel => "list_label",
            Evidence::CutItem => "cut_item",
            Evidence::TitleResidue => "title_residue",
            Evidence::FurnitureInValue => "furniture_in_value",
            Evidence::MissingPart => "missing_part",
            Evidence::RowUnread => "row_unread",
            Evidence::OtherWarning => "other_warning",
            Evidence::MissingNip => "missing_nip",
            Evidence::NipRepaired => "nip_repaired",
            Evidence::NipInvalid => "nip_invalid",
            Evidence::SignerWithoutDate => "signer_without_date",
            Evidence::NipWithoutName => "nip_without_name",
        }
    }

    /// The kind a warning code is evidence of (`flattened_table` and `date_without_day` are
    /// read elsewhere: per row, and through the signer's missing date).
    fn of_warning(code: &WarningCode) -> Option<Evidence> {
        Some(match code {
            WarningCode::FlattenedTable | WarningCode::DateWithoutDay => return None,
            WarningCode::FlattenedRowGuessed => Evidence::GuessedRow,
            WarningCode::RowJoined => Evidence::RowJoined,
            WarningCode::RowsMerged => Evidence::RowsMerged,
            WarningCode::HeaderTextInCell
            | WarningCode::ExtraCells
            | WarningCode::RowWithoutIndicator => Evidence::CellRepaired,
            WarningCode::DuplicateRowNumber | WarningCode::RowNumberSkipped => {
                Evidence::RowNumberIrregular
            }
            WarningCode::UnattributedText => Evidence::UnattributedText,
            WarningCode::PageFurniture => Evidence::PageFurniture,
            WarningCode::ListLabelSkipped | WarningCode::ListLabelRestarted => Evidence::ListLabel,
            WarningCode::MissingJabatan | WarningCode::MissingTable => Evidence::MissingPart,
            WarningCode::TableRowUnread => Evidence::RowUnread,
            WarningCode::MissingNip => Evidence::MissingNip,
            WarningCode::NipRepaired => Evidence::NipRepaired,
            WarningCode::NipUnreadable | WarningCode::NipImplausible => Evidence::NipInvalid,
            WarningCode::NipWithoutName => Evidence::NipWithoutName,
            _ => Evidence::OtherWarning,
        })
    }

    /// Whether the evidence belongs to an indicator row (else to a record or a signatory).
    fn is_row(self) -> bool {
        self.index() <= Evidence::OcrDoubt.index()
    }

    /// The kind named `name` (the snake_case of [`Evidence::name`]).
    pub fn from_name(name: &str) -> Option<Evidence> {
        Evidence::ALL.iter().copied().find(|e| e.name() == name)
    }

    fn is_signatory(self) -> bool {
        self.index() >= Evidence::MissingNip.index()
    }
}

/// The model's constants: expected wrong fields per field (`base`) and per piece of each kind
/// of evidence (`per`, indexed by [`Evidence::index`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub base: f64,
    pub per: [f64; EVIDENCE_KINDS],
}

impl Weights {
    pub fn of(&self, evidence: Evidence) -> f64 {
        self.per[evidence.index()]
    }
}

/// Where the fitted weights live: written by `iki-families --calibrate --fit`, read once.
pub const WEIGHTS_FILE: &str = "crates/iki-parser/data/confidence-weights.txt";

/// The fitted weights: expected wrong fields per field (`base`) and per piece of evidence.
/// Obtained with the command in the module docs; do not edit by hand, refit.
pub static WEIGHTS: LazyLock<Weights> = LazyLock::new(|| {
    Weights::parse(include_str!("../data/confidence-weights.txt"))
        .expect("the embedded weights file parses (a test checks it)")
});

impl Weights {
    /// Parse a weights file: `base W` and one `evidence_name W` per line, `#` comments.
    /// Every kind of evidence must be listed.
    pub fn parse(text: &str) -> Result<Weights, String> {
        let mut base = None;
        let mut per = [f64::NAN; EVIDENCE_KINDS];
        for (no, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (name, value) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| format!("line {}: expected `name weight`", no + 1))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|e| format!("line {}: {e}", no + 1))?;
            match name {
                "base" => base = Some(value),
                _ => {
                    let e = Evidence::from_name(name)
                        .ok_or_else(|| format!("line {}: unknown evidence {name}", no + 1))?;
                    per[e.index()] = value;
                }
            }
        }
        if let Some(missing) = Evidence::ALL.iter().find(|e| per[e.index()].is_nan()) {
            return Err(format!("no weight for {}", missing.name()));
        }
        Ok(Weights {
            base: base.ok_or("no base weight")?,
            per,
        })
    }

    /// The file [`Weights::parse`] reads back, with a header comment.
    pub fn to_file(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!("base {}\n", round6(self.base)));
        for e in Evidence::ALL {
            out.push_str(&format!("{} {}\n", e.name(), round6(self.of(e))));
        }
        out
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The least weight [`Evidence::GuessedColumns`] may be fitted to. Cells attributed by count
/// are a guess whatever the renderings say (they hold flattened rows more regular than real
/// dumps do), so a flattened table never reads as sure as a laid-out one.
pub const MIN_GUESSED_COLUMNS: f64 = 0.2;

/// Where a piece of evidence belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `records[r].indicators[i]`.
    Row(usize, usize),
    /// `records[r]`.
    Record(usize),
    /// `signatories[s]`.
    Signatory(usize),
    /// The document only.
    Document,
}

/// One piece of evidence and where it belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub evidence: Evidence,
    pub scope: Scope,
}

/// Sets every confidence of `doc` from the evidence found in it and in `tables` (how each
/// record's table was read), with the fitted [`WEIGHTS`].
pub fn assess(doc: &mut IkiDocument, tables: &[Option<TableProvenance>]) {
    let found = find(doc, tables);
    apply(doc, &found, &WEIGHTS);
}

/// The evidence of an extracted document.
pub fn find(doc: &IkiDocument, tables: &[Option<TableProvenance>]) -> Vec<Found> {
    let mut found = Vec::new();
    let running = running_texts(doc);
    for (r, record) in doc.records.iter().enumerate() {
        let table = tables.get(r).and_then(Option::as_ref);
        record_evidence(r, record, table, &mut found);
        let values = [&record.organization, &record.heading, &record.jabatan]
            .into_iter()
            .flatten()
            .map(String::as_str);
        let items = [
            &record.tugas_pokok,
            &record.fungsi,
            &record.tujuan,
            &record.indikator_tujuan,
        ]
        .into_iter()
        .flatten()
        .map(|i| i.text.as_str());
        for value in values.chain(items) {
            if holds_furniture(value, &running) {
                found.push(Found {
                    evidence: Evidence::FurnitureInValue,
                    scope: Scope::Record(r),
                });
            }
        }
    }
    for warning in &doc.warnings {
        let Some(evidence) = Evidence::of_warning(&warning.code) else {
            continue;
        };
        if evidence == Evidence::MissingNip {
            // Read from the signatory itself below: signatures side by side share a line,
            // so the warning's line does not say whose NIP is missing.
            continue;
        }
        let scope = if evidence.is_signatory() && evidence != Evidence::NipWithoutName {
            signatory_at(doc, warning.line).map_or(Scope::Document, Scope::Signatory)
        } else {
            Scope::Document
        };
        found.push(Found { evidence, scope });
    }
    for (s, signatory) in doc.signatories.iter().enumerate() {
        if signatory.nip.is_none() {
            found.push(Found {
                evidence: Evidence::MissingNip,
                scope: Scope::Signatory(s),
            });
        }
        if signatory.role == Role::Signer && signatory.date.is_none() {
            found.push(Found {
                evidence: Evidence::SignerWithoutDate,
                scope: Scope::Signatory(s),
            });
        }
        let position = signatory.position.as_deref();
        if position.is_some_and(|p| holds_furniture(p, &running)) {
            found.push(Found {
                evidence: Evidence::FurnitureInValue,
                scope: Scope::Signatory(s),
            });
        }
    }
    found
}

/// The running headers the parser skipped (folded), from its `page_furniture` warnings
/// (`skipped a running header: "<text>"`, the text cut with "…" past 60 characters).
fn running_texts(doc: &IkiDocument) -> HashSet<String> {
    let warnings = doc
        .warnings
        .iter()
        .chain(doc.records.iter().flat_map(|r| &r.warnings));
    warnings
        .filter(|w| w.code == WarningCode::PageFurniture)
        .filter_map(|w| w.message.strip_prefix("skipped a running header: \""))
        .map(|t| fold(t.trim_end_matches('"').trim_end_matches('…')))
        .filter(|f| f.len() >= 4)
        .collect()
}

/// Whether a value holds page furniture: a page number after its last word ("... Kepala
/// Badan. 9"), the IKI title, or a running line glued to its start or end.
fn holds_furniture(value: &str, running: &HashSet<String>) -> bool {
    let mut words = value.split_whitespace().rev();
    let page_number = match (words.next(), words.next()) {
        (Some(last), Some(_)) => last.len() <= 3 && last.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    if page_number {
        return true;
    }
    if running.is_empty() {
        // The title check reads only the head of the text.
        return is_iki_title(&fold_head(value, TITLE_HEAD));
    }
    let folded = fold(value);
    is_iki_title(&folded)
        || running.iter().any(|r| {
            folded.len() > r.len() + 1
                && (folded.starts_with(r.as_str()) || folded.ends_with(r.as_str()))
        })
}

/// The signatory a signature warning at `line` is about: the last one at or above it.
fn signatory_at(doc: &IkiDocument, line: Option<usize>) -> Option<usize> {
    let line = line?;
    doc.signatories
        .iter()
        .enumerate()
        .filter(|(_, s)| s.line <= line)
        .max_by_key(|(_, s)| s.line)
        .map(|(i, _)| i)
}

fn record_evidence(
    r: usize,
    record: &IkiRecord,
    table: Option<&TableProvenance>,
    found: &mut Vec<Found>,
) {
    let mut push = |evidence, scope| found.push(Found { evidence, scope });
    let flattened = table.is_some_and(|t| t.segmentation == Segmentation::OnePerLine);
    let aligned = table.is_some_and(|t| t.segmentation == Segmentation::Aligned);
    let ambiguous = table.is_some_and(|t| t.margin.is_some_and(|m| m < AMBIGUOUS_MARGIN));
    for warning in &record.warnings {
        let Some(evidence) = Evidence::of_warning(&warning.code) else {
            continue;
        };
        let scope = match row_at(record, warning.line) {
            Some(i) if evidence.is_row() => Scope::Row(r, i),
            _ => Scope::Record(r),
        };
        push(evidence, scope);
    }
    let filled = column_fill(&record.indicators);
    for (i, ind) in record.indicators.iter().enumerate() {
        let here = Scope::Row(r, i);
        if flattened {
            push(Evidence::GuessedColumns, here);
        }
        if matches!(ind.formula, Some(Formula::Text { .. })) {
            push(Evidence::FormulaText, here);
        }
        for (column, share) in filled.iter().enumerate() {
            if *share >= 0.5 && cell_values(ind)[column].is_none() {
                push(Evidence::EmptyCell, here);
            }
        }
        let cut = [&ind.sasaran, &ind.rumus, &ind.sumber_data]
            .into_iter()
            .flatten()
            .chain(std::iter::once(&ind.indikator))
            .any(|c| crate::vocab::ends_mid_phrase(c));
        if cut {
            push(Evidence::CutCell, here);
        }
        let row: Option<&RowProvenance> = table.and_then(|t| t.rows.get(i));
        if !flattened && row.is_some_and(|r| r.guessed) {
            push(Evidence::GuessedColumns, here);
        }
        if ambiguous {
            push(Evidence::SegmentationAmbiguous, here);
        }
        for _ in 0..row.map_or(0, |r| r.doubtful) {
            push(Evidence::OcrDoubt, here);
        }
        if let Some(t) = table {
            for _ in 0..misfits(ind, &t.columns) {
                push(Evidence::CellMisfit, here);
            }
        }
        if let Some(row) = row.filter(|row| aligned && row.lines > 1) {
            push(Evidence::WrappedRow, here);
            if row.by_numbers {
                push(Evidence::RowsByNumbers, here);
            }
        }
    }
    for list in [
        &record.tugas_pokok,
        &record.fungsi,
        &record.tujuan,
        &record.indikator_tujuan,
    ] {
        for _ in 0..cut_items(list) {
            push(Evidence::CutItem, Scope::Record(r));
        }
    }
    if record.heading.as_deref().is_some_and(has_title_residue) {
        push(Evidence::TitleResidue, Scope::Record(r));
    }
}

/// Margins of the chosen segmentation below this make its table ambiguous.
const AMBIGUOUS_MARGIN: f32 = 0.3;

/// Log-odds by which a cell must read more like another column of its table than its own to
/// count as misplaced.
const MISFIT_LOG_ODDS: f32 = 2.5;

/// Cells of a row that read much more like another column of the table than their own (the
/// column model). Sumber data and penanggung jawab are not judged: their content varies too
/// much between offices for the model to say (its measured accuracy there is low). A cell
/// that repeats another cell of its row (a rumus copying the indicator) is a choice of the
/// form, not a shifted cell.
fn misfits(ind: &Indicator, columns: &[Column]) -> usize {
    let model = crate::readers::score::model();
    let judged = [
        (Column::No, ind.no.as_deref()),
        (Column::Sasaran, ind.sasaran.as_deref()),
        (Column::Indikator, Some(ind.indikator.as_str())),
        (Column::Rumus, ind.rumus.as_deref()),
        (Column::Target, ind.target.as_ref().map(|t| t.raw.as_str())),
    ];
    let copies = |text: &str| {
        judged
            .iter()
            .filter(|(_, t)| t.is_some_and(|t| t.eq_ignore_ascii_case(text)))
            .count()
            > 1
    };
    judged
        .into_iter()
        .filter(|(col, _)| columns.contains(col))
        .filter_map(|(col, text)| Some((col, text.filter(|t| !t.is_empty())?)))
        .filter(|(_, text)| !copies(text))
        .filter(|(col, text)| {
            let scores = model.scores(text);
            let own = scores.log_prob(*col);
            columns
                .iter()
                .filter(|c| *c != col && **c != Column::Other)
                .any(|c| scores.log_prob(*c) - own > MISFIT_LOG_ODDS)
        })
        .count()
}

/// The row a table warning at `line` is about: the last row at or above it.
fn row_at(record: &IkiRecord, line: Option<usize>) -> Option<usize> {
    let line = line?;
    let first = record.indicators.first()?;
    if line < first.line {
        return None;
    }
    record.indicators.iter().rposition(|i| i.line <= line)
}

/// The optional cells of a row that a table header promises: no, sasaran, rumus, target,
/// sumber data, penanggung jawab.
fn cell_values(ind: &Indicator) -> [Option<()>; 6] {
    [
        ind.no.as_ref().map(|_| ()),
        ind.sasaran.as_ref().map(|_| ()),
        ind.rumus.as_ref().map(|_| ()),
        ind.target.as_ref().map(|_| ()),
        ind.sumber_data.as_ref().map(|_| ()),
        (!ind.penanggung_jawab.is_empty()).then_some(()),
    ]
}

/// The share of rows that fill each optional cell (a column most rows fill is in the header).
fn column_fill(indicators: &[Indicator]) -> [f64; 6] {
    let mut filled = [0.0; 6];
    if indicators.len() < 2 {
        return filled;
    }
    for ind in indicators {
        for (share, value) in filled.iter_mut().zip(cell_values(ind)) {
            if value.is_some() {
                *share += 1.0;
            }
        }
    }
    filled.map(|count| count / indicators.len() as f64)
}

/// Items of a list that look like the rest of the item above: an item ending in a
/// connective, or an unlabelled item after one that ends without closing punctuation.
fn cut_items(items: &[Item]) -> usize {
    let ends_open = |t: &str| !t.trim_end().ends_with(['.', ';', ':', ',', '!', '?', ')']);
    let mut cut = 0;
    for (k, item) in items.iter().enumerate() {
        let continues_above = k > 0 && item.label.is_none() && ends_open(&items[k - 1].text);
        if continues_above || crate::vocab::ends_mid_phrase(&item.text) {
            cut += 1;
        }
    }
    cut
}

static TITLE_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|\s)\(?iki\)?(?:\s|$)|\(").expect("valid regex"));

/// Whether a heading holds leftovers of the IKI title: "(IKI", or a first word that is the
/// tail of a title word ("DU", "U" of "INDIVIDU") after an OCR slip split it.
fn has_title_residue(heading: &str) -> bool {
    if TITLE_TOKEN.is_match(heading) {
        return true;
    }
    let first = heading.split_whitespace().next().unwrap_or("");
    let upper = first.to_uppercase();
    !first.is_empty()
        && first.chars().all(char::is_alphabetic)
        && ["INDIKATOR", "KINERJA", "INDIVIDU"]
            .iter()
            .any(|word| word.len() > upper.len() && word.ends_with(&upper))
}

/// The fields of an indicator row the evaluation scores: the row itself and its filled cells.
fn indicator_fields(ind: &Indicator) -> f64 {
    let cells = cell_values(ind).iter().filter(|c| c.is_some()).count();
    let formula = usize::from(ind.formula.is_some());
    let indikator = usize::from(!ind.indikator.is_empty());
    (1 + cells + formula + indikator) as f64
}

/// The fields of a record outside its rows: the record itself, its filled scalars, the four
/// list lengths and the list items.
fn record_own_fields(record: &IkiRecord) -> f64 {
    let scalars = [
        record.heading.is_some(),
        record.year.is_some(),
        record.organization.is_some(),
        record.jabatan.is_some(),
        record.eselon.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let items = record.tugas_pokok.len()
        + record.fungsi.len()
        + record.tujuan.len()
        + record.indikator_tujuan.len();
    (1 + scalars + 4 + items) as f64
}

/// The fields of a signatory: the signature itself, name, display name, role, acting, and the
/// filled NIP, date, place and position.
fn signatory_fields(s: &crate::model::Signatory) -> f64 {
    let filled = [
        s.nip.is_some(),
        s.date.is_some(),
        s.place.is_some(),
        s.position.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    (5 + filled) as f64
}

/// `(n − e) / (n + e)`, the accuracy of `n` fields of which `e` are wrong, in `[0, 1]`.
pub fn accuracy_estimate(fields: f64, wrong: f64) -> f64 {
    if fields <= 0.0 {
        return 0.0;
    }
    let wrong = wrong.clamp(0.0, fields);
    ((fields - wrong) / (fields + wrong)).clamp(0.0, 1.0)
}

/// Confidences are written with three decimals.
fn rounded(confidence: f64) -> f64 {
    (confidence * 1000.0).round() / 1000.0
}

/// Sets every confidence of `doc` from `found` with `weights`.
pub fn apply(doc: &mut IkiDocument, found: &[Found], weights: &Weights) {
    let mut row_wrong: Vec<Vec<f64>> = doc
        .records
        .iter()
        .map(|r| {
            r.indicators
                .iter()
                .map(|i| weights.base * indicator_fields(i))
                .collect()
        })
        .collect();
    let mut record_wrong: Vec<f64> = doc
        .records
        .iter()
        .map(|r| weights.base * record_own_fields(r))
        .collect();
    let mut signatory_wrong: Vec<f64> = doc
        .signatories
        .iter()
        .map(|s| weights.base * signatory_fields(s))
        .collect();
    let mut document_wrong = 0.0;
    for f in found {
        let w = weights.of(f.evidence);
        match f.scope {
            Scope::Row(r, i) => row_wrong[r][i] += w,
            Scope::Record(r) => record_wrong[r] += w,
            Scope::Signatory(s) => signatory_wrong[s] += w,
            Scope::Document => document_wrong += w,
        }
    }
    let (mut fields, mut wrong) = (0.0, document_wrong);
    for (r, record) in doc.records.iter_mut().enumerate() {
        let (mut n, mut e) = (record_own_fields(record), record_wrong[r]);
        for (i, ind) in record.indicators.iter_mut().enumerate() {
            let (ni, ei) = (indicator_fields(ind), row_wrong[r][i]);
            ind.confidence = rounded(accuracy_estimate(ni, ei));
            n += ni;
            e += ei;
        }
        record.confidence = rounded(accuracy_estimate(n, e));
        fields += n;
        wrong += e;
    }
    for (s, signatory) in doc.signatories.iter_mut().enumerate() {
        let (n, e) = (signatory_fields(signatory), signatory_wrong[s]);
        signatory.confidence = rounded(accuracy_estimate(n, e));
        fields += n;
        wrong += e;
    }
    doc.confidence = rounded(accuracy_estimate(fields, wrong));
}

/// A document's evidence summed over the document: what the fitting routine needs to compute
/// the document confidence for any weights ([`Summary::confidence`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Fields of the document (records with their rows, signatories).
    pub fields: f64,
    /// Pieces of evidence per kind ([`Evidence::index`]).
    pub counts: [f64; EVIDENCE_KINDS],
}

impl Summary {
    pub fn of(doc: &IkiDocument, found: &[Found]) -> Summary {
        let rows: f64 = doc
            .records
            .iter()
            .flat_map(|r| &r.indicators)
            .map(indicator_fields)
            .sum();
        let records: f64 = doc.records.iter().map(record_own_fields).sum();
        let signatories: f64 = doc.signatories.iter().map(signatory_fields).sum();
        let mut counts = [0.0; EVIDENCE_KINDS];
        for f in found {
            counts[f.evidence.index()] += 1.0;
        }
        Summary {
            fields: rows + records + signatories,
            counts,
        }
    }

    /// The document confidence [`apply`] sets with `weights`.
    pub fn confidence(&self, weights: &Weights) -> f64 {
        let evidence: f64 = self
            .counts
            .iter()
            .zip(&weights.per)
            .map(|(c, w)| c * w)
            .sum();
        rounded(accuracy_estimate(
            self.fields,
            weights.base * self.fields + evidence,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_table_is_complete_and_ordered() {
        for (i, e) in Evidence::ALL.iter().enumerate() {
            assert_eq!(e.index(), i, "{e:?}");
        }
        assert!(Evidence::RowsByNumbers.is_row() && !Evidence::UnattributedText.is_row());
        assert!(Evidence::MissingNip.is_signatory() && !Evidence::OtherWarning.is_signatory());
        assert!(WEIGHTS.per.iter().all(|w| *w >= 0.0));
        assert!(WEIGHTS.of(Evidence::GuessedColumns) >= MIN_GUESSED_COLUMNS);
    }

    #[test]
    fn estimate_is_the_accuracy_of_wrong_fields() {
        assert_eq!(accuracy_estimate(10.0, 0.0), 1.0);
        // 2 wrong of 10: 8 TP, 2 FP, 2 FN.
        assert!((accuracy_estimate(10.0, 2.0) - 8.0 / 12.0).abs() < 1e-12);
        assert_eq!(accuracy_estimate(10.0, 50.0), 0.0);
        assert_eq!(accuracy_estimate(0.0, 0.0), 0.0);
    }

    #[test]
    fn connectives_and_cut_items() {
        assert!(crate::vocab::ends_mid_phrase(
            "Jumlah Barang Milik Daerah yang"
        ));
        assert!(crate::vocab::ends_mid_phrase("dipenuhi /"));
        assert!(!crate::vocab::ends_mid_phrase(
            "memberikan saran kepada Camat; dan"
        ));
        assert!(!crate::vocab::ends_mid_phrase("Persentase desa"));
        let item = |label: Option<&str>, text: &str| Item {
            label: label.map(str::to_string),
            text: text.to_string(),
            line: 1,
        };
        let list = [
            item(None, "melaksanakan tugas pada SKPD dan"),
            item(None, "SKPKD."),
            item(Some("a"), "perumusan kebijakan;"),
            item(Some("b"), "pelaksanaan urusan"),
        ];
        assert_eq!(cut_items(&list), 2);
    }

    const FORM: &str = "INDIKATOR KINERJA INDIVIDU (IKI)\nTAHUN 2023\n\nJabatan : Sekretaris Kecamatan\nTugas Pokok : Membantu Camat.\n\nNo\tSasaran\tIndikator Kinerja\tRumus\tTarget\tSumber Data\n1\tMeningkatnya layanan\tPersentase layanan\tJumlah layanan dibagi jumlah permohonan x 100%\t100 %\tKecamatan\n2\tMeningkatnya kinerja\tNilai SAKIP\tNilai SAKIP\t80\tKecamatan\n\nLumajang, 02 Februari 2023\nCAMAT LUMAJANG\n\nDINA PUSPITA RINI, S.Pd\nNIP. 19840514 201001 2 031\n";

    #[test]
    fn a_clean_form_is_sure_and_evidence_lowers_its_element() {
        let doc = crate::extract("a.txt", FORM.as_bytes());
        assert_eq!(doc.records.len(), 1);
        let record = &doc.records[0];
        assert_eq!(record.indicators.len(), 2);
        let found = find(&doc, &crate::tables_of(FORM.as_bytes()));
        // The second rumus is no formula shape: the only evidence, on the second row.
        assert_eq!(
            found,
            vec![Found {
                evidence: Evidence::FormulaText,
                scope: Scope::Row(0, 1),
            }]
        );
        let summary = Summary::of(&doc, &found);
        assert_eq!(summary.confidence(&WEIGHTS), doc.confidence);
        let w = WEIGHTS.of(Evidence::FormulaText);
        let n1 = indicator_fields(&record.indicators[1]);
        let expected = rounded(accuracy_estimate(n1, w + WEIGHTS.base * n1));
        assert_eq!(record.indicators[1].confidence, expected);
        assert!(record.indicators[0].confidence >= record.indicators[1].confidence);
        assert!(doc.signatories[0].confidence > 0.99);
        assert!(doc.confidence < 1.0 || w == 0.0);

        // Without its NIP line the signatory carries `missing_nip`, and the document pays.
        let without_nip = FORM.replace("NIP. 19840514 201001 2 031\n", "");
        let worse = crate::extract("b.txt", without_nip.as_bytes());
        assert!(worse
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::MissingNip));
        assert!(worse.signatories[0].confidence < doc.signatories[0].confidence);
        assert!(worse.confidence < doc.confidence);
    }

    #[test]
    fn confidences_stay_in_the_unit_interval() {
        let mut doc = crate::extract("a.txt", FORM.as_bytes());
        let heavy = Weights {
            base: 0.5,
            per: [100.0; EVIDENCE_KINDS],
        };
        let found = find(&doc, &crate::tables_of(FORM.as_bytes()));
        apply(&mut doc, &found, &heavy);
        let all = doc
            .records
            .iter()
            .flat_map(|r| r.indicators.iter().map(|i| i.confidence))
            .chain(doc.records.iter().map(|r| r.confidence))
            .chain(doc.signatories.iter().map(|s| s.confidence))
            .chain([doc.confidence]);
        for c in all {
            assert!((0.0..=1.0).contains(&c), "{c}");
        }
        assert_eq!(doc.records[0].indicators[1].confidence, 0.0);
    }

    #[test]
    fn title_residue() {
        for (heading, residue) in [
            ("DU (IKI KASI PEMBERDAYAAN MASYARAKAT", true),
            ("U SUB BAGIAN UMUM DAN KEPEGAWAIAN", true),
            ("DU KASI PELAYANAN UMUM", true),
            ("ANALIS KEPEGAWAIAN MUDA", false),
            ("DI LINGKUNGAN KECAMATAN", false),
            ("SUB BAGIAN KEUANGAN", false),
        ] {
            assert_eq!(has_title_residue(heading), residue, "{heading}");
        }
    }
}
