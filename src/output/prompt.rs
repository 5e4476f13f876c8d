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
