//! Legacy `.doc` through LibreOffice: the conversion runs as an isolated child whose hang,
//! crash or silence becomes an error code. Misbehaving converters are small shell scripts
//! standing in for `soffice`; the real one converts a fixture when it is installed (in CI it
//! must be).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use iki_model::{ErrorCode, InputFormat};
use iki_office::{read_office, LibreOffice, OfficeConfig};

fn script(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("soffice");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn convert_with(body: &str, timeout: Duration) -> Result<Vec<u8>, iki_office::OfficeError> {
    let dir = tempfile::tempdir().unwrap();
    let lo = LibreOffice {
        program: script(dir.path(), body),
        timeout,
        memory_bytes: None,
    };
    lo.convert_to_docx(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really word")
}

#[test]
fn a_hanging_converter_is_killed_with_its_children() {
    let err = convert_with("sleep 30 & sleep 30", Duration::from_millis(500)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::OfficeTimeout, "{err}");
}

#[test]
fn a_crashing_converter_is_corrupt_with_the_signal() {
    let err = convert_with(
        "echo 'bad record' >&2; kill -SEGV $$",
        Duration::from_secs(30),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OfficeCorrupt);
    assert!(err.message().contains("signal 11"), "{err}");
}

#[test]
fn a_converter_that_writes_nothing_is_corrupt_with_its_last_words() {
    let err = convert_with(
        "echo 'Error: source file could not be loaded' >&2; exit 0",
        Duration::from_secs(30),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OfficeCorrupt);
    assert!(err.message().contains("could not be loaded"), "{err}");
}

#[test]
fn a_missing_converter_names_the_package() {
    let lo = LibreOffice {
        program: PathBuf::from("/nonexistent/soffice"),
        ..LibreOffice::default()
    };
    assert!(lo.check().unwrap_err().contains("libreoffice-writer-nogui"));
    let config = OfficeConfig {
        libreoffice: Some(lo),
    };
    let err = read_office(
        InputFormat::Doc,
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        &config,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OfficeUnsupported);
}

#[test]
fn the_real_libreoffice_converts_a_doc() {
    let lo = LibreOffice::default();
    if let Err(why) = lo.check() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "LibreOffice is missing in CI: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let doc = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/office/doc/lumajang-kec-ranuyoso-2023.doc"),
    )
    .unwrap();
    let config = OfficeConfig {
        libreoffice: Some(lo),
    };
    let text = read_office(InputFormat::Doc, &doc, &config).unwrap();
    assert!(text.text.line_count() > 100);
}
