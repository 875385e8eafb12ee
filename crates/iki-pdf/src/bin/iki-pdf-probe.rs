//! A small front end to iki-pdf: look at the layout text of a PDF, run the worker, and — for
//! the isolation tests — play a worker that misbehaves.
//!
//! ```text
//! iki-pdf-probe text FILE.pdf        layout text of the text layer (in process)
//! iki-pdf-probe isolated FILE.pdf    the same through a worker (this binary) with default limits
//! iki-pdf-probe ocr FILE.pdf         layout text by OCR
//! iki-pdf-probe cells FILE           the explicit cells (rows as tab-separated cells, `⏎` for a
//!                                    line break in a cell): a PDF's text layer, else OCR of a
//!                                    scan or a page image
//! iki-pdf-probe glyphs FILE.pdf N    glyphs and rules of page N
//! iki-pdf-probe __pdf-worker         worker mode (the protocol of iki_pdf::run_worker)
//! iki-pdf-probe __misbehave HOW      a worker that dies: stack | abort | sleep | alloc | garbage | exit
//! ```

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some(iki_pdf::WORKER_ARG) => iki_pdf::worker_main(),
        Some("__misbehave") => misbehave(args.get(2).map_or("", String::as_str)),
        Some(mode @ ("text" | "isolated" | "ocr")) if args.len() == 3 => show(mode, &args[2]),
        Some("cells") if args.len() == 3 => cells(&args[2]),
        Some("glyphs") if args.len() == 4 => glyphs(&args[2], &args[3]),
        _ => {
            eprintln!("usage: iki-pdf-probe text|isolated|ocr FILE.pdf");
            ExitCode::from(2)
        }
    }
}

fn show(mode: &str, path: &str) -> ExitCode {
    let path = Path::new(path);
    let result = match mode {
        "text" => std::fs::read(path)
            .map_err(|e| iki_pdf::PdfError::Io(e.to_string()))
            .and_then(|b| iki_pdf::layout_text(&b)),
        "isolated" => std::env::current_exe()
            .map_err(|e| iki_pdf::PdfError::Internal(e.to_string()))
            .and_then(|exe| iki_pdf::extract_isolated(&exe, path, &iki_pdf::Limits::default())),
        _ => iki_pdf::ocr_text(path, &iki_pdf::OcrOptions::default()),
    };
    match result {
        Ok(text) => {
            print!("{}", text.text);
            for w in &text.warnings {
                eprintln!("warning {}: {}", w.code, w.message);
            }
            if let Some(c) = text.ocr_confidence {
                eprintln!("ocr confidence {c:.3}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {}", e.code(), e);
            ExitCode::FAILURE
        }
    }
}

/// Print the explicit cells of a PDF (its text layer, else OCR) or of a page image.
fn cells(path: &str) -> ExitCode {
    use iki_model::structured::Block;
    let read = std::fs::read(path)
        .map_err(|e| iki_pdf::PdfError::Io(e.to_string()))
        .and_then(|bytes| {
            let ocr = iki_pdf::OcrOptions::default();
            if !iki_pdf::looks_like_pdf(&bytes) {
                return iki_pdf::ocr_image(&bytes, &ocr);
            }
            match iki_pdf::layout_text(&bytes) {
                Err(iki_pdf::PdfError::NoTextLayer(_)) => iki_pdf::ocr_text_bytes(&bytes, &ocr),
                other => other,
            }
        });
    let text = match read {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {}", e.code(), e);
            return ExitCode::FAILURE;
        }
    };
    let Some(doc) = text.structured else {
        print!("{}", text.text);
        eprintln!("(no ruled table: the layout text)");
        return ExitCode::SUCCESS;
    };
    for block in &doc.blocks {
        match block {
            Block::Line(l) => println!("{}", l.text),
            Block::PageBreak { page } => println!("--- end of page {page}"),
            Block::Table(t) => {
                println!(
                    "[table: {} rows, skew {:?}, inferred rules {}]",
                    t.rows.len(),
                    t.evidence.residual_skew_degrees,
                    t.evidence.inferred_rules
                );
                for row in &t.rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| {
                            let span = if c.col_span > 1 || c.row_span > 1 {
                                format!("[{}x{}]", c.col_span, c.row_span)
                            } else {
                                String::new()
                            };
                            format!("{span}{}", c.text.replace('\n', "⏎"))
                        })
                        .collect();
                    println!("| {} |", cells.join(" | "));
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// Print the glyphs and rules of one page, one per line.
fn glyphs(path: &str, page: &str) -> ExitCode {
    let number: usize = page.parse().unwrap_or(1);
    let pages = std::fs::read(path)
        .map_err(|e| iki_pdf::PdfError::Io(e.to_string()))
        .and_then(|b| iki_pdf::text_layer_pages(&b, &iki_pdf::Options::default()));
    match pages {
        Ok((pages, _)) => {
            for p in pages.iter().filter(|p| p.number == number) {
                println!(
                    "page {} {}x{} turns {}",
                    p.number, p.width, p.height, p.quarter_turns
                );
                for g in &p.glyphs {
                    println!(
                        "{:8.2} {:8.2} {:8.2} {:5.2} {:?}",
                        g.x0, g.x1, g.y, g.size, g.text
                    );
                }
                for r in &p.rules {
                    println!("rule {r:?}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {}", e.code(), e);
            ExitCode::FAILURE
        }
    }
}

/// Read the request like a worker, then die the way `how` says.
fn misbehave(how: &str) -> ExitCode {
    let mut input = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut input);
    match how {
        "stack" => {
            println!("{}", recurse(input.len() as u64 + 1));
            ExitCode::SUCCESS
        }
        "abort" => std::process::abort(),
        "sleep" => {
            std::thread::sleep(std::time::Duration::from_secs(3600));
            ExitCode::SUCCESS
        }
        "alloc" => {
            let mut hog: Vec<Vec<u8>> = Vec::new();
            loop {
                hog.push(vec![1u8; 64 << 20]);
                if hog.len() > 1 << 20 {
                    return ExitCode::SUCCESS;
                }
            }
        }
        "garbage" => {
            print!("this is not JSON");
            ExitCode::SUCCESS
        }
        _ => ExitCode::from(3),
    }
}

/// Unbounded recursion that the optimiser cannot turn into a loop.
fn recurse(n: u64) -> u64 {
    let buf = std::hint::black_box([n; 64]);
    if buf[0] == 0 {
        return 0;
    }
    recurse(buf[1].wrapping_add(1)).wrapping_add(buf[2])
}
