//! A report's language: the one it declares, or else the one detected in its text.
//!
//! Detection is `whatlang`'s, checked by `whichlang`, as measured on real pages and newswire
//! (README "Languages", the bench's language section): `whatlang` knows 69 languages, all 18
//! of tantivy's stemmer languages among them, and declines what it is unsure of, but it takes
//! terse English (earnings tables: `Shr profit 10 cts vs loss`) for French; `whichlang` is
//! right more often on the 16 languages it knows (no Danish, Finnish, Greek, Hungarian,
//! Norwegian, Romanian or Tamil) and five times faster. So a language `whichlang` knows is
//! taken only when both name it; another, on `whatlang`'s word.

use dateline_schema::StoredReport;

/// Text read for detection: a report's opening says which language it is written in, and
/// detection costs in proportion to what it reads.
const DETECTION_BYTES: usize = 4096;

/// Sets `report.language`: the declared one, normalised to ISO 639-1, or else the detected
/// one; `None` when neither is known (a declaration that names no language is ignored).
pub(crate) fn settle(report: &mut StoredReport) {
    let declared = report.language.as_deref().and_then(normalise);
    report.language = declared.or_else(|| detect(report.title.text(), &report.body));
}

/// The ISO 639-1 code of a declared language: `en-US`, `zh_Hans`, `EN`, `eng` → `en`, `zh`,
/// `en`, `en`. `None` for what names no language with a two-letter code.
pub(crate) fn normalise(declared: &str) -> Option<String> {
    let primary = declared.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.len() {
        2 => isolang::Language::from_639_1(&primary).map(|_| primary),
        3 => from_639_3(&primary),
        _ => None,
    }
}

/// The language detected in `title` and the start of `body`, when the detectors are sure of
/// it (see the module's documentation).
pub fn detect(title: &str, body: &str) -> Option<String> {
    let mut end = body.len().min(DETECTION_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let text = format!("{title}\n{}", &body[..end]);
    let info = whatlang::detect(&text)?;
    if !info.is_reliable() {
        return None;
    }
    let code = from_639_3(info.lang().code())?;
    let checked = from_639_3(whichlang::detect_language(&text).three_letter_code());
    let knows = |code: &str| {
        whichlang::LANGUAGES
            .iter()
            .any(|lang| from_639_3(lang.three_letter_code()).as_deref() == Some(code))
    };
    (!knows(&code) || checked.as_deref() == Some(code.as_str())).then_some(code)
}

/// ISO 639-3 → 639-1. `whatlang` names Mandarin and Iranian Persian by their individual
/// codes, which have no two-letter code of their own; readers know them as `zh` and `fa`.
fn from_639_3(code: &str) -> Option<String> {
    match code {
        "cmn" => Some("zh".into()),
        "pes" => Some("fa".into()),
        _ => isolang::Language::from_639_3(code)?.to_639_1().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_normalise_to_two_letters() {
        assert_eq!(normalise("en-US").as_deref(), Some("en"));
        assert_eq!(normalise("zh-Hans").as_deref(), Some("zh"));
        assert_eq!(normalise("de_DE").as_deref(), Some("de"));
        assert_eq!(normalise("DEU").as_deref(), Some("de"));
        assert_eq!(normalise("x-default"), None);
        assert_eq!(normalise("klingon"), None);
        assert_eq!(normalise(""), None);
    }

    #[test]
    fn detection_reads_the_text() {
        let de = "Die Verhandlungen zwischen der Regierung und den Gewerkschaften wurden am \
                  Montag in Berlin fortgesetzt, teilte das Ministerium mit.";
        assert_eq!(detect("", de).as_deref(), Some("de"));
        let ru = "Переговоры между правительством и профсоюзами продолжились в понедельник \
                  в Москве, сообщило министерство.";
        assert_eq!(detect("", ru).as_deref(), Some("ru"));
        assert_eq!(detect("", "42"), None);
    }
}
