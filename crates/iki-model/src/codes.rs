//! The stable snake_case codes of warnings and errors, as typed enums.
//!
//! Other systems key on these strings, so each code is spelled once, here. A document written
//! by another version of iki may hold a code this one does not know: it reads back as
//! `Unrecognized` with its spelling kept, and is never produced by this version.

use std::fmt;

use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines a code enum with its spellings, `as_str`, `Display`, serde as a plain string and a
/// JSON Schema listing every known spelling.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A code written by another version of iki (read back, never produced).
            Unrecognized(String),
        }

        impl $name {
            /// Every code this version produces.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable spelling, e.g. `"nip_repaired"`.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Unrecognized(s) => s,
                }
            }

            /// The code spelled `text`; an unknown spelling is kept as `Unrecognized`.
            pub fn parse(text: &str) -> $name {
                match text {
                    $($text => $name::$variant,)*
                    other => $name::Unrecognized(other.to_string()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Ok($name::parse(&text))
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).to_string()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                string_enum(&[$($text,)*])
            }
        }
    };
}

fn string_enum(values: &[&str]) -> Schema {
    SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        enum_values: Some(values.iter().map(|v| (*v).into()).collect()),
        ..Default::default()
    }
    .into()
}

codes! {
    /// Why a document failed (`error.code`).
    ErrorCode {
        /// The file is empty or holds only whitespace.
        EmptyFile = "empty_file",
        /// Binary bytes that are no format iki reads.
        BinaryFile = "binary_file",
        /// Readable text that is not an IKI form (see `kind`).
        NotIki = "not_iki",
        FileTooLarge = "file_too_large",
        NotFound = "not_found",
        NotAFile = "not_a_file",
        IoError = "io_error",
        /// A panic inside iki, caught per file.
        InternalError = "internal_error",
        ParseTimeout = "parse_timeout",
        ArchiveCorrupt = "archive_corrupt",
        /// An archive entry shorter than its header says: never parsed from a shorter text.
        ArchiveTruncated = "archive_truncated",
        ArchiveEmpty = "archive_empty",
        ArchiveTooLarge = "archive_too_large",
        ArchiveRatioExceeded = "archive_ratio_exceeded",
        ArchiveTooDeep = "archive_too_deep",
        PdfUnsupported = "pdf_unsupported",
        PdfEncrypted = "pdf_encrypted",
        PdfCorrupt = "pdf_corrupt",
        PdfTooLarge = "pdf_too_large",
        PdfTimeout = "pdf_timeout",
        PdfCrashed = "pdf_crashed",
        NoTextLayer = "no_text_layer",
        OcrUnavailable = "ocr_unavailable",
        OcrFailed = "ocr_failed",
        OcrTimeout = "ocr_timeout",
        /// An office file (docx, odt, xlsx, ...) that cannot be read.
        OfficeCorrupt = "office_corrupt",
        OfficeUnsupported = "office_unsupported",
        OfficeTimeout = "office_timeout",
        /// An office file past a size limit (a zip bomb, too many XML nodes or cells).
        OfficeTooLarge = "office_too_large",
        /// An image file given without `--ocr`.
        ImageUnsupported = "image_unsupported",
        /// An image file that cannot be decoded (truncated, not an image, over the size cap).
        ImageCorrupt = "image_corrupt",
    }
}

codes! {
    /// What a warning says (`warnings[].code`).
    WarningCode {
        // Form structure.
        MissingJabatan = "missing_jabatan",
        MissingTable = "missing_table",
        UnattributedText = "unattributed_text",
        /// A line after the end of the form's table that reads like one of its rows: rows
        /// the table reader lost (one warning per line).
        TableRowUnread = "table_row_unread",
        PageFurniture = "page_furniture",
        ListLabelSkipped = "list_label_skipped",
        ListLabelRestarted = "list_label_restarted",
        // The indicator table.
        RowWithoutIndicator = "row_without_indicator",
        RowNumberSkipped = "row_number_skipped",
        DuplicateRowNumber = "duplicate_row_number",
        RowJoined = "row_joined",
        /// A row whose cells each open a second cell on a later line: two rows read as one.
        RowsMerged = "rows_merged",
        ExtraCells = "extra_cells",
        HeaderTextInCell = "header_text_in_cell",
        FlattenedTable = "flattened_table",
        FlattenedRowGuessed = "flattened_row_guessed",
        /// The table's cells were split by a guessed segmentation with a small margin.
        SegmentationAmbiguous = "segmentation_ambiguous",
        /// A cell reads like another column's content.
        CellOutOfColumn = "cell_out_of_column",
        // Signatures.
        MissingNip = "missing_nip",
        NipRepaired = "nip_repaired",
        NipUnreadable = "nip_unreadable",
        NipImplausible = "nip_implausible",
        NipWithoutName = "nip_without_name",
        DateWithoutDay = "date_without_day",
        // PDF and OCR.
        PdfTextSkipped = "pdf_text_skipped",
        PdfPageWithoutText = "pdf_page_without_text",
        PdfPageRotated = "pdf_page_rotated",
        PdfPageFailed = "pdf_page_failed",
        /// Pages that lost their text (failed or without text): the document is partial.
        PdfPagesLost = "pdf_pages_lost",
        PdfUnmappedGlyphs = "pdf_unmapped_glyphs",
        PdfRunningLinesRemoved = "pdf_running_lines_removed",
        OcrText = "ocr_text",
        /// OCR words of low confidence inside a cell.
        OcrLowConfidence = "ocr_low_confidence",
        /// OCR words that cross a ruled line of the table.
        OcrWordCrossesRule = "ocr_word_crosses_rule",
        /// A page where a ruled table was expected but none was found.
        OcrTableNotFound = "ocr_table_not_found",
        // Office files.
        OfficeContentSkipped = "office_content_skipped",
        /// Tables nested deeper than the reader follows, read as plain lines.
        OfficeNestingFlattened = "office_nesting_flattened",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_as_plain_strings() {
        for code in WarningCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(&serde_json::from_str::<WarningCode>(&json).unwrap(), code);
        }
        for code in ErrorCode::ALL {
            assert_eq!(&ErrorCode::parse(code.as_str()), code);
        }
    }

    #[test]
    fn unknown_codes_are_kept() {
        let code: WarningCode = serde_json::from_str("\"from_the_future\"").unwrap();
        assert_eq!(code, WarningCode::Unrecognized("from_the_future".into()));
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"from_the_future\"");
    }

    #[test]
    fn spellings_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for s in WarningCode::ALL
            .iter()
            .map(WarningCode::as_str)
            .chain(ErrorCode::ALL.iter().map(ErrorCode::as_str))
        {
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{s}"
            );
            assert!(seen.insert(s), "{s} spelled twice");
        }
    }
}
