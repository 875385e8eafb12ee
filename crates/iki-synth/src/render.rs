//! Random forms rendered as text in three layouts taken from real dumps.
//!
//! A document is a title, 2–12 forms (position, duties, an indicator table) and signature
//! blocks with plausible names, NIPs and dates. What varies is drawn from [`crate::vocab`];
//! how it is laid out follows one of [`Layout`]'s variants.

use std::fmt::Write;

use crate::rng::Rng;
use crate::vocab::*;

/// The layouts of the real corpus.
#[derive(Debug, Clone, Copy)]
pub enum Layout {
    /// Numbered forms, `JABATAN\t:\t...` labels, tab-separated table, one signature at the end.
    Kecamatan,
    /// `**INDIKATOR KINERJA INDIVIDU (IKI)**` per form, Markdown lists, NO/KINERJA table.
    Bidang,
    /// Bold title with the position, LaTeX formulas, "Mengetahui" and signer blocks per form.
    Candipuro,
}

/// One generated document: a relative file name and its text.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub text: String,
}

/// Draws documents from a seed.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: Rng,
    count: u64,
}

struct Row {
    sasaran: String,
    indikator: String,
    rumus: String,
    latex: String,
    target: String,
    sumber: String,
}

impl Generator {
    pub fn new(seed: u64) -> Self {
        Generator {
            rng: Rng::new(seed),
            count: 0,
        }
    }

    /// The next document.
    pub fn document(&mut self) -> Document {
        self.count += 1;
        let layout = match self.rng.range(0, 2) {
            0 => Layout::Kecamatan,
            1 => Layout::Bidang,
            _ => Layout::Candipuro,
        };
        let year = self.rng.range(2019, 2025);
        let unit = self.rng.pick(KECAMATAN).to_string();
        let text = match layout {
            Layout::Kecamatan => self.kecamatan(year, &unit),
            Layout::Bidang => self.bidang(year),
            Layout::Candipuro => self.candipuro(year, &unit),
        };
        let name = format!("{year}/{}/iki-{:07}.txt", unit.to_lowercase(), self.count);
        Document { name, text }
    }

    fn object(&mut self) -> String {
        let object = *self.rng.pick(OBJECT);
        if self.rng.chance(30) {
            format!("{object} tahun {}", self.rng.range(2019, 2025))
        } else {
            object.to_string()
        }
    }

    fn duties(&mut self, n: u64) -> Vec<String> {
        (0..n)
            .map(|_| format!("{} {}", self.rng.pick(VERB), self.object()))
            .collect()
    }

    fn row(&mut self, sumber: &str) -> Row {
        let object = self.object();
        let indicator_head = *self.rng.pick(INDICATOR_HEAD);
        let sasaran = format!("{} {}", self.rng.pick(SASARAN_HEAD), capitalise(&object));
        let indikator = format!("{indicator_head} {object}");
        let (rumus, latex) = if indicator_head.starts_with("Jumlah") {
            let count = format!("Jumlah {object}");
            (count.clone(), count)
        } else {
            (
                format!(
                    "(Jumlah {object} yang dilaksanakan dibagi Jumlah {object} yang direncanakan) x 100%"
                ),
                format!(
                    "$\\frac{{\\text{{Jumlah {object} yang dilaksanakan}}}}{{\\text{{Jumlah {object} yang direncanakan}}}} \\times 100$"
                ),
            )
        };
        let target = if indicator_head.starts_with("Jumlah") {
            format!("{} {}", self.rng.range(1, 600), self.rng.pick(UNIT))
        } else {
            "100 %".to_string()
        };
        Row {
            sasaran,
            indikator,
            rumus,
            latex,
            target,
            sumber: sumber.to_string(),
        }
    }

    fn person(&mut self) -> (String, String) {
        let mut name = format!("{} {}", self.rng.pick(FIRST), self.rng.pick(LAST));
        if self.rng.chance(70) {
            let _ = write!(name, ", {}", self.rng.pick(DEGREE));
        }
        let born = self.rng.range(1965, 1995);
        let birth = format!(
            "{born}{:02}{:02}",
            self.rng.range(1, 12),
            self.rng.range(1, 28)
        );
        let hired = (born + self.rng.range(20, 30)).min(2022);
        let appointed = format!("{hired}{:02}", self.rng.range(1, 12));
        let nip = format!(
            "{birth} {appointed} {} {:03}",
            self.rng.range(1, 2),
            self.rng.range(1, 20)
        );
        (name, nip)
    }

    fn date(&mut self, year: u64) -> String {
        format!(
            "Lumajang, {:02} {} {year}",
            self.rng.range(1, 28),
            self.rng.pick(MONTH)
        )
    }

    fn signature(&mut self, out: &mut String, year: u64, position: &str, acting: bool) {
        let (name, nip) = self.person();
        let date = self.date(year);
        let plt = if acting { "Plt. " } else { "" };
        let _ = write!(out, "{date}\n{plt}{position}\n\n\n\n{name}\nNIP. {nip}\n\n");
    }

    fn kecamatan(&mut self, year: u64, unit: &str) -> String {
        let mut out = format!("\n\nINDIKATOR KINERJA INDIVIDU (IKI) TAHUN {year}\n\n");
        for form in 1..=self.rng.range(2, 12) {
            let jabatan = *self.rng.pick(JABATAN);
            let tugas = self.duties(1).join("");
            let n = self.rng.range(3, 12);
            let fungsi: Vec<String> = self
                .duties(n)
                .into_iter()
                .enumerate()
                .map(|(i, d)| format!("{}. {d} ;", letter(i)))
                .collect();
            let _ = write!(
                out,
                "{form}.\n\nJABATAN\t:\t{jabatan}\nTUGAS\t:\t{tugas}\nFUNGSI\t:\t<ol style=\"list-style-type: none\"> {}\n\n",
                fungsi.join(" ")
            );
            let with_target = self.rng.chance(50);
            let third = if with_target {
                "TARGET"
            } else {
                "RUMUS/ FORMULA"
            };
            let _ = writeln!(
                out,
                "SASARAN KEGIATAN\tINDIKATOR KINERJA\t{third}\tSUMBER DATA"
            );
            for _ in 0..self.rng.range(1, 7) {
                let row = self.row(&format!("Kecamatan {unit}"));
                let cell = if with_target { &row.target } else { &row.rumus };
                let _ = writeln!(
                    out,
                    "{}\t{}\t{cell}\t{}",
                    row.sasaran, row.indikator, row.sumber
                );
            }
            out.push('\n');
        }
        let position = format!("CAMAT {}", unit.to_uppercase());
        let acting = self.rng.chance(10);
        self.signature(&mut out, year, &position, acting);
        out
    }

    fn bidang(&mut self, year: u64) -> String {
        let mut out = String::new();
        for _ in 0..self.rng.range(2, 10) {
            let jabatan = *self.rng.pick(JABATAN);
            let bidang = *self.rng.pick(BIDANG);
            let _ = write!(
                out,
                "**INDIKATOR KINERJA INDIVIDU (IKI)****{}**\n\nUnit Kerja : {jabatan}\n\n- Tugas Pokok :\n",
                jabatan.to_uppercase()
            );
            let n = self.rng.range(3, 10);
            for (i, duty) in self.duties(n).iter().enumerate() {
                let _ = writeln!(out, "  - {}. {duty};", letter(i));
            }
            out.push_str("\nNO\tKINERJA\tINDIKATOR KINERJA\tPENJELASAN / FORMULASI PERHITUNGAN\tSUMBER DATA\n");
            for no in 1..=self.rng.range(1, 7) {
                let row = self.row(bidang);
                let _ = writeln!(
                    out,
                    "{no}\t{}\t{}\t{}\t{}",
                    row.sasaran, row.indikator, row.rumus, row.sumber
                );
            }
            out.push('\n');
        }
        self.signature(&mut out, year, "KEPALA BADAN", false);
        out
    }

    fn candipuro(&mut self, year: u64, unit: &str) -> String {
        let mut out = String::new();
        let camat = format!("CAMAT {}", unit.to_uppercase());
        for _ in 0..self.rng.range(2, 8) {
            let jabatan = self.rng.pick(JABATAN).to_uppercase();
            let _ = write!(
                out,
                "\n\n**INDIKATOR KINERJA INDIVIDU\n{jabatan}**\n\n \nNo\tSasaran\tIndikator Kinerja\tRumus / Formula Perhitungan\tSumber Data\tPenanggung Jawab\n"
            );
            for no in 1..=self.rng.range(1, 6) {
                let row = self.row(&format!("Kecamatan {unit}"));
                let _ = writeln!(
                    out,
                    "{no}\t{}\t{}\t{}\t{}\t{}",
                    row.sasaran,
                    row.indikator,
                    row.latex,
                    row.sumber,
                    capitalise(&jabatan.to_lowercase())
                );
            }
            out.push_str("\nMengetahui\n");
            let acting = self.rng.chance(30);
            let (name, nip) = self.person();
            let plt = if acting { "Plt. " } else { "" };
            let _ = write!(out, "{plt}{camat}\n\n\n\n{name}\nNIP. {nip}\n\n");
            self.signature(&mut out, year, &jabatan, false);
        }
        out
    }
}

fn letter(i: usize) -> char {
    char::from(b'a' + (i % 26) as u8)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_documents() {
        let mut a = Generator::new(42);
        let mut b = Generator::new(42);
        for _ in 0..20 {
            let (x, y) = (a.document(), b.document());
            assert_eq!(x.name, y.name);
            assert_eq!(x.text, y.text);
        }
    }

    #[test]
    fn documents_are_extracted_as_iki_forms() {
        let mut generator = Generator::new(1);
        let mut ok = 0;
        for _ in 0..30 {
            let doc = generator.document();
            let parsed = iki_parser::extract(&doc.name, doc.text.as_bytes());
            assert_ne!(
                parsed.kind,
                iki_parser::DocumentKind::Unknown,
                "{}",
                doc.text
            );
            if parsed.status != iki_parser::Status::Failed {
                ok += 1;
            }
        }
        assert!(ok >= 27, "{ok} of 30 synthetic documents extracted");
    }
}
