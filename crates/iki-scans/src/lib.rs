//! Scan renderings of the PDF fixtures, each with its known answer: what an office scanner,
//! a photocopier or a phone camera makes of a printed form.
//!
//! ```text
//! fixture PDF ──pdftoppm (grey, the variant's dpi)──▶ page images
//!             ──degrade (tilt, blur, darkening, grain, bilevel, JPEG) per the variant──▶
//!             ──image-only PDF (one JPEG per page)──▶ scored against fixtures/expected/<stem>.json
//! ```
//! A variant's draws come from a seeded generator, so a rendering is the same on every run.
//! Nothing is checked in: the renderings are made at evaluation and benchmark time
//! (`iki-scans`), from the small text-layer fixtures the repository holds.

use anyhow::{bail, Context, Result};
use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::path::Path;
use std::process::Command;

/// Which typeset version of a fixture a variant scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `fixtures/pdf/text/<stem>.pdf`: ruled tables.
    Ruled,
    /// `fixtures/pdf/variants/<stem>-unruled.pdf`: the same tables without rules.
    Unruled,
    /// `fixtures/pdf/variants/<stem>-narrow-labels.pdf`: the form header as a ruled table
    /// with a label column too narrow for its words.
    NarrowLabels,
}

/// How one kind of scan is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variant {
    pub name: &'static str,
    pub what: &'static str,
    pub source: Source,
    pub dpi: u32,
    /// Tilt drawn uniformly in ±this many degrees, per page.
    pub tilt: f64,
    /// Gaussian blur (sigma in pixels at 300 dpi).
    pub blur: f32,
    /// Photocopy darkening: paper grey level and ink gamma (> 1 darkens mid tones).
    pub paper: u8,
    pub gamma: f64,
    /// Grain: standard deviation of Gaussian noise, in grey levels.
    pub grain: f64,
    /// Share of pixels turned to specks.
    pub specks: f64,
    /// Thresholded to black and white (a fax-like bilevel scan).
    pub bilevel: bool,
    /// JPEG quality of the pages in the PDF.
    pub jpeg_quality: u8,
}

const BASE: Variant = Variant {
    name: "",
    what: "",
    source: Source::Ruled,
    dpi: 300,
    tilt: 0.0,
    blur: 0.0,
    paper: 255,
    gamma: 1.0,
    grain: 0.0,
    specks: 0.0,
    bilevel: false,
    jpeg_quality: 90,
};

/// The scan variants, each a kind of scan found in office archives.
pub const VARIANTS: &[Variant] = &[
    Variant {
        name: "office-300",
        what: "office scanner, 300 dpi grey, tilt ±0.3°, slight blur and grain",
        tilt: 0.3,
        blur: 0.5,
        grain: 4.0,
        ..BASE
    },
    Variant {
        name: "tilted-200",
        what: "200 dpi, tilt ±0.8°, blur, grain, grey cast",
        dpi: 200,
        tilt: 0.8,
        blur: 0.8,
        paper: 228,
        grain: 6.0,
        ..BASE
    },
    Variant {
        name: "jpeg-150",
        what: "150 dpi, tilt ±0.5°, heavy JPEG artefacts (quality 30)",
        dpi: 150,
        tilt: 0.5,
        blur: 0.4,
        grain: 4.0,
        jpeg_quality: 30,
        ..BASE
    },
    Variant {
        name: "photocopy-200",
        what: "photocopy of a copy, 200 dpi: darkened, grey paper, specks, tilt ±0.6°",
        dpi: 200,
        tilt: 0.6,
        blur: 1.0,
        paper: 205,
        gamma: 1.8,
        grain: 8.0,
        specks: 0.002,
        ..BASE
    },
    Variant {
        name: "bilevel-200",
        what: "fax-like black and white, 200 dpi, tilt ±0.4°",
        dpi: 200,
        tilt: 0.4,
        blur: 0.6,
        grain: 10.0,
        bilevel: true,
        ..BASE
    },
    Variant {
        name: "unruled-300",
        what: "tables printed without rules, 300 dpi, tilt ±0.5°, blur, grain",
        source: Source::Unruled,
        tilt: 0.5,
        blur: 0.6,
        grain: 5.0,
        ..BASE
    },
    Variant {
        name: "narrow-labels-200",
        what: "header table with a narrow label column (JAB / ATA / N), 200 dpi, tilt ±0.5°",
        source: Source::NarrowLabels,
        dpi: 200,
        tilt: 0.5,
        blur: 0.6,
        grain: 5.0,
        ..BASE
    },
];

/// The typeset PDF a variant scans for fixture `stem`, if the repository has it.
pub fn source_pdf(root: &Path, stem: &str, source: Source) -> Option<std::path::PathBuf> {
    let path = match source {
        Source::Ruled => root.join(format!("fixtures/pdf/text/{stem}.pdf")),
        Source::Unruled => root.join(format!("fixtures/pdf/variants/{stem}-unruled.pdf")),
        Source::NarrowLabels => {
            root.join(format!("fixtures/pdf/variants/{stem}-narrow-labels.pdf"))
        }
    };
    path.exists().then_some(path)
}

/// A rendered scan: an image-only PDF.
pub struct Scan {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// Scan `pdf` as `variant` makes it, seeded by `seed`.
pub fn render(pdf: &Path, variant: &Variant, seed: u64, scratch: &Path) -> Result<Scan> {
    let pages = rasterise(pdf, variant.dpi, scratch)?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ fingerprint(variant.name));
    let mut jpegs = Vec::with_capacity(pages.len());
    for page in pages {
        let degraded = degrade(page, variant, &mut rng);
        jpegs.push((
            jpeg(&degraded, variant.jpeg_quality)?,
            degraded.dimensions(),
        ));
    }
    Ok(Scan {
        pdf: image_pdf(&jpegs, variant.dpi)?,
        pages: jpegs.len(),
    })
}

/// The pages of `pdf` in grey at `dpi` (pdftoppm).
fn rasterise(pdf: &Path, dpi: u32, scratch: &Path) -> Result<Vec<GrayImage>> {
    let stem = scratch.join("page");
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png"])
        .arg(pdf)
        .arg(&stem)
        .output()
        .context("pdftoppm (poppler-utils) is needed to render scans")?;
    if !out.status.success() {
        bail!("pdftoppm failed on {}", pdf.display());
    }
    let mut files: Vec<_> = std::fs::read_dir(scratch)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "png")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("page"))
        })
        .collect();
    files.sort();
    let mut pages = Vec::new();
    for f in files {
        pages.push(image::open(&f)?.into_luma8());
        std::fs::remove_file(&f)?;
    }
    Ok(pages)
}

/// One page through the variant's degradations, in the order paper meets them: tilt on the
/// glass, optics (blur), toner and paper (darkening), sensor (grain, specks), thresholding.
pub fn degrade(page: GrayImage, v: &Variant, rng: &mut Xoshiro256PlusPlus) -> GrayImage {
    let mut page = page;
    if v.tilt > 0.0 {
        let degrees: f64 = rng.random_range(-v.tilt..=v.tilt);
        page = rotate_about_center(
            &page,
            degrees.to_radians() as f32,
            Interpolation::Bilinear,
            Border::Constant(Luma([255])),
        );
    }
    if v.blur > 0.0 {
        let sigma = v.blur * v.dpi as f32 / 300.0;
        page = imageproc::filter::gaussian_blur_f32(&page, sigma.max(0.3));
    }
    if v.paper < 255 || v.gamma != 1.0 {
        let paper = f64::from(v.paper);
        for p in page.pixels_mut() {
            let t = f64::from(p.0[0]) / 255.0;
            p.0[0] = (t.powf(v.gamma) * paper).round().clamp(0.0, 255.0) as u8;
        }
    }
    if v.grain > 0.0 {
        imageproc::noise::gaussian_noise_mut(&mut page, 0.0, v.grain, rng.random());
    }
    if v.specks > 0.0 {
        imageproc::noise::salt_and_pepper_noise_mut(&mut page, v.specks, rng.random());
    }
    if v.bilevel {
        let level = imageproc::contrast::otsu_level(&page);
        for p in page.pixels_mut() {
            p.0[0] = if p.0[0] <= level { 0 } else { 255 };
        }
    }
    page
}

fn jpeg(page: &GrayImage, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(page)?;
    Ok(out)
}

/// An image-only PDF: one JPEG (DCTDecode, DeviceGray) filling each page.
fn image_pdf(pages: &[(Vec<u8>, (u32, u32))], dpi: u32) -> Result<Vec<u8>> {
    use lopdf::{dictionary, Object, Stream};
    let mut doc = lopdf::Document::with_version("1.5");
    let tree = doc.new_object_id();
    let mut kids = Vec::new();
    for (jpeg, (w, h)) in pages {
        let image = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image",
                "Width" => *w as i64, "Height" => *h as i64,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
                "Filter" => "DCTDecode",
            },
            jpeg.clone(),
        ));
        let (pw, ph) = (
            f64::from(*w) * 72.0 / f64::from(dpi),
            f64::from(*h) * 72.0 / f64::from(dpi),
        );
        let content = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im0 Do Q");
        let contents = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => tree,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw as f32), Object::Real(ph as f32)],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
            "Contents" => contents,
        });
        kids.push(Object::Reference(page));
    }
    doc.objects.insert(
        tree,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Count" => kids.len() as i64,
            "Kids" => kids,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// FNV-1a of a name: a stable seed offset per variant.
fn fingerprint(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degradations_are_seeded_and_darken_as_asked() {
        let page = GrayImage::from_pixel(200, 100, Luma([255]));
        let v = VARIANTS.iter().find(|v| v.name == "photocopy-200").unwrap();
        let a = degrade(page.clone(), v, &mut Xoshiro256PlusPlus::seed_from_u64(1));
        let b = degrade(page, v, &mut Xoshiro256PlusPlus::seed_from_u64(1));
        assert_eq!(a, b);
        let mean: f64 = a.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / 20_000.0;
        assert!(mean < 215.0 && mean > 190.0, "{mean}");
    }

    #[test]
    fn an_image_pdf_is_a_pdf_without_text() {
        let page = GrayImage::from_pixel(60, 80, Luma([255]));
        let pdf = image_pdf(&[(jpeg(&page, 80).unwrap(), (60, 80))], 150).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.5"));
        let e = iki_pdf::layout_text(&pdf).unwrap_err();
        assert_eq!(e.code().as_str(), "no_text_layer");
    }
}
