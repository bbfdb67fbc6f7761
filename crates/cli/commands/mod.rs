//! One module per subcommand.

pub mod index;
pub mod search;
pub mod serve;
pub mod stories;
pub mod trace;
