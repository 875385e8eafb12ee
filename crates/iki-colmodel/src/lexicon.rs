//! The domain's function words, grouped by the role they play in a form.
//!
//! These are the words that carry across offices: whatever a hospital or a dinas measures, an
//! indicator opens with "Persentase" or "Indeks", a responsible unit names a "Seksi" or a
//! "Kepala", a target ends in a unit such as "dokumen" or "orang". Topic words ("pegawai",
//! "fasilitasi") are deliberately absent. A word may sit in several groups ("laporan" is a
//! source and a unit). The features use a word's groups (so a weight learnt from "dokumen"
//! carries to "berkas") and, for these words only, the word itself.

use crate::hash::word_hash;

/// A set of [`Group`]s as bits.
pub(crate) type Groups = u16;

/// The role a function word plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Group {
    /// Opens an indicator: Persentase, Jumlah, Indeks, Tingkat, Rasio …
    Measure = 0,
    /// Names an office or post: Kecamatan, Dinas, Seksi, Kepala, Kasubag …
    Office = 1,
    /// Names a record a figure is read from: laporan, dokumen, register, aplikasi …
    Record = 2,
    /// A unit after a target's number: %, dokumen, kali, orang, hari …
    Unit = 3,
    /// Formula vocabulary: dibagi, dikali, seluruh, direncanakan, seratus …
    Formula = 4,
    /// Table-header and form-label words: Sasaran, Indikator, Rumus, Jabatan, Tugas …
    Header = 5,
    /// Signature-block words: NIP, Mengetahui, Pembina, Penata, Plt …
    Signature = 6,
    /// Academic degrees after a name: Drs, SH, M.Si, S.Kep …
    Degree = 7,
    /// Month names (dates in signature lines).
    Month = 8,
    /// Page and site furniture: halaman, dari, preview, diunduh …
    Furniture = 9,
    /// Connectives and prepositions: yang, dan, dengan, pada, oleh …
    Connective = 10,
}

/// How many groups there are.
pub(crate) const GROUPS: usize = 11;

use Group::*;

/// The function words (lowercase ASCII) and their groups.
const WORDS: &[(&str, &[Group])] = &[
    // Indicator openings.
    ("persentase", &[Measure]),
    ("prosentase", &[Measure]),
    ("presentase", &[Measure]),
    ("jumlah", &[Measure, Formula]),
    ("indeks", &[Measure, Unit]),
    ("tingkat", &[Measure, Signature]),
    ("nilai", &[Measure, Unit]),
    ("rasio", &[Measure]),
    ("rata", &[Measure]),
    ("angka", &[Measure]),
    ("cakupan", &[Measure]),
    ("capaian", &[Measure, Header]),
    ("proporsi", &[Measure]),
    ("banyaknya", &[Measure]),
    ("ketepatan", &[Measure]),
    ("prevalensi", &[Measure]),
    ("skor", &[Measure, Unit]),
    ("predikat", &[Measure, Unit]),
    ("opini", &[Measure]),
    ("lama", &[Measure]),
    ("frekuensi", &[Measure]),
    ("tingkatan", &[Measure]),
    ("kualitas", &[Measure]),
    ("waktu", &[Measure]),
    // Offices and posts.
    ("kecamatan", &[Office]),
    ("kelurahan", &[Office]),
    ("desa", &[Office, Unit]),
    ("dinas", &[Office]),
    ("badan", &[Office]),
    ("bidang", &[Office]),
    ("bagian", &[Office]),
    ("sub", &[Office]),
    ("subbag", &[Office]),
    ("subbagian", &[Office]),
    ("seksi", &[Office]),
    ("sie", &[Office]),
    ("kepala", &[Office]),
    ("kasubag", &[Office]),
    ("kasubbag", &[Office]),
    ("kasi", &[Office]),
    ("kasie", &[Office]),
    ("kabid", &[Office]),
    ("kabag", &[Office]),
    ("sekretariat", &[Office]),
    ("sekretaris", &[Office]),
    ("sekcam", &[Office]),
    ("camat", &[Office]),
    ("lurah", &[Office]),
    ("upt", &[Office]),
    ("uptd", &[Office]),
    ("puskesmas", &[Office]),
    ("rumah", &[Office]),
    ("sakit", &[Office]),
    ("rsud", &[Office]),
    ("instalasi", &[Office]),
    ("unit", &[Office, Unit]),
    ("kantor", &[Office]),
    ("bupati", &[Office]),
    ("walikota", &[Office]),
    ("kabupaten", &[Office]),
    ("kota", &[Office]),
    ("provinsi", &[Office]),
    ("staf", &[Office]),
    ("staff", &[Office]),
    ("pelaksana", &[Office]),
    ("pengadministrasi", &[Office]),
    ("pengelola", &[Office]),
    ("analis", &[Office]),
    ("bendahara", &[Office]),
    ("tim", &[Office]),
    ("koordinator", &[Office]),
    ("inspektorat", &[Office]),
    ("bappeda", &[Office]),
    ("bkpsdm", &[Office]),
    ("bkd", &[Office]),
    ("direktur", &[Office]),
    ("wakil", &[Office]),
    ("ruang", &[Office]),
    ("poli", &[Office]),
    ("umum", &[Office]),
    ("kepegawaian", &[Office]),
    ("keuangan", &[Office]),
    ("perencanaan", &[Office]),
    // Records.
    ("laporan", &[Record, Unit]),
    ("dokumen", &[Record, Unit]),
    ("data", &[Record]),
    ("aplikasi", &[Record]),
    ("sistem", &[Record]),
    ("register", &[Record]),
    ("rekapitulasi", &[Record]),
    ("rekap", &[Record]),
    ("buku", &[Record]),
    ("arsip", &[Record]),
    ("daftar", &[Record]),
    ("notulen", &[Record]),
    ("notulensi", &[Record]),
    ("surat", &[Record]),
    ("sk", &[Record]),
    ("berita", &[Record]),
    ("acara", &[Record]),
    ("sipd", &[Record]),
    ("simpeg", &[Record]),
    ("database", &[Record]),
    ("hasil", &[Record]),
    ("survei", &[Record]),
    ("survey", &[Record]),
    ("profil", &[Record]),
    ("lakip", &[Record]),
    ("lkjip", &[Record]),
    ("renstra", &[Record]),
    ("renja", &[Record]),
    ("dpa", &[Record]),
    ("spj", &[Record]),
    ("website", &[Record]),
    // Units of a target.
    ("persen", &[Unit, Formula]),
    ("kali", &[Unit]),
    ("orang", &[Unit]),
    ("kegiatan", &[Unit, Header]),
    ("paket", &[Unit]),
    ("bulan", &[Unit]),
    ("hari", &[Unit]),
    ("menit", &[Unit]),
    ("jam", &[Unit]),
    ("berkas", &[Unit]),
    ("lembar", &[Unit]),
    ("buah", &[Unit]),
    ("poin", &[Unit]),
    ("rupiah", &[Unit]),
    ("rp", &[Unit]),
    ("km", &[Unit]),
    ("meter", &[Unit]),
    ("ha", &[Unit]),
    ("kasus", &[Unit]),
    ("kelompok", &[Unit]),
    ("lokasi", &[Unit]),
    ("titik", &[Unit]),
    ("jiwa", &[Unit]),
    ("tahun", &[Unit, Header]),
    ("naskah", &[Unit]),
    ("usulan", &[Unit]),
    // Formula words.
    ("dibagi", &[Formula]),
    ("bagi", &[Formula]),
    ("dibandingkan", &[Formula]),
    ("dikali", &[Formula]),
    ("dikalikan", &[Formula]),
    ("kalikan", &[Formula]),
    ("per", &[Formula]),
    ("total", &[Formula]),
    ("seluruh", &[Formula]),
    ("keseluruhan", &[Formula]),
    ("dilaksanakan", &[Formula]),
    ("direncanakan", &[Formula]),
    ("terealisasi", &[Formula]),
    ("ditargetkan", &[Formula]),
    ("terpenuhi", &[Formula]),
    ("dipenuhi", &[Formula]),
    ("diselesaikan", &[Formula]),
    ("seratus", &[Formula]),
    ("bobot", &[Formula]),
    // Header and label words.
    ("no", &[Header]),
    ("nomor", &[Header]),
    ("sasaran", &[Header]),
    ("indikator", &[Header]),
    ("kinerja", &[Header]),
    ("individu", &[Header]),
    ("rumus", &[Header]),
    ("formula", &[Header]),
    ("formulasi", &[Header]),
    ("perhitungan", &[Header]),
    ("penghitungan", &[Header]),
    ("penjelasan", &[Header]),
    ("sumber", &[Header]),
    ("penanggung", &[Header]),
    ("jawab", &[Header]),
    ("target", &[Header]),
    ("satuan", &[Header]),
    ("keterangan", &[Header]),
    ("program", &[Header]),
    ("strategis", &[Header]),
    ("utama", &[Header]),
    ("jabatan", &[Header]),
    ("tugas", &[Header]),
    ("pokok", &[Header]),
    ("fungsi", &[Header]),
    ("eselon", &[Header]),
    ("tujuan", &[Header]),
    ("iki", &[Header]),
    ("uraian", &[Header]),
    ("realisasi", &[Header]),
    // Signature blocks.
    ("nip", &[Signature]),
    ("mengetahui", &[Signature]),
    ("menyetujui", &[Signature]),
    ("pangkat", &[Signature]),
    ("golongan", &[Signature]),
    ("gol", &[Signature]),
    ("pembina", &[Signature]),
    ("penata", &[Signature]),
    ("pengatur", &[Signature]),
    ("muda", &[Signature]),
    ("madya", &[Signature]),
    ("pratama", &[Signature]),
    ("plt", &[Signature]),
    ("plh", &[Signature]),
    ("pit", &[Signature]),
    ("ttd", &[Signature]),
    ("tanggal", &[Signature]),
    ("dinilai", &[Signature]),
    ("penilai", &[Signature]),
    ("pejabat", &[Signature]),
    // Degrees.
    ("drs", &[Degree]),
    ("dra", &[Degree]),
    ("dr", &[Degree]),
    ("drg", &[Degree]),
    ("ir", &[Degree]),
    ("sh", &[Degree]),
    ("se", &[Degree]),
    ("mm", &[Degree]),
    ("sos", &[Degree]),
    ("stp", &[Degree]),
    ("ap", &[Degree]),
    ("kom", &[Degree]),
    ("kes", &[Degree]),
    ("si", &[Degree]),
    ("pd", &[Degree]),
    ("st", &[Degree]),
    ("mh", &[Degree]),
    ("mt", &[Degree]),
    ("ak", &[Degree]),
    ("kep", &[Degree]),
    ("ked", &[Degree]),
    ("sp", &[Degree]),
    ("msi", &[Degree]),
    ("mkes", &[Degree]),
    ("amd", &[Degree]),
    ("ners", &[Degree]),
    ("mpa", &[Degree]),
    ("mph", &[Degree]),
    // Months.
    ("januari", &[Month]),
    ("februari", &[Month]),
    ("maret", &[Month]),
    ("april", &[Month]),
    ("mei", &[Month]),
    ("juni", &[Month]),
    ("juli", &[Month]),
    ("agustus", &[Month]),
    ("september", &[Month]),
    ("oktober", &[Month]),
    ("nopember", &[Month]),
    ("november", &[Month]),
    ("desember", &[Month]),
    // Furniture.
    ("halaman", &[Furniture]),
    ("hal", &[Furniture]),
    ("page", &[Furniture]),
    ("dari", &[Furniture, Connective]),
    ("preview", &[Furniture]),
    ("citation", &[Furniture]),
    ("diunduh", &[Furniture]),
    ("unduh", &[Furniture]),
    ("download", &[Furniture]),
    ("dilihat", &[Furniture]),
    ("views", &[Furniture]),
    ("advertisement", &[Furniture]),
    ("lampiran", &[Furniture]),
    // Connectives.
    ("yang", &[Connective]),
    ("dan", &[Connective]),
    ("atau", &[Connective]),
    ("dengan", &[Connective]),
    ("untuk", &[Connective]),
    ("pada", &[Connective]),
    ("dalam", &[Connective]),
    ("oleh", &[Connective]),
    ("ke", &[Connective]),
    ("di", &[Connective]),
    ("terhadap", &[Connective]),
    ("sesuai", &[Connective]),
    ("serta", &[Connective]),
];

/// Open-addressing table size (a power of two, at least twice the word count).
const SLOTS: usize = 1024;

/// The lexicon as a hash table built at compile time: slot → (word hash, groups); a zero
/// hash marks an empty slot.
static TABLE: [(u64, Groups); SLOTS] = build();

const fn build() -> [(u64, Groups); SLOTS] {
    assert!(WORDS.len() * 2 <= SLOTS);
    let mut table = [(0u64, 0 as Groups); SLOTS];
    let mut i = 0;
    while i < WORDS.len() {
        let (word, groups) = WORDS[i];
        let hash = word_hash(word.as_bytes());
        let mut bits: Groups = 0;
        let mut j = 0;
        while j < groups.len() {
            bits |= 1 << groups[j] as u8;
            j += 1;
        }
        let mut slot = hash as usize & (SLOTS - 1);
        while table[slot].0 != 0 {
            slot = (slot + 1) & (SLOTS - 1);
        }
        table[slot] = (hash, bits);
        i += 1;
    }
    table
}

/// The groups of a word, given [`word_hash`] of its lowercase form; 0 for other words.
#[inline]
pub(crate) fn groups(hash: u64) -> Groups {
    let mut slot = hash as usize & (SLOTS - 1);
    loop {
        let (h, g) = TABLE[slot];
        if h == hash {
            return g;
        }
        if h == 0 {
            return 0;
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercase_ascii_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (word, groups) in WORDS {
            assert!(word.bytes().all(|b| b.is_ascii_lowercase()), "{word}");
            assert!(!groups.is_empty(), "{word}");
            assert!(seen.insert(*word), "{word} listed twice");
        }
    }

    #[test]
    fn lookup_finds_groups() {
        assert_eq!(groups(word_hash(b"persentase")), 1 << Measure as u8);
        assert_eq!(
            groups(word_hash(b"laporan")),
            1 << Record as u8 | 1 << Unit as u8
        );
        assert_eq!(groups(word_hash(b"fasilitasi")), 0);
    }
}
