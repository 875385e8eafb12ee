//! History across archives: every form a person signed or approved (by NIP), and every form
//! of a position by year with the indicators added, removed or changed between years.
//!
//! Persons are linked by NIP only: the digits as read after the parser's OCR repair, never a
//! similar name or a similar NIP. Positions are matched by [`matching::position_key`] and
//! grouped by organisation: the one the form states, else the one its signatures name ("CAMAT
//! LUMAJANG" leads Kecamatan Lumajang), else the one the rest of its document states or names.
//! The same query runs on SQLite and PostgreSQL.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use serde::Serialize;

use crate::error::DbError;
use crate::matching::{self, IndicatorText};
use crate::{Database, Value};

/// Every form the person with `nip` signed or approved.
#[derive(Debug, Clone, Serialize)]
pub struct PersonHistory {
    pub nip: String,
    pub birth_date: Option<String>,
    pub appointed: Option<String>,
    pub gender: String,
    pub plausible: bool,
    /// The names as written on the signatures, in the order of the forms.
    pub names: Vec<String>,
    pub forms: Vec<SignedForm>,
}

/// One signature of a person, with the form it closes.
#[derive(Debug, Clone, Serialize)]
pub struct SignedForm {
    pub year: Option<i64>,
    /// "signer" or "approver".
    pub role: String,
    /// The position under the signature, as written.
    pub position: Option<String>,
    pub acting: bool,
    pub name: String,
    /// The NIP on this signature was repaired from OCR digit confusions.
    pub nip_repaired: bool,
    pub date: Option<String>,
    /// The jabatan of the form the signature closes; null when it closes none.
    pub jabatan: Option<String>,
    pub organization: Option<String>,
    pub source: String,
    pub form_lines: Option<(i64, i64)>,
    pub signature_line: i64,
}

/// The forms of a position, grouped by organisation.
#[derive(Debug, Clone, Serialize)]
pub struct PositionHistory {
    pub jabatan: String,
    pub organization: Option<String>,
    pub positions: Vec<Position>,
}

/// One position in one organisation, year by year.
#[derive(Debug, Clone, Serialize)]
pub struct Position {
    /// The jabatan as written on its latest form.
    pub jabatan: String,
    pub organization: Option<String>,
    /// Where the organisation comes from: "form" (stated on it), "signature" (the title of a
    /// signatory, e.g. "CAMAT LUMAJANG"), "document" (another form of the same document), or
    /// null when unknown.
    pub organization_from: Option<String>,
    /// Years in order; forms without a year last, under `year: null`.
    pub years: Vec<Year>,
    /// Between each two consecutive known years.
    pub changes: Vec<Changes>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Year {
    pub year: Option<i64>,
    pub forms: Vec<Form>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub jabatan: String,
    pub source: String,
    pub start_line: i64,
    pub end_line: i64,
    pub indicators: Vec<IndicatorSummary>,
    pub signatories: Vec<FormSignatory>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorSummary {
    pub no: Option<String>,
    pub sasaran: Option<String>,
    pub indikator: String,
    pub rumus: Option<String>,
    pub target: Option<String>,
    pub sumber_data: Option<String>,
    pub penanggung_jawab: Vec<String>,
    pub line: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormSignatory {
    pub role: String,
    pub position: Option<String>,
    pub acting: bool,
    pub name: String,
    pub nip: Option<String>,
    /// The NIP of the person this signature is linked to; null when no NIP was read.
    pub person_nip: Option<String>,
    pub nip_repaired: bool,
}

/// What changed between two years of a position.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub from_year: i64,
    pub to_year: i64,
    pub added: Vec<IndicatorSummary>,
    pub removed: Vec<IndicatorSummary>,
    pub changed: Vec<ChangedIndicator>,
    pub unchanged: Vec<IndicatorSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangedIndicator {
    pub from: IndicatorSummary,
    pub to: IndicatorSummary,
    /// The fields that differ: "indikator", "sasaran", "rumus", "target", "sumber_data",
    /// "penanggung_jawab" (compared folded: case, spacing and punctuation do not count).
    pub fields: Vec<&'static str>,
}

/// The person with `nip` (spaces ignored) and every form they signed; `None` when the
/// database holds no signature with that NIP.
pub fn person(db: &mut Database, nip: &str) -> Result<Option<PersonHistory>, DbError> {
    let nip: String = nip.chars().filter(|c| !c.is_whitespace()).collect();
    let people = db.query(
        "SELECT birth_date, appointed, gender, plausible FROM persons WHERE nip = $1",
        &[Value::Text(nip.as_str().into())],
    )?;
    let Some(person) = people.into_iter().next() else {
        return Ok(None);
    };
    let rows = db.query(
        "SELECT s.role, s.position, s.acting, s.name, s.nip_repaired, s.date, s.line, \
                r.year, r.jabatan, r.organization, r.start_line, r.end_line, \
                (SELECT MIN(ds.path) FROM document_sources ds WHERE ds.document_id = s.document_id), \
                s.document_id, r.record_no \
         FROM signatories s \
         LEFT JOIN record_signatories rs \
                ON rs.document_id = s.document_id AND rs.signatory_no = s.signatory_no \
         LEFT JOIN records r ON r.document_id = rs.document_id AND r.record_no = rs.record_no \
         WHERE s.person_nip = $1",
        &[Value::Text(nip.as_str().into())],
    )?;
    let mut forms: Vec<(SignedForm, i64, i64)> = rows
        .into_iter()
        .map(|r| {
            let form = SignedForm {
                role: text(&r[0]).unwrap_or_default(),
                position: text(&r[1]),
                acting: boolean(&r[2]),
                name: text(&r[3]).unwrap_or_default(),
                nip_repaired: boolean(&r[4]),
                date: text(&r[5]),
                signature_line: int(&r[6]).unwrap_or(0),
                year: int(&r[7]),
                jabatan: text(&r[8]),
                organization: text(&r[9]),
                form_lines: int(&r[10]).zip(int(&r[11])),
                source: text(&r[12]).unwrap_or_default(),
            };
            (form, int(&r[13]).unwrap_or(0), int(&r[14]).unwrap_or(-1))
        })
        .collect();
    forms.sort_by(|(a, doc_a, rec_a), (b, doc_b, rec_b)| {
        year_order(a.year)
            .cmp(&year_order(b.year))
            .then_with(|| a.source.cmp(&b.source))
            .then(doc_a.cmp(doc_b))
            .then(rec_a.cmp(rec_b))
            .then(a.signature_line.cmp(&b.signature_line))
    });
    let forms: Vec<SignedForm> = forms.into_iter().map(|(f, _, _)| f).collect();
    let mut names: Vec<String> = Vec::new();
    for form in &forms {
        if !names.contains(&form.name) {
            names.push(form.name.clone());
        }
    }
    Ok(Some(PersonHistory {
        nip,
        birth_date: text(&person[0]),
        appointed: text(&person[1]),
        gender: text(&person[2]).unwrap_or_default(),
        plausible: boolean(&person[3]),
        names,
        forms,
    }))
}

/// Known years first, in order; no year last.
fn year_order(year: Option<i64>) -> (bool, i64) {
    (year.is_none(), year.unwrap_or(0))
}

/// One matching record before grouping.
struct FoundForm {
    document_id: i64,
    record_no: i64,
    year: Option<i64>,
    jabatan: String,
    organization: Option<(String, String, &'static str)>,
    source: String,
    start_line: i64,
    end_line: i64,
}

/// The forms whose jabatan names the position `jabatan`, grouped by organisation (only
/// those matching `organization`, when given), with the changes between years.
pub fn position(
    db: &mut Database,
    jabatan: &str,
    organization: Option<&str>,
) -> Result<PositionHistory, DbError> {
    let wanted = matching::position_key(jabatan);
    let spellings: Vec<String> = db
        .query(
            "SELECT DISTINCT jabatan FROM records WHERE jabatan IS NOT NULL",
            &[],
        )?
        .into_iter()
        .filter_map(|r| text(&r[0]))
        .filter(|j| matching::same_position(&matching::position_key(j), &wanted))
        .collect();
    let mut found = Vec::new();
    let mut organizations: HashMap<i64, DocumentOrganizations> = HashMap::new();
    for spelling in &spellings {
        let rows = db.query(
            "SELECT r.document_id, r.record_no, r.year, r.organization, r.start_line, r.end_line, \
                    (SELECT MIN(ds.path) FROM document_sources ds WHERE ds.document_id = r.document_id) \
             FROM records r WHERE r.jabatan = $1",
            &[Value::Text(spelling.as_str().into())],
        )?;
        for r in rows {
            let document_id = int(&r[0]).unwrap_or(0);
            if let Entry::Vacant(entry) = organizations.entry(document_id) {
                entry.insert(DocumentOrganizations::load(db, document_id)?);
            }
            let record_no = int(&r[1]).unwrap_or(0);
            let stated = text(&r[3]);
            found.push(FoundForm {
                document_id,
                record_no,
                year: int(&r[2]),
                jabatan: spelling.clone(),
                organization: organizations[&document_id].of_record(record_no, stated.as_deref()),
                start_line: int(&r[4]).unwrap_or(0),
                end_line: int(&r[5]).unwrap_or(0),
                source: text(&r[6]).unwrap_or_default(),
            });
        }
    }
    let query_key = organization.map(matching::organization_key);
    found.retain(|f| match (&query_key, &f.organization) {
        (None, _) => true,
        (Some(q), Some((key, _, _))) => matching::organization_matches(q, key),
        (Some(_), None) => false,
    });

    let mut groups: BTreeMap<Option<String>, Vec<FoundForm>> = BTreeMap::new();
    for form in found {
        let key = form.organization.as_ref().map(|(key, _, _)| key.clone());
        groups.entry(key).or_default().push(form);
    }
    let mut positions = Vec::new();
    for (_, mut forms) in groups {
        forms.sort_by(|a, b| {
            year_order(a.year)
                .cmp(&year_order(b.year))
                .then_with(|| a.source.cmp(&b.source))
                .then(a.document_id.cmp(&b.document_id))
                .then(a.record_no.cmp(&b.record_no))
        });
        positions.push(load_position(db, forms)?);
    }
    Ok(PositionHistory {
        jabatan: jabatan.to_string(),
        organization: organization.map(str::to_string),
        positions,
    })
}

/// The organisations a document states or names, to place its forms.
struct DocumentOrganizations {
    /// Record number → organisation named by the titles of the signatories closing it.
    by_signature: HashMap<i64, String>,
    /// Organisations stated on the document's forms.
    stated: Vec<String>,
    /// Organisations named by any of the document's signatories.
    named: Vec<String>,
}

impl DocumentOrganizations {
    fn load(db: &mut Database, document_id: i64) -> Result<Self, DbError> {
        let id = [Value::Int(document_id)];
        let mut stated: Vec<String> = Vec::new();
        for r in db.query(
            "SELECT DISTINCT organization FROM records WHERE document_id = $1 AND organization IS NOT NULL",
            &id,
        )? {
            if let Some(o) = text(&r[0]) {
                push_unique(&mut stated, o);
            }
        }
        let mut by_signature = HashMap::new();
        let mut named = Vec::new();
        for r in db.query(
            "SELECT rs.record_no, s.position FROM signatories s \
             LEFT JOIN record_signatories rs \
                    ON rs.document_id = s.document_id AND rs.signatory_no = s.signatory_no \
             WHERE s.document_id = $1 AND s.position IS NOT NULL \
             ORDER BY rs.record_no, s.signatory_no",
            &id,
        )? {
            let Some(org) = text(&r[1]).and_then(|p| matching::organization_of_position(&p)) else {
                continue;
            };
            if let Some(record_no) = int(&r[0]) {
                by_signature.entry(record_no).or_insert_with(|| org.clone());
            }
            push_unique(&mut named, org);
        }
        Ok(DocumentOrganizations {
            by_signature,
            stated,
            named,
        })
    }

    /// (key, display name, where it comes from) of a record's organisation.
    fn of_record(
        &self,
        record_no: i64,
        stated: Option<&str>,
    ) -> Option<(String, String, &'static str)> {
        if let Some(stated) = stated {
            return Some((
                matching::organization_key(stated),
                stated.to_string(),
                "form",
            ));
        }
        if let Some(named) = self.by_signature.get(&record_no) {
            return Some((named.clone(), title_case(named), "signature"));
        }
        if let [only] = self.stated.as_slice() {
            return Some((matching::organization_key(only), only.clone(), "document"));
        }
        if let [only] = self.named.as_slice() {
            return Some((only.clone(), title_case(only), "document"));
        }
        None
    }
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

fn title_case(folded: &str) -> String {
    folded
        .split(' ')
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn load_position(db: &mut Database, found: Vec<FoundForm>) -> Result<Position, DbError> {
    let (organization, organization_from) = match found.first().and_then(|f| f.organization.clone())
    {
        Some((_, display, from)) => (Some(display), Some(from.to_string())),
        None => (None, None),
    };
    let mut years: Vec<Year> = Vec::new();
    for f in &found {
        let form = Form {
            jabatan: f.jabatan.clone(),
            source: f.source.clone(),
            start_line: f.start_line,
            end_line: f.end_line,
            indicators: load_indicators(db, f.document_id, f.record_no)?,
            signatories: load_signatories(db, f.document_id, f.record_no)?,
        };
        match years.last_mut() {
            Some(year) if year.year == f.year => year.forms.push(form),
            _ => years.push(Year {
                year: f.year,
                forms: vec![form],
            }),
        }
    }
    let known: Vec<&Year> = years.iter().filter(|y| y.year.is_some()).collect();
    let changes = known
        .windows(2)
        .map(|pair| compare_years(pair[0], pair[1]))
        .collect();
    let jabatan = found.last().map(|f| f.jabatan.clone()).unwrap_or_default();
    let jabatan = found
        .iter()
        .rev()
        .find(|f| f.year.is_some())
        .map_or(jabatan, |f| f.jabatan.clone());
    Ok(Position {
        jabatan,
        organization,
        organization_from,
        years,
        changes,
    })
}

fn load_indicators(
    db: &mut Database,
    document_id: i64,
    record_no: i64,
) -> Result<Vec<IndicatorSummary>, DbError> {
    let key = [Value::Int(document_id), Value::Int(record_no)];
    let mut responsible: HashMap<i64, Vec<String>> = HashMap::new();
    for r in db.query(
        "SELECT indicator_no, responsible FROM indicator_responsibles \
         WHERE document_id = $1 AND record_no = $2 ORDER BY indicator_no, item_no",
        &key,
    )? {
        if let (Some(n), Some(who)) = (int(&r[0]), text(&r[1])) {
            responsible.entry(n).or_default().push(who);
        }
    }
    let rows = db.query(
        "SELECT indicator_no, no, sasaran, indikator, rumus, target_raw, sumber_data, line \
         FROM indicators WHERE document_id = $1 AND record_no = $2 ORDER BY indicator_no",
        &key,
    )?;
    Ok(rows
        .into_iter()
        .map(|r| IndicatorSummary {
            no: text(&r[1]),
            sasaran: text(&r[2]),
            indikator: text(&r[3]).unwrap_or_default(),
            rumus: text(&r[4]),
            target: text(&r[5]),
            sumber_data: text(&r[6]),
            penanggung_jawab: int(&r[0])
                .and_then(|n| responsible.remove(&n))
                .unwrap_or_default(),
            line: int(&r[7]).unwrap_or(0),
        })
        .collect())
}

fn load_signatories(
    db: &mut Database,
    document_id: i64,
    record_no: i64,
) -> Result<Vec<FormSignatory>, DbError> {
    let rows = db.query(
        "SELECT s.role, s.position, s.acting, s.name, s.nip, s.person_nip, s.nip_repaired \
         FROM record_signatories rs \
         JOIN signatories s ON s.document_id = rs.document_id AND s.signatory_no = rs.signatory_no \
         WHERE rs.document_id = $1 AND rs.record_no = $2 ORDER BY s.signatory_no",
        &[Value::Int(document_id), Value::Int(record_no)],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| FormSignatory {
            role: text(&r[0]).unwrap_or_default(),
            position: text(&r[1]),
            acting: boolean(&r[2]),
            name: text(&r[3]).unwrap_or_default(),
            nip: text(&r[4]),
            person_nip: text(&r[5]),
            nip_repaired: boolean(&r[6]),
        })
        .collect())
}

/// The indicators of a year: those of all its forms, each distinct one once.
fn year_indicators(year: &Year) -> Vec<IndicatorSummary> {
    let mut all: Vec<IndicatorSummary> = Vec::new();
    for indicator in year.forms.iter().flat_map(|f| &f.indicators) {
        if !all
            .iter()
            .any(|seen| differing_fields(seen, indicator).is_empty())
        {
            all.push(indicator.clone());
        }
    }
    all
}

fn compare_years(old: &Year, new: &Year) -> Changes {
    let (old_list, new_list) = (year_indicators(old), year_indicators(new));
    let pairs = matching::match_indicators(&texts(&old_list), &texts(&new_list));
    let mut changes = Changes {
        from_year: old.year.unwrap_or(0),
        to_year: new.year.unwrap_or(0),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        unchanged: Vec::new(),
    };
    let mut sorted_pairs = pairs.clone();
    sorted_pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in sorted_pairs {
        let fields = differing_fields(&old_list[i], &new_list[j]);
        if fields.is_empty() {
            changes.unchanged.push(new_list[j].clone());
        } else {
            changes.changed.push(ChangedIndicator {
                from: old_list[i].clone(),
                to: new_list[j].clone(),
                fields,
            });
        }
    }
    for (i, indicator) in old_list.iter().enumerate() {
        if !pairs.iter().any(|&(a, _)| a == i) {
            changes.removed.push(indicator.clone());
        }
    }
    for (j, indicator) in new_list.iter().enumerate() {
        if !pairs.iter().any(|&(_, b)| b == j) {
            changes.added.push(indicator.clone());
        }
    }
    changes
}

/// How an indicator is matched across years: its indikator, sasaran and rumus.
fn texts(list: &[IndicatorSummary]) -> Vec<IndicatorText<'_>> {
    list.iter()
        .map(|i| IndicatorText {
            indikator: &i.indikator,
            context: format!(
                "{} {}",
                i.sasaran.as_deref().unwrap_or(""),
                i.rumus.as_deref().unwrap_or("")
            ),
        })
        .collect()
}

/// The fields in which two indicators differ, compared folded.
fn differing_fields(a: &IndicatorSummary, b: &IndicatorSummary) -> Vec<&'static str> {
    let same = |x: Option<&str>, y: Option<&str>| {
        matching::fold(x.unwrap_or("")) == matching::fold(y.unwrap_or(""))
    };
    let mut fields = Vec::new();
    let checks: [(&'static str, Option<&str>, Option<&str>); 5] = [
        ("indikator", Some(&a.indikator), Some(&b.indikator)),
        ("sasaran", a.sasaran.as_deref(), b.sasaran.as_deref()),
        ("rumus", a.rumus.as_deref(), b.rumus.as_deref()),
        ("target", a.target.as_deref(), b.target.as_deref()),
        (
            "sumber_data",
            a.sumber_data.as_deref(),
            b.sumber_data.as_deref(),
        ),
    ];
    for (name, x, y) in checks {
        if !same(x, y) {
            fields.push(name);
        }
    }
    if !same(
        Some(&a.penanggung_jawab.join(" ")),
        Some(&b.penanggung_jawab.join(" ")),
    ) {
        fields.push("penanggung_jawab");
    }
    fields
}

fn text(value: &Value<'_>) -> Option<String> {
    match value {
        Value::Text(s) => Some(s.to_string()),
        _ => None,
    }
}

fn int(value: &Value<'_>) -> Option<i64> {
    match value {
        Value::Int(n) => Some(*n),
        _ => None,
    }
}

/// SQLite stores booleans as integers.
fn boolean(value: &Value<'_>) -> bool {
    matches!(value, Value::Bool(true) | Value::Int(1))
}

/// Plain-text rendering for a person reading a terminal.
impl fmt::Display for PersonHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "NIP {}: born {}, appointed {}, {}{}",
            self.nip,
            self.birth_date.as_deref().unwrap_or("?"),
            self.appointed.as_deref().unwrap_or("?"),
            self.gender,
            if self.plausible {
                ""
            } else {
                " (implausible dates)"
            }
        )?;
        writeln!(f, "names as written: {}", self.names.join("; "))?;
        writeln!(f, "{} signatures", self.forms.len())?;
        for form in &self.forms {
            let mut line = format!(
                "  {}  {:<8} {}{}",
                form.year.map_or("----".to_string(), |y| y.to_string()),
                form.role,
                if form.acting { "Plt. " } else { "" },
                form.position.as_deref().unwrap_or("(no position)"),
            );
            match &form.jabatan {
                Some(jabatan) => write!(line, " | form {jabatan:?}").unwrap_or(()),
                None => line.push_str(" | no form"),
            }
            write!(line, " | {}", form.source).unwrap_or(());
            match form.form_lines {
                Some((start, end)) => write!(line, ":{start}-{end}").unwrap_or(()),
                None => write!(line, ":{}", form.signature_line).unwrap_or(()),
            }
            if form.nip_repaired {
                line.push_str(" | NIP repaired from OCR");
            }
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

impl fmt::Display for PositionHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.positions.is_empty() {
            return writeln!(f, "no form with the position {:?}", self.jabatan);
        }
        for position in &self.positions {
            let from = match position.organization_from.as_deref() {
                Some("form") => "",
                Some("signature") => " (named by a signature)",
                Some(_) => " (from its document)",
                None => "",
            };
            writeln!(
                f,
                "{} | {}{from}",
                position.jabatan,
                position
                    .organization
                    .as_deref()
                    .unwrap_or("organisation unknown"),
            )?;
            for year in &position.years {
                for form in &year.forms {
                    writeln!(
                        f,
                        "  {}  {} | {} indicators | {}:{}-{}",
                        year.year.map_or("----".to_string(), |y| y.to_string()),
                        form.jabatan,
                        form.indicators.len(),
                        form.source,
                        form.start_line,
                        form.end_line
                    )?;
                    for s in &form.signatories {
                        writeln!(
                            f,
                            "        {:<8} {}{} | {} | {}",
                            s.role,
                            if s.acting { "Plt. " } else { "" },
                            s.position.as_deref().unwrap_or("(no position)"),
                            s.name,
                            s.person_nip.as_deref().map_or("no NIP".to_string(), |n| {
                                format!(
                                    "NIP {n}{}",
                                    if s.nip_repaired { " (repaired)" } else { "" }
                                )
                            })
                        )?;
                    }
                }
            }
            for c in &position.changes {
                writeln!(
                    f,
                    "  {} -> {}: {} added, {} removed, {} changed, {} unchanged",
                    c.from_year,
                    c.to_year,
                    c.added.len(),
                    c.removed.len(),
                    c.changed.len(),
                    c.unchanged.len()
                )?;
                for i in &c.added {
                    writeln!(f, "    + {}", i.indikator)?;
                }
                for i in &c.removed {
                    writeln!(f, "    - {}", i.indikator)?;
                }
                for ch in &c.changed {
                    if ch.fields.contains(&"indikator") {
                        writeln!(f, "    ~ {} -> {}", ch.from.indikator, ch.to.indikator)?;
                    } else {
                        writeln!(f, "    ~ {}", ch.to.indikator)?;
                    }
                    writeln!(f, "      changed: {}", ch.fields.join(", "))?;
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
