//! Why an office file could not be read, with the contract's error code for each reason.

use iki_model::ErrorCode;

/// A failure to read one office file. Each variant is one `error.code` of the contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficeError {
    /// Not a readable file of its format: a broken zip, malformed XML, a DTD, a missing part.
    #[error("{0}")]
    Corrupt(String),
    /// A format that needs a component this run does not have (legacy `.doc` without
    /// `--office`), or a variant the readers do not handle.
    #[error("{0}")]
    Unsupported(String),
    /// LibreOffice took longer than its time limit.
    #[error("{0}")]
    Timeout(String),
    /// Past a size limit: a zip bomb, too many XML nodes, too many cells.
    #[error("{0}")]
    TooLarge(String),
}

impl OfficeError {
    /// The contract's error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            OfficeError::Corrupt(_) => ErrorCode::OfficeCorrupt,
            OfficeError::Unsupported(_) => ErrorCode::OfficeUnsupported,
            OfficeError::Timeout(_) => ErrorCode::OfficeTimeout,
            OfficeError::TooLarge(_) => ErrorCode::OfficeTooLarge,
        }
    }

    /// The human-readable message.
    pub fn message(&self) -> String {
        self.to_string()
    }
}
