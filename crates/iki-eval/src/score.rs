//! Walks a gold and a predicted document side by side: aligns records, indicators, list items
//! and signatories, and scores every field the gold document contains.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::align::{align, Key};
use crate::compare::{scalar_text, values_match, Mode};
use crate::counts::{Counts, Diff, DiffKind, Outcome};
use crate::field::Field;

type Obj<'a> = Option<&'a Map<String, Value>>;

const RECORD_SCALARS: [(Field, &str); 5] = [
    (Field::Heading, "heading"),
    (Field::Jabatan, "jabatan"),
    (Field::Year, "year"),
    (Field::Eselon, "eselon"),
    (Field::Organization, "organization"),
];

/// (count field, item text field, key) of the four item lists.
const RECORD_LISTS: [(Field, Field, &str); 4] = [
    (Field::TugasPokokCount, Field::TugasPokok, "tugas_pokok"),
    (Field::FungsiCount, Field::Fungsi, "fungsi"),
    (Field::TujuanCount, Field::Tujuan, "tujuan"),
    (
        Field::IndikatorTujuanCount,
        Field::IndikatorTujuan,
        "indikator_tujuan",
    ),
];

const INDICATOR_SCALARS: [(Field, &str); 5] = [
    (Field::No, "no"),
    (Field::Sasaran, "sasaran"),
    (Field::Indikator, "indikator"),
    (Field::Rumus, "rumus"),
    (Field::SumberData, "sumber_data"),
];

/// Turns a gold or predicted value into the value scored for a field.
type Projection = fn(&Value) -> Option<Value>;

/// Indicator fields scored through a projection of their value.
const INDICATOR_PROJECTIONS: [(Field, &str, Projection); 3] = [
    (Field::FormulaKind, "formula", formula_kind),
    (Field::Target, "target", target_value),
    (Field::PenanggungJawab, "penanggung_jawab", joined_list),
];

const SIGNATORY_SCALARS: [(Field, &str); 8] = [
    (Field::Name, "name"),
    (Field::DisplayName, "display_name"),
    (Field::Nip, "nip"),
    (Field::Date, "date"),
    (Field::Place, "place"),
    (Field::Role, "role"),
    (Field::Acting, "acting"),
    (Field::Position, "position"),
];

/// Scores `pred` against `gold`, adding to `counts`. Only keys present in the gold objects are
/// scored; a non-object gold document scores nothing. A non-object prediction (null for a
/// missing file) scores as empty and yields one diff for the whole document.
pub fn score_document(gold: &Value, pred: &Value, counts: &mut Counts) {
    let Some(g) = gold.as_object() else {
        return;
    };
    counts.set_confidence(prediction_confidence(pred));
    let templates = Templates::from_gold(gold);
    let mut scorer = Scorer {
        counts,
        templates: &templates,
    };
    let root = if pred.is_object() {
        Loc::root()
    } else {
        scorer.counts.push_diff(document_diff(pred));
        Loc::root().quiet()
    };
    scorer.document(&root, g, pred.as_object());
}

/// A prediction's `confidence`, unless it is missing, not a number or the document failed.
fn prediction_confidence(pred: &Value) -> Option<f64> {
    let failed = pred.get("status").and_then(Value::as_str) == Some("failed");
    pred.get("confidence")
        .and_then(Value::as_f64)
        .filter(|c| !failed && c.is_finite())
}

/// The one diff of a missing (null) or non-object prediction.
fn document_diff(pred: &Value) -> Diff {
    let actual = match pred {
        Value::Null => Value::Null,
        Value::Array(_) => Value::String("(an array, not an object)".to_string()),
        other => other.clone(),
    };
    Diff {
        file: String::new(),
        path: String::new(),
        field: None,
        kind: DiffKind::Missing,
        expected: Value::String("document".to_string()),
        actual,
    }
}

/// The aligned element kinds.
#[derive(Debug, Clone, Copy)]
enum Parent {
    Record,
    Indicator,
    Signatory,
}

impl Parent {
    fn field(self) -> Field {
        match self {
            Parent::Record => Field::Records,
            Parent::Indicator => Field::Indicators,
            Parent::Signatory => Field::Signatories,
        }
    }

    /// What two elements are aligned on.
    fn key(self, value: &Value) -> Key {
        match self {
            Parent::Record => Key::new(&[
                (1.0, &text_at(value, "jabatan")),
                (1.0, &text_at(value, "heading")),
                (1.0, &first_indikator(value)),
            ]),
            Parent::Indicator => Key::new(&[
                (1.0, &text_at(value, "no")),
                (3.0, &text_at(value, "indikator")),
            ]),
            Parent::Signatory => Key::new(&[
                (1.0, &text_at(value, "name")),
                (1.0, &text_at(value, "display_name")),
                (1.0, &text_at(value, "nip")),
            ]),
        }
    }
}

fn text_at(value: &Value, key: &str) -> String {
    value.get(key).and_then(scalar_text).unwrap_or_default()
}

fn first_indikator(record: &Value) -> String {
    record
        .get("indicators")
        .and_then(|v| v.get(0))
        .map(|i| text_at(i, "indikator"))
        .unwrap_or_default()
}

/// The keys the gold document uses per element kind; they decide which fields of a predicted
/// element without gold partner count as false positives. Empty means "all".
#[derive(Debug, Default)]
struct Templates {
    record: BTreeSet<String>,
    indicator: BTreeSet<String>,
    signatory: BTreeSet<String>,
}

impl Templates {
    fn from_gold(gold: &Value) -> Templates {
        let records = array(gold.get("records"));
        let indicators: Vec<&Value> = records
            .iter()
            .flat_map(|r| array(r.get("indicators")))
            .collect();
        Templates {
            record: key_union(records.iter()),
            indicator: key_union(indicators.into_iter()),
            signatory: key_union(array(gold.get("signatories")).iter()),
        }
    }

    fn of(&self, parent: Parent) -> &BTreeSet<String> {
        match parent {
            Parent::Record => &self.record,
            Parent::Indicator => &self.indicator,
            Parent::Signatory => &self.signatory,
        }
    }
}

fn key_union<'a>(values: impl Iterator<Item = &'a Value>) -> BTreeSet<String> {
    values
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().cloned())
        .collect()
}

/// Which keys of an element are scored.
#[derive(Debug, Clone, Copy)]
enum Keys<'a> {
    /// Those of the gold object (none when the gold element is not an object).
    Gold(Obj<'a>),
    /// Those the gold document uses for this element kind (all when it uses none).
    Template(&'a BTreeSet<String>),
}

impl Keys<'_> {
    fn has(&self, key: &str) -> bool {
        match self {
            Keys::Gold(obj) => obj.is_some_and(|m| m.contains_key(key)),
            Keys::Template(set) => set.is_empty() || set.contains(key),
        }
    }
}

/// Where a value sits; `quiet` suppresses diffs below an unaligned element (its own diff says
/// it all).
#[derive(Debug, Clone)]
struct Loc {
    path: String,
    quiet: bool,
}

impl Loc {
    fn root() -> Loc {
        Loc {
            path: String::new(),
            quiet: false,
        }
    }

    fn key(&self, key: &str) -> Loc {
        let path = if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        };
        Loc { path, ..*self }
    }

    fn index(&self, step: (Option<usize>, Option<usize>)) -> Loc {
        let index = match step {
            (Some(g), Some(p)) if g == p => format!("[{g}]"),
            (Some(g), Some(p)) => format!("[{g}|pred {p}]"),
            (Some(g), None) => format!("[{g}]"),
            (None, Some(p)) => format!("[pred {p}]"),
            (None, None) => String::new(),
        };
        Loc {
            path: format!("{}{index}", self.path),
            ..*self
        }
    }

    fn quiet(&self) -> Loc {
        Loc {
            path: self.path.clone(),
            quiet: true,
        }
    }
}

struct Scorer<'c, 't> {
    counts: &'c mut Counts,
    templates: &'t Templates,
}

impl<'t> Scorer<'_, 't> {
    fn document(&mut self, root: &Loc, g: &Map<String, Value>, p: Obj) {
        if g.contains_key("kind") {
            self.scalar(
                Field::Kind,
                &root.key("kind"),
                g.get("kind"),
                get(p, "kind"),
            );
        }
        for (parent, key) in [
            (Parent::Record, "records"),
            (Parent::Signatory, "signatories"),
        ] {
            if g.contains_key(key) {
                let (gold, pred) = (array(g.get(key)), array(get(p, key)));
                self.parents(parent, &root.key(key), gold, pred);
            }
        }
    }

    /// Aligns two element lists and scores each pair, gold-only and pred-only element.
    fn parents(&mut self, parent: Parent, loc: &Loc, gold: &[Value], pred: &[Value]) {
        let gold_keys: Vec<Key> = gold.iter().map(|v| parent.key(v)).collect();
        let pred_keys: Vec<Key> = pred.iter().map(|v| parent.key(v)).collect();
        let template: &'t BTreeSet<String> = self.templates.of(parent);
        for step in align(&gold_keys, &pred_keys) {
            let here = loc.index(step);
            match step {
                (Some(gi), Some(pi)) => {
                    self.counts
                        .record_both(parent.field(), Outcome::TruePositive);
                    let (g, p) = (gold[gi].as_object(), pred[pi].as_object());
                    self.element(parent, &here, g, p, Keys::Gold(g));
                }
                (Some(gi), None) => {
                    self.counts
                        .record_both(parent.field(), Outcome::FalseNegative);
                    self.parent_diff(parent, &here, DiffKind::Missing, &gold_keys[gi]);
                    let g = gold[gi].as_object();
                    self.element(parent, &here.quiet(), g, None, Keys::Gold(g));
                }
                (None, Some(pi)) => {
                    self.counts
                        .record_both(parent.field(), Outcome::FalsePositive);
                    self.parent_diff(parent, &here, DiffKind::Extra, &pred_keys[pi]);
                    let p = pred[pi].as_object();
                    self.element(parent, &here.quiet(), None, p, Keys::Template(template));
                }
                (None, None) => {}
            }
        }
    }

    fn parent_diff(&mut self, parent: Parent, loc: &Loc, kind: DiffKind, key: &Key) {
        if loc.quiet {
            return;
        }
        let key = Value::String(key.describe().to_string());
        let (expected, actual) = match kind {
            DiffKind::Missing => (key, Value::Null),
            _ => (Value::Null, key),
        };
        self.counts.push_diff(Diff {
            file: String::new(),
            path: loc.path.clone(),
            field: Some(parent.field()),
            kind,
            expected,
            actual,
        });
    }

    fn element(&mut self, parent: Parent, loc: &Loc, g: Obj, p: Obj, keys: Keys) {
        match parent {
            Parent::Record => self.record(loc, g, p, keys),
            Parent::Indicator => self.indicator(loc, g, p, keys),
            Parent::Signatory => self.scalars(&SIGNATORY_SCALARS, loc, g, p, keys),
        }
    }

    fn record(&mut self, loc: &Loc, g: Obj, p: Obj, keys: Keys) {
        self.scalars(&RECORD_SCALARS, loc, g, p, keys);
        for (count_field, text_field, key) in RECORD_LISTS {
            if keys.has(key) {
                let fields = (count_field, text_field);
                self.items(fields, &loc.key(key), get(g, key), get(p, key));
            }
        }
        if keys.has("indicators") {
            let (gold, pred) = (array(get(g, "indicators")), array(get(p, "indicators")));
            self.parents(Parent::Indicator, &loc.key("indicators"), gold, pred);
        }
    }

    fn indicator(&mut self, loc: &Loc, g: Obj, p: Obj, keys: Keys) {
        self.scalars(&INDICATOR_SCALARS, loc, g, p, keys);
        for (field, key, project) in INDICATOR_PROJECTIONS {
            if keys.has(key) {
                let gold = get(g, key).and_then(project);
                let pred = get(p, key).and_then(project);
                self.scalar(field, &loc.key(key), gold.as_ref(), pred.as_ref());
            }
        }
    }

    fn scalars(&mut self, fields: &[(Field, &str)], loc: &Loc, g: Obj, p: Obj, keys: Keys) {
        for &(field, key) in fields {
            if keys.has(key) {
                self.scalar(field, &loc.key(key), get(g, key), get(p, key));
            }
        }
    }

    /// A list of items: its length as `<list>_count`, then the item texts aligned by order and
    /// similarity.
    fn items(&mut self, fields: (Field, Field), loc: &Loc, g: Option<&Value>, p: Option<&Value>) {
        let (count, text) = fields;
        let gold_len = g.and_then(Value::as_array).map(|a| Value::from(a.len()));
        let pred_len = p.and_then(Value::as_array).map(|a| Value::from(a.len()));
        let count_loc = Loc {
            path: format!("{}.length", loc.path),
            quiet: loc.quiet,
        };
        self.scalar(count, &count_loc, gold_len.as_ref(), pred_len.as_ref());
        self.item_texts(text, loc, array(g), array(p));
    }

    fn item_texts(&mut self, field: Field, loc: &Loc, gold: &[Value], pred: &[Value]) {
        let gold: Vec<Option<&Value>> = gold.iter().map(item_text).collect();
        let pred: Vec<Option<&Value>> = pred.iter().map(item_text).collect();
        let gold_keys: Vec<Key> = gold.iter().map(|t| Key::text(&text_of(*t))).collect();
        let pred_keys: Vec<Key> = pred.iter().map(|t| Key::text(&text_of(*t))).collect();
        for step in align(&gold_keys, &pred_keys) {
            let g_text = step.0.and_then(|i| gold[i]);
            let p_text = step.1.and_then(|i| pred[i]);
            self.scalar(field, &loc.index(step).key("text"), g_text, p_text);
        }
    }

    /// Scores one value in both modes; `None` and JSON null are both "no value".
    fn scalar(&mut self, field: Field, loc: &Loc, g: Option<&Value>, p: Option<&Value>) {
        let g = g.filter(|v| !v.is_null());
        let p = p.filter(|v| !v.is_null());
        for mode in Mode::ALL {
            self.counts.record(field, mode, outcome(mode, g, p));
        }
        if loc.quiet {
            return;
        }
        if let Some(kind) = diff_kind(g, p) {
            self.counts.push_diff(Diff {
                file: String::new(),
                path: loc.path.clone(),
                field: Some(field),
                kind,
                expected: g.cloned().unwrap_or(Value::Null),
                actual: p.cloned().unwrap_or(Value::Null),
            });
        }
    }
}

fn outcome(mode: Mode, g: Option<&Value>, p: Option<&Value>) -> Outcome {
    match (g, p) {
        (None, None) => Outcome::Unscored,
        (Some(_), None) => Outcome::FalseNegative,
        (None, Some(_)) => Outcome::FalsePositive,
        (Some(g), Some(p)) if values_match(mode, g, p) => Outcome::TruePositive,
        (Some(_), Some(_)) => Outcome::Wrong,
    }
}

fn diff_kind(g: Option<&Value>, p: Option<&Value>) -> Option<DiffKind> {
    match (g, p) {
        (None, None) => None,
        (Some(_), None) => Some(DiffKind::Missing),
        (None, Some(_)) => Some(DiffKind::Extra),
        (Some(g), Some(p)) if values_match(Mode::Exact, g, p) => None,
        (Some(g), Some(p)) if values_match(Mode::Soft, g, p) => Some(DiffKind::SoftOnly),
        (Some(_), Some(_)) => Some(DiffKind::Different),
    }
}

fn get<'a>(obj: Obj<'a>, key: &str) -> Option<&'a Value> {
    obj.and_then(|m| m.get(key))
}

/// The elements of an array value; empty for anything else.
fn array(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The text of a list item: `item.text`, or the item itself when it is a plain string.
fn item_text(item: &Value) -> Option<&Value> {
    match item {
        Value::Object(m) => m.get("text"),
        Value::String(_) => Some(item),
        _ => None,
    }
}

fn text_of(value: Option<&Value>) -> String {
    value.and_then(scalar_text).unwrap_or_default()
}

/// `formula.kind`; a non-object formula scores as itself.
fn formula_kind(formula: &Value) -> Option<Value> {
    match formula {
        Value::Null => None,
        Value::Object(m) => m.get("kind").cloned(),
        other => Some(other.clone()),
    }
}

/// `target.raw`, else `target.value`; a non-object target scores as itself.
fn target_value(target: &Value) -> Option<Value> {
    match target {
        Value::Null => None,
        Value::Object(m) => m
            .get("raw")
            .filter(|v| !v.is_null())
            .or_else(|| m.get("value"))
            .cloned(),
        other => Some(other.clone()),
    }
}

/// A list of strings joined with "; "; an empty list is no value.
fn joined_list(list: &Value) -> Option<Value> {
    match list {
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) => {
            let texts: Vec<String> = items
                .iter()
                .map(|v| scalar_text(v).unwrap_or_else(|| v.to_string()))
                .collect();
            Some(Value::String(texts.join("; ")))
        }
        Value::Null => None,
        other => Some(other.clone()),
    }
}
