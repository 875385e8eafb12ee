//! The worker side of [`crate::isolate`]: read one request and one PDF from stdin, answer on
//! stdout, exit. Called by a binary started with [`crate::WORKER_ARG`].

use crate::error::PdfError;
use crate::isolate::{Request, Response, PROTOCOL};
use crate::textlayer::layout_text_with;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::ExitCode;

/// Longest request line accepted.
const MAX_REQUEST_LINE: u64 = 64 << 10;

/// Run the worker on this process's stdin and stdout. Exits 0 whenever it could write an
/// answer (also for a PDF it refused); a crash is for the parent to notice.
pub fn worker_main() -> ExitCode {
    let stdin = std::io::stdin();
    let response = Response::from(serve(stdin.lock()));
    let mut stdout = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut stdout, &response)
        .map_err(std::io::Error::from)
        .and_then(|_| stdout.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

/// Read the request and the PDF from `input` and extract its layout text.
pub fn serve(input: impl Read) -> Result<crate::PdfText, PdfError> {
    let (request, pdf) = read_request(input)?;
    layout_text_with(&pdf, &request.options)
}

fn read_request(input: impl Read) -> Result<(Request, Vec<u8>), PdfError> {
    let bad = |m: String| PdfError::Internal(format!("bad PDF worker request: {m}"));
    let mut reader = BufReader::new(input);
    let mut line = Vec::new();
    (&mut reader)
        .take(MAX_REQUEST_LINE)
        .read_until(b'\n', &mut line)
        .map_err(|e| bad(e.to_string()))?;
    let request: Request = serde_json::from_slice(&line).map_err(|e| bad(e.to_string()))?;
    if request.protocol != PROTOCOL {
        return Err(bad(format!(
            "protocol {} (expected {PROTOCOL})",
            request.protocol
        )));
    }
    let mut pdf = Vec::new();
    reader
        .read_to_end(&mut pdf)
        .map_err(|e| bad(e.to_string()))?;
    Ok((request, pdf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_request_is_an_internal_error() {
        let e = serve(&b"not json\n%PDF-1.4"[..]).unwrap_err();
        assert_eq!(e.code().as_str(), "internal_error");
    }

    #[test]
    fn garbage_pdf_is_corrupt() {
        let input = b"{\"protocol\":1,\"options\":{\"max_pages\":10,\"max_glyphs\":1000}}\nhello";
        let e = serve(&input[..]).unwrap_err();
        assert_eq!(e.code(), iki_model::ErrorCode::PdfCorrupt);
    }
}
