//! Archives built in memory, for tests: the unit tests of this crate and the end-to-end
//! tests of the `iki` binary (`tests/batch.rs`) share them. Not part of the API.

use std::io::{Cursor, Write};

/// A zip holding `entries` (name, bytes), each deflated.
pub fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A zip of `copies` entries holding `entry`, compressed once and copied raw (fast to build).
pub fn bomb_zip(entry: &[u8], copies: usize) -> Vec<u8> {
    let one = zip_bytes(&[("00.txt", entry)]);
    let mut source = zip::ZipArchive::new(Cursor::new(one)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..copies {
        let file = source.by_index_raw(0).unwrap();
        writer
            .raw_copy_file_rename(file, format!("{i:02}.txt"))
            .unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A gzipped tar holding `entries` (name, bytes) as regular files.
pub fn tar_gz_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, *data).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}
