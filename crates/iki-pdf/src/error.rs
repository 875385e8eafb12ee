//! Why a PDF yielded no text, as the stable error codes of the output contract.
//!
//! Every variant carries its human message as a plain string so the error crosses the worker
//! process boundary unchanged: it serialises as `{"code": "pdf_encrypted", "message": "..."}`,
//! the same shape as `IkiDocument.error`.

use iki_model::ErrorCode;
use serde::{Deserialize, Serialize};

/// A PDF that could not be turned into text. [`PdfError::code`] is the contract's error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", content = "message")]
#[non_exhaustive]
pub enum PdfError {
    /// The PDF needs a password to be read.
    #[serde(rename = "pdf_encrypted")]
    #[error("{0}")]
    Encrypted(String),
    /// Not a PDF, or one too damaged to read (truncated, no pages, page tree loops ...).
    #[serde(rename = "pdf_corrupt")]
    #[error("{0}")]
    Corrupt(String),
    /// Over a limit: page count, glyph count, output size or the worker's memory.
    #[serde(rename = "pdf_too_large")]
    #[error("{0}")]
    TooLarge(String),
    /// The worker did not finish within the wall-time limit and was killed.
    #[serde(rename = "pdf_timeout")]
    #[error("{0}")]
    Timeout(String),
    /// The PDF library panicked, overflowed its stack or the worker died of a signal.
    #[serde(rename = "pdf_crashed")]
    #[error("{0}")]
    Crashed(String),
    /// The PDF has pages but no text on them (a scan): `--ocr` reads it.
    #[serde(rename = "no_text_layer")]
    #[error("{0}")]
    NoTextLayer(String),
    /// `--ocr` was asked for but `pdftoppm`, `tesseract` or its Indonesian data is missing.
    #[serde(rename = "ocr_unavailable")]
    #[error("{0}")]
    OcrUnavailable(String),
    /// The OCR tools ran but failed or recognised nothing.
    #[serde(rename = "ocr_failed")]
    #[error("{0}")]
    OcrFailed(String),
    /// OCR of a page did not finish within its time limit (`--ocr-timeout`).
    #[serde(rename = "ocr_timeout")]
    #[error("{0}")]
    OcrTimeout(String),
    /// An image input (PNG, JPEG, TIFF) that cannot be decoded.
    #[serde(rename = "image_corrupt")]
    #[error("{0}")]
    ImageCorrupt(String),
    /// The worker process could not be started or answered something unreadable.
    #[serde(rename = "internal_error")]
    #[error("{0}")]
    Internal(String),
    /// The PDF file could not be read.
    #[serde(rename = "io_error")]
    #[error("{0}")]
    Io(String),
}

impl PdfError {
    /// The contract's snake_case error code, e.g. `"pdf_encrypted"`.
    pub fn code(&self) -> ErrorCode {
        match self {
            PdfError::Encrypted(_) => ErrorCode::PdfEncrypted,
            PdfError::Corrupt(_) => ErrorCode::PdfCorrupt,
            PdfError::TooLarge(_) => ErrorCode::PdfTooLarge,
            PdfError::Timeout(_) => ErrorCode::PdfTimeout,
            PdfError::Crashed(_) => ErrorCode::PdfCrashed,
            PdfError::NoTextLayer(_) => ErrorCode::NoTextLayer,
            PdfError::OcrUnavailable(_) => ErrorCode::OcrUnavailable,
            PdfError::OcrFailed(_) => ErrorCode::OcrFailed,
            PdfError::OcrTimeout(_) => ErrorCode::OcrTimeout,
            PdfError::ImageCorrupt(_) => ErrorCode::ImageCorrupt,
            PdfError::Internal(_) => ErrorCode::InternalError,
            PdfError::Io(_) => ErrorCode::IoError,
        }
    }

    /// The human message (the same text as `Display`).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let e = PdfError::Encrypted("needs a password".into());
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"code":"pdf_encrypted","message":"needs a password"}"#
        );
        assert_eq!(serde_json::from_str::<PdfError>(&json).unwrap(), e);
        assert_eq!(e.code(), ErrorCode::PdfEncrypted);
        assert_eq!(e.message(), "needs a password");
    }

    #[test]
    fn codes_match_serde_names() {
        let all = [
            PdfError::Encrypted(String::new()),
            PdfError::Corrupt(String::new()),
            PdfError::TooLarge(String::new()),
            PdfError::Timeout(String::new()),
            PdfError::Crashed(String::new()),
            PdfError::NoTextLayer(String::new()),
            PdfError::OcrUnavailable(String::new()),
            PdfError::OcrFailed(String::new()),
            PdfError::OcrTimeout(String::new()),
            PdfError::ImageCorrupt(String::new()),
            PdfError::Internal(String::new()),
            PdfError::Io(String::new()),
        ];
        for e in all {
            let v = serde_json::to_value(&e).unwrap();
            assert_eq!(v["code"], e.code().as_str());
        }
    }
}
