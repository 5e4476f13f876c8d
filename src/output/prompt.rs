//! Confirmation prompts: only when a person is at the terminal; `--yes` for scripts.

use super::Printer;

/// Why we did not go ahead.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    /// No TTY and no `--yes`.
    #[error(
        "{what}: confirmation needed, but stdin/stderr is not a terminal; re-run with --yes to go ahead"
    )]
    NotATerminal {
        /// The operation.
        what: String,
    },
    /// The person said no.
    #[error("{what}: cancelled")]
    Declined {
        /// The operation.
        what: String,
    },
}

/// Ask "`question` [y/N]" unless `yes`; refuse without a TTY.
///
/// # Errors
/// [`ConfirmError`].
pub fn confirm(yes: bool, what: &str, question: &str) -> Result<(), ConfirmError> {
    if yes {
        return Ok(());
    }
    if !Printer::can_prompt() {
        return Err(ConfirmError::NotATerminal { what: what.into() });
    }
    let ok = dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(ConfirmError::Declined { what: what.into() })
    }
}

/// Why no item was picked by [`pick`].
#[derive(Debug, thiserror::Error)]
pub enum PickError {
    /// No TTY to pick at: the argument must be given on the command line (exit status 2).
    #[error("missing {arg}: {give} (no terminal to pick from)")]
    NotATerminal {
        /// The argument's value name, e.g. `JOB`, `HOST`.
        arg: String,
        /// What to give instead, e.g. "give a job id, id prefix or name".
        give: String,
    },
    /// Nothing to pick from.
    #[error("missing {arg}: {give}; and there is nothing to pick from: {why}")]
    Empty {
        /// The argument's value name.
        arg: String,
        /// What to give instead.
        give: String,
        /// Why the list is empty (e.g. "the leader runs no job").
        why: String,
    },
    /// The person pressed Escape (exit status 130, like a declined confirmation).
    #[error("no {arg} picked: cancelled")]
    Cancelled {
        /// The argument's value name.
        arg: String,
    },
}

/// Whether [`pick`] can show a picker (stdin and stderr are terminals): check it before any
/// slow work that only gathers the items.
pub fn can_pick() -> bool {
    Printer::can_prompt()
}

/// A fuzzy picker (dialoguer's `FuzzySelect`: type to filter, arrows, Enter) over `items`
/// for the missing argument `arg`; returns the index picked.
///
/// # Errors
/// [`PickError::NotATerminal`] without a TTY (say `give`: what to write instead),
/// [`PickError::Empty`] when `items` is empty (`why`), [`PickError::Cancelled`] on Escape.
pub fn pick(arg: &str, give: &str, why_empty: &str, items: &[String]) -> Result<usize, PickError> {
    if !can_pick() {
        return Err(PickError::NotATerminal {
            arg: arg.into(),
            give: give.into(),
        });
    }
    if items.is_empty() {
        return Err(PickError::Empty {
            arg: arg.into(),
            give: give.into(),
            why: why_empty.into(),
        });
    }
    dialoguer::FuzzySelect::new()
        .with_prompt(format!(
            "{arg} (type to filter, Enter to pick, Esc to cancel)"
        ))
        .items(items)
        .default(0)
        .max_length(15)
        .interact_opt()
        .ok()
        .flatten()
        .ok_or_else(|| PickError::Cancelled { arg: arg.into() })
}

/// Ask "`question` [y/N]" about a plan unless `yes`; refuse without a TTY. The person is
/// asked about exactly `rendered` (the plan's [`crate::core::plan::Plan::render`], the text
/// `--dry-run` prints): shown here again when `-q` kept the caller from printing it.
///
/// # Errors
/// [`ConfirmError`].
pub fn confirm_plan(
    printer: &Printer,
    yes: bool,
    what: &str,
    rendered: &str,
    question: &str,
) -> Result<(), ConfirmError> {
    if !yes && printer.quiet && Printer::can_prompt() {
        use std::io::Write;
        let _ = write!(std::io::stderr(), "{rendered}");
    }
    confirm(yes, what, question)
}

/// Ask the person at the terminal to pick one of `items` (index), `None` without a terminal
/// or when they escape.
pub fn choose(question: &str, items: &[&str]) -> Option<usize> {
    if !Printer::can_prompt() {
        return None;
    }
    dialoguer::Select::new()
        .with_prompt(question)
        .items(items)
        .default(0)
        .interact_opt()
        .ok()
        .flatten()
}
