#!/usr/bin/env bash
# Upgrade figures: the per-job downtime of an in-place Flink 2.1.0 → 2.2.0 upgrade with
# `flinkha upgrade`, against the floor (a savepoint cycle with no restart) and the manual
# procedure with Flink's own scripts and CLI, on one 3-host simulated cluster (127.0.6.1-3
# through one dedicated sshd; 3 ZooKeeper, 2 JobManagers, 3 TaskManagers, started by flinkha)
# running the stateful counter job (declared under `jobs:` in the inventory, parallelism 2,
# --rate 40 --keys 4 --checkpoint-interval 1000). Prints a table; not a timed test.
#
#   benches/upgrade.sh
#
# Per-job downtime = from the stop request to every vertex RUNNING again (on the new version).
#   (a) floor, on the running 2.1.0 cluster, no restart (FLINKHA_BENCH_FLOOR_ROUNDS times,
#       median): from before `flinkha stop JOB --yes` (stop-with-savepoint) to the return of
#       `flinkha run counter --from-savepoint P` (it returns once all vertices are RUNNING and
#       the restore is verified).
#       Then, same version: `flinkha stop JOB`, `flinkha stop` + `flinkha start` (the cluster
#       restart, timed on its own: stop + start = "cluster restart"), `flinkha run
#       --from-savepoint`: the downtime of a same-version restart cycle, measured in one go.
#   (b) the manual procedure, 2.1.0 → 2.2.0, with Flink's own scripts and CLI:
#       `flink stop --savepointPath DIR JOB -m LEADER` (the 2.1.0 CLI, <root>/current/bin/flink),
#       the JobManagers/TaskManagers stopped with Flink's daemon scripts + waiting until the
#       pids are gone, `ln -sfn flink-2.2.0 current` on every host, the daemons started with
#       Flink's daemon scripts, REST polled until 3 TaskManagers are registered, `flink run -d
#       -s P -m LEADER JAR args` (the 2.2.0 CLI) and REST polled until every vertex is RUNNING
#       (then the restored savepoint path and /config's flink-version are checked, not timed).
#       stop-cluster.sh / start-cluster.sh cannot drive this layout: they run their own local
#       FLINK_HOME path on every host, with one conf and the default pid dir (/tmp) and ident
#       string, while each host here has its own install root, rendered conf dir, pid dir and
#       FLINK_IDENT_STRING. What they do per host is substituted exactly: over ssh, per host,
#       in stop-cluster.sh's order (TaskManagers, then JobManagers) and start-cluster.sh's order
#       (JobManagers, then TaskManagers), one at a time, `<root>/current/bin/taskmanager.sh
#       stop` / `jobmanager.sh start` ... with FLINK_CONF_DIR, FLINK_LOG_DIR, FLINK_PID_DIR and
#       FLINK_IDENT_STRING set as flinkha sets them (so the daemons are the same instances,
#       with the same pid files and logs). ZooKeeper is not touched (stop-cluster.sh does not
#       stop it): the quorum keeps running on 2.1.0's files. 2.2.0 is unpacked beside 2.1.0
#       on every host beforehand (`tar xzf` over ssh; not in the downtime, in the total).
#       The cluster then goes back to 2.1.0 (flinkha stop, `current` back, 2.2.0 removed,
#       flinkha start, the job run afresh), not measured.
#   (c) `flinkha upgrade --yes --on-failure stop` 2.1.0 → 2.2.0 (the inventory's version and
#       distribution edited): downtime per job from its JSON report (`jobs[].downtime_ms`:
#       stop request to all vertices RUNNING on 2.2.0), total = the command's wall time (it
#       also installs 2.2.0 and verifies 2 checkpoints after the restore). Its journal
#       (`.flinkha/bench-upgrade.upgrade.journal.json` beside the inventory) gives each step's
#       intent/done times: printed relative to the stop request.
#   (d) `flinkha upgrade --shadow --yes --on-failure stop` 2.2.0 → 2.3.0 right after (c): a
#       second deployment of 2.3.0 on the same hosts (own cluster-id and ports), the job moved
#       to it (stop-with-savepoint on 2.2.0, run on 2.3.0). Its floor is measured first on the
#       running 2.2.0 cluster, as in (a). Downtime from the JSON report; then `--finalize`
#       stops the 2.2.0 deployment (timed; the side-by-side time is printed).
# The goals checked: flinkha upgrade downtime ≤ floor + cluster restart (stop + start);
# shadow downtime ≤ 1.2 × its floor (on 2.2.0).
#
# Env: FLINKHA_BENCH_BUILD=debug|release (default release; a release build waits for the
# cluster lock), FLINKHA_BENCH_FLOOR_ROUNDS (default 3), FLINKHA_BENCH_DIR (default
# /var/tmp/flinkha-bench-upgrade; wiped at start), FLINKHA_BENCH_KEEP=1 keeps the Flink installs
# at exit (logs are always kept).
# Only one real Flink cluster may run on this machine at a time: the run holds
# /var/tmp/flinkha-cluster.lock (shared with the tests and other benchmarks) from before the
# cluster starts until it is stopped. Shared setup: benches/lib.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FLINKHA_BENCH_BUILD:-release}
FLOOR_ROUNDS=${FLINKHA_BENCH_FLOOR_ROUNDS:-3}
B=${FLINKHA_BENCH_DIR:-/var/tmp/flinkha-bench-upgrade}
CLUSTER=bench-upgrade
PAR=2
JOB_ARGS=(--rate 40 --keys 4 --checkpoint-interval 1000)
FROM=2.1.0 TO=2.2.0 SHADOW_TO=2.3.0
addrs=(127.0.6.1 127.0.6.2 127.0.6.3)
names=(h1 h2 h3)
# shellcheck source=benches/lib.sh
. "$here/benches/lib.sh"

# ---------------------------------------------------------------------------------------------
# Environment and build
# ---------------------------------------------------------------------------------------------
bench_env
TGZ_TO=$FLINKHA_TEST_FLINK_TGZ_2_2_0
TGZ_SHADOW=${FLINKHA_TEST_FLINK_TGZ_2_3_0:-}
[[ -f $TGZ_SHADOW ]] || die "Flink $SHADOW_TO missing in the cache (scripts/prepare-test-env.sh)"
HOME_TO=$FLINKHA_TEST_FLINK_HOME_2_2_0
JAR=$FLINKHA_TEST_JOB_JAR
[[ -f $JAR ]] || die "$JAR missing (scripts/prepare-test-env.sh builds it)"
[[ -f $TGZ_TO && -x $HOME_TO/bin/flink ]] || die "Flink $TO missing in the cache (scripts/prepare-test-env.sh)"
[[ -x $SRC_HOME/bin/flink ]] || die "$SRC_HOME/bin/flink missing"
bench_build

bench_trap
bench_fresh_dir cli-from cli-to sp-manual

# ---------------------------------------------------------------------------------------------
# The sshd, ports, the flinkha cluster (inventory with the declared job), the flink CLI confs
# ---------------------------------------------------------------------------------------------
bench_sshd
bench_ports 6 # zk peer, zk leader, zk client, rest, HA RPC h1, HA RPC h2
bench_flinkha_conf flinkha-bench-upgrade
ROOTS=$B/fh/hosts
INV=$B/fh/flinkha.yaml
inventory_for() { # version tarball
    bench_inventory "$CLUSTER" "$ROOTS" "$1" "$2"
    printf 'jobs:\n  counter:\n    jar: %s\n    args: [%s]\n    parallelism: %s\n' "$JAR" \
        "$(printf "'%s', " "${JOB_ARGS[@]}" | sed 's/, $//')" "$PAR"
}
inventory_for "$FROM" "$TGZ" >"$INV"
bench_config_check "$INV"
JOURNAL=$B/fh/.flinkha/$CLUSTER.upgrade.journal.json
JM_URLS=("http://${addrs[0]}:${P[3]}" "http://${addrs[1]}:${P[3]}")
flink_cli_conf "$B/cli-from" "$SRC_HOME" "$PAR"
flink_cli_conf "$B/cli-to" "$HOME_TO" "$PAR"

root_of() { echo "$ROOTS/${names[$1]}"; }
# The command line flinkha's start/stop scripts give Flink's daemon script on host i.
daemon_cmd() { # i script(jobmanager.sh|taskmanager.sh) start|stop
    local r; r=$(root_of "$1")
    printf 'cd %q && env FLINK_CONF_DIR=%q FLINK_LOG_DIR=%q FLINK_PID_DIR=%q FLINK_IDENT_STRING=%q %q %s' \
        "$r" "$r/conf" "$r/log" "$r/run" "$CLUSTER-${names[$1]}" "$r/current/bin/$2" "$3"
}
# The pids of the JobManagers and TaskManagers (from their pid files).
jm_tm_pids() { cat "$ROOTS"/*/run/flink-"$CLUSTER"-*-{standalonesession,taskexecutor}.pid 2>/dev/null | grep -E '^[0-9]+$' || true; }
# The first REST URL that has at least `want` TaskManagers registered.
rest_with_tms() { # timeout_s want url...
    local deadline=$((SECONDS + $1)) want=$2 u; shift 2
    while ((SECONDS < deadline)); do
        for u in "$@"; do
            [[ $(tm_count "$u") -ge $want ]] && { echo "$u"; return 0; }
        done
        sleep 0.2
    done
    return 1
}
flink_version() { rest /config | jget '["flink-version"]'; }
same_path() { [[ $(sed -E 's#^file:/+#/#; s#/$##' <<<"$1") == "$(sed -E 's#^file:/+#/#; s#/$##' <<<"$2")" ]]; }
NOTES=()
UPTIMES=()
up() { UPTIMES+=("$1: $(uptime | sed 's/^ *//')"); }

# ---------------------------------------------------------------------------------------------
# Install (not compared), take the cluster lock, start, run the job
# ---------------------------------------------------------------------------------------------
LOAD_BEFORE_INSTALL=$(cut -d' ' -f1-3 /proc/loadavg)
log "flinkha install $FROM (3 hosts over ssh; not compared)"
fh install >"$B/logs/install.txt" 2>&1 || { cat "$B/logs/install.txt"; die "flinkha install failed"; }
fh -q sync >"$B/logs/sync.txt" 2>&1 || { cat "$B/logs/sync.txt"; die "flinkha sync failed"; }

bench_lock
T_RUN=$(now)
up "lock held"
log "lock held; flinkha start"
fh start >"$B/logs/start.txt" 2>&1 || { cat "$B/logs/start.txt"; die "flinkha start failed"; }
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "cluster up; load average $LOAD_START; flinkha run counter"
run_counter() { # logname [savepoint] -> sets JID (and checks the restore)
    local out
    if (($# > 1)); then
        out=$(fh -o json run counter --from-savepoint "$2" 2>"$B/logs/$1.err") || { cat "$B/logs/$1.err"; die "flinkha run --from-savepoint failed"; }
        same_path "$(jget '["restored_from"]' <<<"$out")" "$2" || NOTES+=("$1: restored_from $(jget '["restored_from"]' <<<"$out"), wanted $2")
    else
        out=$(fh -o json run counter 2>"$B/logs/$1.err") || { cat "$B/logs/$1.err"; die "flinkha run failed"; }
    fi
    JID=$(jget '["job_id"]' <<<"$out")
}
stop_job() { # logname -> sets SP (stop-with-savepoint of $JID)
    local out
    out=$(fh -o json stop "$JID" 2>"$B/logs/$1.err") || { cat "$B/logs/$1.err"; die "flinkha stop JOB failed"; }
    SP=$(jget '["location"]' <<<"$out")
    [[ -n $SP ]] || die "no savepoint location from flinkha stop JOB: $out"
}
run_counter run-0
sleep 6 # counting + a few checkpoints

# ---------------------------------------------------------------------------------------------
# (a) the floor: stop-with-savepoint + run from it, no restart
# ---------------------------------------------------------------------------------------------
floor=() floor_stop=() floor_run=()
for ((r = 1; r <= FLOOR_ROUNDS; r++)); do
    log "(a) floor round $r: flinkha stop JOB → flinkha run --from-savepoint"
    t0=$(now)
    stop_job "floor-stop-$r"
    floor_stop+=("$(since "$t0")")
    t=$(now)
    run_counter "floor-run-$r" "$SP"
    floor_run+=("$(since "$t")")
    floor+=("$(since "$t0")")
    sleep 5
done
FLOOR=$(echo "${floor[*]}" | median)

log "(a) same version: flinkha stop JOB, flinkha stop + start (the cluster restart), run --from-savepoint"
t0=$(now)
stop_job cycle-stop
t=$(now)
fh stop 2> >(stamp "$t" >"$B/logs/restart-stop.txt") >"$B/logs/restart-stop.out" || { sleep 0.5; cat "$B/logs/restart-stop.txt"; die "flinkha stop failed"; }
RESTART_STOP=$(since "$t")
t=$(now)
fh start 2> >(stamp "$t" >"$B/logs/restart-start.txt") >"$B/logs/restart-start.out" || { sleep 0.5; cat "$B/logs/restart-start.txt"; die "flinkha start failed"; }
RESTART_START=$(since "$t")
run_counter cycle-run "$SP"
CYCLE=$(since "$t0")
RESTART=$(sum_s "$RESTART_STOP" "$RESTART_START")
sleep 5

# ---------------------------------------------------------------------------------------------
# (b) the manual procedure with Flink's scripts and CLI, 2.1.0 → 2.2.0
# ---------------------------------------------------------------------------------------------
REST=$(leader_rest)
[[ -n $REST ]] || die "no leader REST address from flinkha leader show"
LEADER_B=${REST#http://}
log "(b) manual: unpack flink-$TO beside flink-$FROM on every host (not in the downtime)"
t=$(now)
for i in 0 1 2; do
    on_host "$i" "tar xzf $(printf %q "$TGZ_TO") -C $(printf %q "$(root_of "$i")")" >>"$B/logs/manual-untar.txt" 2>&1 || die "tar xzf on ${names[i]} failed"
    [[ -x $(root_of "$i")/flink-$TO/bin/jobmanager.sh ]] || die "no flink-$TO on ${names[i]} after tar"
done
M_INSTALL=$(since "$t")
mapfile -t old_pids < <(jm_tm_pids)
((${#old_pids[@]} == 5)) || NOTES+=("(b): ${#old_pids[@]} JobManager/TaskManager pids before the stop (want 5)")
log "(b) manual: flink stop → daemon scripts stop → ln -sfn → daemon scripts start → flink run -d -s"
T0=$(now)
rc=0
flink_cli_in "$(root_of 0)/current/bin/flink" "$B/cli-from" "$B/logs/manual-flink-stop.txt" \
    stop --savepointPath "file://$B/sp-manual" -m "$LEADER_B" "$JID" || rc=$?
((rc == 0)) || { cat "$B/logs/manual-flink-stop.txt"; die "flink stop failed"; }
M_SP=$(grep -oE 'Path: [^ ]+' "$B/logs/manual-flink-stop.txt" | tail -1 | cut -d' ' -f2)
[[ -n $M_SP ]] || { cat "$B/logs/manual-flink-stop.txt"; die "no savepoint path in flink stop output"; }
M_STOPJOB=$(since "$T0")
t=$(now)
for i in 0 1 2; do on_host "$i" "$(daemon_cmd "$i" taskmanager.sh stop)" >>"$B/logs/manual-stop.txt" 2>&1 || die "taskmanager.sh stop on ${names[i]} failed"; done
for i in 0 1; do on_host "$i" "$(daemon_cmd "$i" jobmanager.sh stop)" >>"$B/logs/manual-stop.txt" 2>&1 || die "jobmanager.sh stop on ${names[i]} failed"; done
M_STOP_RET=$(since "$t")
wait_gone 120 "${old_pids[@]}" || die "(b): daemons alive 120 s after the stop scripts"
M_STOP=$(since "$t")
t=$(now)
for i in 0 1 2; do on_host "$i" "cd $(printf %q "$(root_of "$i")") && ln -sfn flink-$TO current" || die "ln -sfn on ${names[i]} failed"; done
M_SWAP=$(since "$t")
t=$(now)
for i in 0 1; do on_host "$i" "$(daemon_cmd "$i" jobmanager.sh start)" >>"$B/logs/manual-start.txt" 2>&1 || die "jobmanager.sh start on ${names[i]} failed"; done
for i in 0 1 2; do on_host "$i" "$(daemon_cmd "$i" taskmanager.sh start)" >>"$B/logs/manual-start.txt" 2>&1 || die "taskmanager.sh start on ${names[i]} failed"; done
M_START_RET=$(since "$t")
REST=$(rest_with_tms 180 3 "${JM_URLS[@]}") || die "(b): 3 TaskManagers not registered 180 s after the start scripts"
M_START=$(since "$t")
t=$(now)
rc=0
flink_cli_in "$(root_of 0)/current/bin/flink" "$B/cli-to" "$B/logs/manual-flink-run.txt" \
    run -d -m "${REST#http://}" -p "$PAR" -s "$M_SP" "$JAR" "${JOB_ARGS[@]}" || rc=$?
((rc == 0)) || { cat "$B/logs/manual-flink-run.txt"; die "flink run -d -s failed"; }
M_JID=$(grep -oE 'JobID [0-9a-f]{32}' "$B/logs/manual-flink-run.txt" | tail -1 | cut -d' ' -f2)
[[ -n $M_JID ]] || { cat "$B/logs/manual-flink-run.txt"; die "no JobID in flink run output"; }
M_SUBMIT=$(since "$t")
wait_running "$M_JID" 180 || die "(b): job $M_JID not RUNNING 180 s after flink run"
M_DOWN=$(since "$T0")
M_RUN=$(since "$t")
M_TOTAL=$(sum_s "$M_INSTALL" "$M_DOWN")
same_path "$(restored_path "$M_JID")" "$M_SP" || NOTES+=("(b): restored from '$(restored_path "$M_JID")', wanted $M_SP")
M_VERSION=$(flink_version)
[[ $M_VERSION == "$TO" ]] || NOTES+=("(b): the cluster reports Flink $M_VERSION after the manual upgrade (want $TO)")
M_LEADER_AFTER=${REST#http://}

log "back to $FROM (not measured): cancel, flinkha stop, current → flink-$FROM, flink-$TO removed, start, run"
cancel_rest "$M_JID"
fh stop >"$B/logs/back-stop.txt" 2>&1 || { cat "$B/logs/back-stop.txt"; die "flinkha stop (back to $FROM) failed"; }
for i in 0 1 2; do
    r=$(root_of "$i")
    ln -sfn "flink-$FROM" "$r/current"
    rm -rf "${r:?}/flink-$TO"
done
fh start >"$B/logs/back-start.txt" 2>&1 || { cat "$B/logs/back-start.txt"; die "flinkha start (back on $FROM) failed"; }
run_counter run-c
sleep 6

# ---------------------------------------------------------------------------------------------
# (c) flinkha upgrade --yes, 2.1.0 → 2.2.0
# ---------------------------------------------------------------------------------------------
inventory_for "$TO" "$TGZ_TO" >"$INV"
up "before flinkha upgrade"
log "(c) flinkha upgrade --yes $FROM → $TO"
t=$(now)
rc=0
fh -o json upgrade --on-failure stop >"$B/logs/upgrade.json" 2> >(stamp "$t" >"$B/logs/upgrade.txt") || rc=$?
U_TOTAL=$(since "$t")
up "after flinkha upgrade"
((rc == 0)) || { sleep 0.5; cat "$B/logs/upgrade.txt" "$B/logs/upgrade.json"; die "flinkha upgrade failed (exit $rc)"; }
read -r U_STATE U_DOWN_MS U_REPORT_MS U_NEW U_SP U_VERIFIED < <(python3 - "$B/logs/upgrade.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
j = (d.get("jobs") or [{}])[0]
print(d.get("state"), j.get("downtime_ms", "n/a"), d.get("total_ms", "n/a"), j.get("new_job_id") or "-",
      j.get("savepoint") or "-", j.get("verified"))
EOF
)
[[ $U_STATE == completed ]] || NOTES+=("(c): upgrade state $U_STATE")
[[ $U_VERIFIED == True ]] || NOTES+=("(c): job not verified in the report")
U_DOWN=$(ms_to_s "$U_DOWN_MS")
REST=$(leader_rest)
U_VERSION=$(flink_version)
[[ $U_VERSION == "$TO" ]] || NOTES+=("(c): the cluster reports Flink $U_VERSION after the upgrade (want $TO)")
[[ $(vertices_state "$U_NEW") == yes ]] || NOTES+=("(c): job $U_NEW not RUNNING after the upgrade: $(vertices_state "$U_NEW")")
same_path "$(restored_path "$U_NEW")" "$U_SP" || NOTES+=("(c): restored from '$(restored_path "$U_NEW")', wanted $U_SP")
# Each step from the journal: intent → done, relative to the (first) stop request.
python3 - "$JOURNAL" >"$B/logs/upgrade-steps.txt" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
first, done = {}, {}
for e in j["entries"]:
    if e["phase"] == "intent":
        first.setdefault(e["step"], e["at_ms"])
    elif e["phase"] == "done":
        done[e["step"]] = e
t0 = min((first[s["id"]] for s in j["plan"]["steps"] if s["id"].startswith("stop-job/") and s["id"] in first), default=None)
if t0 is None:
    t0 = min(first.values())
print("    %-44s %9s %9s %9s" % ("step (journal intent → done)", "start", "end", "took"))
for s in j["plan"]["steps"]:
    i, d = first.get(s["id"]), done.get(s["id"])
    if i is None:
        print("    %-44s not run" % s["id"]); continue
    end = d["at_ms"] if d else None
    extra = ""
    o = (d or {}).get("outcome") or {}
    if isinstance(o, dict) and "running_ms" in o:
        extra = "  all vertices RUNNING at %+.2f s" % ((o["running_ms"] - t0) / 1000)
    print("    %-44s %+8.2fs %+8.2fs %8.2fs%s" % (s["id"][:44], (i - t0) / 1000,
          ((end - t0) / 1000) if end else float("nan"), ((end - i) / 1000) if end else float("nan"), extra))
print("    (seconds relative to the stop request; downtime = stop request → all vertices RUNNING)")
EOF

# ---------------------------------------------------------------------------------------------
# (d) flinkha upgrade --shadow, 2.2.0 → 2.3.0, against its floor on 2.2.0
# ---------------------------------------------------------------------------------------------
JID=$U_NEW
sleep 5
floor2=()
for ((r = 1; r <= FLOOR_ROUNDS; r++)); do
    log "(d) floor round $r on $TO: flinkha stop JOB → flinkha run --from-savepoint"
    t0=$(now)
    stop_job "floor2-stop-$r"
    run_counter "floor2-run-$r" "$SP"
    floor2+=("$(since "$t0")")
    sleep 5
done
FLOOR2=$(echo "${floor2[*]}" | median)
inventory_for "$SHADOW_TO" "$TGZ_SHADOW" >"$INV"
up "before flinkha upgrade --shadow"
log "(d) flinkha upgrade --shadow --yes $TO → $SHADOW_TO"
t=$(now)
rc=0
fh -o json upgrade --shadow --on-failure stop >"$B/logs/shadow.json" 2> >(stamp "$t" >"$B/logs/shadow.txt") || rc=$?
S_TOTAL=$(since "$t")
up "after flinkha upgrade --shadow"
((rc == 0)) || { sleep 0.5; cat "$B/logs/shadow.txt" "$B/logs/shadow.json"; die "flinkha upgrade --shadow failed (exit $rc)"; }
read -r S_STATE S_DOWN_MS S_NEW S_VERIFIED S_CLUSTER < <(python3 - "$B/logs/shadow.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
j = (d.get("jobs") or [{}])[0]
print(d.get("state"), j.get("downtime_ms", "n/a"), j.get("new_job_id") or "-", j.get("verified"),
      j.get("new_cluster_id") or "-")
EOF
)
[[ $S_STATE == completed ]] || NOTES+=("(d): shadow upgrade state $S_STATE")
[[ $S_VERIFIED == True ]] || NOTES+=("(d): job not verified in the report")
S_DOWN=$(ms_to_s "$S_DOWN_MS")
fh -o json jobs show "$S_NEW" >/dev/null 2>&1 || NOTES+=("(d): flinkha jobs show $S_NEW does not find it on the active deployment")
t=$(now)
fh -o json upgrade --finalize --yes >"$B/logs/finalize.json" 2>"$B/logs/finalize.txt" || NOTES+=("(d): finalize failed: see $B/logs/finalize.txt")
S_FINALIZE=$(since "$t")
S_SIDE_MS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("side_by_side_ms") or "n/a")' "$B/logs/finalize.json" 2>/dev/null || echo n/a)

log "flinkha stop"
fh stop >"$B/logs/stop.txt" 2>&1 || { cat "$B/logs/stop.txt"; NOTES+=("flinkha stop failed: see $B/logs/stop.txt"); }
up "end (cluster stopped)"
bench_unlock
RUN_S=$(since "$T_RUN")

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v f="$FLOOR" 'BEGIN { if (a == "n/a" || a == "-" || f + 0 <= 0) print "-"; else printf "%.2f", a / f }'; }
rowf() { printf '%-64s %10s %9s %7s\n' "$1" "$2" "$3" "$(ratio "$2")"; }
echo
echo "flinkha upgrade figures: Flink $FROM → $TO in place ($(date -u +%FT%TZ))"
echo "  machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), nproc $(nproc), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr)"
echo "  load average: $LOAD_BEFORE_INSTALL before install, $LOAD_START at cluster start"
echo "  cluster: 3 ZooKeeper, 2 JobManagers, 3 TaskManagers on ${addrs[*]}, one sshd :$SSH_PORT; $(java -version 2>&1 | head -1)"
echo "  flinkha: $($FH --version) ($BUILD build); job: flinkha-counter-job ${JOB_ARGS[*]}, parallelism $PAR"
echo "  run time with the cluster lock held: ${RUN_S} s"
echo
printf '%-64s %10s %9s %7s\n' "operation" "downtime s" "total s" "ratio"
printf '%-64s %10s %9s %7s\n' "---------" "----------" "-------" "-----"
rowf "(a) floor: flinkha stop JOB + run --from-savepoint ($FROM, median)" "$FLOOR" "$FLOOR"
rowf "    same version: stop JOB, flinkha stop + start, run --from-sp" "$CYCLE" "$CYCLE"
printf '%-64s %10s %9s %7s\n' "    cluster restart: flinkha stop + flinkha start (no job)" "-" "$RESTART" "-"
rowf "(b) manual: flink stop, scripts stop, ln -sfn, start, flink run" "$M_DOWN" "$M_TOTAL"
rowf "(c) flinkha upgrade --yes" "$U_DOWN" "$U_TOTAL"
printf '%-64s %10s %9s %7s\n' "(d) floor on $TO (median)" "$FLOOR2" "$FLOOR2" "1.00"
printf '%-64s %10s %9s %7s\n' "    flinkha upgrade --shadow $TO → $SHADOW_TO" "$S_DOWN" "$S_TOTAL" \
    "$(awk -v a="$S_DOWN" -v f="$FLOOR2" 'BEGIN { if (a == "n/a" || f + 0 <= 0) print "-"; else printf "%.2f", a / f }')"
printf '%-64s %10s %9s %7s\n' "    flinkha upgrade --finalize (old deployment stopped)" "-" "$S_FINALIZE" "-"
echo "ratio = downtime / floor. total: (a) the same commands; (b) + unpacking $TO on 3 hosts beforehand (${M_INSTALL} s);"
echo "  (c) the command's wall time (install of $TO, the move, verification of 2 checkpoints; report total_ms $(ms_to_s "$U_REPORT_MS") s)."
echo "  (d) ratio = shadow downtime / the floor on $TO; total: install of $SHADOW_TO, the shadow's start, the move, verification;"
echo "      the deployments ran side by side for $(ms_to_s "$S_SIDE_MS") s until --finalize; the job runs under $S_CLUSTER."
echo
GOAL=$(sum_s "$FLOOR" "$RESTART")
if awk -v u="$U_DOWN" -v g="$GOAL" 'BEGIN { exit !(u != "n/a" && u + 0 <= g + 0) }'; then
    echo "goal \"flinkha upgrade downtime <= floor + cluster restart\": HOLDS: $U_DOWN s <= $FLOOR + $RESTART_STOP + $RESTART_START = $GOAL s"
else
    echo "goal \"flinkha upgrade downtime <= floor + cluster restart\": does NOT hold: $U_DOWN s > $FLOOR + $RESTART_STOP + $RESTART_START = $GOAL s"
fi
echo
S_GOAL=$(awk -v f="$FLOOR2" 'BEGIN { printf "%.2f", 1.2 * f }')
if awk -v u="$S_DOWN" -v g="$S_GOAL" 'BEGIN { exit !(u != "n/a" && u + 0 <= g + 0) }'; then
    echo "goal \"shadow downtime <= 1.2 x floor\": HOLDS: $S_DOWN s <= 1.2 x $FLOOR2 = $S_GOAL s"
else
    echo "goal \"shadow downtime <= 1.2 x floor\": does NOT hold: $S_DOWN s > 1.2 x $FLOOR2 = $S_GOAL s"
fi
echo
echo "raw seconds:"
echo "  (a) floor per round: ${floor[*]} (stop JOB ${floor_stop[*]} | run --from-savepoint ${floor_run[*]})"
echo "      cluster restart: flinkha stop $RESTART_STOP + flinkha start $RESTART_START"
echo "  (b) flink stop $M_STOPJOB | stop scripts returned $M_STOP_RET, daemons gone $M_STOP | ln -sfn x3 $M_SWAP |"
echo "      start scripts returned $M_START_RET, 3 TMs registered $M_START | flink run -d -s returned $M_SUBMIT, all RUNNING $M_RUN"
echo "      leader: $LEADER_B before, submitted to $M_LEADER_AFTER after; Flink $M_VERSION after"
echo "  (c) report downtime_ms $U_DOWN_MS, total_ms $U_REPORT_MS, state $U_STATE; Flink $U_VERSION after"
echo "  (d) floor on $TO per round: ${floor2[*]}; shadow report downtime_ms $S_DOWN_MS, state $S_STATE"
echo
echo "where flinkha upgrade's time went (its journal, $JOURNAL):"
cat "$B/logs/upgrade-steps.txt"
echo
echo "load (uptime):"
printf '  %s\n' "${UPTIMES[@]}"
if ((${#NOTES[@]})); then
    echo
    echo "notes:"
    printf '  - %s\n' "${NOTES[@]}"
fi
echo
echo "logs: $B/logs (upgrade.txt: its status lines, timestamped), flinkha hosts: $B/fh/hosts/*/log"
