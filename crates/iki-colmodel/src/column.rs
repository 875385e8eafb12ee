//! The columns of an indicator table, the one column type the parser and the model share.

/// A column of the IKI indicator table, or `Other` for text that is no cell of any column
/// (header labels, list items, signature lines, page furniture).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// Row number (`1`, `2.`, `3)`).
    No,
    /// Sasaran / Kinerja / Sasaran Program: the goal a row serves.
    Sasaran,
    /// Indikator Kinerja: what is measured.
    Indikator,
    /// Rumus / Formula / Penjelasan: how it is computed.
    Rumus,
    /// Target: the value aimed at (`100 %`, `12 dokumen`, `85`).
    Target,
    /// Satuan: the unit of the target (`%`, `Dokumen`, `Orang`).
    Satuan,
    /// Sumber Data: where the figure comes from.
    SumberData,
    /// Penanggung Jawab: the responsible unit or person.
    PenanggungJawab,
    /// Not a cell of any column.
    Other,
}

impl Column {
    /// Every column, in index order.
    pub const ALL: [Column; 9] = [
        Column::No,
        Column::Sasaran,
        Column::Indikator,
        Column::Rumus,
        Column::Target,
        Column::Satuan,
        Column::SumberData,
        Column::PenanggungJawab,
        Column::Other,
    ];

    /// Number of columns (the model's class count).
    pub const COUNT: usize = Self::ALL.len();

    /// Position in [`Column::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The short name used in data files and reports (`no`, `sasaran`, …, `other`): the
    /// contract's field names where a field exists.
    pub const fn name(self) -> &'static str {
        match self {
            Column::No => "no",
            Column::Sasaran => "sasaran",
            Column::Indikator => "indikator",
            Column::Rumus => "rumus",
            Column::Target => "target",
            Column::Satuan => "satuan",
            Column::SumberData => "sumber_data",
            Column::PenanggungJawab => "penanggung_jawab",
            Column::Other => "other",
        }
    }

    /// The column a [`Column::name`] names.
    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
