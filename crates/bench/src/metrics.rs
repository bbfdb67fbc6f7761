//! nDCG@k and average precision, as TREC's `trec_eval` defines them.
//!
//! - DCG@k = Σ_{i=1..k} (2^rel_i − 1) / log2(i + 1), over the ranking's first k documents;
//!   nDCG@k divides it by the DCG@k of the ideal ranking (all judged documents by grade).
//! - AP = the mean, over the relevant documents (grade > 0), of the precision at the rank
//!   where each is retrieved (0 for one never retrieved). MAP is the mean AP over queries.

use std::collections::HashMap;

/// Graded judgments for one query: document → grade (0 = not relevant).
pub type Judgments = HashMap<String, u32>;

/// Reads TREC qrels (`qid 0 docid grade` per line) into judgments per query.
pub fn parse_qrels(text: &str) -> HashMap<String, Judgments> {
    let mut qrels: HashMap<String, Judgments> = HashMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let [qid, _, doc, grade] = fields[..]
            && let Ok(grade) = grade.parse()
        {
            qrels.entry(qid.to_string()).or_default().insert(doc.to_string(), grade);
        }
    }
    qrels
}

fn gain(grade: u32) -> f64 {
    2f64.powi(grade as i32) - 1.0
}

fn dcg(grades: impl Iterator<Item = u32>, k: usize) -> f64 {
    grades.take(k).enumerate().map(|(i, grade)| gain(grade) / ((i + 2) as f64).log2()).sum()
}

/// nDCG@k of `ranking` (document ids, best first) against `judged`; unjudged documents
/// count as grade 0. A query with no relevant document scores 0.
pub fn ndcg_at(k: usize, ranking: &[String], judged: &Judgments) -> f64 {
    let actual = dcg(ranking.iter().map(|doc| judged.get(doc).copied().unwrap_or(0)), k);
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter(), k);
    if best == 0.0 { 0.0 } else { actual / best }
}

/// Average precision of `ranking` against `judged` (grade > 0 is relevant).
pub fn average_precision(ranking: &[String], judged: &Judgments) -> f64 {
    let relevant = judged.values().filter(|&&grade| grade > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let mut found = 0;
    let mut sum = 0.0;
    for (i, doc) in ranking.iter().enumerate() {
        if judged.get(doc).is_some_and(|&grade| grade > 0) {
            found += 1;
            sum += found as f64 / (i + 1) as f64;
        }
    }
    sum / relevant as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(docs: &[&str]) -> Vec<String> {
        docs.iter().map(|d| d.to_string()).collect()
    }

    /// Worked by hand: judgments a=3, b=2, c=0, d=1; ranking c, a, d, x (x unjudged).
    ///
    /// DCG@3  = (2^0−1)/log2 2 + (2^3−1)/log2 3 + (2^1−1)/log2 4
    ///        = 0 + 7/1.5849625 + 1/2 = 4.4165082 + 0.5 = 4.9165082
    /// IDCG@3 = 7/1 + 3/1.5849625 + 1/2 = 7 + 1.8927893 + 0.5 = 9.3927893
    /// nDCG@3 = 4.9165082 / 9.3927893 = 0.5234342
    ///
    /// Relevant: a, b, d (3). a at rank 2 → 1/2; d at rank 3 → 2/3; b never → 0.
    /// AP = (0.5 + 0.6666667 + 0) / 3 = 0.3888889
    #[test]
    fn hand_worked_example() {
        let judged: Judgments =
            [("a", 3), ("b", 2), ("c", 0), ("d", 1)].map(|(d, g)| (d.to_string(), g)).into();
        let ranking = ids(&["c", "a", "d", "x"]);
        assert!((ndcg_at(3, &ranking, &judged) - 0.5234342).abs() < 1e-6);
        assert!((average_precision(&ranking, &judged) - 0.3888889).abs() < 1e-6);
        // The ideal ranking scores 1; nothing relevant scores 0.
        assert!((ndcg_at(3, &ids(&["a", "b", "d"]), &judged) - 1.0).abs() < 1e-12);
        assert_eq!(ndcg_at(10, &ids(&["c", "x"]), &judged), 0.0);
        assert!((average_precision(&ids(&["a", "b", "d"]), &judged) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn qrels_are_read_per_query() {
        let qrels = parse_qrels("q01 0 lee-02 3\nq01 0 lee-03 0\nq02 0 lee-01 1\nbad line\n");
        assert_eq!(qrels["q01"]["lee-02"], 3);
        assert_eq!(qrels["q01"].len(), 2);
        assert_eq!(qrels["q02"]["lee-01"], 1);
    }
}
