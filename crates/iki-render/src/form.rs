//! The layout-neutral model of one form, built from a gold record: which fields, which table
//! columns and cells (continuation rows and extra columns decided here), which signature
//! blocks. Every writer renders this same model, so the families differ only in layout.

use crate::fraction::Fraction;
use crate::gold::{GoldDoc, GoldIndicator, GoldItem, GoldRecord, GoldSignatory};
use crate::rng::Dice;
use crate::style::Style;
use crate::text::math_symbols;

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Column {
    No,
    Sasaran,
    Indikator,
    Rumus,
    Target,
    Satuan,
    SumberData,
    PenanggungJawab,
    Keterangan,
}

/// One table cell: a single text, or bullet entries (Penanggung Jawab).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cell {
    pub parts: Vec<String>,
    pub bullets: bool,
    /// A rumus printed as a fraction over lines (family 15); `parts` holds its reading.
    pub fraction: Option<Fraction>,
}

impl Cell {
    fn text(text: Option<&str>) -> Cell {
        Cell {
            parts: text
                .filter(|t| !t.trim().is_empty())
                .map(|t| vec![t.to_string()])
                .unwrap_or_default(),
            bullets: false,
            fraction: None,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The cell on one line: "text", or "- A - B" with `bullet`.
    pub(crate) fn inline(&self, bullet: &str) -> String {
        if !self.bullets {
            return self.parts.join(" ");
        }
        let entries: Vec<String> = self.parts.iter().map(|p| format!("{bullet} {p}")).collect();
        entries.join(" ")
    }
}

/// The indicator table of a form.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// Which labelled field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Jabatan,
    Eselon,
    TugasPokok,
    Fungsi,
    Tujuan,
    IndikatorTujuan,
}

/// A labelled field and its items (Jabatan and Eselon hold one unlabelled item).
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub kind: FieldKind,
    pub items: Vec<GoldItem>,
}

/// One form, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Form<'a> {
    /// The issuing unit, when a letterhead must be printed before this form.
    pub letterhead: Option<&'a str>,
    pub year: Option<i32>,
    pub heading: Option<&'a str>,
    pub fields: Vec<Field>,
    pub table: Option<Table>,
    pub signatures: Vec<&'a GoldSignatory>,
}

/// The forms of a document, in order; every signatory is printed once, after the first form
/// that refers to it (signatories no form refers to close the last form).
pub(crate) fn forms<'a>(doc: &'a GoldDoc, style: &Style, dice: &mut Dice) -> Vec<Form<'a>> {
    let mut printed = vec![false; doc.signatories.len()];
    let mut last_org: Option<&str> = None;
    let mut forms: Vec<Form<'a>> = Vec::with_capacity(doc.records.len());
    for record in &doc.records {
        let org = record.organization.as_deref();
        let letterhead = org.filter(|o| Some(*o) != last_org);
        if org.is_some() {
            last_org = org;
        }
        let signatures = take_signatures(doc, &record.signatory_refs, &mut printed);
        forms.push(Form {
            letterhead,
            year: record.year,
            heading: record.heading.as_deref(),
            fields: fields(record, style),
            table: table(record, style, dice),
            signatures,
        });
    }
    if let Some(last) = forms.last_mut() {
        let rest: Vec<usize> = (0..printed.len()).filter(|i| !printed[*i]).collect();
        last.signatures
            .extend(take_signatures(doc, &rest, &mut printed));
    }
    forms
}

fn take_signatures<'a>(
    doc: &'a GoldDoc,
    refs: &[usize],
    printed: &mut [bool],
) -> Vec<&'a GoldSignatory> {
    let mut refs: Vec<usize> = refs.to_vec();
    refs.sort_unstable();
    refs.dedup();
    let mut out = Vec::new();
    for i in refs {
        if let (Some(sig), Some(seen)) = (doc.signatories.get(i), printed.get_mut(i)) {
            if !*seen {
                *seen = true;
                out.push(sig);
            }
        }
    }
    out
}

/// The labelled fields of a record, in form order.
fn fields(record: &GoldRecord, style: &Style) -> Vec<Field> {
    let mut out = Vec::new();
    if let Some(jabatan) = jabatan_text(record, style) {
        out.push(single(FieldKind::Jabatan, jabatan));
    }
    if let (Some(eselon), true) = (&record.eselon, style.labels.eselon_field) {
        out.push(single(FieldKind::Eselon, eselon.clone()));
    }
    let lists = [
        (FieldKind::TugasPokok, &record.tugas_pokok),
        (FieldKind::Fungsi, &record.fungsi),
        (FieldKind::Tujuan, &record.tujuan),
        (FieldKind::IndikatorTujuan, &record.indikator_tujuan),
    ];
    for (kind, items) in lists {
        if !items.is_empty() {
            out.push(Field {
                kind,
                items: items.clone(),
            });
        }
    }
    out
}

fn single(kind: FieldKind, text: String) -> Field {
    Field {
        kind,
        items: vec![GoldItem { label: None, text }],
    }
}

/// "Sekretaris Kecamatan (Eselon III)"; `None` when the form prints no Jabatan label (no
/// jabatan, or one that only repeats the heading and the style leaves it out).
fn jabatan_text(record: &GoldRecord, style: &Style) -> Option<String> {
    let jabatan = record.jabatan.as_deref()?;
    let repeats_heading = record.heading.as_deref() == Some(jabatan);
    let needs_label = record.eselon.is_some() && !style.labels.eselon_field;
    if repeats_heading && !style.labels.jabatan_when_heading && !needs_label {
        return None;
    }
    match (&record.eselon, style.labels.eselon_field) {
        (Some(eselon), false) => Some(format!("{jabatan} (Eselon {eselon})")),
        _ => Some(jabatan.to_string()),
    }
}

/// The columns a record's gold has (a column every row leaves empty is not printed), plus the
/// style's extra columns.
pub(crate) fn columns(record: &GoldRecord, extras: &[Column]) -> Vec<Column> {
    let ind = &record.indicators;
    let has = |f: fn(&GoldIndicator) -> bool| ind.iter().any(f);
    let wanted = [
        (Column::No, has(|i| i.no.is_some())),
        (Column::Sasaran, has(|i| i.sasaran.is_some())),
        (Column::Indikator, true),
        (Column::Rumus, has(|i| i.rumus.is_some())),
        (Column::Target, has(|i| i.target.is_some())),
        (Column::SumberData, has(|i| i.sumber_data.is_some())),
        (
            Column::PenanggungJawab,
            has(|i| !i.penanggung_jawab.is_empty()),
        ),
    ];
    let mut cols: Vec<Column> = wanted
        .iter()
        .filter(|(_, present)| *present)
        .map(|(c, _)| *c)
        .collect();
    if extras.contains(&Column::Satuan) {
        let after = [Column::Target, Column::Rumus, Column::Indikator]
            .into_iter()
            .find_map(|c| cols.iter().position(|x| *x == c))
            .unwrap_or(cols.len().saturating_sub(1));
        cols.insert(after + 1, Column::Satuan);
    }
    if extras.contains(&Column::Keterangan) {
        cols.push(Column::Keterangan);
    }
    cols
}

fn table(record: &GoldRecord, style: &Style, dice: &mut Dice) -> Option<Table> {
    if record.indicators.is_empty() {
        return None;
    }
    let columns = columns(record, &style.extras);
    let numbers = if style.renumber {
        renumbered(&record.indicators)
    } else {
        record.indicators.iter().map(|i| i.no.clone()).collect()
    };
    let mut rows = Vec::with_capacity(record.indicators.len());
    let mut prev: Option<&GoldIndicator> = None;
    for (ind, no) in record.indicators.iter().zip(&numbers) {
        let continuation = style.elide_continuation && is_continuation(prev, ind);
        let row = columns
            .iter()
            .map(|c| match c {
                // Renumbered rows print their own number, continuation rows too.
                Column::No if style.renumber => Cell::text(no.as_deref()),
                _ => cell(*c, ind, continuation, style, dice),
            })
            .collect();
        rows.push(row);
        prev = Some(ind);
    }
    Some(Table { columns, rows })
}

/// The row numbers of a table numbered from 1 again under each sasaran (family 16): a row
/// that continues the row above (same number and sasaran) counts on, any other row starts
/// again at 1; a row without a number keeps none. The gold's `no` of such a rendering.
pub(crate) fn renumbered(indicators: &[GoldIndicator]) -> Vec<Option<String>> {
    let mut out = Vec::with_capacity(indicators.len());
    let mut n = 0;
    let mut prev: Option<&GoldIndicator> = None;
    for ind in indicators {
        n = if is_continuation(prev, ind) { n + 1 } else { 1 };
        out.push(ind.no.as_ref().map(|_| n.to_string()));
        prev = Some(ind);
    }
    out
}

/// A row that repeats the No (printed) and Sasaran of the row above is printed with those
/// cells empty, as forms do.
fn is_continuation(prev: Option<&GoldIndicator>, ind: &GoldIndicator) -> bool {
    prev.is_some_and(|p| ind.no.is_some() && p.no == ind.no && p.sasaran == ind.sasaran)
}

fn cell(
    column: Column,
    ind: &GoldIndicator,
    continuation: bool,
    style: &Style,
    dice: &mut Dice,
) -> Cell {
    match column {
        Column::No if continuation => Cell::default(),
        Column::Sasaran if continuation => Cell::default(),
        Column::No => Cell::text(ind.no.as_deref()),
        Column::Sasaran => Cell::text(ind.sasaran.as_deref()),
        Column::Indikator => Cell::text(Some(&ind.indikator)),
        Column::Rumus => match style.fractions.and_then(|_| Fraction::of(ind)) {
            Some(fraction) => Cell {
                parts: vec![fraction.rumus()],
                bullets: false,
                fraction: Some(fraction),
            },
            None => {
                let rumus = ind.rumus.as_deref().map(|r| rumus_text(r, style));
                Cell::text(rumus.as_deref())
            }
        },
        Column::Target => Cell::text(ind.target.as_ref().map(|t| t.raw.as_str())),
        Column::SumberData => Cell::text(ind.sumber_data.as_deref()),
        Column::PenanggungJawab => Cell {
            bullets: ind.penanggung_jawab.len() > 1 || dice.chance(0.3),
            parts: ind.penanggung_jawab.clone(),
            fraction: None,
        },
        Column::Satuan => Cell::text(Some(satuan(ind))),
        Column::Keterangan => Cell::text(Some(dice.word(&[
            "",
            "-",
            "Tahunan",
            "Triwulanan",
            "Semesteran",
            "Bulanan",
        ]))),
    }
}

/// The rumus as printed: with ÷ / × when the style writes math symbols.
pub(crate) fn rumus_text(rumus: &str, style: &Style) -> String {
    if style.marks.math {
        math_symbols(rumus)
    } else {
        rumus.to_string()
    }
}

/// A plausible unit for an extra Satuan column: the target's unit, else one read off the
/// indicator's first words.
fn satuan(ind: &GoldIndicator) -> &str {
    if let Some(unit) = ind.target.as_ref().and_then(|t| target_unit(&t.raw)) {
        return unit;
    }
    let lower = ind.indikator.to_lowercase();
    if lower.starts_with("persentase") || lower.contains("persentase") {
        "%"
    } else if lower.starts_with("indeks") || lower.starts_with("nilai") {
        "Nilai"
    } else if lower.starts_with("jumlah") {
        ind.indikator.split_whitespace().nth(1).unwrap_or("Dokumen")
    } else {
        "Dokumen"
    }
}

/// "%" of "100 %", "dokumen" of "3 dokumen".
fn target_unit(raw: &str) -> Option<&str> {
    let unit = raw.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    let unit = unit.trim();
    (!unit.is_empty()).then_some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(no: Option<&str>, sasaran: &str, target: bool) -> GoldIndicator {
        GoldIndicator {
            no: no.map(str::to_string),
            sasaran: Some(sasaran.to_string()),
            indikator: "Persentase X".to_string(),
            target: target.then(|| crate::gold::GoldTarget {
                raw: "100 %".to_string(),
            }),
            ..GoldIndicator::default()
        }
    }

    #[test]
    fn columns_follow_the_gold_and_extras() {
        let record = GoldRecord {
            indicators: vec![indicator(Some("1"), "S", true)],
            ..GoldRecord::default()
        };
        assert_eq!(
            columns(&record, &[]),
            vec![
                Column::No,
                Column::Sasaran,
                Column::Indikator,
                Column::Target
            ]
        );
        assert_eq!(
            columns(&record, &[Column::Satuan, Column::Keterangan]),
            vec![
                Column::No,
                Column::Sasaran,
                Column::Indikator,
                Column::Target,
                Column::Satuan,
                Column::Keterangan
            ]
        );
    }

    #[test]
    fn continuation_needs_a_printed_number() {
        let a = indicator(Some("3"), "S", false);
        let b = indicator(Some("3"), "S", false);
        let c = indicator(None, "S", false);
        assert!(is_continuation(Some(&a), &b));
        assert!(!is_continuation(Some(&c), &c));
        assert!(!is_continuation(None, &a));
    }

    #[test]
    fn renumbering_restarts_under_each_sasaran() {
        let rows = [
            indicator(Some("1"), "S", false),
            indicator(Some("1"), "S", false),
            indicator(Some("2"), "T", false),
            indicator(Some("3"), "U", false),
            indicator(Some("3"), "U", false),
            indicator(Some("3"), "U", false),
            indicator(None, "U", false),
        ];
        let numbers = renumbered(&rows);
        let numbers: Vec<Option<&str>> = numbers.iter().map(|n| n.as_deref()).collect();
        assert_eq!(
            numbers,
            [
                Some("1"),
                Some("2"),
                Some("1"),
                Some("1"),
                Some("2"),
                Some("3"),
                None
            ]
        );
    }

    #[test]
    fn satuan_comes_from_target_or_indicator() {
        assert_eq!(satuan(&indicator(None, "S", true)), "%");
        assert_eq!(target_unit("3 dokumen"), Some("dokumen"));
        assert_eq!(target_unit("100"), None);
    }
}
