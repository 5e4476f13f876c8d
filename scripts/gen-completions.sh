#!/usr/bin/env bash
# Regenerate completions/ (shell completions and the man page) from the clap definitions.
# tests/cli.rs fails when the committed files differ from what the binary generates.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
cargo build --quiet
bin=${CARGO_TARGET_DIR:-target}/debug/flinkha
mkdir -p completions
"$bin" completions bash > completions/flinkha.bash
"$bin" completions zsh > completions/_flinkha
"$bin" completions fish > completions/flinkha.fish
"$bin" completions elvish > completions/flinkha.elv
"$bin" completions powershell > completions/_flinkha.ps1
"$bin" man > completions/flinkha.1
echo "completions/ regenerated"
