#!/usr/bin/env bash
# Job-operation figures: a savepoint → cancel → restore cycle with flinkha vs the same with
# Flink's own `flink` CLI (Flink 2.1.0), side by side on a 3-host simulated cluster
# (127.0.4.1-3 through one dedicated sshd; 3 ZooKeeper, 2 JobManagers, 3 TaskManagers, started
# by flinkha). Prints a table; not a timed test.
#
#   benches/jobs.sh
#
# Each round, each side (interleaved, same cluster, same stateful counter job, same parallelism):
#   setup (not in the cycle): run the job fresh, wait until all vertices RUNNING, let it count
#     and checkpoint for a few seconds.
#   cycle:
#     flinkha: `flinkha savepoint JOB` → `flinkha cancel -s JOB --yes` →
#              `flinkha run JAR --from-savepoint P` (waits for RUNNING, verifies the restore).
#     flink:   `flink savepoint JOB -m LEADER` → `flink cancel -s DIR JOB -m LEADER` (deprecated
#              but still in 2.1) → `flink run -d -s P -m LEADER JAR` + polling REST until every
#              vertex is RUNNING + checking `latest.restored.external_path` == P (what flinkha
#              run does, so like is compared with like).
#   downtime = from the cancel request to the restored job's vertices all RUNNING.
#   Flink's own time inside the downtime = the cancel savepoint's `end_to_end_duration`
#     (GET /jobs/<old>/checkpoints history) + the restore: from the new job's INITIALIZING
#     timestamp (GET /jobs/<new>) until all vertices were seen RUNNING.
#   The restored job is then cancelled through REST (not measured).
#
# The `flink` CLI is pointed at the current leader's REST address with -m (read once per round
# from `flinkha leader show`, not timed) and uses a minimal conf dir without HA, so it talks to
# that one REST endpoint like a person would; flinkha finds the leader through ZooKeeper on
# every command (that lookup is inside its figures).
#
# Env: FLINKHA_BENCH_BUILD=debug|release (default debug), FLINKHA_BENCH_ROUNDS (cycles per side,
# default 3), FLINKHA_BENCH_DIR (default /var/tmp/flinkha-bench-jobs; wiped at start),
# FLINKHA_BENCH_KEEP=1 keeps the Flink installs at exit (logs are always kept).
# Only one real Flink cluster may run on this machine at a time: the run holds
# /var/tmp/flinkha-cluster.lock (shared with the tests and other benchmarks) from before the
# cluster starts until it is stopped; a release build waits for it too. The setup shared with
# the other benches (sshd, ports, inventory, install roots, cleanup by pid) is benches/lib.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FLINKHA_BENCH_BUILD:-debug}
ROUNDS=${FLINKHA_BENCH_ROUNDS:-3}
B=${FLINKHA_BENCH_DIR:-/var/tmp/flinkha-bench-jobs}
PAR=2
JOB_ARGS=(--rate 40 --keys 4 --checkpoint-interval 1000)
addrs=(127.0.4.1 127.0.4.2 127.0.4.3)
names=(h1 h2 h3)
# shellcheck source=benches/lib.sh
. "$here/benches/lib.sh"

# ---------------------------------------------------------------------------------------------
# Environment and build
# ---------------------------------------------------------------------------------------------
bench_env
bench_build
JAR=$FLINKHA_TEST_JOB_JAR
[[ -f $JAR ]] || die "$JAR missing (scripts/prepare-test-env.sh builds it)"
[[ -x $SRC_HOME/bin/flink ]] || die "$SRC_HOME/bin/flink missing"

# ---------------------------------------------------------------------------------------------
# Cleanup: everything started here, by pid (lib.sh: the daemons, the flink CLI JVMs, the sshd)
# ---------------------------------------------------------------------------------------------
bench_trap
bench_fresh_dir cli-conf sp-fh sp-cli

# ---------------------------------------------------------------------------------------------
# The sshd, ports, the flinkha cluster (inventory + Flink conf dir), the flink CLI's conf
# ---------------------------------------------------------------------------------------------
bench_sshd

# zk peer, zk leader, zk client, rest, HA RPC h1, HA RPC h2 (free on loopback AND 0.0.0.0).
bench_ports 6
bench_flinkha_conf flinkha-bench-jobs
bench_inventory bench-jobs "$B/fh/hosts" >"$B/fh/flinkha.yaml"
INV=$B/fh/flinkha.yaml
bench_config_check "$INV"

# The flink CLI: the 2.1.0 home's bin/ and lib/, its own minimal conf (no HA: -m decides).
flink_cli_conf "$B/cli-conf" "$SRC_HOME" "$PAR"
flink_cli() { # outfile args... ; stdout+stderr to outfile; killed after 300 s (pid kept for cleanup)
    flink_cli_in "$SRC_HOME/bin/flink" "$B/cli-conf" "$@"
}

# REST helpers (rest, vertices_state, wait_running, restored_path, savepoint_ms, init_ts_ms,
# cancel_rest, leader_rest), ms_now, ms_to_s, sum_s, fh, jget: benches/lib.sh

# ---------------------------------------------------------------------------------------------
# Install (not compared), take the cluster lock, start
# ---------------------------------------------------------------------------------------------
LOAD_BEFORE_INSTALL=$(cut -d' ' -f1-3 /proc/loadavg)
log "flinkha install (3 hosts over ssh; not compared)"
fh install >"$B/logs/install.txt" 2>&1 || { cat "$B/logs/install.txt"; die "flinkha install failed"; }
fh -q sync >"$B/logs/sync.txt" 2>&1 || { cat "$B/logs/sync.txt"; die "flinkha sync failed"; }

bench_lock
log "lock held; flinkha start"
fh start >"$B/logs/start.txt" 2>&1 || { cat "$B/logs/start.txt"; die "flinkha start failed"; }
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "cluster up; load average $LOAD_START"


# ---------------------------------------------------------------------------------------------
# The cycles
# ---------------------------------------------------------------------------------------------
declare -A F # figures: side.metric.round
NOTES=()
fh_cycle() { # round
    local r=$1 out t0 t jid sp cancel_sp new jr
    log "round $r flinkha: run (setup)"
    out=$(fh -o json run "$JAR" -p "$PAR" -- "${JOB_ARGS[@]}" 2>"$B/logs/fh-run-$r.err") || { cat "$B/logs/fh-run-$r.err"; die "flinkha run failed"; }
    jid=$(jget '["job_id"]' <<<"$out")
    F[fh.setup.$r]=$(jget '["elapsed_ms"]' <<<"$out")
    sleep 5 # counting + a few checkpoints
    log "round $r flinkha: savepoint → cancel -s → run --from-savepoint"
    t0=$(now)
    out=$(fh -o json savepoint "$jid" --target-dir "file://$B/sp-fh" 2>"$B/logs/fh-sp-$r.err") || { cat "$B/logs/fh-sp-$r.err"; die "flinkha savepoint failed"; }
    F[fh.savepoint.$r]=$(since "$t0")
    sp=$(jget '["location"]' <<<"$out")
    t=$(now)
    out=$(fh -o json cancel -s "file://$B/sp-fh" "$jid" 2>"$B/logs/fh-cancel-$r.err") || { cat "$B/logs/fh-cancel-$r.err"; die "flinkha cancel -s failed"; }
    F[fh.cancel.$r]=$(since "$t")
    cancel_sp=$(jget '["location"]' <<<"$out")
    [[ $(jget '["job_state"]' <<<"$out") == CANCELED ]] || NOTES+=("round $r flinkha: job not CANCELED after cancel -s: $out")
    local t_run
    t_run=$(now)
    out=$(fh -o json run "$JAR" -p "$PAR" --from-savepoint "$cancel_sp" -- "${JOB_ARGS[@]}" 2>"$B/logs/fh-restore-$r.err") || { cat "$B/logs/fh-restore-$r.err"; die "flinkha run --from-savepoint failed"; }
    local t_end_ms
    t_end_ms=$(ms_now)
    F[fh.restore.$r]=$(since "$t_run")
    F[fh.cycle.$r]=$(since "$t0")
    F[fh.downtime.$r]=$(since "$t")
    new=$(jget '["job_id"]' <<<"$out")
    jr=$(jget '["restored_from"]' <<<"$out")
    [[ $jr == "$cancel_sp" ]] || NOTES+=("round $r flinkha: restored_from $jr, wanted $cancel_sp")
    F[fh.sp_ms.$r]=$(savepoint_ms "$jid" "$cancel_sp")
    F[fh.cancel_ms.$r]=$(cancel_job_ms "$jid" "$cancel_sp")
    local init; init=$(init_ts_ms "$new")
    F[fh.restore_ms.$r]=$(awk -v a="$init" -v b="$t_end_ms" 'BEGIN { if (a == "n/a") print "n/a"; else print b - a }')
    F[fh.first_sp_ms.$r]=$(savepoint_ms "$jid" "$sp")
    cancel_rest "$new"
}
cli_cycle() { # round
    local r=$1 out t0 t jid sp cancel_sp new jr rc=0
    log "round $r flink CLI: run -d (setup)"
    t=$(now)
    flink_cli "$B/logs/cli-run-$r.txt" run -d -m "$HOSTPORT" -p "$PAR" "$JAR" "${JOB_ARGS[@]}" || rc=$?
    out=$(cat "$B/logs/cli-run-$r.txt")
    ((rc == 0)) || { echo "$out"; die "flink run -d failed"; }
    jid=$(grep -oE 'JobID [0-9a-f]{32}' <<<"$out" | tail -1 | cut -d' ' -f2)
    [[ -n $jid ]] || { echo "$out"; die "no JobID in flink run output"; }
    wait_running "$jid" 180 || die "flink run: job $jid not RUNNING after 180 s"
    F[cli.setup.$r]=$(awk -v s="$(since "$t")" 'BEGIN { print s * 1000 }')
    sleep 5
    log "round $r flink CLI: savepoint → cancel -s → run -d -s (+ REST poll and restore check)"
    t0=$(now)
    flink_cli "$B/logs/cli-sp-$r.txt" savepoint -m "$HOSTPORT" "$jid" "file://$B/sp-cli" || rc=$?
    F[cli.savepoint.$r]=$(since "$t0")
    out=$(cat "$B/logs/cli-sp-$r.txt")
    ((rc == 0)) || { echo "$out"; die "flink savepoint failed"; }
    sp=$(grep -oE 'Path: [^ ]+' <<<"$out" | tail -1 | cut -d' ' -f2)
    t=$(now)
    flink_cli "$B/logs/cli-cancel-$r.txt" cancel -m "$HOSTPORT" -s "file://$B/sp-cli" "$jid" || rc=$?
    F[cli.cancel.$r]=$(since "$t")
    out=$(cat "$B/logs/cli-cancel-$r.txt")
    ((rc == 0)) || { echo "$out"; die "flink cancel -s failed"; }
    cancel_sp=$(grep -oE 'Savepoint stored in [^ ]+' <<<"$out" | tail -1 | awk '{ print $4 }')
    cancel_sp=${cancel_sp%.}
    [[ -n $cancel_sp ]] || { echo "$out"; die "no savepoint path in flink cancel -s output"; }
    local t_run
    t_run=$(now)
    flink_cli "$B/logs/cli-restore-$r.txt" run -d -m "$HOSTPORT" -p "$PAR" -s "$cancel_sp" "$JAR" "${JOB_ARGS[@]}" || rc=$?
    out=$(cat "$B/logs/cli-restore-$r.txt")
    ((rc == 0)) || { echo "$out"; die "flink run -d -s failed"; }
    new=$(grep -oE 'JobID [0-9a-f]{32}' <<<"$out" | tail -1 | cut -d' ' -f2)
    F[cli.submit.$r]=$(since "$t_run")
    wait_running "$new" 180 || die "flink run -s: job $new not RUNNING after 180 s"
    local t_end_ms
    t_end_ms=$(ms_now)
    jr=$(restored_path "$new")
    F[cli.restore.$r]=$(since "$t_run")
    F[cli.cycle.$r]=$(since "$t0")
    F[cli.downtime.$r]=$(since "$t")
    local a b
    a=$(sed -E 's#^file:/+#/#; s#/$##' <<<"$jr") b=$(sed -E 's#^file:/+#/#; s#/$##' <<<"$cancel_sp")
    [[ $a == "$b" ]] || NOTES+=("round $r flink CLI: restored from '$jr', wanted $cancel_sp")
    F[cli.sp_ms.$r]=$(savepoint_ms "$jid" "$cancel_sp")
    F[cli.cancel_ms.$r]=$(cancel_job_ms "$jid" "$cancel_sp")
    local init; init=$(init_ts_ms "$new")
    F[cli.restore_ms.$r]=$(awk -v a="$init" -v b="$t_end_ms" 'BEGIN { if (a == "n/a") print "n/a"; else print b - a }')
    F[cli.first_sp_ms.$r]=$(savepoint_ms "$jid" "$sp")
    cancel_rest "$new"
}

for ((r = 1; r <= ROUNDS; r++)); do
    REST=$(leader_rest)
    [[ -n $REST ]] || die "no leader REST address from flinkha leader show"
    HOSTPORT=${REST#http://}
    LEADERS+=("$HOSTPORT")
    # Alternate which side goes first.
    if ((r % 2)); then fh_cycle "$r"; cli_cycle "$r"; else cli_cycle "$r"; fh_cycle "$r"; fi
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

log "flinkha stop"
fh stop >"$B/logs/stop.txt" 2>&1 || { cat "$B/logs/stop.txt"; NOTES+=("flinkha stop failed: see $B/logs/stop.txt"); }
bench_unlock

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
col() { # side metric -> "v1 v2 v3"
    local r out=()
    for ((r = 1; r <= ROUNDS; r++)); do out+=("${F[$1.$2.$r]:-n/a}"); done
    echo "${out[*]}"
}
col_s() { local v out=(); for v in $(col "$1" "$2"); do out+=("$(ms_to_s "$v")"); done; echo "${out[*]}"; }
# Per round: Flink's own seconds (cancel savepoint + restore) and its share of the downtime.
own() { # side
    local r out=()
    for ((r = 1; r <= ROUNDS; r++)); do
        out+=("$(sum_s "$(ms_to_s "${F[$1.sp_ms.$r]:-n/a}")" "$(ms_to_s "${F[$1.restore_ms.$r]:-n/a}")")")
    done
    echo "${out[*]}"
}
share() { # side
    local r out=() o
    for ((r = 1; r <= ROUNDS; r++)); do
        o=$(sum_s "$(ms_to_s "${F[$1.sp_ms.$r]:-n/a}")" "$(ms_to_s "${F[$1.restore_ms.$r]:-n/a}")")
        out+=("$(awk -v o="$o" -v d="${F[$1.downtime.$r]:-n/a}" 'BEGIN { if (o == "n/a" || d == "n/a" || d + 0 == 0) print "n/a"; else printf "%.0f", 100 * o / d }')")
    done
    echo "${out[*]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b != "n/a") printf "%.2f", b / a; else print "n/a" }'; }
line() { # label fh-values cli-values
    local a b
    a=$(echo "$2" | median) b=$(echo "$3" | median)
    printf '%-46s %9s %9s %7s   %s | %s\n' "$1" "$a" "$b" "$(ratio "$a" "$b")" "$2" "$3"
}

echo
echo "flinkha job-operation figures: savepoint → cancel → restore ($(date -u +%FT%TZ))"
echo "  machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), nproc $(nproc), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr)"
echo "  load average: $LOAD_BEFORE_INSTALL before install, $LOAD_START at cluster start, $LOAD_END after the cycles"
echo "  Flink 2.1.0 (3 ZooKeeper, 2 JobManagers, 3 TaskManagers on 127.0.4.1-3, one sshd :$SSH_PORT), $(java -version 2>&1 | head -1)"
echo "  flinkha: $($FH --version) ($BUILD build); flink CLI: $SRC_HOME/bin/flink -m <leader REST> (leader per round: ${LEADERS[*]})"
echo "  job: flinkha-counter-job (keyed ValueState counters) ${JOB_ARGS[*]}, parallelism $PAR; $ROUNDS rounds per side, interleaved (first side alternates), medians"
echo
printf '%-46s %9s %9s %7s   %s\n' "seconds (median)" "flinkha" "flink CLI" "ratio" "per round: flinkha | flink CLI"
printf '%-46s %9s %9s %7s   %s\n' "----------------" "-------" "---------" "-----" "------------------------------"
line "cycle total (savepoint + cancel -s + restore)" "$(col fh cycle)" "$(col cli cycle)"
line "  savepoint (command)" "$(col fh savepoint)" "$(col cli savepoint)"
line "  cancel with savepoint (command)" "$(col fh cancel)" "$(col cli cancel)"
line "  restore: run from savepoint until RUNNING" "$(col fh restore)" "$(col cli restore)"
line "downtime (cancel request → restored RUNNING)" "$(col fh downtime)" "$(col cli downtime)"
line "  Flink: cancel savepoint end_to_end_duration" "$(col_s fh sp_ms)" "$(col_s cli sp_ms)"
line "  Flink: cancel savepoint trigger → job CANCELED" "$(col_s fh cancel_ms)" "$(col_s cli cancel_ms)"
line "  Flink: restore, INITIALIZING → all RUNNING" "$(col_s fh restore_ms)" "$(col_s cli restore_ms)"
line "  Flink's own time (savepoint + restore)" "$(own fh)" "$(own cli)"
printf '%-46s %8s%% %8s%%           %s | %s\n' "  Flink's share of the downtime" "$(share fh | median | cut -d. -f1)" "$(share cli | median | cut -d. -f1)" "$(share fh)" "$(share cli)"
line "first savepoint end_to_end_duration (Flink)" "$(col_s fh first_sp_ms)" "$(col_s cli first_sp_ms)"
line "setup run, not in the cycle (to RUNNING)" "$(col_s fh setup)" "$(col_s cli setup)"
# flinkha's own overhead per operation: the command's time minus Flink's own part of it.
overhead() { # side command-metric flink-metric(ms)
    local r o=()
    for r in $(seq 1 "$ROUNDS"); do
        o+=("$(awk -v c="${F[$1.$2.$r]:-n/a}" -v f="${F[$1.$3.$r]:-n/a}" 'BEGIN { if (c == "n/a" || f == "n/a") print "n/a"; else printf "%.2f", c - f / 1000 }')")
    done
    echo "${o[*]}"
}
echo
echo "flinkha's own time per operation (command minus Flink's part; per round):"
echo "  savepoint: $(overhead fh savepoint first_sp_ms)   cancel -s: $(overhead fh cancel cancel_ms)   run --from-savepoint: $(overhead fh restore restore_ms)"
echo "  (flink CLI likewise: savepoint $(overhead cli savepoint first_sp_ms)   cancel -s $(overhead cli cancel cancel_ms)   restore $(overhead cli restore restore_ms))"
echo "ratio = flink CLI / flinkha (>1: flinkha faster). flink CLI restore = 'flink run -d -s' ($(col cli submit | tr ' ' '/') s to return) + REST polling until all vertices RUNNING + restore-path check."
if ((${#NOTES[@]})); then
    echo
    echo "notes:"
    printf '  - %s\n' "${NOTES[@]}"
fi
echo
echo "logs: $B/logs, flinkha hosts: $B/fh/hosts/*/log"
