//! Scores of a clustering against labelled classes: pairwise and B-cubed precision, recall
//! and F1, as Miranda et al. (EMNLP 2018) report them.
//!
//! - Pairwise: over every pair of labelled items, precision is the share of pairs put in one
//!   cluster that share a label; recall the share of pairs sharing a label put in one cluster.
//! - B-cubed (Bagga and Baldwin 1998): for each item, precision is the share of its cluster
//!   that shares its label, recall the share of its label that is in its cluster; both
//!   averaged over items.

use std::collections::HashMap;

/// Precision, recall and their harmonic mean.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

/// Pairwise and B-cubed scores of one clustering.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Pairwise.
    pub pairwise: Prf,
    /// B-cubed.
    pub bcubed: Prf,
}

fn prf(precision: f64, recall: f64) -> Prf {
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Prf { precision, recall, f1 }
}

/// Scores `items`, each `(label, cluster)`.
pub fn score<L: Eq + std::hash::Hash + Copy, C: Eq + std::hash::Hash + Copy>(
    items: &[(L, C)],
) -> Scores {
    let mut both: HashMap<(L, C), u64> = HashMap::new();
    let mut by_label: HashMap<L, u64> = HashMap::new();
    let mut by_cluster: HashMap<C, u64> = HashMap::new();
    for &(label, cluster) in items {
        *both.entry((label, cluster)).or_default() += 1;
        *by_label.entry(label).or_default() += 1;
        *by_cluster.entry(cluster).or_default() += 1;
    }
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let together: u64 = both.values().map(|&n| pairs(n)).sum();
    let clustered: u64 = by_cluster.values().map(|&n| pairs(n)).sum();
    let labelled: u64 = by_label.values().map(|&n| pairs(n)).sum();
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let pairwise = prf(ratio(together, clustered), ratio(together, labelled));
    // Each item of a (label, cluster) cell has precision cell/cluster and recall cell/label.
    let n = items.len().max(1) as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for (&(label, cluster), &cell) in &both {
        let cell = cell as f64;
        precision += cell * cell / by_cluster[&cluster] as f64;
        recall += cell * cell / by_label[&label] as f64;
    }
    Scores { pairwise, bcubed: prf(precision / n, recall / n) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_worked_clustering_scores_as_computed_by_hand() {
        // Labels a a a b b; clusters 1 1 2 2 2.
        let items = [("a", 1), ("a", 1), ("a", 2), ("b", 2), ("b", 2)];
        let s = score(&items);
        // Pairs together in a cluster: (1,1)=1, (2,2)=3 → 4; of them sharing a label: a1a1, b b → 2.
        // Pairs sharing a label: aaa=3, bb=1 → 4.
        assert_eq!((s.pairwise.precision, s.pairwise.recall), (0.5, 0.5));
        // B-cubed precision: a,a in cluster 1: 1 each; a in cluster 2: 1/3; b,b: 2/3 each →
        // (2 + 1/3 + 4/3) / 5 = 11/15. Recall: a,a: 2/3 each, a: 1/3, b,b: 1 each → 11/15.
        assert!((s.bcubed.precision - 11.0 / 15.0).abs() < 1e-12);
        assert!((s.bcubed.recall - 11.0 / 15.0).abs() < 1e-12);
        let perfect = score(&[("a", 1), ("a", 1), ("b", 2)]);
        assert_eq!(perfect.pairwise.f1, 1.0);
        assert_eq!(perfect.bcubed.f1, 1.0);
    }
}
