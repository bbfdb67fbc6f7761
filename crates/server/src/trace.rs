//! `/api/trace`: the reports carrying a claim, run like a search (a place, a time budget,
//! cancelled when its client goes away).

use dateline_query::{Claim, Trace};

use crate::api::{Answer, Parsed, Shared, request, run_with};

/// `/api/trace`: the reports carrying the claim `q`, in time order.
pub(crate) async fn trace(axum::extract::State(state): Shared, params: Parsed) -> Answer<Trace> {
    let claim = request(params)?.q.unwrap_or_default();
    run_with(&state, move |index, budget, cancel| {
        index.trace(&Claim::new(claim).time_budget(budget).cancel_with(cancel))
    })
    .await
}
