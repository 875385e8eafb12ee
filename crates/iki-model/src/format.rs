//! What an input file is: recognised by its content first (magic bytes), by its name when the
//! content does not say. The batch driver, the Python package and the extractor all ask here,
//! so a file is one format everywhere.

use crate::SourceFormat;

/// The format of one input document (archives are opened by the batch driver and never reach
/// an extractor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// A text dump (UTF-8 or windows-1252; Markdown and HTML included).
    Text,
    Pdf,
    Docx,
    Odt,
    /// Legacy Word (converted by LibreOffice).
    Doc,
    Xlsx,
    /// Legacy Excel.
    Xls,
    Ods,
    /// A page image: PNG, JPEG or (multi-page) TIFF.
    Image,
}

impl InputFormat {
    /// The format a file name's extension names (case-insensitive); `None` for an extension
    /// iki does not read.
    pub fn from_name(name: &str) -> Option<InputFormat> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "md" | "text" | "htm" | "html" => InputFormat::Text,
            "pdf" => InputFormat::Pdf,
            "docx" => InputFormat::Docx,
            "odt" => InputFormat::Odt,
            "doc" => InputFormat::Doc,
            "xlsx" | "xlsm" => InputFormat::Xlsx,
            "xls" => InputFormat::Xls,
            "ods" => InputFormat::Ods,
            "png" | "jpg" | "jpeg" | "tif" | "tiff" => InputFormat::Image,
            _ => return None,
        })
    }

    /// The format the first bytes of a file announce, when they announce one. Zip-based
    /// office files are told apart by the names inside the zip's first entries.
    pub fn sniff(head: &[u8]) -> Option<InputFormat> {
        let starts = |magic: &[u8]| head.starts_with(magic);
        if head[..head.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
        {
            return Some(InputFormat::Pdf);
        }
        if starts(b"\x89PNG\r\n\x1a\n")
            || starts(b"\xFF\xD8\xFF")
            || starts(b"II*\0")
            || starts(b"MM\0*")
        {
            return Some(InputFormat::Image);
        }
        if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            // OLE2 compound file: Word or Excel; which one the name says (or a converter finds).
            return None;
        }
        if starts(b"PK\x03\x04") {
            return zip_office_format(head);
        }
        None
    }

    /// The contract's `source.format` for a document read in this format (OCR'd PDFs are
    /// named by the reader, which knows whether it used OCR).
    pub fn source_format(self) -> SourceFormat {
        match self {
            InputFormat::Text => SourceFormat::Text,
            InputFormat::Pdf => SourceFormat::Pdf,
            InputFormat::Docx => SourceFormat::Docx,
            InputFormat::Odt => SourceFormat::Odt,
            InputFormat::Doc => SourceFormat::Doc,
            InputFormat::Xlsx => SourceFormat::Xlsx,
            InputFormat::Xls => SourceFormat::Xls,
            InputFormat::Ods => SourceFormat::Ods,
            InputFormat::Image => SourceFormat::ImageOcr,
        }
    }
}

/// An office format from the local headers at the start of a zip: OpenDocument stores its
/// `mimetype` first, OOXML its `[Content_Types].xml` and `word/` or `xl/` parts.
fn zip_office_format(head: &[u8]) -> Option<InputFormat> {
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if contains(b"application/vnd.oasis.opendocument.text") {
        Some(InputFormat::Odt)
    } else if contains(b"application/vnd.oasis.opendocument.spreadsheet") {
        Some(InputFormat::Ods)
    } else if contains(b"word/") {
        Some(InputFormat::Docx)
    } else if contains(b"xl/") {
        Some(InputFormat::Xlsx)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_magic() {
        assert_eq!(InputFormat::from_name("a/B.PDF"), Some(InputFormat::Pdf));
        assert_eq!(InputFormat::from_name("x.tiff"), Some(InputFormat::Image));
        assert_eq!(InputFormat::from_name("x.zip"), None);
        assert_eq!(InputFormat::from_name("README"), None);
        assert_eq!(InputFormat::sniff(b"%PDF-1.7\n"), Some(InputFormat::Pdf));
        assert_eq!(
            InputFormat::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(InputFormat::Image)
        );
        assert_eq!(InputFormat::sniff(b"INDIKATOR KINERJA"), None);
        let odt = b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.text";
        assert_eq!(InputFormat::sniff(odt), Some(InputFormat::Odt));
    }
}
