//! Form XObjects checked before pdf-extract draws them.
//!
//! pdf-extract draws a form XObject (`/Name Do`) by recursing into its content, so a form that
//! draws itself — directly or through other forms — recurses until the stack overflows, which
//! no `catch_unwind` stops. Every form reachable from a page's resources is walked here the
//! same way pdf-extract would (the names its content invokes with `Do`, looked up in its own
//! resources or the ones it inherits): a form met again on the path is a loop, and nesting past
//! [`MAX_DEPTH`] is refused, both as `pdf_corrupt`. The walk is bounded by [`MAX_VISITS`].

use crate::error::PdfError;
use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// Deepest nesting of forms accepted.
const MAX_DEPTH: usize = 32;
/// Most form visits over a whole document.
const MAX_VISITS: usize = 20_000;
/// Deepest `/Parent` chain followed for inherited resources.
const MAX_PARENTS: usize = 64;

/// Refuse a document whose form XObjects loop or nest too deeply.
pub fn check_forms(doc: &Document, pages: &[ObjectId]) -> Result<(), PdfError> {
    let mut walk = Walk {
        doc,
        done: HashSet::new(),
        path: Vec::new(),
        visits: 0,
    };
    for &page in pages {
        let Some(resources) = page_resources(doc, page) else {
            continue;
        };
        for form in forms_in(doc, resources) {
            walk.form(form, resources)?;
        }
    }
    Ok(())
}

struct Walk<'a> {
    doc: &'a Document,
    /// Forms whose whole subtree was checked.
    done: HashSet<ObjectId>,
    path: Vec<ObjectId>,
    visits: usize,
}

impl<'a> Walk<'a> {
    fn form(&mut self, id: ObjectId, inherited: &'a Dictionary) -> Result<(), PdfError> {
        if self.path.contains(&id) {
            return Err(PdfError::Corrupt(
                "the PDF's form XObjects draw each other in a loop".to_string(),
            ));
        }
        if self.done.contains(&id) {
            return Ok(());
        }
        if self.path.len() >= MAX_DEPTH {
            return Err(PdfError::Corrupt(format!(
                "the PDF's form XObjects are nested more than {MAX_DEPTH} deep"
            )));
        }
        self.visits += 1;
        if self.visits > MAX_VISITS {
            return Err(PdfError::TooLarge(format!(
                "the PDF draws more than {MAX_VISITS} form XObjects"
            )));
        }
        let Ok(stream) = self.doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(());
        };
        let resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(self.doc, r))
            .and_then(|r| r.as_dict().ok())
            .unwrap_or(inherited);
        self.path.push(id);
        for name in invoked_names(stream) {
            if let Some(child) = lookup_form(self.doc, resources, &name) {
                self.form(child, resources)?;
            }
        }
        self.path.pop();
        self.done.insert(id);
        Ok(())
    }
}

/// The names a content stream draws with `Do`.
fn invoked_names(stream: &pdf_extract::Stream) -> Vec<Vec<u8>> {
    let data = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let Ok(content) = Content::decode(&data) else {
        return Vec::new();
    };
    content
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first())
        .filter_map(|o| o.as_name().ok())
        .map(<[u8]>::to_vec)
        .collect()
}

/// The form XObject `name` stands for in `resources`, if it is one.
fn lookup_form(doc: &Document, resources: &Dictionary, name: &[u8]) -> Option<ObjectId> {
    let xobjects = deref(doc, resources.get(b"XObject").ok()?)?
        .as_dict()
        .ok()?;
    let id = xobjects.get(name).ok()?.as_reference().ok()?;
    is_form(doc, id).then_some(id)
}

/// Every form XObject listed in `resources`.
fn forms_in(doc: &Document, resources: &Dictionary) -> Vec<ObjectId> {
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|x| deref(doc, x))
        .and_then(|x| x.as_dict().ok())
    else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter_map(|(_, v)| v.as_reference().ok())
        .filter(|id| is_form(doc, *id))
        .collect()
}

fn is_form(doc: &Document, id: ObjectId) -> bool {
    doc.get_object(id)
        .and_then(Object::as_stream)
        .is_ok_and(|s| {
            matches!(
                s.dict.get(b"Subtype").and_then(Object::as_name),
                Ok(b"Form")
            )
        })
}

/// A page's resources, inherited through `/Parent` when the page has none.
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..MAX_PARENTS {
        if let Some(r) = node
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(doc, r))
            .and_then(|r| r.as_dict().ok())
        {
            return Some(r);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// An object with one reference resolved.
fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}
