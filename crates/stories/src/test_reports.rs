//! Real reports the unit tests share: two reactions to the October 1987 crash
//! (Reuters-21578), from Tokyo and Washington, whose bodies tell different places and whose
//! headlines the same stance, and a seamen's strike of the same corpus that shares neither.

use crate::{Features, Weigher, terms::terms};

/// The three reports weighed by one fresh [`Weigher`]: (Tokyo, the seamen, Washington).
pub(crate) fn crash_and_strike() -> (Features, Features, Features) {
    let mut weigher = Weigher::new();
    let mut weigh = |title: &str, body: &str| weigher.weigh(&terms(title, body), 0, |_| 0);
    let tokyo = weigh(
        "JAPAN TAKES WAIT-AND-SEE STANCE ON STOCKS-OFFICIAL",
        "The Finance Ministry will take a wait-and-see stance on Tokyo Stock Exchange \
         movement, although it is gravely concerned about the sharp fall in stock prices, \
         a senior Ministry official said.",
    );
    let seamen = weigh(
        "STRIKING BRAZILIAN SEAMEN HOLD PAY TALKS",
        "Striking Brazilian seamen, who say they have made idle 158 ships and halted \
         Brazilian exports, today held pay talks in Rio de Janeiro with Labour Minister \
         Almir Pazzianotto, union officials said.",
    );
    let washington = weigh(
        "WHITE HOUSE TAKES WAIT-AND-SEE STANCE ON STOCKS",
        "The White House took a wait-and-see attitude toward the stock market crisis, \
         barring \"precipitous action\" to deal with it.",
    );
    (tokyo, seamen, washington)
}
