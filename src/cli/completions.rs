//! `flinkha completions <shell>` and `flinkha man`, generated from the clap definitions so
//! they cannot go stale (a test compares them with the checked-in files under completions/).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Exit};

/// `completions` arguments.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

/// The completion script for `shell`.
pub fn generate(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "flinkha", &mut out);
    out
}

/// The man page (roff).
pub fn man_page() -> Vec<u8> {
    let mut out = Vec::new();
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut out);
    out
}

/// Print completions.
pub fn run(args: CompletionsArgs) -> anyhow::Result<Exit> {
    use std::io::Write;
    std::io::stdout().write_all(&generate(args.shell))?;
    Ok(Exit::Success)
}

/// Print the man page.
pub fn man() -> anyhow::Result<Exit> {
    use std::io::Write;
    std::io::stdout().write_all(&man_page())?;
    Ok(Exit::Success)
}
