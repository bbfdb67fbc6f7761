//! Front matter (YAML between `---` lines, TOML between `+++` lines) and Markdown markup:
//! what a text report carries besides its text.
//!
//! Front matter is parsed with `saphyr` (YAML 1.2, maintained) or `toml`; its fields are
//! matched by the names records use ([`crate::Role::known_fields`]). Markdown is parsed
//! with `pulldown-cmark`, and only its text is kept, with every line break of the file, so
//! line numbers stay the file's and an [`OffsetMap`] places each byte of the text.

use dateline_schema::OffsetMap;
use pulldown_cmark::{Event, Parser};

use crate::records::Role;

/// The front matter of a text: its fields, and where the text after it starts.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    /// `(lower-case name, value)`, values of lists joined with `, `.
    pub fields: Vec<(String, String)>,
    /// Byte offset of the text after the closing fence line.
    pub end: usize,
    /// Lines before that text.
    pub lines: u64,
}

impl FrontMatter {
    /// The value of the first field named for `role`.
    pub(crate) fn get(&self, role: Role) -> Option<&str> {
        let names = role.known_fields();
        names.iter().find_map(|name| {
            self.fields
                .iter()
                .find(|(field, value)| field == name && !value.trim().is_empty())
                .map(|(_, value)| value.trim())
        })
    }
}

/// The front matter opening `text`, if there is one; `Err` with the reason when it is fenced
/// but cannot be read (the text is then read as if it had none).
pub(crate) fn front_matter(text: &str) -> Result<Option<FrontMatter>, String> {
    let fence = match text.get(..3) {
        Some(fence @ ("---" | "+++")) => fence,
        _ => return Ok(None),
    };
    let mut lines = dateline_schema::lines::split_inclusive(text);
    let Some(first) = lines.next().filter(|line| dateline_schema::lines::trim_break(line) == fence)
    else {
        return Ok(None);
    };
    let mut at = first.len();
    for (count, line) in (2..).zip(lines) {
        if dateline_schema::lines::trim_break(line).trim_end() == fence {
            let body = &text[first.len()..at];
            let fields = match fence {
                "---" => yaml(body)?,
                _ => toml_fields(body)?,
            };
            return Ok(Some(FrontMatter { fields, end: at + line.len(), lines: count }));
        }
        at += line.len();
    }
    Ok(None)
}

fn yaml(body: &str) -> Result<Vec<(String, String)>, String> {
    use saphyr::{LoadableYamlNode, Scalar, Yaml};
    let docs = Yaml::load_from_str(body).map_err(|err| format!("YAML front matter: {err}"))?;
    let Some(Yaml::Mapping(map)) = docs.first() else {
        return Err("YAML front matter is not a mapping of fields".into());
    };
    fn text(value: &Yaml) -> Option<String> {
        match value {
            Yaml::Value(Scalar::String(s)) => Some(s.to_string()),
            Yaml::Value(Scalar::Integer(n)) => Some(n.to_string()),
            Yaml::Value(Scalar::FloatingPoint(n)) => Some(n.to_string()),
            Yaml::Representation(s, _, _) => Some(s.to_string()),
            Yaml::Sequence(items) => {
                Some(items.iter().filter_map(text).collect::<Vec<_>>().join(", "))
            }
            Yaml::Mapping(_) => value.as_mapping_get("name").and_then(text),
            _ => None,
        }
    }
    Ok(map
        .iter()
        .filter_map(|(key, value)| Some((text(key)?.to_lowercase(), text(value)?)))
        .collect())
}

fn toml_fields(body: &str) -> Result<Vec<(String, String)>, String> {
    let table: toml::Table = body.parse().map_err(|err| format!("TOML front matter: {err}"))?;
    fn text(value: &toml::Value) -> Option<String> {
        match value {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Integer(n) => Some(n.to_string()),
            toml::Value::Datetime(when) => Some(when.to_string()),
            toml::Value::Array(items) => {
                Some(items.iter().filter_map(text).collect::<Vec<_>>().join(", "))
            }
            toml::Value::Table(table) => table.get("name").and_then(text),
            _ => None,
        }
    }
    Ok(table.iter().filter_map(|(key, value)| Some((key.to_lowercase(), text(value)?))).collect())
}

/// The text of Markdown `markdown`: markup left out, every line break kept; with the map from
/// its offsets to offsets in `markdown`.
pub(crate) fn strip_markdown(markdown: &str) -> (String, OffsetMap) {
    let mut text = String::with_capacity(markdown.len());
    let mut map = OffsetMap::identity(0);
    let mut at = 0; // how far `markdown` is accounted for
    // Keeps the line breaks of `markdown[at..to]`, leaving out the markup around them.
    let breaks_to = |text: &mut String, map: &mut OffsetMap, at: &mut usize, to: usize| {
        for (i, b) in markdown.as_bytes()[*at..to].iter().enumerate() {
            if matches!(b, b'\n' | b'\r') {
                map.push(text.len() as u64, (*at + i) as u64);
                text.push(*b as char);
            }
        }
        *at = to;
    };
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        let piece = match &event {
            Event::Text(piece) | Event::Code(piece) => piece,
            _ => continue,
        };
        if range.start < at {
            continue; // never behind what is placed
        }
        // A code span's text lies inside its backticks.
        let verbatim = markdown[range.clone()].find(&**piece).filter(|_| !piece.is_empty());
        if let Some(inside) = verbatim {
            breaks_to(&mut text, &mut map, &mut at, range.start + inside);
            map.push(text.len() as u64, at as u64);
            text.push_str(piece);
            at += piece.len();
            map.push(text.len() as u64, at as u64);
            breaks_to(&mut text, &mut map, &mut at, range.end);
            continue;
        }
        breaks_to(&mut text, &mut map, &mut at, range.start);
        map.push(text.len() as u64, range.start as u64);
        {
            // An entity or escape (`&amp;`, `\*`): its text, placed at its bytes; a line
            // break inside it (a code span over lines) is kept, others are left out.
            text.push_str(&piece.replace(['\n', '\r'], " "));
            let breaks = markdown[range.clone()].matches('\n').count();
            text.push_str(&"\n".repeat(breaks));
        }
        at = range.end;
        map.push(text.len() as u64, at as u64);
    }
    breaks_to(&mut text, &mut map, &mut at, markdown.len());
    (text, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_in_yaml_or_toml_gives_fields_and_where_the_text_starts() {
        let text = "---\ntitle: \"Port strike\"\ndate: 2024-01-31\nauthors:\n  - A. Writer\n  - B. Writer\nsource:\n  name: Reuters\n---\nText.\n";
        let found = front_matter(text).unwrap().unwrap();
        assert_eq!(found.get(Role::Title), Some("Port strike"));
        assert_eq!(found.get(Role::Date), Some("2024-01-31"));
        assert_eq!(found.get(Role::Author), Some("A. Writer, B. Writer"));
        assert_eq!(found.get(Role::Publisher), Some("Reuters"));
        assert_eq!((&text[found.end..], found.lines), ("Text.\n", 9));
        let toml = "+++\ntitle = \"Port strike\"\ndate = 2024-01-31\n+++\nText.\n";
        let found = front_matter(toml).unwrap().unwrap();
        assert_eq!((found.get(Role::Date), found.lines), (Some("2024-01-31"), 4));
        assert!(front_matter("---\n[broken\n---\nText.\n").is_err());
        assert!(front_matter("--- not a fence\nText.\n").unwrap().is_none());
    }

    #[test]
    fn markdown_loses_its_markup_and_keeps_its_lines_and_places() {
        let md = "# Port *strike*\n\nDockers **walked** out &amp; [left](http://x.org).\n\n- `tugs` idle\n";
        let (text, map) = strip_markdown(md);
        assert_eq!(text, "Port strike\n\nDockers walked out & left.\n\ntugs idle\n");
        for word in ["strike", "walked", "left", "tugs", "idle"] {
            let at = text.find(word).unwrap() as u64;
            let file = map.file_offset(at) as usize;
            assert_eq!(&md[file..file + word.len()], word);
        }
        assert_eq!(
            map.file_offset(text.find('&').unwrap() as u64) as usize,
            md.find("&amp;").unwrap()
        );
    }
}
