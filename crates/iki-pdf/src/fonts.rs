//! Repairs to font dictionaries before pdf-extract reads them.
//!
//! pdf-extract 0.12 reads the `c_first c_last width` form of a CID font's `/W` array wrongly
//! (it takes all three numbers from the first slot), so every glyph in such a range gets the
//! default width — often 0 — and the glyphs after it in a string are placed on top of it:
//! "DAERAH" comes out as "D AERAH" or "2023" as four glyphs at one spot. Chromium and LibreOffice
//! both write ranges. So each `/W` is rewritten into the `c [w1 w2 ...]` form, which
//! pdf-extract reads correctly; malformed entries are dropped rather than left to panic on.

use pdf_extract::{Document, Object, ObjectId};

/// Longest `c_first..=c_last` range expanded (a CID is 16 bits).
const MAX_RANGE: i64 = 65_536;

/// Rewrite the `/W` arrays of every CID font in `doc`. Returns how many fonts were changed.
pub fn normalize_cid_widths(doc: &mut Document) -> usize {
    let fonts: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| is_cid_font(o))
        .map(|(id, _)| *id)
        .collect();
    let mut changed = 0;
    for id in fonts {
        let Some(widths) = resolved_widths(doc, id) else {
            continue;
        };
        let normal = normalize(&widths);
        if normal != widths {
            if let Some(Object::Dictionary(d)) = doc.objects.get_mut(&id) {
                d.set("W", Object::Array(normal));
                changed += 1;
            }
        }
    }
    changed
}

fn is_cid_font(o: &Object) -> bool {
    let Object::Dictionary(d) = o else {
        return false;
    };
    matches!(
        d.get(b"Subtype").and_then(Object::as_name),
        Ok(b"CIDFontType2") | Ok(b"CIDFontType0")
    )
}

/// The font's `/W` array with one level of reference resolved.
fn resolved_widths(doc: &Document, font: ObjectId) -> Option<Vec<Object>> {
    let dict = doc.get_dictionary(font).ok()?;
    let w = dict.get(b"W").ok()?;
    let w = match w {
        Object::Reference(r) => doc.get_object(*r).ok()?,
        w => w,
    };
    w.as_array().ok().cloned()
}

/// `/W` in explicit-list form only: `c [w...]` kept, `c_first c_last w` expanded.
fn normalize(w: &[Object]) -> Vec<Object> {
    let mut out = Vec::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        let Some(first) = number(&w[i]).map(|n| n as i64) else {
            break;
        };
        match w.get(i + 1) {
            Some(Object::Array(list)) => {
                out.push(Object::Integer(first));
                out.push(Object::Array(list.iter().filter_map(as_width).collect()));
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (number(last), w.get(i + 2).and_then(number))
                else {
                    break;
                };
                let last = last as i64;
                if last >= first && last - first < MAX_RANGE {
                    out.push(Object::Integer(first));
                    let widths = (first..=last).map(|_| Object::Real(width as f32)).collect();
                    out.push(Object::Array(widths));
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

fn number(o: &Object) -> Option<f64> {
    match *o {
        Object::Integer(i) => Some(i as f64),
        Object::Real(r) => Some(r as f64),
        _ => None,
    }
}

fn as_width(o: &Object) -> Option<Object> {
    number(o).map(|n| Object::Real(n as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Vec<Object> {
        v.iter().map(|&i| Object::Integer(i)).collect()
    }

    #[test]
    fn ranges_are_expanded() {
        let mut w = ints(&[36, 38, 722]);
        w.push(Object::Integer(40));
        w.push(Object::Array(ints(&[667, 611])));
        let n = normalize(&w);
        assert_eq!(n.len(), 4);
        assert_eq!(n[0], Object::Integer(36));
        assert_eq!(n[1].as_array().unwrap().len(), 3);
        assert_eq!(n[2], Object::Integer(40));
        assert_eq!(n[3].as_array().unwrap().len(), 2);
    }

    #[test]
    fn malformed_tails_are_dropped() {
        assert!(normalize(&ints(&[5])).is_empty());
        assert!(normalize(&ints(&[5, 6])).is_empty());
        assert!(normalize(&[Object::Null, Object::Integer(1)]).is_empty());
        assert!(normalize(&ints(&[9, 2, 500])).is_empty());
    }
}
