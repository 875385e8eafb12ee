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
    /// Runs of two or more spaces between cells, drawn per gap (tabs a converter expanded), so
    /// no column lines up; long cells maybe wrapped onto continuation lines.
    Spaced {
        wrap: bool,
        runs: Runs,
        broken_header: bool,
        /// One space after the No cell, as OCR merges a narrow cell into its neighbour.
        merged_no: bool,
    },
    /// Single tabs between cells; bullet entries (and, with `breaks`, long texts) broken over
    /// lines inside their cell, the next cell going on after the break.
    PastedTabs {
        breaks: bool,
        blank_between_rows: bool,
    },
    /// One cell per line (an empty cell an empty line), a blank line after every row.
    CellLines,
    /// Pipe rows of an HTML table with rowspan: continuation rows lack the spanned No and
    /// Sasaran cells, so their cells stand one or two columns left.
    ShiftedPipes { rule: bool },
    /// Column by column: each column's name, then its cells top to bottom (an empty cell an
    /// empty line).
    ColumnMajor,
    /// Each row read visual line by visual line, left to right, every cell fragment on a line
    /// of its own; No and Sasaran span their continuation rows (top- or middle-aligned).
    Interleaved { middle: bool },
    /// The table run together with single spaces: one paragraph, or one per row.
    Paragraph { per_row: bool },
}

/// What became of the tabs between cells of a [`TableKind::Spaced`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Runs {
    /// Every tab became a run of spaces, so empty cells leave longer runs (and indents).
    Expanded,
    /// Only cells with text are kept, joined by runs; a line never starts with spaces (rows
    /// are never wrapped then).
    Collapsed,
}

/// How the table's column-name row is printed (tab tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderRows {
    One,
    /// Every name broken over two lines at a word ("Indikator" / "Kinerja").
    Broken,
    /// The line break after the names lost: the first row goes on on the names' line.
    Glued,
}

/// Where field labels stand relative to their values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Apart {
    /// "Label : value".
    No,
    /// The label, a blank line, then ": value".
    Blank,
    /// All labels of the form in one line, then every value in order, each after ": ".
    Block,
}

/// A spreadsheet export of the whole sheet (family 10).
#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    pub delimiter: char,
    /// Quote every non-empty cell (else only the cells that need it).
    pub quote_all: bool,
    /// Pad every row with empty cells to the sheet's width.
    pub pad: bool,
    /// Line breaks inside cells (Alt+Enter): bullet entries, and some long texts.
    pub line_breaks: bool,
}

/// How ratio formulas are printed as fractions (family 15).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fractions {
    /// A line of dashes between numerator and denominator.
    pub dashes: bool,
    pub scale_at: ScaleAt,
}

/// The line of a fraction that carries "x 100%".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScaleAt {
    Numerator,
    /// After the dashes.
    Dashes,
    Denominator,
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
    /// Where labels stand relative to their values.
    pub apart: Apart,
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
    /// Column-name row of tab tables (family 16).
    pub header_rows: HeaderRows,
    /// The whole sheet as spreadsheet rows (family 10).
    pub sheet: Option<Sheet>,
    /// Ratio formulas as fractions over lines (family 15).
    pub fractions: Option<Fractions>,
    /// Pages carry a document-sharing site's boilerplate (families 12, 14).
    pub site: bool,
    /// The whole text run together into paragraphs of about this many lines (family 14).
    pub paragraphs: Option<usize>,
    /// Forms follow each other with no blank line, the next title right after a NIP line.
    pub run_on: bool,
    /// Indicators numbered from 1 again under each sasaran (the gold's `no` follows).
    pub renumber: bool,
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
            Family::Spaced => spaced(&mut style, dice),
            Family::Spreadsheet => spreadsheet(&mut style, dice),
            Family::Pasted => pasted(&mut style, dice),
            Family::Web => web(&mut style, dice),
            Family::ReadingOrder => reading_order(&mut style, dice),
            Family::Paragraph => paragraph(&mut style, dice),
            Family::Fractions => fractions(&mut style, dice),
            Family::Structure => structure(&mut style, dice),
        }
        style
    }

    /// The corpus-like base every family starts from: tab tables, "Label : value" fields.
    pub(crate) fn plain(family: Family, dice: &mut Dice) -> Style {
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
                apart: Apart::No,
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
            header_rows: HeaderRows::One,
            sheet: None,
            fractions: None,
            site: false,
            paragraphs: None,
            run_on: false,
            renumber: false,
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

fn spaced(style: &mut Style, dice: &mut Dice) {
    // A wrapped cell's later lines keep the runs of the empty cells before them (else no
    // reader could tell which cell goes on), so only unwrapped rows may drop them.
    let wrap = dice.chance(0.6);
    let runs = if wrap {
        Runs::Expanded
    } else {
        *dice.pick(&[Runs::Expanded, Runs::Collapsed])
    };
    style.table = TableKind::Spaced {
        wrap,
        runs,
        broken_header: dice.chance(0.4),
        merged_no: dice.chance(0.3),
    };
    style.labels.tabs = false;
}

fn spreadsheet(style: &mut Style, dice: &mut Dice) {
    style.sheet = Some(Sheet {
        delimiter: *dice.pick(&[',', ';', ';', '\t']),
        quote_all: dice.chance(0.3),
        pad: dice.chance(0.6),
        line_breaks: dice.chance(0.5),
    });
    // Label, colon and value stand in cells of their own.
    style.labels.tabs = true;
    style.lists.indent = "";
}

fn pasted(style: &mut Style, dice: &mut Dice) {
    style.table = if dice.chance(0.6) {
        TableKind::PastedTabs {
            breaks: true,
            blank_between_rows: dice.chance(0.3),
        }
    } else {
        TableKind::CellLines
    };
    // The private-use bullet glyph lost in the paste: only its spaces are left.
    if dice.chance(0.5) {
        style.marks.bullet = "";
    }
    if dice.chance(0.5) {
        style.labels.apart = Apart::Blank;
        style.labels.tabs = false;
    }
}

fn web(style: &mut Style, dice: &mut Dice) {
    style.table = match dice.between(0, 3) {
        0 | 1 => TableKind::ShiftedPipes {
            rule: dice.chance(0.6),
        },
        2 => TableKind::PastedTabs {
            breaks: false,
            blank_between_rows: false,
        },
        _ => TableKind::CellLines,
    };
    style.labels.tabs = false;
    style.site = true;
}

fn reading_order(style: &mut Style, dice: &mut Dice) {
    style.table = if dice.chance(0.5) {
        TableKind::ColumnMajor
    } else {
        TableKind::Interleaved {
            middle: dice.chance(0.5),
        }
    };
    style.labels.tabs = false;
}

fn paragraph(style: &mut Style, dice: &mut Dice) {
    style.table = TableKind::Paragraph {
        per_row: dice.chance(0.4),
    };
    style.labels.tabs = false;
    style.paragraphs = dice.chance(0.4).then(|| dice.between(15, 40));
    style.site = dice.chance(0.7);
}

fn fractions(style: &mut Style, dice: &mut Dice) {
    layout(style, dice);
    let dashes = dice.chance(0.7);
    let scale_at = if dashes {
        *dice.pick(&[ScaleAt::Numerator, ScaleAt::Dashes, ScaleAt::Denominator])
    } else {
        *dice.pick(&[ScaleAt::Numerator, ScaleAt::Denominator])
    };
    style.fractions = Some(Fractions { dashes, scale_at });
}

fn structure(style: &mut Style, dice: &mut Dice) {
    style.run_on = dice.chance(0.6);
    style.labels.apart = *dice.pick(&[Apart::Block, Apart::Block, Apart::Blank, Apart::No]);
    if style.labels.apart != Apart::No {
        style.labels.tabs = false;
    }
    if style.labels.apart == Apart::Block && dice.chance(0.6) {
        style.labels.numbering = Numbering::Arabic;
    }
    style.header_rows = *dice.pick(&[HeaderRows::Broken, HeaderRows::Glued, HeaderRows::One]);
    style.renumber = dice.chance(0.5);
    let plain =
        !style.run_on && style.labels.apart == Apart::No && style.header_rows == HeaderRows::One;
    if plain {
        style.renumber = true;
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
