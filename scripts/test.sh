#!/usr/bin/env bash
# The test command (README, .ci/run): prepares what the tests need on a fresh machine, then
# runs formatting and lint checks and every test, real-cluster tests included.
#
# Prepared by scripts/prepare-test-env.sh (cached in ${FLINKHA_CACHE:-/var/tmp/flinkha-cache}):
# apt packages (openssh-server, zookeeper, build prerequisites), Flink 2.1.0, 2.2.0, 2.3.0 from PyPI packed
# as a distribution tarball with its .sha512, the stateful test job, SSH keys for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# The build's prerequisites (gcc, pkg-config, libssl-dev) first; then the lint and test builds
# (CPU) run while the rest of the preparation (downloading Flink from PyPI: network) does.
scripts/prepare-test-env.sh --apt-only
cargo fmt --check
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
(cargo clippy --all-targets --locked -- -D warnings &&
    cargo test --all-targets --locked --no-run) >"$build_log" 2>&1 &
build=$!
prepare=0
scripts/prepare-test-env.sh || prepare=$?
built=0
wait "$build" || built=$?
cat "$build_log"
((prepare == 0)) || { echo "scripts/prepare-test-env.sh failed ($prepare)" >&2; exit "$prepare"; }
((built == 0)) || { echo "clippy or the test build failed ($built)" >&2; exit "$built"; }
# shellcheck disable=SC1091
. "${FLINKHA_CACHE:-/var/tmp/flinkha-cache}/env.sh"
cargo test --all-targets --locked --no-fail-fast
cargo test --doc --locked
