//! The scored field kinds and their stable names (the rows of the report).

use serde::Serialize;

/// One kind of scored field. The report lists them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// An aligned record pair (TP), a gold record without partner (FN), an extra record (FP).
    Records,
    Heading,
    Jabatan,
    Year,
    Eselon,
    Organization,
    TugasPokokCount,
    FungsiCount,
    TujuanCount,
    IndikatorTujuanCount,
    /// Item texts of the `tugas_pokok` list.
    TugasPokok,
    Fungsi,
    Tujuan,
    IndikatorTujuan,
    /// An aligned indicator pair.
    Indicators,
    No,
    Sasaran,
    Indikator,
    Rumus,
    FormulaKind,
    Target,
    SumberData,
    PenanggungJawab,
    /// An aligned signatory pair.
    Signatories,
    Name,
    DisplayName,
    Nip,
    Date,
    Place,
    Role,
    Acting,
    Position,
    /// The document kind.
    Kind,
}

impl Field {
    /// Every field, in report order.
    pub const ALL: [Field; 33] = [
        Field::Records,
        Field::Heading,
        Field::Jabatan,
        Field::Year,
        Field::Eselon,
        Field::Organization,
        Field::TugasPokokCount,
        Field::FungsiCount,
        Field::TujuanCount,
        Field::IndikatorTujuanCount,
        Field::TugasPokok,
        Field::Fungsi,
        Field::Tujuan,
        Field::IndikatorTujuan,
        Field::Indicators,
        Field::No,
        Field::Sasaran,
        Field::Indikator,
        Field::Rumus,
        Field::FormulaKind,
        Field::Target,
        Field::SumberData,
        Field::PenanggungJawab,
        Field::Signatories,
        Field::Name,
        Field::DisplayName,
        Field::Nip,
        Field::Date,
        Field::Place,
        Field::Role,
        Field::Acting,
        Field::Position,
        Field::Kind,
    ];

    /// The stable name used in reports and by [`crate::Report::field_f1_soft`].
    pub fn name(self) -> &'static str {
        match self {
            Field::Records => "records",
            Field::Heading => "heading",
            Field::Jabatan => "jabatan",
            Field::Year => "year",
            Field::Eselon => "eselon",
            Field::Organization => "organization",
            Field::TugasPokokCount => "tugas_pokok_count",
            Field::FungsiCount => "fungsi_count",
            Field::TujuanCount => "tujuan_count",
            Field::IndikatorTujuanCount => "indikator_tujuan_count",
            Field::TugasPokok => "tugas_pokok",
            Field::Fungsi => "fungsi",
            Field::Tujuan => "tujuan",
            Field::IndikatorTujuan => "indikator_tujuan",
            Field::Indicators => "indicators",
            Field::No => "no",
            Field::Sasaran => "sasaran",
            Field::Indikator => "indikator",
            Field::Rumus => "rumus",
            Field::FormulaKind => "formula_kind",
            Field::Target => "target",
            Field::SumberData => "sumber_data",
            Field::PenanggungJawab => "penanggung_jawab",
            Field::Signatories => "signatories",
            Field::Name => "name",
            Field::DisplayName => "display_name",
            Field::Nip => "nip",
            Field::Date => "date",
            Field::Place => "place",
            Field::Role => "role",
            Field::Acting => "acting",
            Field::Position => "position",
            Field::Kind => "kind",
        }
    }

    /// The field with this name, if any.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// True for the aligned-parent fields (records, indicators, signatories).
    pub fn is_parent(self) -> bool {
        matches!(
            self,
            Field::Records | Field::Indicators | Field::Signatories
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(f));
        }
        let mut names: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Field::ALL.len());
        assert_eq!(Field::from_name("nope"), None);
    }
}
