//! XML parts parsed safely: no DTD (so no entity expansion: a part that declares one is
//! corrupt), a cap on nodes, and namespace-aware names, so a reader matches elements by
//! their namespace and local name, never by the prefix a producer chose.

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::OfficeError;

/// Most XML nodes one part may hold (a 300-page document holds well under a million).
pub const MAX_NODES: u32 = 4_000_000;

/// Parse `text`, the part called `part`.
pub fn parse<'a>(text: &'a str, part: &str) -> Result<Document<'a>, OfficeError> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => OfficeError::Corrupt(format!(
            "part {part} declares a DTD; office parts never do and entities are not expanded"
        )),
        roxmltree::Error::NodesLimitReached => {
            OfficeError::TooLarge(format!("part {part} holds more than {MAX_NODES} XML nodes"))
        }
        e => OfficeError::Corrupt(format!("part {part} is not well-formed XML: {e}")),
    })
}

/// Whether `node` is the element `name` of one of the namespaces `ns`.
pub fn is(node: Node, ns: &[&str], name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace().is_some_and(|n| ns.contains(&n))
}

/// The value of attribute `name` of one of the namespaces `ns`.
pub fn attr<'a>(node: Node<'a, '_>, ns: &[&str], name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name && a.namespace().is_some_and(|n| ns.contains(&n)))
        .map(|a| a.value())
}

/// The first child element `name` of `node`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, ns: &[&str], name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, ns, name))
}

/// Child elements `name` of `node`.
pub fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    ns: &'a [&'a str],
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(*c, ns, name))
}

/// A relationship part (`_rels/*.rels`): the target of the first relationship whose type
/// ends with `/kind`, resolved against `base` (the folder of the part that owns it).
pub fn relationship_target(rels: &str, kind: &str, base: &str) -> Option<String> {
    let doc = parse(rels, "_rels").ok()?;
    let suffix = format!("/{kind}");
    let target = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        .find(|n| n.attribute("Type").is_some_and(|t| t.ends_with(&suffix)))?
        .attribute("Target")?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{base}{target}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dtd_is_refused_before_any_entity_expands() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<w:document xmlns:w="x"><w:t>&lol2;</w:t></w:document>"#;
        let err = parse(bomb, "word/document.xml").unwrap_err();
        assert!(matches!(err, OfficeError::Corrupt(_)), "{err:?}");
        assert!(err.message().contains("DTD"));
    }

    #[test]
    fn names_match_by_namespace() {
        let doc = parse(r#"<a xmlns:q="urn:x"><q:b q:val="1"/><b/></a>"#, "t").unwrap();
        let root = doc.root_element();
        let b = child(root, &["urn:x"], "b").unwrap();
        assert_eq!(attr(b, &["urn:x"], "val"), Some("1"));
        assert_eq!(children(root, &["urn:x"], "b").count(), 1);
    }

    #[test]
    fn relationship_targets_resolve() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
<Relationship Id="rId2" Type="http://x/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
        assert_eq!(
            relationship_target(rels, "numbering", "word/").as_deref(),
            Some("word/numbering.xml")
        );
        assert_eq!(
            relationship_target(rels, "officeDocument", "").as_deref(),
            Some("word/document2.xml")
        );
    }
}
