//! Status lines on stderr, prefixed `dateline: `; stdout carries only results.

use std::io::{self, Write};

/// Where commands say what they are doing and what went wrong.
pub struct Messages {
    pub quiet: bool,
}

impl Messages {
    /// Something the user should know, suppressed by `-q`.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "dateline: {message}");
        }
    }

    /// A failure; never suppressed.
    pub fn error(&self, message: &str) {
        let _ = writeln!(io::stderr().lock(), "dateline: {message}");
    }
}
