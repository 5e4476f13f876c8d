use std::process::ExitCode;

fn main() -> ExitCode {
    flinkha::cli::main()
}
