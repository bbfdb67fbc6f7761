//! Exit statuses, as grep's: what a script calling `dateline` can rely on.

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// 0: the command did its job; for a search, something matched.
    Found,
    /// 1: a search that ran and matched nothing.
    NotFound,
    /// 2: the command failed; a one-line message on stderr says why.
    Error,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> std::process::ExitCode {
        std::process::ExitCode::from(match exit {
            Exit::Found => 0,
            Exit::NotFound => 1,
            Exit::Error => 2,
        })
    }
}
