//! Copies and independent reports on real text: the five bundled reports of one story are
//! independent coverage, and reprints made from them are copies.

use dateline_copies::{Settings, Shingles, Sketch, are_copies};

const S: Settings = Settings::DEFAULT;

fn bundled() -> Vec<String> {
    dateline_fixtures::bundled_reports()
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect()
}

#[test]
fn the_five_bundled_reports_are_no_copies_of_one_another() {
    let reports = bundled();
    assert_eq!(reports.len(), 5);
    for (i, a) in reports.iter().enumerate() {
        for b in &reports[i + 1..] {
            let containment = Shingles::of(a, &S).containment(&Shingles::of(b, &S));
            assert!(containment < S.threshold, "{containment}");
            assert!(!are_copies(a, b, &S));
        }
    }
}

#[test]
fn a_trimmed_retitled_reprint_with_a_local_intro_is_a_copy() {
    for report in bundled() {
        // The headline goes, and the second half of the paragraphs.
        let paragraphs: Vec<&str> = report.lines().filter(|line| !line.trim().is_empty()).collect();
        assert!(paragraphs.len() >= 4, "{report}");
        let kept = &paragraphs[1..paragraphs.len().div_ceil(2)];
        let reprint = format!(
            "A new headline for our readers\n\nOur local desk adds a word before the wire copy.\n\n{}",
            kept.join("\n\n").replace(" the ", " The ").replace(", ", " , ")
        );
        assert!(are_copies(&report, &reprint, &S), "{reprint}");
        let (whole, copy) = (Shingles::of(&report, &S), Shingles::of(&reprint, &S));
        let (whole, copy) = (Sketch::of(&whole, &S).unwrap(), Sketch::of(&copy, &S).unwrap());
        assert!(copy.keys().iter().any(|key| whole.keys().contains(key)));
        assert!(copy.estimated_containment(&whole) >= S.threshold);
    }
}

#[test]
fn a_one_line_brief_is_never_a_copy_even_of_itself() {
    let brief = "Markets closed higher on Tuesday.";
    assert!(!are_copies(brief, brief, &S));
    assert!(Sketch::of(&Shingles::of(brief, &S), &S).is_none());
}
