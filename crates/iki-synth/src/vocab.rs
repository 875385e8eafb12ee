//! Domain vocabulary of IKI forms of a Kabupaten (Lumajang style): units, positions,
//! duties, targets, formulas, people. Combined at random they make plausible forms.

pub const KECAMATAN: &[&str] = &[
    "Lumajang",
    "Candipuro",
    "Ranuyoso",
    "Pasirian",
    "Tempeh",
    "Sukodono",
    "Senduro",
    "Klakah",
    "Jatiroto",
    "Yosowilangun",
    "Tekung",
    "Kunir",
    "Pronojiwo",
    "Tempursari",
    "Pasrujambe",
    "Gucialit",
    "Kedungjajang",
    "Randuagung",
    "Rowokangkung",
    "Sumbersuko",
    "Padang",
    "Sukodono",
    "Kunir",
    "Tekung",
];

pub const BIDANG: &[&str] = &[
    "Bidang Penilaian Kinerja Aparatur dan Penghargaan",
    "Bidang Pengadaan, Pemberhentian dan Informasi",
    "Bidang Mutasi dan Promosi",
    "Bidang Pengembangan Kompetensi Aparatur",
    "Sekretariat",
    "Sub Bagian Umum dan Kepegawaian",
    "Sub Bagian Keuangan",
    "Sub Bagian Perencanaan",
];

pub const JABATAN: &[&str] = &[
    "Sekretaris Camat",
    "Kepala Seksi Pemerintahan",
    "Kepala Seksi Pelayanan Umum",
    "Kepala Seksi Pemberdayaan Masyarakat",
    "Kepala Seksi Ketentraman dan Ketertiban Umum",
    "Kepala Sub Bagian Umum dan Kepegawaian",
    "Kepala Sub Bagian Keuangan",
    "Pengadministrasi Keuangan",
    "Pengadministrasi Persuratan",
    "Pengadministrasi Umum",
    "Analis Kepegawaian Muda",
    "Analis Kepegawaian Pertama",
    "Perencana Muda",
    "Pengelola Data",
    "Bendahara Pengeluaran",
    "Pranata Komputer Ahli Pertama",
    "Kepala Bidang Mutasi dan Promosi",
    "Arsiparis Terampil",
    "Pengolah Data Kepegawaian",
];

pub const ESELON: &[&str] = &["III.a", "III.b", "IV.a", "IV.b"];

pub const VERB: &[&str] = &[
    "menyusun",
    "melaksanakan",
    "mengoordinasikan",
    "menyiapkan bahan",
    "melakukan",
    "mengevaluasi",
    "memfasilitasi",
    "menghimpun",
    "mengelola",
    "memantau",
];

pub const OBJECT: &[&str] = &[
    "rencana program kerja",
    "administrasi kepegawaian",
    "laporan keuangan bulanan",
    "dokumen perencanaan dan penganggaran",
    "urusan rumah tangga kecamatan",
    "pelayanan administrasi kependudukan",
    "pembinaan pemerintahan desa",
    "ketentraman dan ketertiban umum",
    "pemberdayaan masyarakat desa",
    "inventarisasi barang milik daerah",
    "surat menyurat dan kearsipan",
    "penilaian kinerja aparatur",
    "pengembangan kompetensi pegawai",
    "laporan akuntabilitas kinerja instansi",
    "pengadaan barang milik daerah",
    "pemeliharaan sarana dan prasarana kantor",
    "rapat koordinasi dan konsultasi SKPD",
    "pelaksanaan musyawarah perencanaan pembangunan",
    "data dan informasi kepegawaian",
    "usulan kenaikan pangkat dan gaji berkala",
];

pub const SASARAN_HEAD: &[&str] = &[
    "Terlaksananya",
    "Terpenuhinya",
    "Meningkatnya",
    "Tersusunnya",
    "Tersedianya",
    "Terselenggaranya",
];

pub const INDICATOR_HEAD: &[&str] = &[
    "Persentase fasilitasi",
    "Jumlah dokumen",
    "Jumlah laporan",
    "Persentase penyelesaian",
    "Jumlah kegiatan",
    "Rata-rata persentase",
];

pub const UNIT: &[&str] = &[
    "dokumen", "laporan", "kegiatan", "bulan", "barang", "paket", "desa", "orang",
];

pub const FIRST: &[&str] = &[
    "AKHMAD", "SAMSUL", "DEDWI", "SITI", "NURUL", "AGUS", "BUDI", "ENDAH", "HARI", "INDAH", "JOKO",
    "KUSNADI", "LILIK", "MOH.", "NANIK", "RUDI", "SRI", "TITIK", "WAHYU", "YULI",
];

pub const LAST: &[&str] = &[
    "KHARIRI",
    "HARIONO",
    "SUPRAPTO",
    "AMINAH",
    "HIDAYAT",
    "SANTOSO",
    "WULANDARI",
    "PRASETYO",
    "RAHAYU",
    "SETIAWAN",
    "HANDAYANI",
    "WIBOWO",
    "FAUZI",
    "LESTARI",
];

pub const DEGREE: &[&str] = &["S.Sos", "SH", "S.STP", "M.Si", "SE", "S.Kom", "S.AP", "MM"];

pub const MONTH: &[&str] = &[
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
