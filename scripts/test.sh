#!/usr/bin/env bash
# The test command (README, .ci/run): prepares what the tests need on a fresh machine, then
# runs formatting and lint checks and every test, real-cluster tests included.
#
# Prepared by scripts/prepare-test-env.sh (cached in ${FLINKHA_CACHE:-/var/tmp/flinkha-cache}):
# apt packages (openssh-server, zookeeper, build prerequisites), Flink 2.1.0, 2.2.0, 2.3.0 from PyPI packed
# as a distribution tarball with its .sha512, the stateful test job, SSH keys for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prepare-test-env.sh
# shellcheck disable=SC1091
. "${FLINKHA_CACHE:-/var/tmp/flinkha-cache}/env.sh"
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked --no-fail-fast
cargo test --doc --locked
