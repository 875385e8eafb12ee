//! Page images as grey pixels: decoding (the `image` crate for PNG, JPEG and PNM; the
//! `tiff` crate for every page of a TIFF), the page's resolution, ink (binarising with
//! Otsu's threshold) and deskewing (the angle whose rows of ink are sharpest).

use crate::error::PdfError;
use image::{GrayImage, ImageReader, Luma};
use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};
use std::io::Cursor;

/// Widest or tallest page image accepted, in pixels (a page at 1200 dpi is 14,000).
const MAX_SIDE: u32 = 20_000;
/// Most bytes one decoded page may take.
const MAX_PAGE_BYTES: u64 = 512 << 20;
/// Skew searched, in degrees either way (a page fed crooked into a scanner).
const MAX_SKEW: f64 = 4.0;

/// The grey pages of an image file, in order (a TIFF may hold many), at most `max_pages`.
pub fn decode_pages(bytes: &[u8], max_pages: usize) -> Result<Vec<GrayImage>, PdfError> {
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return tiff_pages(bytes, max_pages);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| bad_image(&e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PAGE_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| bad_image(&e.to_string()))?;
    Ok(vec![image.into_luma8()])
}

fn bad_image(why: &str) -> PdfError {
    PdfError::ImageCorrupt(format!("the image cannot be decoded: {why}"))
}

/// Every page of a TIFF as grey pixels.
fn tiff_pages(bytes: &[u8], max_pages: usize) -> Result<Vec<GrayImage>, PdfError> {
    use tiff::decoder::{Decoder, DecodingResult, Limits};
    let tiff_error = |e: tiff::TiffError| bad_image(&e.to_string());
    let mut limits = Limits::default();
    limits.decoding_buffer_size = MAX_PAGE_BYTES as usize;
    let mut decoder = Decoder::new(Cursor::new(bytes))
        .map_err(tiff_error)?
        .with_limits(limits);
    let mut pages = Vec::new();
    loop {
        let (width, height) = decoder.dimensions().map_err(tiff_error)?;
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err(bad_image(&format!("a page of {width} × {height} pixels")));
        }
        let color = decoder.colortype().map_err(tiff_error)?;
        let pixels = match decoder.read_image().map_err(tiff_error)? {
            DecodingResult::U8(v) => v,
            DecodingResult::U16(v) => v.iter().map(|p| (p >> 8) as u8).collect(),
            _ => return Err(bad_image("TIFF samples that are not 1, 8 or 16 bits")),
        };
        pages.push(grey_from_tiff(&pixels, width, height, color)?);
        if pages.len() >= max_pages || !decoder.more_images() {
            return Ok(pages);
        }
        decoder.next_image().map_err(tiff_error)?;
    }
}

/// Decoded TIFF samples (1-bit rows packed, else one byte a sample) as a grey image.
fn grey_from_tiff(
    samples: &[u8],
    width: u32,
    height: u32,
    color: tiff::ColorType,
) -> Result<GrayImage, PdfError> {
    use tiff::ColorType;
    let (w, h) = (width as usize, height as usize);
    let channels = match color {
        ColorType::Gray(1) => {
            let stride = w.div_ceil(8);
            if samples.len() < stride * h {
                return Err(bad_image("a bilevel TIFF page shorter than its size"));
            }
            // 1 is white here: the decoder turned WhiteIsZero pages around already.
            return Ok(GrayImage::from_fn(width, height, |x, y| {
                let byte = samples[y as usize * stride + x as usize / 8];
                Luma([if byte & (0x80 >> (x % 8)) != 0 {
                    255
                } else {
                    0
                }])
            }));
        }
        ColorType::Gray(_) => 1,
        ColorType::GrayA(_) => 2,
        ColorType::RGB(_) => 3,
        ColorType::RGBA(_) => 4,
        other => return Err(bad_image(&format!("TIFF colour type {other:?}"))),
    };
    if samples.len() < w * h * channels {
        return Err(bad_image("a TIFF page shorter than its size"));
    }
    Ok(GrayImage::from_fn(width, height, |x, y| {
        let i = (y as usize * w + x as usize) * channels;
        let grey = if channels >= 3 {
            // ITU-R 601 luma, as image's own conversion.
            (299 * u32::from(samples[i])
                + 587 * u32::from(samples[i + 1])
                + 114 * u32::from(samples[i + 2]))
                / 1000
        } else {
            u32::from(samples[i])
        };
        Luma([grey as u8])
    }))
}

/// The resolution of a page image, from its size: its long side taken as an A4 page's
/// (11.69 in), which portrait and landscape forms, and F4 or Letter paper within 11%, share.
/// Image files often carry no or a wrong resolution; the page size is what they all have.
pub fn estimated_dpi(image: &GrayImage) -> f64 {
    let long = image.width().max(image.height()) as f64;
    (long / 11.69).clamp(50.0, 1200.0)
}

/// Which pixels are ink: darker than Otsu's threshold between paper and print.
#[derive(Debug, Clone)]
pub struct Ink {
    pub width: usize,
    pub height: usize,
    /// The grey level at or below which a pixel is ink.
    pub level: u8,
    /// Row-major, `true` for ink.
    pub pixels: Vec<bool>,
}

impl Ink {
    pub fn of(image: &GrayImage) -> Ink {
        let level = imageproc::contrast::otsu_level(image);
        Ink {
            width: image.width() as usize,
            height: image.height() as usize,
            level,
            pixels: image.pixels().map(|p| p.0[0] <= level).collect(),
        }
    }

    pub fn at(&self, x: usize, y: usize) -> bool {
        self.pixels[y * self.width + x]
    }
}

/// The page's skew in degrees (positive: the text runs down to the right), found as the
/// angle at which the ink's rows are sharpest: the sum of squared row counts of the ink,
/// sheared by the angle, peaks when text lines and rules lie along rows. A coarse search
/// on a reduced page, then a fine one around its best.
pub fn skew_degrees(ink: &Ink, dpi: f64) -> f64 {
    // Ink points on a grid of about 1/75 inch.
    let step = ((dpi / 75.0).round() as usize).max(1);
    let mut points: Vec<(f64, f64)> = Vec::new();
    for y in (0..ink.height).step_by(step) {
        for x in (0..ink.width).step_by(step) {
            if ink.at(x, y) {
                points.push((x as f64, y as f64));
            }
        }
    }
    if points.len() < 50 {
        return 0.0;
    }
    let bin = step as f64;
    // Sheared rows lie within the page height plus the width's rise at the steepest angle.
    let rise = ink.width as f64 * (MAX_SKEW + 0.5).to_radians().tan();
    let offset = (rise / bin).ceil() + 1.0;
    let mut rows = vec![0u32; ((ink.height as f64 + 2.0 * rise) / bin) as usize + 4];
    let mut sharpness = |degrees: f64| {
        let slope = degrees.to_radians().tan();
        rows.iter_mut().for_each(|n| *n = 0);
        for &(x, y) in &points {
            let row = ((y - x * slope) / bin + offset).round().max(0.0) as usize;
            if let Some(n) = rows.get_mut(row) {
                *n += 1;
            }
        }
        rows.iter()
            .map(|&n| f64::from(n) * f64::from(n))
            .sum::<f64>()
    };
    let mut best = |from: f64, to: f64, by: f64| {
        let mut best = (0.0, f64::NEG_INFINITY);
        let mut a = from;
        while a <= to + 1e-9 {
            let s = sharpness(a);
            if s > best.1 {
                best = (a, s);
            }
            a += by;
        }
        best.0
    };
    let coarse = best(-MAX_SKEW, MAX_SKEW, 0.2);
    best(coarse - 0.2, coarse + 0.2, 0.02)
}

/// The page turned by `-degrees` about its centre (white where nothing was).
pub fn deskew(image: &GrayImage, degrees: f64) -> GrayImage {
    rotate_about_center(
        image,
        (-degrees).to_radians() as f32,
        Interpolation::Bilinear,
        Border::Constant(Luma([255])),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with horizontal lines drawn at `degrees`.
    fn tilted_lines(degrees: f64) -> GrayImage {
        let mut page = GrayImage::from_pixel(1200, 900, Luma([250]));
        let slope = degrees.to_radians().tan();
        for row in 0..12 {
            let y0 = 100.0 + 60.0 * row as f64;
            for x in 100..1100u32 {
                let y = (y0 + x as f64 * slope).round() as u32;
                for t in 0..3 {
                    page.put_pixel(x, y + t, Luma([20]));
                }
            }
        }
        page
    }

    #[test]
    fn skew_is_found_and_removed() {
        for degrees in [-1.5, -0.4, 0.0, 0.8, 2.5] {
            let page = tilted_lines(degrees);
            let found = skew_degrees(&Ink::of(&page), 100.0);
            assert!((found - degrees).abs() < 0.06, "{degrees}: found {found}");
            let straight = deskew(&page, found);
            let left = skew_degrees(&Ink::of(&straight), 100.0);
            assert!(left.abs() < 0.06, "{degrees}: left {left}");
        }
    }

    #[test]
    fn blank_pages_have_no_skew() {
        let blank = GrayImage::from_pixel(300, 400, Luma([255]));
        assert_eq!(skew_degrees(&Ink::of(&blank), 100.0), 0.0);
    }

    #[test]
    fn png_and_tiff_pages_decode() {
        let page = tilted_lines(0.0);
        let mut png = Vec::new();
        page.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let pages = decode_pages(&png, 10).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].get_pixel(500, 100).0[0], 20);

        let mut tif = Vec::new();
        {
            let mut encoder = tiff::encoder::TiffEncoder::new(Cursor::new(&mut tif)).unwrap();
            for _ in 0..3 {
                encoder
                    .write_image::<tiff::encoder::colortype::Gray8>(
                        page.width(),
                        page.height(),
                        page.as_raw(),
                    )
                    .unwrap();
            }
        }
        let pages = decode_pages(&tif, 10).unwrap();
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].get_pixel(500, 100).0[0], 20);
        assert_eq!(decode_pages(&tif, 2).unwrap().len(), 2);
    }

    #[test]
    fn garbage_is_an_image_error() {
        for bytes in [
            &b"\x89PNG\r\n\x1a\nnot really"[..],
            b"II*\0garbage",
            b"\xFF\xD8\xFF",
        ] {
            let e = decode_pages(bytes, 10).unwrap_err();
            assert_eq!(e.code().as_str(), "image_corrupt", "{e}");
        }
    }

    #[test]
    fn resolution_from_the_page_size() {
        let a4_300 = GrayImage::new(2480, 3508);
        assert!((estimated_dpi(&a4_300) - 300.0).abs() < 1.0);
        let landscape_150 = GrayImage::new(1754, 1240);
        assert!((estimated_dpi(&landscape_150) - 150.0).abs() < 1.0);
    }
}
