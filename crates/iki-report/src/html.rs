//! The page around the data: head (Content-Security-Policy, inline CSS), the overview (totals,
//! charts, warning codes) rendered here, the empty list and detail containers the page script
//! fills, the index data block and the script itself.
//!
//! Everything is inline. The Content-Security-Policy allows no network at all
//! (`default-src 'none'`) and only the one inline script, by its hash, so even text that
//! escaped escaping could neither run nor fetch anything.

use std::fmt::Write;

use crate::escape::{self, html};
use crate::eval::{self, Accuracy};
use crate::index::Totals;
use crate::pagination::page_count;
use crate::svg;

const CSS: &str = include_str!("assets/report.css");
/// The page script; its hash goes into the Content-Security-Policy.
pub const SCRIPT: &str = include_str!("assets/report.js");
/// Warning codes listed in the overview; the rest are counted in one line.
const SHOWN_WARNING_CODES: usize = 15;

/// What the overview shows besides the totals.
#[derive(Debug, Clone, Copy)]
pub struct PageInfo<'a> {
    pub title: &'a str,
    pub out_dir: &'a str,
    pub page_size: usize,
    pub low: f64,
    pub accuracy: Option<&'a Accuracy>,
    pub max_source_mib: usize,
}

/// Everything before the index data block.
pub fn head_and_body(info: &PageInfo, totals: &Totals) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        concat!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n",
            "<meta name=\"referrer\" content=\"no-referrer\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<title>{title}</title>\n<style>\n{css}</style>\n</head>\n<body>\n",
            "<header class=\"top\"><a class=\"home\" href=\"#\">{title}</a>",
            "<span class=\"sub\">{sub}</span></header>\n<main>\n"
        ),
        csp = html(&content_security_policy()),
        title = html(info.title),
        css = CSS,
        sub = html(&subtitle(info, totals)),
    );
    out.push_str(&overview(info, totals));
    out.push_str(LIST_AND_DETAIL);
    out.push_str("</main>\n<noscript><p class=\"note\">The document list and views need JavaScript.</p></noscript>\n");
    out
}

/// The policy: nothing from anywhere, except inline styles and the page script.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
        escape::csp_hash(SCRIPT)
    )
}

fn subtitle(info: &PageInfo, totals: &Totals) -> String {
    let pages = page_count(totals.documents, info.page_size);
    format!(
        "{} documents from {} · {} per page, {} pages · lowest confidence first",
        totals.documents, info.out_dir, info.page_size, pages
    )
}

/// The containers the page script fills: the filters, the list and its pager, the detail view.
const LIST_AND_DETAIL: &str = r#"<section id="list" aria-label="Documents">
<div class="controls">
<input id="q" type="search" placeholder="Filter: name, path, warning code" aria-label="Filter">
<select id="f-status" aria-label="Status"><option value="">any status</option><option>ok</option><option>partial</option><option>failed</option></select>
<select id="f-kind" aria-label="Kind"><option value="">any kind</option></select>
<label class="check"><input id="f-low" type="checkbox"> needs review</label>
<select id="sort" aria-label="Sort"><option value="conf">confidence ↑</option><option value="conf-desc">confidence ↓</option><option value="warnings">warnings ↓</option><option value="name">name</option></select>
<span id="count" class="muted"></span>
</div>
<table class="docs"><thead id="docs-head"></thead><tbody id="rows"><tr><td class="muted">Loading…</td></tr></tbody></table>
<nav id="pager" class="pager" aria-label="Pages"></nav>
</section>
<section id="detail" hidden></section>
"#;

fn overview(info: &PageInfo, totals: &Totals) -> String {
    let mut out = String::from("<section id=\"overview\">\n<div class=\"cards\">");
    for (value, label) in cards(info, totals) {
        let _ = write!(
            out,
            "<div class=\"card\"><b>{}</b><span>{}</span></div>",
            html(&value),
            html(&label)
        );
    }
    out.push_str("</div>\n<div class=\"charts\">");
    let _ = write!(
        out,
        "<figure>{}<figcaption>Confidence of the {} extracted documents (failed ones are not drawn).</figcaption></figure>",
        svg::histogram(&totals.histogram, info.low),
        totals.extracted
    );
    out.push_str(&reliability_figure(info, totals));
    out.push_str(&warning_table(totals));
    out.push_str("</div>\n");
    out.push_str(&notes(info, totals));
    out.push_str("</section>\n");
    out
}

fn cards(info: &PageInfo, totals: &Totals) -> Vec<(String, String)> {
    let mut cards = vec![
        (
            totals.documents.to_string(),
            format!(
                "documents: {} ok · {} partial · {} failed",
                totals.status("ok"),
                totals.status("partial"),
                totals.status("failed")
            ),
        ),
        (totals.records.to_string(), "IKI forms".to_string()),
        (totals.indicators.to_string(), "indicator rows".to_string()),
        (totals.signatories.to_string(), "signatures".to_string()),
        (
            totals
                .mean_confidence()
                .map_or("–".to_string(), |c| format!("{c:.3}")),
            "mean confidence".to_string(),
        ),
        (
            format!("{} / {}", totals.low_documents, totals.low_values),
            format!("documents / values below {}", info.low),
        ),
        (totals.warnings_total().to_string(), "warnings".to_string()),
    ];
    if let Some(f1) = info.accuracy.and_then(|a| a.headline_f1) {
        cards.push((format!("{f1:.3}"), "measured micro-F1".to_string()));
    }
    cards
}

fn reliability_figure(info: &PageInfo, totals: &Totals) -> String {
    if info.accuracy.is_none() {
        return concat!(
            "<figure class=\"empty\"><p><b>No reliability plot.</b> The output directory holds no ",
            "ground truth. Pass <code>--eval FILE</code> (the output of <code>iki eval --gold DIR ",
            "--pred OUT_DIR --json</code>) to plot measured accuracy against confidence.</p></figure>"
        )
        .to_string();
    }
    let bins = eval::reliability(&totals.points);
    let ece = eval::expected_calibration_error(&bins)
        .map_or("no evaluated document".to_string(), |e| {
            format!("ECE {e:.3}")
        });
    format!(
        "<figure>{}<figcaption>Measured accuracy (soft, per document) against confidence: {} evaluated documents, {}. On the diagonal confidence is calibrated.</figcaption></figure>",
        svg::reliability(&bins, &totals.points),
        totals.points.len(),
        html(&ece)
    )
}

fn warning_table(totals: &Totals) -> String {
    let codes = totals.warnings_by_count();
    let mut out = String::from("<figure class=\"warnings\"><table><thead><tr><th>warning</th><th>count</th></tr></thead><tbody>");
    for (code, count) in codes.iter().take(SHOWN_WARNING_CODES) {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td class=\"num\">{count}</td></tr>",
            html(code)
        );
    }
    if codes.is_empty() {
        out.push_str("<tr><td colspan=\"2\" class=\"muted\">no warnings</td></tr>");
    }
    let rest = codes.len().saturating_sub(SHOWN_WARNING_CODES);
    if rest > 0 {
        let _ = write!(
            out,
            "<tr><td colspan=\"2\" class=\"muted\">and {rest} more codes</td></tr>"
        );
    }
    out.push_str(
        "</tbody></table><figcaption>Warnings by code (documents and forms).</figcaption></figure>",
    );
    out
}

/// Source availability and skipped files, said once at the top.
fn notes(info: &PageInfo, totals: &Totals) -> String {
    let mut out = String::new();
    let missing = totals.source_state("missing");
    let truncated = totals.source_state("truncated");
    let changed = totals.source_state("changed");
    if missing + truncated + changed > 0 {
        let _ = write!(
            out,
            "<p class=\"note\">Source texts: {missing} not available, {truncated} cut (at most {} MiB or the line limit of one source is embedded), {changed} changed since extraction.</p>",
            info.max_source_mib
        );
    }
    if !totals.skipped.is_empty() {
        out.push_str("<details class=\"note\"><summary>");
        let _ = write!(
            out,
            "{} files of the output directory could not be read and are not listed",
            totals.skipped.len()
        );
        out.push_str("</summary><ul>");
        for skipped in &totals.skipped {
            let _ = write!(
                out,
                "<li><code>{}</code>: {}</li>",
                html(&skipped.name),
                html(&skipped.reason)
            );
        }
        out.push_str("</ul></details>");
    }
    if totals.unfinished {
        out.push_str("<p class=\"note\">The run that wrote this directory did not finish: it holds only the documents written before it stopped.</p>");
    }
    file_list(
        &mut out,
        &totals.stale,
        "documents in the directory were written by an earlier run and are not shown (the last run's manifest does not list them)",
    );
    file_list(
        &mut out,
        &totals.missing,
        "documents the last run wrote are no longer in the directory",
    );
    out
}

/// A collapsed note "N what" listing the first names.
fn file_list(out: &mut String, names: &[String], what: &str) {
    const LISTED: usize = 100;
    if names.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<details class=\"note\"><summary>{} {}</summary><ul>",
        names.len(),
        html(what)
    );
    for name in names.iter().take(LISTED) {
        let _ = write!(out, "<li><code>{}</code></li>", html(name));
    }
    if names.len() > LISTED {
        let _ = write!(out, "<li>… and {} more</li>", names.len() - LISTED);
    }
    out.push_str("</ul></details>");
}

/// The index data block and the page script; the document blocks follow.
pub fn index_and_script(index_json: &str) -> String {
    format!(
        "<script type=\"application/json\" id=\"iki-index\">{index_json}</script>\n<script>{SCRIPT}</script>\n"
    )
}

/// One document's data block.
pub fn data_block(id: usize, json: &str) -> String {
    format!("<script type=\"application/json\" id=\"d{id}\">{json}</script>\n")
}

pub const END: &str = "</body>\n</html>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_css_cannot_break_out_or_fetch() {
        for text in [SCRIPT, CSS] {
            let lower = text.to_ascii_lowercase();
            for bad in [
                "</script",
                "</style",
                "<!--",
                "http:",
                "https:",
                "url(",
                "@import",
                "innerhtml",
                "eval(",
                "new function",
            ] {
                assert!(!lower.contains(bad), "{bad}");
            }
        }
    }

    #[test]
    fn policy_allows_only_the_page_script() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none'; script-src 'sha256-"));
        assert!(!csp.contains("unsafe-eval") && !csp.contains("script-src 'unsafe-inline'"));
    }

    #[test]
    fn overview_escapes_data_and_notes_missing_eval() {
        let mut totals = Totals::default();
        totals.warning_counts.insert("<img src=x>".to_string(), 2);
        totals.skipped.push(crate::index::Skipped {
            name: "</script>".to_string(),
            reason: "<b>bad</b>".to_string(),
        });
        let info = PageInfo {
            title: "<title>",
            out_dir: "out<>",
            page_size: 100,
            low: 0.7,
            accuracy: None,
            max_source_mib: 2,
        };
        let page = head_and_body(&info, &totals);
        assert!(!page.contains("<img") && !page.contains("</script>") && !page.contains("<b>bad"));
        assert!(page.contains("&lt;img src=x&gt;"));
        assert!(page.contains("No reliability plot"));
        assert!(page.contains("&lt;title&gt;"));
    }

    #[test]
    fn data_blocks_are_numbered() {
        assert_eq!(
            data_block(7, "{}"),
            "<script type=\"application/json\" id=\"d7\">{}</script>\n"
        );
    }
}
