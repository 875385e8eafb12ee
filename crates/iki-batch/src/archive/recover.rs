//! The structure of a zip read without its central directory: signatures found by scanning,
//! local file headers, and data descriptors. Used by [`super::recover_zip`] when the central
//! directory is missing or damaged; knows nothing of inputs.

use std::io::{self, SeekFrom};

use zip::read::ZipReadOptions;

use super::ReadSeek;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Signature {
    /// `PK\x03\x04`: a local file header.
    Local,
    /// `PK\x01\x02` or `PK\x05\x06`: the central directory or its end.
    Directory,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Mark {
    pub offset: u64,
    pub kind: Signature,
}

/// Offsets of the zip signatures in `reader`, in order.
pub(super) fn signatures(reader: &mut dyn ReadSeek) -> io::Result<Vec<Mark>> {
    reader.seek(SeekFrom::Start(0))?;
    let mut marks = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut carry: Vec<u8> = Vec::new();
    let mut base = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let mut window = std::mem::take(&mut carry);
        let window_start = base - window.len() as u64;
        window.extend_from_slice(&buf[..n]);
        for (i, w) in window.windows(4).enumerate() {
            let kind = match w {
                b"PK\x03\x04" => Signature::Local,
                b"PK\x01\x02" | b"PK\x05\x06" => Signature::Directory,
                _ => continue,
            };
            marks.push(Mark {
                offset: window_start + i as u64,
                kind,
            });
        }
        carry = window[window.len().saturating_sub(3)..].to_vec();
        base += n as u64;
    }
    Ok(marks)
}

/// The fields of a local file header that recovery needs.
pub(super) struct LocalHeader {
    pub name: Vec<u8>,
    pub data_start: u64,
    /// The sizes in the header; `None` when they follow the data (a data descriptor) or live
    /// in a zip64 extra field.
    pub compressed: Option<u64>,
    pub uncompressed: u64,
    descriptor: bool,
}

fn u16_le(b: &[u8]) -> u16 {
    u16::from_le_bytes([b[0], b[1]])
}

fn u32_le(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

fn u64_le(b: &[u8]) -> u64 {
    u64::from(u32_le(b)) | u64::from(u32_le(&b[4..])) << 32
}

impl LocalHeader {
    pub fn read(reader: &mut dyn ReadSeek, offset: u64) -> io::Result<Self> {
        let mut fixed = [0u8; 30];
        reader.seek(SeekFrom::Start(offset))?;
        reader.read_exact(&mut fixed)?;
        let name_len = u64::from(u16_le(&fixed[26..]));
        let extra_len = u64::from(u16_le(&fixed[28..]));
        let mut name = vec![0u8; name_len as usize];
        reader.read_exact(&mut name)?;
        // General purpose flag bit 3: CRC and sizes follow the data.
        let descriptor = u16_le(&fixed[6..]) & 0x8 != 0;
        let compressed = u32_le(&fixed[18..]);
        Ok(LocalHeader {
            name,
            data_start: offset + 30 + name_len + extra_len,
            compressed: (!descriptor && compressed != u32::MAX).then_some(u64::from(compressed)),
            uncompressed: u64::from(u32_le(&fixed[22..])),
            descriptor,
        })
    }

    /// How to read this entry from a stream: as the header says, or, with a data descriptor,
    /// with the CRC and sizes of the descriptor that ends at `boundary` (the next signature);
    /// `None` when no descriptor fits there.
    pub fn read_options(
        &self,
        reader: &mut dyn ReadSeek,
        boundary: u64,
    ) -> Option<ZipReadOptions<'static>> {
        if !self.descriptor {
            return Some(ZipReadOptions::new());
        }
        let (crc, compressed, uncompressed) = self.descriptor_before(reader, boundary)?;
        Some(
            ZipReadOptions::new()
                .override_crc(crc)
                .override_compressed_size(compressed)
                .override_uncompressed_size(uncompressed),
        )
    }

    /// The data descriptor ending at `boundary` whose compressed size spans exactly the bytes
    /// between the header and it: with or without its `PK\x07\x08` signature, with 32-bit or
    /// (zip64) 64-bit sizes.
    fn descriptor_before(
        &self,
        reader: &mut dyn ReadSeek,
        boundary: u64,
    ) -> Option<(u32, u64, u64)> {
        let len = boundary.checked_sub(self.data_start)?.min(24);
        let mut tail = vec![0u8; len as usize];
        reader.seek(SeekFrom::Start(boundary - len)).ok()?;
        reader.read_exact(&mut tail).ok()?;
        // (descriptor length, signed, 64-bit sizes)
        for (descriptor_len, signed, wide) in [
            (16, true, false),
            (12, false, false),
            (24, true, true),
            (20, false, true),
        ] {
            let Some(start) = tail.len().checked_sub(descriptor_len) else {
                continue;
            };
            let mut body = &tail[start..];
            if signed {
                if !body.starts_with(b"PK\x07\x08") {
                    continue;
                }
                body = &body[4..];
            }
            let crc = u32_le(body);
            let (compressed, uncompressed) = if wide {
                (u64_le(&body[4..]), u64_le(&body[12..]))
            } else {
                (u64::from(u32_le(&body[4..])), u64::from(u32_le(&body[8..])))
            };
            if self.data_start + compressed + descriptor_len as u64 == boundary {
                return Some((crc, compressed, uncompressed));
            }
        }
        None
    }
}
