//! RSS and Atom feeds (`.rss`, `.atom`, and `.xml` whose root is `<rss>`, `<rdf:RDF>` or
//! `<feed>`): every item or entry is a report, `feed.xml#3` being the third.
//!
//! Read with `quick-xml` rather than a feed crate: `feed-rs`, `rss` and `atom_syndication`
//! give each field's text but not where it lies in the file, which every passage needs, and
//! `feed-rs` turns dates into UTC, which moves a report published late in the evening west of
//! Greenwich to the next day. Here each field's raw content is found by position, its CDATA
//! sections and character references decoded with an [`OffsetMap`] back to the file, and the
//! HTML a description or content holds (and an Atom title of `type="html"`) is reduced to text
//! by [`html::source`], as a page is; an RSS title is text.
//! A feed is one XML document, read whole (the size limit bounds it); one whose XML is broken
//! is skipped, as a broken JSON array is.

use std::ops::Range;

use dateline_schema::{LineMap, OffsetMap, StoredReport, Title};
use quick_xml::events::Event;

use super::Problem;
use crate::html::source;
use crate::stream::Sink;
use crate::{Skip, decode, extract};

/// Fields of an item, in the order they are looked up, by role.
const BODY: [&str; 4] = ["content:encoded", "content", "description", "summary"];
const DATE: [&str; 4] = ["pubdate", "published", "dc:date", "updated"];
const AUTHOR: [&str; 2] = ["author", "dc:creator"];

/// Reads the feed in `bytes` (at most the size limit), sending each item's report to `sink`.
pub(crate) fn read(bytes: &[u8], sink: &Sink<'_>) -> Result<(), Skip> {
    let decoded = decode::decode(bytes);
    let text: &str = &decoded.text;
    let line_starts = dateline_schema::lines::starts(text);
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut stack, mut opened) = (Vec::<String>::new(), Vec::<usize>::new());
    let (mut item, mut item_depth, mut count) = (None::<Item>, 0, 0u64);
    let (mut channel_title, mut root) = (None, false);
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|err| Skip::Unreadable {
            reason: format!("malformed XML at byte {}: {err}", reader.error_position()),
        })?;
        match event {
            Event::Eof => break,
            Event::Start(start) | Event::Empty(start) => {
                let empty = text.as_bytes()[..reader.buffer_position() as usize].ends_with(b"/>");
                let name = String::from_utf8_lossy(start.name().as_ref()).to_ascii_lowercase();
                if stack.is_empty() && !matches!(name.as_str(), "rss" | "rdf:rdf" | "feed") {
                    return Err(Skip::NotAFeed);
                }
                root = true;
                if let Some(item) =
                    item.as_mut().filter(|_| name == "link" && stack.len() == item_depth)
                {
                    // Atom: `<link href="…"/>`, the page's own link being `alternate` (or unnamed).
                    let rel = start.try_get_attribute("rel").ok().flatten();
                    let alternate =
                        rel.as_ref().is_none_or(|rel| rel.value.as_ref() == b"alternate");
                    let href = start.try_get_attribute("href").ok().flatten();
                    if let (true, Some(href), None) = (alternate, href, &item.href) {
                        item.href = href
                            .normalized_value(quick_xml::XmlVersion::default())
                            .ok()
                            .map(|href| href.trim().to_string());
                    }
                }
                if let Some(item) =
                    item.as_mut().filter(|_| name == "title" && stack.len() == item_depth)
                {
                    // RSS titles are text; an Atom title may say it is HTML.
                    let kind = start.try_get_attribute("type").ok().flatten();
                    item.title_html =
                        kind.is_some_and(|kind| matches!(kind.value.as_ref(), b"html" | b"xhtml"));
                }
                if empty {
                    continue;
                }
                if item.is_none() && matches!(name.as_str(), "item" | "entry") {
                    count += 1;
                    item = Some(Item { place: format!("#{count}"), ..Item::default() });
                    item_depth = stack.len() + 1;
                }
                stack.push(name);
                opened.push(reader.buffer_position() as usize);
            }
            Event::End(_) => {
                let (Some(name), Some(start)) = (stack.pop(), opened.pop()) else { continue };
                let range = start..before;
                match item.as_mut() {
                    Some(entry) if stack.len() == item_depth => entry.fields.push((name, range)),
                    // Atom's `<author><name>…</name></author>`.
                    Some(entry)
                        if stack.len() == item_depth + 1
                            && name == "name"
                            && stack.last().is_some_and(|parent| parent == "author") =>
                    {
                        entry.fields.push(("author".into(), range))
                    }
                    Some(_) if stack.len() + 1 == item_depth => {
                        let Some(entry) = item.take() else { continue };
                        let place = Placing { text, map: &decoded.map, line_starts: &line_starts };
                        let report = entry.report(sink.key, &place, channel_title.as_deref());
                        if !sink.report(report) {
                            return Ok(());
                        }
                    }
                    Some(_) => {}
                    None if name == "title"
                        && channel_title.is_none()
                        && stack
                            .last()
                            .is_some_and(|parent| parent == "channel" || parent == "feed") =>
                    {
                        channel_title =
                            Some(plain(&decode_xml(&text[range.clone()], range.start).0));
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }
    match root {
        true => Ok(()),
        // Text without a root element is not XML, let alone a feed.
        false if text.trim().is_empty() => Err(Skip::Empty),
        false => Err(Skip::NotAFeed),
    }
}

/// The fields of an item, each its raw content's range in the decoded file.
#[derive(Default)]
struct Item {
    place: String,
    fields: Vec<(String, Range<usize>)>,
    /// Atom's link, from its `href`.
    href: Option<String>,
    /// Whether the title is HTML (Atom's `type="html"`), not text.
    title_html: bool,
}

/// What turns a range of the decoded file into placed text.
struct Placing<'a> {
    text: &'a str,
    map: &'a OffsetMap,
    line_starts: &'a [usize],
}

impl Item {
    fn get(&self, names: &[&str], place: &Placing<'_>) -> Option<(String, OffsetMap, usize)> {
        names.iter().find_map(|name| {
            let (_, range) = self.fields.iter().find(|(field, _)| field == name)?;
            let (content, map) = decode_xml(&place.text[range.clone()], range.start);
            (!content.trim().is_empty()).then_some((content, map, range.start))
        })
    }

    fn report(
        self,
        key: &str,
        place: &Placing<'_>,
        channel: Option<&str>,
    ) -> Result<StoredReport, Problem> {
        let problem = |reason: &str| Problem { place: self.place.clone(), reason: reason.into() };
        let Some((html, map, at)) = self.get(&BODY, place) else {
            return Err(problem(
                "no text (looked for content:encoded, content, description, summary)",
            ));
        };
        let flat = source::flatten(&html);
        let to_file = |offset: usize| place.map.file_offset(map.file_offset(offset as u64));
        let placed =
            source::place(&flat, &html, &flat.text, to_file).ok_or_else(|| problem("no text"))?;
        // The content's own line breaks are the file's: its lines count on from where it starts.
        let first_line = place.line_starts.partition_point(|&start| start <= at) as u64;
        let field = |names: &[&str]| self.get(names, place).map(|(text, _, _)| plain(&text));
        let (dateline, dateline_publisher) = extract::dateline(&placed.body);
        let title = self.get(&["title"], place).map(|(text, _, _)| match self.title_html {
            true => plain(&text),
            false => text.split_whitespace().collect::<Vec<_>>().join(" "),
        });
        let title = match title {
            Some(title) => Title::Headline(title),
            None => extract::derive_title(&placed.body),
        };
        Ok(StoredReport {
            path: key.to_string(),
            record: Some(self.place.clone()),
            title,
            date: field(&DATE).and_then(|date| super::parse_date(&date)),
            published_at: field(&DATE)
                .filter(|date| super::parse_date(date).is_some())
                .and_then(|date| crate::moment::parse(&date)),
            date_crawled: false,
            publisher: field(&["source"]).or(dateline_publisher).or(channel.map(str::to_string)),
            dateline,
            author: field(&AUTHOR),
            url: self.href.clone().or_else(|| field(&["link"])),
            body: placed.body,
            body_offsets: placed.offsets,
            body_line: first_line + placed.line - 1,
            body_lines: LineMap::default(),
            // An item's own `dc:language`; otherwise detected when the report is stored.
            language: field(&["dc:language", "language"])
                .and_then(|language| crate::language::normalise(&language)),
        })
    }
}

/// The text of HTML (or plain text): markup dropped, whitespace runs one space.
fn plain(html: &str) -> String {
    source::flatten(html).text.trim().to_string()
}

/// An element's raw content (at offset `base` of the decoded file) with its CDATA sections
/// unwrapped and character references decoded, and the map of its offsets back to `base`'s.
fn decode_xml(raw: &str, base: usize) -> (String, OffsetMap) {
    let mut out = String::with_capacity(raw.len());
    let mut map = OffsetMap::identity(base as u64);
    let mut i = 0;
    while i < raw.len() {
        let rest = &raw[i..];
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let len = cdata.find("]]>").unwrap_or(cdata.len());
            map.push(out.len() as u64, (base + i + 9) as u64);
            out.push_str(&cdata[..len]);
            i = (i + 9 + len + 3).min(raw.len());
            map.push(out.len() as u64, (base + i) as u64);
            continue;
        }
        if let Some(after) = rest.strip_prefix('&') {
            let name = after.find(';').filter(|&end| end <= 10).map(|end| &after[..end]);
            if let Some((name, c)) = name.and_then(|name| Some((name, character(name)?))) {
                out.push(c);
                i += 1 + name.len() + 1;
                map.push(out.len() as u64, (base + i) as u64);
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    (out, map)
}

/// The character an XML reference (`lt`, `#233`, `#xE9`) stands for.
fn character(reference: &str) -> Option<char> {
    let code = match reference {
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        "amp" => return Some('&'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        _ => reference.strip_prefix('#')?,
    };
    let number = match code.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => code.parse().ok()?,
    };
    char::from_u32(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_and_references_decode_and_map_back_to_their_file_bytes() {
        let raw = "Port &amp; <![CDATA[<p>Dockers</p>]]> &#233;t&eacute;";
        let (text, map) = decode_xml(raw, 100);
        assert_eq!(text, "Port & <p>Dockers</p> ét&eacute;");
        for word in ["Port", "Dockers", "t&eacute;"] {
            let at = text.find(word).unwrap() as u64;
            let file = map.file_offset(at) as usize - 100;
            assert_eq!(&raw[file..file + word.len()], word);
        }
        assert_eq!(character("#x2014"), Some('—'));
        assert_eq!(character("nbsp"), None);
    }
}
