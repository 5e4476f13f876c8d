#!/usr/bin/env bash
# Bring up the local 3-host HA demo cluster from conf.example, run its stateful job, take a
# savepoint, and show status, leader and jobs.
#
#   scripts/demo.sh          # prepare, install, sync, start, run the job, savepoint, status
#   scripts/demo.sh stop     # stop the demo cluster and its sshd (running again works)
#
# Env: FLINKHA_DEMO_DIR (default /var/tmp/flinkha-demo) holds everything the demo writes;
# FLINKHA_BIN runs that flinkha binary instead of building target/debug/flinkha (tests/demo.rs).
#
# The three "hosts" are loopback addresses 127.0.1.1-3 served by a dedicated sshd, each with
# its own install root under /var/tmp/flinkha-demo/hosts/. Ports are picked free at first run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
demo=${FLINKHA_DEMO_DIR:-/var/tmp/flinkha-demo}
addrs=(127.0.1.1 127.0.1.2 127.0.1.3)
flinkha=${FLINKHA_BIN:-$here/target/debug/flinkha}
inv="$demo/work/flinkha.yaml"

if [ "${1:-}" = stop ]; then
    if [ -f "$inv" ] && [ -f "$demo/sshd/sshd.pid" ]; then "$flinkha" -c "$inv" stop --yes || true; fi
    "$here/scripts/sshd.sh" stop "$demo/sshd" || true
    exit 0
fi

"$here/scripts/prepare-test-env.sh"
. "${FLINKHA_CACHE:-/var/tmp/flinkha-cache}/env.sh"
[ -n "${FLINKHA_BIN:-}" ] || (cd "$here" && cargo build --quiet)

mkdir -p "$demo"
if [ ! -f "$demo/sshd/sshd.pid" ] || ! kill -0 "$(cat "$demo/sshd/sshd.pid")" 2>/dev/null; then
    "$here/scripts/sshd.sh" start "$demo/sshd" "${addrs[@]}" >/dev/null
fi
port=$(cat "$demo/sshd/port")
# A restarted sshd may get another free port: the inventory follows it on every run.
[ -f "$inv" ] && sed -i -e "s#^  port: [0-9]*\$#  port: $port#" "$inv"

if [ ! -f "$inv" ]; then
    rm -rf "$demo/work" && mkdir -p "$demo/work" && cp -r "$here/conf.example/." "$demo/work/"
    # conf.example names the default demo dir; another FLINKHA_DEMO_DIR replaces it everywhere.
    [ "$demo" = /var/tmp/flinkha-demo ] || grep -rl /var/tmp/flinkha-demo "$demo/work" | xargs sed -i "s#/var/tmp/flinkha-demo#$demo#g"
    mapfile -t p < <(python3 "$here/scripts/free-ports.py" 6 "${addrs[@]}" 0.0.0.0)
    sed -i -e "s/:2888:3888/:${p[0]}:${p[1]}/; s/^clientPort=2181/clientPort=${p[2]}/" "$demo/work/conf/zoo.cfg"
    sed -i -e "s/:8081$/:${p[3]}/" "$demo/work/conf/masters"
    sed -i -e "s/^    port: 6123$/    port: ${p[4]}/" "$demo/work/conf/config.yaml"
    sed -i -e "s#^  port: 22\$#  port: $port#" \
        -e "s#^  identity_file: .*#  identity_file: $FLINKHA_TEST_SSH_KEY#" \
        -e "s#^  known_hosts: .*#  known_hosts: $demo/sshd/known_hosts#" \
        -e "s#^    path: /var/tmp/flinkha-cache/dist/.*#    path: $FLINKHA_TEST_FLINK_TGZ_2_1_0#" \
        -e "s#high-availability.jobmanager.port: 6124#high-availability.jobmanager.port: ${p[5]}#" "$inv"
fi

set -x
"$flinkha" -c "$inv" config check
"$flinkha" -c "$inv" install
"$flinkha" -c "$inv" sync
"$flinkha" -c "$inv" start
"$flinkha" -c "$inv" status
"$flinkha" -c "$inv" leader show
# The declared stateful job (jobs.counter in flinkha.yaml): run it unless it runs already
# (after `demo.sh stop` + `demo.sh`, the HA store recovered it), then take a savepoint.
if ! "$flinkha" -c "$inv" jobs list -o json | grep -q '"state": *"RUNNING"'; then
    "$flinkha" -c "$inv" run counter
fi
"$flinkha" -c "$inv" savepoint flinkha-counter-job
"$flinkha" -c "$inv" jobs list
{ set +x; } 2>/dev/null
echo "Counts: tail $demo/hosts/flink-*/log/*taskexecutor*.out"
echo "Upgrade the demo to Flink 2.2.0: see README.md, 'Upgrading Flink'."

