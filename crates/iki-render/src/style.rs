//! The choices one rendering makes, drawn once per document from the seed: which table
//! writer, how labels and titles look, which column names, which extras. The writers read
//! these knobs; per-line variation (wrap points, blank lines, slips) is drawn while writing.

use crate::family::Family;
use crate::form::Column;
use crate::rng::Dice;

/// How the indicator table is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// One row per line, cells separated by tabs (the corpus' own shape).
    Tabs,
    /// Space-aligned, word-wrapped columns (`pdftotext -layout`).
    Aligned {
        gap: usize,
        middle: bool,
        blank_between_rows: bool,
    },
    /// Markdown pipe table, with or without the `|---|` rule.
    Pipe { rule: bool },
    /// HTML table.
    Html {
        shape: HtmlShape,
        rowspan: bool,
        list_cells: bool,
    },
    /// One cell per line.
    Flat,
}

/// Where an HTML table breaks its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HtmlShape {
    OneLine,
    RowPerLine,
    Pretty,
}

/// How field labels are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Numbering {
    None,
    Arabic,
    Roman,
    Letter,
    Paren,
}

/// How "Jabatan : ..." lines look.
#[derive(Debug, Clone)]
pub(crate) struct Labels {
    pub numbering: Numbering,
    pub upper: bool,
    /// "JABATAN. :"
    pub dot: bool,
    /// The value on the line after the label, starting with ": ".
    pub next_line: bool,
    /// "- Jabatan : ..." (markdown bullet).
    pub dash: bool,
    /// "**Jabatan** : ..."
    pub bold: bool,
    /// "JABATAN\t:\tvalue"
    pub tabs: bool,
    /// Label column width for space-aligned fields.
    pub aligned: Option<usize>,
    /// Label, colon and value each on a line of their own.
    pub flat: bool,
    pub jabatan_word: &'static str,
    pub tugas_word: &'static str,
    /// Print the Jabatan label even when it only repeats the heading.
    pub jabatan_when_heading: bool,
    /// "Eselon : IV.a" as a field of its own instead of "(Eselon IV.a)".
    pub eselon_field: bool,
}

/// How list items look.
#[derive(Debug, Clone)]
pub(crate) struct Lists {
    /// The first item on the label's line.
    pub first_inline: bool,
    /// "a)" instead of "a."
    pub paren: bool,
    /// Text before each item's marker on its own line: "", " ", " - ", "   ".
    pub indent: &'static str,
}

/// How the title block looks.
#[derive(Debug, Clone)]
pub(crate) struct Title {
    pub iki: bool,
    pub year_own_line: bool,
    pub markup: TitleMarkup,
    /// Centre the title lines on a page this wide.
    pub center: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TitleMarkup {
    None,
    /// `**INDIKATOR ...**`
    Bold,
    /// `# INDIKATOR ...`
    Hash,
}

/// How signature blocks look.
#[derive(Debug, Clone)]
pub(crate) struct Signs {
    /// Approver and signer side by side (space-aligned families).
    pub two_column: bool,
    pub position_comma: bool,
    pub mengetahui_comma: bool,
    pub nip_prefix: &'static str,
    pub two_digit_day: bool,
    pub bold_name: bool,
    /// A transcript's "handwritten signature" description line.
    pub note: bool,
    /// A leading space before position, name and NIP lines (as OCR transcripts have).
    pub lead_space: bool,
}

/// Character-level marks of family 7.
#[derive(Debug, Clone)]
pub(crate) struct Marks {
    /// Bullet before unlabelled items and Penanggung Jawab entries.
    pub bullet: &'static str,
    pub math: bool,
    pub nbsp: bool,
    pub encoding: Encoding,
    pub crlf: bool,
}

/// The byte encoding of a rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

/// Every per-document choice of a rendering.
#[derive(Debug, Clone)]
pub(crate) struct Style {
    pub family: Family,
    pub table: TableKind,
    pub labels: Labels,
    pub lists: Lists,
    pub title: Title,
    pub signs: Signs,
    pub marks: Marks,
    /// Column names, by column.
    pub headers: Vec<(Column, String)>,
    /// Extra columns (Satuan, Keterangan) added to every table.
    pub extras: Vec<Column>,
    /// Continuation rows leave No and Sasaran empty (else they repeat them).
    pub elide_continuation: bool,
    pub ocr: bool,
    pub furniture: bool,
    /// Left margin of every line (space-aligned family).
    pub margin: usize,
    /// Print the letterhead's address lines.
    pub address: bool,
}

impl Style {
    /// The choices of one rendering of `family`.
    pub(crate) fn pick(family: Family, dice: &mut Dice) -> Style {
        let mut style = Style::plain(family, dice);
        match family {
            Family::Layout => layout(&mut style, dice),
            Family::Markup => markup(&mut style, dice),
            Family::Numbered => numbered(&mut style, dice),
            Family::Synonyms => synonyms(&mut style, dice),
            Family::Flattened => flattened(&mut style, dice),
            Family::Furniture => style.furniture = true,
            Family::Encoding => encoding(&mut style, dice),
            Family::Ocr => style.ocr = true,
        }
        style
    }

    /// The corpus-like base every family starts from: tab tables, "Label : value" fields.
    fn plain(family: Family, dice: &mut Dice) -> Style {
        let upper = dice.chance(0.3);
        Style {
            family,
            table: TableKind::Tabs,
            labels: Labels {
                numbering: Numbering::None,
                upper,
                dot: false,
                next_line: false,
                dash: false,
                bold: false,
                tabs: dice.chance(0.2),
                aligned: None,
                flat: false,
                jabatan_word: dice.word(&["Jabatan", "Jabatan", "Unit Kerja"]),
                tugas_word: dice.word(&["Tugas Pokok", "Tugas Pokok", "Tugas"]),
                jabatan_when_heading: dice.chance(0.5),
                eselon_field: false,
            },
            lists: Lists {
                first_inline: dice.chance(0.5),
                paren: false,
                indent: dice.word(&["", "", " ", " - "]),
            },
            title: Title {
                iki: dice.chance(0.7),
                year_own_line: dice.chance(0.3),
                markup: TitleMarkup::None,
                center: None,
            },
            signs: Signs {
                two_column: false,
                position_comma: dice.chance(0.4),
                mengetahui_comma: dice.chance(0.4),
                nip_prefix: dice.word(&["NIP.", "NIP.", "NIP", "NIP :"]),
                two_digit_day: dice.chance(0.7),
                bold_name: false,
                note: false,
                lead_space: dice.chance(0.2),
            },
            marks: Marks {
                bullet: "-",
                math: false,
                nbsp: false,
                encoding: Encoding::Utf8,
                crlf: false,
            },
            headers: plain_headers(upper, dice),
            extras: Vec::new(),
            elide_continuation: true,
            ocr: false,
            furniture: false,
            margin: 0,
            address: dice.chance(0.6),
        }
    }

    /// The printed name of a column.
    pub(crate) fn header(&self, column: Column) -> &str {
        self.headers
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, name)| name.as_str())
            .unwrap_or("")
    }
}

fn layout(style: &mut Style, dice: &mut Dice) {
    style.table = TableKind::Aligned {
        gap: dice.between(2, 5),
        middle: dice.chance(0.3),
        blank_between_rows: dice.chance(0.5),
    };
    style.labels.tabs = false;
    style.labels.aligned = Some(dice.between(12, 22));
    style.title.center = Some(dice.between(90, 140));
    style.signs.two_column = dice.chance(0.7);
    style.margin = dice.between(0, 6);
}

fn markup(style: &mut Style, dice: &mut Dice) {
    style.table = if dice.chance(0.5) {
        TableKind::Pipe {
            rule: dice.chance(0.6),
        }
    } else {
        TableKind::Html {
            shape: *dice.pick(&[HtmlShape::OneLine, HtmlShape::RowPerLine, HtmlShape::Pretty]),
            rowspan: dice.chance(0.4),
            list_cells: dice.chance(0.4),
        }
    };
    style.labels.tabs = false;
    style.labels.dash = dice.chance(0.5);
    style.labels.bold = !style.labels.dash && dice.chance(0.5);
    style.title.markup = *dice.pick(&[TitleMarkup::Bold, TitleMarkup::Bold, TitleMarkup::Hash]);
    style.signs.bold_name = dice.chance(0.4);
    style.signs.note = dice.chance(0.3);
}

fn numbered(style: &mut Style, dice: &mut Dice) {
    style.labels.numbering = *dice.pick(&[
        Numbering::Arabic,
        Numbering::Arabic,
        Numbering::Roman,
        Numbering::Letter,
        Numbering::Paren,
        Numbering::None,
    ]);
    style.labels.tabs = false;
    style.labels.dot = style.labels.numbering == Numbering::None || dice.chance(0.25);
    style.labels.next_line = dice.chance(0.4);
    style.labels.eselon_field = dice.chance(0.25);
    style.lists.paren = dice.chance(0.4);
}

fn synonyms(style: &mut Style, dice: &mut Dice) {
    let upper = dice.chance(0.5);
    style.headers = synonym_headers(upper, dice);
    if dice.chance(0.5) {
        style.extras.push(Column::Satuan);
    }
    if dice.chance(0.5) {
        style.extras.push(Column::Keterangan);
    }
}

fn flattened(style: &mut Style, dice: &mut Dice) {
    style.table = TableKind::Flat;
    style.labels.tabs = false;
    style.labels.flat = dice.chance(0.5);
    style.elide_continuation = dice.chance(0.5);
}

fn encoding(style: &mut Style, dice: &mut Dice) {
    let encoding = *dice.pick(&[Encoding::Utf8, Encoding::Utf8Bom, Encoding::Windows1252]);
    style.marks = Marks {
        bullet: match (encoding, dice.chance(0.6)) {
            (_, false) => "-",
            (Encoding::Windows1252, true) => "\u{2022}",
            (_, true) => "\u{F0B7}",
        },
        math: dice.chance(0.6),
        nbsp: dice.chance(0.6),
        encoding,
        crlf: dice.chance(0.6),
    };
    let m = &style.marks;
    let plain = m.encoding == Encoding::Utf8 && !m.crlf && !m.nbsp && !m.math && m.bullet == "-";
    if plain {
        style.marks.crlf = true;
    }
}

/// Column names as the corpus prints them.
fn plain_headers(upper: bool, dice: &mut Dice) -> Vec<(Column, String)> {
    let names: [(Column, &[&str]); 7] = [
        (Column::No, &["No", "No.", "NO"]),
        (Column::Sasaran, &["Sasaran"]),
        (
            Column::Indikator,
            &["Indikator Kinerja", "Indikator Kinerja Individu"],
        ),
        (
            Column::Rumus,
            &[
                "Rumus/Formula",
                "Rumus / Formula Perhitungan",
                "Rumus/Formulasi",
            ],
        ),
        (Column::Target, &["Target"]),
        (Column::SumberData, &["Sumber Data"]),
        (Column::PenanggungJawab, &["Penanggung Jawab"]),
    ];
    choose_names(&names, upper, dice)
}

/// Column names seen in the field beyond the corpus' own.
fn synonym_headers(upper: bool, dice: &mut Dice) -> Vec<(Column, String)> {
    let names: [(Column, &[&str]); 9] = [
        (Column::No, &["No", "No.", "NO.", "Nomor"]),
        (
            Column::Sasaran,
            &[
                "SASARAN/KINERJA UTAMA",
                "Sasaran Kinerja Program",
                "Sasaran Strategis",
                "KINERJA",
                "Sasaran Program",
                "Sasaran Kegiatan",
                "Sasaran (Program/Kegiatan)*",
            ],
        ),
        (
            Column::Indikator,
            &[
                "INDIKATOR KINERJA UTAMA",
                "Indikator Kinerja",
                "Indikator Kegiatan",
                "Indikator Kinerja (Program/Kegiatan)*",
                "Indikator Sasaran",
            ],
        ),
        (
            Column::Rumus,
            &[
                "PENJELASAN/FORMULASI PENGHITUNGAN",
                "Formulasi Perhitungan",
                "Penjelasan / Formulasi Perhitungan",
                "Rumus / Formula Perhitungan",
                "Cara Perhitungan",
            ],
        ),
        (
            Column::Target,
            &["Target", "Capaian Target", "Target Kinerja"],
        ),
        (Column::Satuan, &["Satuan"]),
        (
            Column::SumberData,
            &["Sumber Data", "Sumber data", "Sumber Data/Bukti"],
        ),
        (
            Column::PenanggungJawab,
            &[
                "Penanggung Jawab",
                "Penanggungjawab",
                "PIC/Penanggung Jawab",
            ],
        ),
        (Column::Keterangan, &["Keterangan", "Ket."]),
    ];
    choose_names(&names, upper, dice)
}

fn choose_names(
    names: &[(Column, &[&str])],
    upper: bool,
    dice: &mut Dice,
) -> Vec<(Column, String)> {
    let mut chosen: Vec<(Column, String)> = names
        .iter()
        .map(|(column, options)| {
            let name = dice.pick(options);
            let name = if upper {
                name.to_uppercase()
            } else {
                name.to_string()
            };
            (*column, name)
        })
        .collect();
    for extra in [Column::Satuan, Column::Keterangan] {
        if !chosen.iter().any(|(c, _)| *c == extra) {
            chosen.push((extra, extra_name(extra, upper)));
        }
    }
    chosen
}

fn extra_name(column: Column, upper: bool) -> String {
    let name = if column == Column::Satuan {
        "Satuan"
    } else {
        "Keterangan"
    };
    if upper {
        name.to_uppercase()
    } else {
        name.to_string()
    }
}
