//! Where an extracted article's text lies in its page.
//!
//! The extractor returns the article as text, not as positions in the file. This module
//! reads the page's visible text itself — markup, comments, scripts and styles left out,
//! character references decoded, whitespace runs collapsed — remembering where in the page
//! each character came from ([`flatten`]), then finds the extracted text in it, paragraph by
//! paragraph in page order ([`place`]). The body it builds is that text, with each whitespace
//! run written as as many line breaks as the page has there (or one space), so that a
//! passage's line is the page's line, and with an [`OffsetMap`] from every character to its
//! first byte in the file.

use std::ops::Range;

use dateline_schema::OffsetMap;

/// Elements whose content is not text a reader sees (or, for `title`, not the article's).
const RAW_TEXT: [&str; 10] = [
    "script", "style", "noscript", "template", "textarea", "title", "xmp", "iframe", "noembed",
    "noframes",
];

/// Elements that do not break a line: text on either side runs on as one.
const INLINE: [&str; 28] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "u",
];

/// How far past the previous match a word of a paragraph that was not found whole is looked
/// for, in bytes of page text.
const WORD_WINDOW: usize = 8 * 1024;

/// A page's visible text, whitespace collapsed to single spaces, and for each of its bytes
/// the range of page text (offsets in the decoded page) its character came from. A space
/// stands for a whitespace run or a block boundary and has the empty range at its start.
pub(crate) struct Flat {
    pub text: String,
    spans: Vec<(usize, usize)>,
    /// Whether each byte is the text of a link (inside an `<a>`).
    linked: Vec<bool>,
}

/// The visible text of `html`.
pub(crate) fn flatten(html: &str) -> Flat {
    let mut flat =
        Flat { text: String::with_capacity(html.len() / 4), spans: Vec::new(), linked: Vec::new() };
    // Where a pending separator (whitespace or a block boundary) starts.
    let mut gap: Option<usize> = None;
    // How many `<a>` elements are open.
    let mut links = 0usize;
    let push =
        |flat: &mut Flat, gap: &mut Option<usize>, c: char, span: (usize, usize), linked: bool| {
            if c.is_whitespace() {
                gap.get_or_insert(span.0);
                return;
            }
            if let Some(at) = gap.take().filter(|_| !flat.text.is_empty()) {
                flat.text.push(' ');
                flat.spans.push((at, at));
                flat.linked.push(linked);
            }
            flat.text.push(c);
            flat.spans.extend(std::iter::repeat_n(span, c.len_utf8()));
            flat.linked.extend(std::iter::repeat_n(linked, c.len_utf8()));
        };
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if let Some(tag) = tag(html, i) {
                if !tag.name.is_empty() && !one_of(tag.name, &INLINE) {
                    gap.get_or_insert(i);
                }
                // A link ends at its end tag or, left open, at the next block.
                if tag.name.eq_ignore_ascii_case("a") {
                    let empty = html[..tag.end].ends_with("/>");
                    links = if tag.closing {
                        links.saturating_sub(1)
                    } else {
                        links + usize::from(!empty)
                    };
                } else if !tag.name.is_empty() && !one_of(tag.name, &INLINE) {
                    links = 0;
                }
                i = tag.end;
                if !tag.closing && one_of(tag.name, &RAW_TEXT) {
                    i = raw_text_end(html, i, tag.name);
                }
                continue;
            }
        } else if bytes[i] == b'&'
            && let Some((end, decoded)) = reference(html, i)
        {
            for c in decoded.chars() {
                push(&mut flat, &mut gap, c, (i, end), links > 0);
            }
            i = end;
            continue;
        }
        let c = html[i..].chars().next().expect("i is on a character boundary");
        push(&mut flat, &mut gap, c, (i, i + c.len_utf8()), links > 0);
        i += c.len_utf8();
    }
    flat
}

/// An article body placed in its page.
#[derive(Debug)]
pub(crate) struct Placed {
    /// The article text as indexed.
    pub body: String,
    /// File offset of each of its characters.
    pub offsets: OffsetMap,
    /// 1-based line of the page on which it starts.
    pub line: u64,
    /// Words of the extracted text not found in the page text (left out of the body).
    pub unplaced: usize,
    /// Characters of the body (whitespace aside) that are not the text of a link.
    pub unlinked: usize,
}

/// Finds `article` (the extractor's text, one paragraph a line) in `flat`, the visible text
/// of `html`, and builds the body. `to_file` turns an offset in `html` into a file offset.
/// `None` if no word of it is found.
pub(crate) fn place(
    flat: &Flat,
    html: &str,
    article: &str,
    to_file: impl Fn(usize) -> u64,
) -> Option<Placed> {
    let (ranges, unplaced) = find_paragraphs(&flat.text, article);
    let first = flat.spans[ranges.first()?.start].0;
    let line_starts = dateline_schema::lines::starts(html);
    let line_of = |at: usize| line_starts.partition_point(|&start| start <= at);
    let mut body = String::new();
    let mut offsets = OffsetMap::identity(to_file(first));
    let mut prev_end = first;
    // Line breaks passed since the last separator written: a break inside a tag between two
    // letters cannot be written there, so it is written at the next separator.
    let mut owed = 0;
    let mut unlinked = 0;
    for range in ranges {
        let mut separate = !body.is_empty();
        for (i, c) in flat.text[range.clone()].char_indices() {
            let (start, end) = flat.spans[range.start + i];
            if c == ' ' && start == end {
                separate = true;
                continue;
            }
            owed += line_of(start) - line_of(prev_end);
            if separate {
                offsets.push(body.len() as u64, to_file(prev_end));
                if owed > 0 {
                    body.extend(std::iter::repeat_n('\n', owed));
                } else {
                    body.push(' ');
                }
                owed = 0;
                separate = false;
            }
            offsets.push(body.len() as u64, to_file(start));
            body.push(c);
            unlinked += usize::from(!flat.linked[range.start + i]);
            if end - start != c.len_utf8() {
                // A character reference: the next character starts after it.
                offsets.push(body.len() as u64, to_file(end));
            }
            prev_end = end;
        }
    }
    offsets.push(body.len() as u64, to_file(prev_end));
    Some(Placed { body, offsets, line: line_of(first) as u64, unplaced, unlinked })
}

/// The ranges of `flat` that hold `article`'s text, in order, and how many of its words were
/// not found. Each paragraph is looked for whole after the previous one; one not found whole
/// (the extractor joined or split words differently) is placed word by word.
fn find_paragraphs(flat: &str, article: &str) -> (Vec<Range<usize>>, usize) {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut unplaced = 0;
    let mut cursor = 0;
    let add = |ranges: &mut Vec<Range<usize>>, range: Range<usize>| match ranges.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ => ranges.push(range),
    };
    for paragraph in article.lines() {
        let words: Vec<&str> = paragraph.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let joined = words.join(" ");
        if let Some(at) = flat[cursor..].find(&joined) {
            let start = cursor + at;
            cursor = start + joined.len();
            add(&mut ranges, start..cursor);
            continue;
        }
        for word in words {
            let mut window = (cursor + WORD_WINDOW + word.len()).min(flat.len());
            while !flat.is_char_boundary(window) {
                window -= 1;
            }
            match flat[cursor..window].find(word) {
                Some(at) => {
                    let start = cursor + at;
                    cursor = start + word.len();
                    add(&mut ranges, start..cursor);
                }
                None => unplaced += 1,
            }
        }
    }
    (ranges, unplaced)
}

/// A tag (or comment, or declaration) starting at `html[at]`.
struct Tag<'a> {
    /// The element's name; empty for a comment, a declaration or a processing instruction.
    name: &'a str,
    closing: bool,
    /// Offset just past it.
    end: usize,
}

/// The tag at `at` (which holds `<`), or `None` if the `<` is text.
fn tag(html: &str, at: usize) -> Option<Tag<'_>> {
    let rest = &html[at..];
    let past = |from: usize, marker: &str| {
        rest[from..].find(marker).map_or(html.len(), |i| at + from + i + marker.len())
    };
    if rest.starts_with("<!--") {
        return Some(Tag { name: "", closing: false, end: past(4, "-->") });
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        return Some(Tag { name: "", closing: false, end: past(2, ">") });
    }
    let closing = rest.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let name_len = rest[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(rest.len() - name_start);
    if !rest[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = &rest[name_start..name_start + name_len];
    // Up to the `>` that closes the tag, skipping quoted attribute values.
    let bytes = rest.as_bytes();
    let mut i = name_start + name_len;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(Tag { name, closing, end: at + i + 1 }),
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                i += bytes[i + 1..].iter().position(|&b| b == quote).map_or(bytes.len(), |q| q + 1);
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    Some(Tag { name, closing, end: html.len() })
}

/// Where the raw text of element `name` (a `script`, `style`, …) that starts at `from` ends:
/// at its end tag, or at the end of the page.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(i) = html[at..].find("</") {
        let start = at + i;
        let candidate = &bytes[start + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return start;
        }
        at = start + 2;
    }
    html.len()
}

/// The character reference at `at` (which holds `&`): its end and what it stands for.
fn reference(html: &str, at: usize) -> Option<(usize, String)> {
    let rest = &html[at..];
    let len = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))? + 1;
    if len > 40 || rest.as_bytes()[len] != b';' {
        return None;
    }
    let reference = &rest[..=len];
    let decoded = html_escape::decode_html_entities(reference);
    (decoded != reference).then(|| (at + len + 1, decoded.into_owned()))
}

fn one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|known| known.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat_text(html: &str) -> String {
        flatten(html).text
    }

    #[test]
    fn visible_text_only_with_references_decoded() {
        assert_eq!(
            flat_text(
                "<html><head><title>T</title><style>p{}</style></head><body>\n<!-- c --><p>Caf&eacute; <b>talks</b>&nbsp;end&#8217;s</p>\
                 <script>var x = \"<p>no</p>\";</script><p title=\"a > b\">Next</p><div>x<br>y</div>a &amp b < c</body>"
            ),
            "Café talks end’s Next x y a &amp b < c"
        );
        assert_eq!(flat_text("<SCRIPT>x</Script >after"), "after");
        assert_eq!(flat_text("unclosed <script>for ever"), "unclosed");
        assert_eq!(flat_text("broken <p class=\"x"), "broken");
    }

    #[test]
    fn paragraphs_are_placed_on_their_lines_and_bytes() {
        let html = "<html>\n<nav>Home News</nav>\n<article>\n<h1>Port strike</h1>\n<p>Dockers walked\nout on Monday.</p>\n\n<p>Talks&nbsp;resume <i>Friday</i>.</p><p>Last.</p>\n</article>";
        let flat = flatten(html);
        let placed = place(
            &flat,
            html,
            "Dockers walked out on Monday.\n\nTalks resume Friday.\nLast.",
            |at| at as u64 + 10,
        )
        .unwrap();
        assert_eq!(placed.body, "Dockers walked\nout on Monday.\n\nTalks resume Friday. Last.");
        assert_eq!(placed.line, 5);
        assert_eq!(placed.unplaced, 0);
        for word in ["Dockers", "out", "Talks", "resume", "Friday", "Last"] {
            let in_body = placed.body.find(word).unwrap();
            let in_file = placed.offsets.file_offset(in_body as u64) as usize - 10;
            assert!(html[in_file..].starts_with(word), "{word}");
        }
        // Each line of the body is the page's line.
        let line = |word: &str| 1 + html[..html.find(word).unwrap()].matches('\n').count();
        assert_eq!(
            line("Talks"),
            5 + placed.body[..placed.body.find("Talks").unwrap()].matches('\n').count()
        );
        // A passage ending at a paragraph's end ends on its last byte in the file.
        let end = placed.body.find(" Last").unwrap();
        assert_eq!(
            placed.offsets.file_offset(end as u64) as usize - 10,
            html.find("</p><p>Last").unwrap()
        );
    }

    #[test]
    fn text_the_extractor_spaced_differently_is_placed_word_by_word() {
        let html = "<p>The <b>ceasefire</b>holds, said the <a href=x>minister</a>.</p>";
        let placed =
            place(&flatten(html), html, "The ceasefire holds, said the minister .", |at| at as u64)
                .unwrap();
        assert_eq!(placed.body, "The ceasefireholds, said the minister.");
        assert_eq!(placed.unplaced, 0);
        // "minister" is a link's text.
        assert_eq!(placed.unlinked, "Theceasefireholds,saidthe.".chars().count());
        assert!(place(&flatten(html), html, "nothing here", |at| at as u64).is_none());
    }
}
