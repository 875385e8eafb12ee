//! Archives built in memory, for tests: the unit tests of this crate and the end-to-end
//! tests of the `iki` binary (`tests/batch.rs`) share them. Not part of the API.

use std::io::{Cursor, Seek, Write};

/// A zip holding `entries` (name, bytes), each deflated.
pub fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    add_deflated(&mut writer, entries);
    writer.finish().unwrap().into_inner()
}

fn add_deflated<W: Write + Seek>(writer: &mut zip::ZipWriter<W>, entries: &[(&str, &[u8])]) {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
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

/// One member of a tar built by [`tar_bytes`].
#[derive(Debug, Clone, Copy)]
pub enum TarMember<'a> {
    /// A regular file: name and bytes.
    File(&'a str, &'a [u8]),
    /// A hard link: name and the name of the earlier member it links to.
    HardLink(&'a str, &'a str),
    /// A symbolic link: name and target.
    Symlink(&'a str, &'a str),
    /// A named pipe.
    Fifo(&'a str),
    /// A character device.
    CharDevice(&'a str),
}

/// An uncompressed tar holding `members` in order (GNU headers).
pub fn tar_bytes(members: &[TarMember<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for member in members {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        let (name, data, link): (&str, &[u8], Option<&str>) = match *member {
            TarMember::File(name, data) => {
                header.set_entry_type(tar::EntryType::Regular);
                (name, data, None)
            }
            TarMember::HardLink(name, target) => {
                header.set_entry_type(tar::EntryType::Link);
                (name, &[], Some(target))
            }
            TarMember::Symlink(name, target) => {
                header.set_entry_type(tar::EntryType::Symlink);
                (name, &[], Some(target))
            }
            TarMember::Fifo(name) => {
                header.set_entry_type(tar::EntryType::Fifo);
                (name, &[], None)
            }
            TarMember::CharDevice(name) => {
                header.set_entry_type(tar::EntryType::Char);
                (name, &[], None)
            }
        };
        header.set_size(data.len() as u64);
        match link {
            Some(target) => builder.append_link(&mut header, name, target).unwrap(),
            None => builder.append_data(&mut header, name, data).unwrap(),
        }
    }
    builder.into_inner().unwrap()
}

/// `bytes` gzipped.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// A zip written as a stream: each entry's sizes and CRC follow its data (a data descriptor),
/// as Java's `ZipOutputStream` and other streaming writers do.
pub fn streamed_zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new_stream(Vec::new());
    add_deflated(&mut writer, entries);
    writer.finish().unwrap().into_inner()
}
