//! Judged query sets kept in the repository (`crates/bench/judgments/`): the queries with
//! the information need each stands for, and graded judgments of the reports pooled from
//! the rankings compared.
//!
//! Both are tab-separated, one record a line; lines starting with `#` and blank lines are
//! comments:
//! - queries: `id<TAB>query text<TAB>information need`;
//! - judgments: `id<TAB>report file name<TAB>grade`, grade 0 (not about it), 1 (partly),
//!   2 (about it).

use std::collections::HashMap;

use crate::metrics::Judgments;

/// The highest grade a judgment may give.
pub const MAX_GRADE: u32 = 2;

/// One query of a judged set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgedQuery {
    /// Its id, as the judgments name it (`r01`).
    pub id: String,
    /// What is typed, in Dateline's query language.
    pub text: String,
    /// What the person typing it wants to read, in one line: what the judge judged by.
    pub need: String,
}

/// The records of a tab-separated file: (line number, fields), comments left out.
fn records(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| (i + 1, line.split('\t').collect()))
}

/// Reads a queries file; an error names the line and what is wrong with it.
pub fn parse_queries(text: &str) -> Result<Vec<JudgedQuery>, String> {
    let mut queries: Vec<JudgedQuery> = Vec::new();
    for (line, fields) in records(text) {
        let [id, query, need] = fields[..] else {
            return Err(format!(
                "line {line}: {} fields; write id<TAB>query<TAB>information need",
                fields.len()
            ));
        };
        if [id, query, need].iter().any(|f| f.trim().is_empty()) {
            return Err(format!("line {line}: an empty field; every query needs all three"));
        }
        if queries.iter().any(|q| q.id == id) {
            return Err(format!("line {line}: query id {id} is given twice"));
        }
        queries.push(JudgedQuery { id: id.into(), text: query.into(), need: need.into() });
    }
    Ok(queries)
}

/// Reads a judgments file into judgments per query id; an error names the line.
pub fn parse_judgments(text: &str) -> Result<HashMap<String, Judgments>, String> {
    let mut judged: HashMap<String, Judgments> = HashMap::new();
    for (line, fields) in records(text) {
        let [id, report, grade] = fields[..] else {
            return Err(format!(
                "line {line}: {} fields; write id<TAB>report file<TAB>grade",
                fields.len()
            ));
        };
        let grade = grade
            .parse()
            .ok()
            .filter(|&g| g <= MAX_GRADE)
            .ok_or_else(|| format!("line {line}: grade `{grade}` is not 0, 1 or 2"))?;
        if judged.entry(id.into()).or_default().insert(report.into(), grade).is_some() {
            return Err(format!("line {line}: {report} is judged twice for {id}"));
        }
    }
    Ok(judged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_judgments_are_read_with_comments_skipped() {
        let queries = parse_queries("# id\tquery\tneed\n\nr01\toil\tcrude oil news\n").unwrap();
        assert_eq!(queries.len(), 1);
        assert_eq!(queries[0].text, "oil");
        assert_eq!(queries[0].need, "crude oil news");
        let judged = parse_judgments("r01\ta.txt\t2\nr01\tb.txt\t0\nr02\ta.txt\t1\n").unwrap();
        assert_eq!(judged["r01"]["a.txt"], 2);
        assert_eq!(judged["r01"].len(), 2);
        assert_eq!(judged["r02"]["a.txt"], 1);
    }

    #[test]
    fn malformed_lines_are_named() {
        assert!(parse_queries("r01\toil\n").unwrap_err().starts_with("line 1:"));
        assert!(parse_queries("r01\toil\tx\nr01\tgas\ty\n").unwrap_err().contains("twice"));
        assert!(parse_queries("r01\t \tx\n").unwrap_err().contains("empty"));
        assert!(parse_judgments("r01\ta.txt\t3\n").unwrap_err().contains("not 0, 1 or 2"));
        assert!(parse_judgments("r01\ta.txt\n").unwrap_err().starts_with("line 1:"));
        let twice = parse_judgments("r01\ta.txt\t1\n\nr01\ta.txt\t2\n").unwrap_err();
        assert!(twice.starts_with("line 3:"), "{twice}");
    }

    /// The pinned sets parse, and every query was judged, with at least one report about it.
    #[test]
    fn the_pinned_judged_sets_are_complete() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/judgments");
        let read = |name: &str| std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        let queries = parse_queries(&read("reuters-queries.tsv")).unwrap();
        let judged = parse_judgments(&read("reuters-judgments.tsv")).unwrap();
        assert_eq!(queries.len(), 30);
        for query in &queries {
            let grades = judged.get(&query.id).unwrap_or_else(|| panic!("{} unjudged", query.id));
            assert!(grades.len() >= 10, "{}: {} judged", query.id, grades.len());
            assert!(grades.values().any(|&g| g > 0), "{}: nothing relevant", query.id);
        }
        assert!(judged.keys().all(|id| queries.iter().any(|q| &q.id == id)));
        let lee = parse_queries(&read("lee-queries.tsv")).unwrap();
        assert_eq!(lee.len(), 50);
    }
}
