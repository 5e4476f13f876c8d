#!/usr/bin/env bash
# Lifecycle figures: flinkha vs the tools an operator would otherwise use, side by side, on a
# 3-host simulated cluster (127.0.4.1-3 through one dedicated sshd; 3 ZooKeeper, 2 JobManagers,
# 3 TaskManagers, Flink 2.1.0). Prints a table; not a timed test.
#
#   benches/lifecycle.sh
#
#   1. flinkha start (waits: quorum serving, leader + REST, all TMs registered) vs Flink's
#      bin/start-zookeeper-quorum.sh + bin/start-cluster.sh (+ polling REST /taskmanagers until
#      all 3 are registered); flinkha stop vs bin/stop-cluster.sh + bin/stop-zookeeper-quorum.sh
#      (+ waiting until every daemon pid is gone: the scripts do not wait).
#   2. flinkha sync (into empty roots, and a no-change re-sync) vs a serial `scp -r conf/` loop.
#   3. flinkha leader show vs Debian's zkCli.sh `get .../leader/rest_server/connection_info`.
#
# Env: FLINKHA_BENCH_BUILD=debug|release (default debug), FLINKHA_BENCH_ROUNDS (cluster
# start/stop rounds per side, default 2), FLINKHA_BENCH_REPEAT (quick measurements, default 5),
# FLINKHA_BENCH_DIR (default /var/tmp/flinkha-bench; wiped at start), FLINKHA_BENCH_KEEP=1 keeps
# the Flink installs at exit (logs are always kept).
#
# Flink's scripts cannot give each host its own FLINK_HOME or bind address (one conf for all):
# the baseline uses ONE FLINK_HOME (a hard-linked copy of the cache's flink-2.1.0) whose conf
# names the 127.0.4.x hosts, binds all interfaces, gives each master its own web UI port in
# `masters`, uses an HA RPC port range, and reaches the sshd through env.ssh.opts.
# Only one real Flink cluster may run on this machine at a time: the measurement phase holds
# /var/tmp/flinkha-cluster.lock (shared with the tests and other benchmarks); a release build
# waits for it too. The setup shared with the other benches (sshd, ports, inventory, install
# roots, cleanup by pid) is benches/lib.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FLINKHA_BENCH_BUILD:-debug}
ROUNDS=${FLINKHA_BENCH_ROUNDS:-2}
REPEAT=${FLINKHA_BENCH_REPEAT:-5}
B=${FLINKHA_BENCH_DIR:-/var/tmp/flinkha-bench}
ZKCLI=/usr/share/zookeeper/bin/zkCli.sh
addrs=(127.0.4.1 127.0.4.2 127.0.4.3)
names=(h1 h2 h3)
# shellcheck source=benches/lib.sh
. "$here/benches/lib.sh"

# ---------------------------------------------------------------------------------------------
# Environment and build
# ---------------------------------------------------------------------------------------------
bench_env
[[ -x $ZKCLI ]] || die "$ZKCLI missing (apt-get install zookeeper)"
bench_build

# ---------------------------------------------------------------------------------------------
# Cleanup: everything started here, by pid (lib.sh), plus the Flink-scripts cluster's daemons
# ---------------------------------------------------------------------------------------------
fs_pids() { cat "$B"/fs/pids/*.pid "$B"/fs/started.pids 2>/dev/null | grep -E '^[0-9]+$' | sort -u || true; }
extra_pids() { fs_pids; }
KEEP_CLEAN=("$B/fs/flink" "$B/fs/tmp")
bench_trap
bench_fresh_dir fs/pids fs/log fs/tmp fs/ha sync scp

# ---------------------------------------------------------------------------------------------
# The sshd, ports, the flinkha cluster (inventory + Flink conf dir)
# ---------------------------------------------------------------------------------------------
bench_sshd

# flinkha: zk peer, zk leader, zk client, rest, HA RPC h1, HA RPC h2.
# Baseline: zk peer, zk leader, zk client, rest h1, rest h2 (+ an HA RPC range below).
# Checked free on the loopback addresses AND on 0.0.0.0 (the JobManagers bind all interfaces).
bench_ports 11
HA_RANGE_BASE=$(python3 - "${P[@]}" <<'EOF'
import random, socket, sys
taken = {int(x) for x in sys.argv[1:]}
def free(p):
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", p)); return True
    except OSError:
        return False
    finally:
        s.close()
while True:
    p = random.randint(20000, 45000)
    if p not in taken and p + 1 not in taken and free(p) and free(p + 1):
        print(p); break
EOF
)

bench_flinkha_conf flinkha-bench
bench_inventory bench "$B/fh/hosts" >"$B/fh/flinkha.yaml"
bench_inventory bench "$B/sync" >"$B/fh/flinkha-sync.yaml"
INV=$B/fh/flinkha.yaml
QUORUM_FH="127.0.4.1:${P[2]},127.0.4.2:${P[2]},127.0.4.3:${P[2]}"
bench_config_check "$INV"

# ---------------------------------------------------------------------------------------------
# The Flink-scripts cluster: one FLINK_HOME, one conf for all hosts
# ---------------------------------------------------------------------------------------------
FS_HOME=$B/fs/flink
cp -al "$SRC_HOME" "$FS_HOME"     # hard links: the scripts and jars are only read
rm -rf "$FS_HOME/conf" "$FS_HOME/log" && mkdir -p "$FS_HOME/conf" "$FS_HOME/log"
cp "$here"/conf.example/conf/log4j*.properties "$FS_HOME/conf/"
R1=${P[8]} R2=${P[9]}
printf '127.0.4.1:%s\n127.0.4.2:%s\n' "$R1" "$R2" >"$FS_HOME/conf/masters"
printf '127.0.4.1\n127.0.4.2\n127.0.4.3\n' >"$FS_HOME/conf/workers"
{
    # No dataDir: with one zoo.cfg for three peers on one machine a shared dataDir would get
    # each peer's myid overwritten; Flink's peer then uses a random dir under java.io.tmpdir.
    printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nclientPort=%s\n' "${P[7]}"
    printf '4lw.commands.whitelist=srvr,ruok,mntr,stat\nadmin.enableServer=false\n'
    for i in 1 2 3; do
        printf 'server.%s=127.0.4.%s:%s:%s;127.0.4.%s:%s\n' "$i" "$i" "${P[6]}" "${P[10]}" "$i" "${P[7]}"
    done
} >"$FS_HOME/conf/zoo.cfg"
# Same Flink settings as the flinkha cluster (conf.example's config.yaml), plus what the one
# shared conf needs on one machine. Flat keys; env.java.opts.all from the shipped config.
{
    grep -v '^ *#' "$B/fh/conf/config.yaml" | sed -n '/^env:/,/^$/p' |
        sed -E "s#^(      all: )#\\1-Djava.io.tmpdir=$B/fs/tmp #"
    cat <<EOF
high-availability.type: zookeeper
high-availability.storageDir: file://$B/fs/ha
high-availability.cluster-id: /flinkha-bench-scripts
high-availability.zookeeper.path.root: /flink
high-availability.zookeeper.quorum: 127.0.4.1:${P[7]},127.0.4.2:${P[7]},127.0.4.3:${P[7]}
high-availability.zookeeper.client.session-timeout: 6000
high-availability.jobmanager.port: $HA_RANGE_BASE-$((HA_RANGE_BASE + 1))
jobmanager.memory.process.size: 768m
jobmanager.execution.failover-strategy: region
taskmanager.numberOfTaskSlots: 2
taskmanager.memory.process.size: 1024m
parallelism.default: 1
execution.checkpointing.dir: file://$B/fs/checkpoints
execution.checkpointing.savepoint-dir: file://$B/fs/savepoints
execution.checkpointing.interval: 10s
jobmanager.bind-host: 0.0.0.0
rest.bind-address: 0.0.0.0
taskmanager.bind-host: 0.0.0.0
io.tmp.dirs: $B/fs/tmp
env.pid.dir: $B/fs/pids
env.log.dir: $B/fs/log
env.ssh.opts: ${SSH_OPTS[*]}
EOF
} >"$FS_HOME/conf/config.yaml"
grep -q -- '-Djava.io.tmpdir=' "$FS_HOME/conf/config.yaml" || die "could not carry env.java.opts.all over"

# ---------------------------------------------------------------------------------------------
# Measurement helpers
# ---------------------------------------------------------------------------------------------
ROWS=()
row() { ROWS+=("$1|$2|$3|$4"); } # operation | flinkha s | baseline s | note
CLK_TCK=$(getconf CLK_TCK)
# CPU ticks the whole machine spent busy so far (/proc/stat: user nice system irq softirq
# steal; not idle, not iowait).
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# CPU seconds (user + sys) the processes `pids` have used so far.
pids_cpu() {
    local p sum=0 f
    for p in "$@"; do
        f=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
        # shellcheck disable=SC2086 # fields
        set -- $f
        sum=$((sum + ${12} + ${13}))
    done
    awk -v t="$sum" -v k="$CLK_TCK" 'BEGIN { printf "%.1f", t / k }'
}
ticks_s() { awk -v a="$1" -v b="$2" -v k="$CLK_TCK" 'BEGIN { printf "%.1f", (b - a) / k }'; }
# tm_count, wait_tms, stamp, fh: benches/lib.sh

# ---------------------------------------------------------------------------------------------
# Machine info, install (not compared), take the cluster lock
# ---------------------------------------------------------------------------------------------
LOAD_BEFORE_INSTALL=$(cut -d' ' -f1-3 /proc/loadavg)
log "flinkha install (3 hosts, ~300 MB each over ssh; not compared)"
t=$(now)
fh install >"$B/logs/install.txt" 2>&1 || { cat "$B/logs/install.txt"; die "flinkha install failed"; }
INSTALL_S=$(since "$t")
fh -q sync >"$B/logs/sync-cluster.txt" 2>&1 || { cat "$B/logs/sync-cluster.txt"; die "flinkha sync failed"; }

bench_lock
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "lock held; load average $LOAD_START"

# ---------------------------------------------------------------------------------------------
# 2. sync vs scp
# ---------------------------------------------------------------------------------------------
log "sync: flinkha into empty roots / no-change re-sync, x$REPEAT"
first=() again=()
for ((i = 0; i < REPEAT; i++)); do
    rm -rf "$B/sync"
    t=$(now); "$FH" -c "$B/fh/flinkha-sync.yaml" --yes -q sync >>"$B/logs/sync-bench.txt" 2>&1 || die "flinkha sync (empty roots) failed: see $B/logs/sync-bench.txt"
    first+=("$(since "$t")")
    t=$(now); "$FH" -c "$B/fh/flinkha-sync.yaml" --yes -q sync >>"$B/logs/sync-bench.txt" 2>&1 || die "flinkha sync (re-sync) failed"
    again+=("$(since "$t")")
done
scp_loop() { # extra scp args...
    local i
    for i in 0 1 2; do
        scp -q -r "${SSH_OPTS[@]/#-p/-P}" "$@" "$B/fh/conf" "${addrs[i]}:$B/scp/${names[i]}/"
    done
}
log "sync: serial scp -r loops (sftp mode and -O legacy mode), x$REPEAT"
scp_empty=() scp_again=() scpO_empty=() scpO_again=()
for ((i = 0; i < REPEAT; i++)); do
    rm -rf "$B/scp" && mkdir -p "$B"/scp/{h1,h2,h3}
    t=$(now); scp_loop; scp_empty+=("$(since "$t")")
    t=$(now); scp_loop; scp_again+=("$(since "$t")")
    rm -rf "$B/scp" && mkdir -p "$B"/scp/{h1,h2,h3}
    t=$(now); scp_loop -O; scpO_empty+=("$(since "$t")")
    t=$(now); scp_loop -O; scpO_again+=("$(since "$t")")
done
[[ $(find "$B/scp" -type f | wc -l) -eq 24 ]] || die "scp loop did not copy 3x8 files"
row "sync, empty roots (3 hosts, 8 files)" "$(echo "${first[*]}" | median)" "$(echo "${scp_empty[*]}" | median)" "scp -r loop, default (sftp) mode"
row "sync, empty roots (3 hosts, 8 files)" "$(echo "${first[*]}" | median)" "$(echo "${scpO_empty[*]}" | median)" "scp -O -r loop (legacy scp protocol)"
row "sync, no change" "$(echo "${again[*]}" | median)" "$(echo "${scp_again[*]}" | median)" "scp -r loop (copies all again), sftp mode"
row "sync, no change" "$(echo "${again[*]}" | median)" "$(echo "${scpO_again[*]}" | median)" "scp -O -r loop (copies all again)"
SYNC_RAW="flinkha empty: ${first[*]} | re-sync: ${again[*]} | scp: ${scp_empty[*]} / ${scp_again[*]} | scp -O: ${scpO_empty[*]} / ${scpO_again[*]}"

# ---------------------------------------------------------------------------------------------
# 1 + 3. cluster start / leader / stop, interleaved rounds
# ---------------------------------------------------------------------------------------------
FS_URLS=("http://127.0.4.1:$R1" "http://127.0.4.2:$R2")
FH_URLS=("http://127.0.4.1:${P[3]}" "http://127.0.4.2:${P[3]}")
fh_busy=() fh_jvm=() fs_busy=() fs_jvm=()
fh_start=() fh_stop=() fs_ret=() fs_tms=() fs_zk=() fs_stop_ret=() fs_stop_gone=()
leader_fh=() leader_zk=()
NOTES=()
for ((r = 1; r <= ROUNDS; r++)); do
    # --- flinkha
    log "round $r: flinkha start"
    b0=$(busy_ticks)
    t=$(now)
    fh start 2> >(stamp "$t" >"$B/logs/fh-start-$r.txt") >"$B/logs/fh-start-$r.out" ||
        { sleep 0.5; cat "$B/logs/fh-start-$r.txt" "$B/logs/fh-start-$r.out"; die "flinkha start failed (round $r)"; }
    fh_start+=("$(since "$t")")
    fh_busy+=("$(ticks_s "$b0" "$(busy_ticks)")")
    mapfile -t jvms < <(fh_pids)
    fh_jvm+=("$(pids_cpu "${jvms[@]}")")
    n=$(tm_count "${FH_URLS[@]}")
    [[ $n -eq 3 ]] || NOTES+=("round $r: flinkha start returned with $n TaskManagers registered per REST (want 3)")
    if ((r == 1)); then
        log "leader show vs zkCli.sh get, x$REPEAT"
        for ((i = 0; i < REPEAT; i++)); do
            t=$(now); fh leader show >"$B/logs/leader-show.txt" 2>&1 || die "flinkha leader show failed: $(cat "$B/logs/leader-show.txt")"
            leader_fh+=("$(since "$t")")
            t=$(now)
            "$ZKCLI" -server "$QUORUM_FH" get /flink/flinkha-bench/leader/rest_server/connection_info \
                >"$B/logs/zkcli.txt" 2>&1 </dev/null || die "zkCli.sh failed: $(tail -5 "$B/logs/zkcli.txt")"
            leader_zk+=("$(since "$t")")
            grep -aq 'http://127.0.4' "$B/logs/zkcli.txt" || die "zkCli.sh did not print the leader's REST address: $(tail -5 "$B/logs/zkcli.txt")"
        done
    fi
    log "round $r: flinkha stop"
    mapfile -t pids < <({ fh_pids; grep -o 'started (pid [0-9]*' "$B/logs/fh-start-$r.txt" | grep -o '[0-9]*$'; } | sort -u)
    [[ ${#pids[@]} -eq 8 ]] || NOTES+=("round $r: found ${#pids[@]} flinkha daemon pids (want 8)")
    t=$(now)
    fh stop 2> >(stamp "$t" >"$B/logs/fh-stop-$r.txt") >"$B/logs/fh-stop-$r.out" ||
        { sleep 0.5; cat "$B/logs/fh-stop-$r.txt"; die "flinkha stop failed (round $r)"; }
    fh_stop+=("$(since "$t")")
    left=0; for p in "${pids[@]}"; do alive "$p" && left=$((left + 1)); done
    ((left == 0)) || NOTES+=("round $r: $left of ${#pids[@]} flinkha daemon pids still alive when flinkha stop returned")
    wait_gone 30 "${pids[@]}" || { NOTES+=("round $r: flinkha daemons alive 30 s after stop: killed"); kill_pids KILL "${pids[@]}"; }

    # --- Flink's own scripts
    log "round $r: start-zookeeper-quorum.sh + start-cluster.sh"
    rm -f "$B"/fs/pids/*.pid
    b0=$(busy_ticks)
    t=$(now)
    "$FS_HOME/bin/start-zookeeper-quorum.sh" >"$B/logs/fs-start-zk-$r.txt" 2>&1
    fs_zk+=("$(since "$t")")
    "$FS_HOME/bin/start-cluster.sh" >"$B/logs/fs-start-$r.txt" 2>&1
    fs_ret+=("$(since "$t")")
    wait_tms 180 3 "${FS_URLS[@]}" || die "Flink-scripts cluster: 3 TaskManagers not registered after 180 s (logs $B/fs/log)"
    fs_tms+=("$(since "$t")")
    fs_busy+=("$(ticks_s "$b0" "$(busy_ticks)")")
    mapfile -t pids < <(cat "$B"/fs/pids/*.pid 2>/dev/null | grep -E '^[0-9]+$')
    fs_jvm+=("$(pids_cpu "${pids[@]}")")
    printf '%s\n' "${pids[@]}" >>"$B/fs/started.pids"
    [[ ${#pids[@]} -eq 8 ]] || NOTES+=("round $r: Flink's scripts left ${#pids[@]} pids in pid files (want 8)")
    log "round $r: stop-cluster.sh + stop-zookeeper-quorum.sh"
    t=$(now)
    "$FS_HOME/bin/stop-cluster.sh" >"$B/logs/fs-stop-$r.txt" 2>&1
    "$FS_HOME/bin/stop-zookeeper-quorum.sh" >>"$B/logs/fs-stop-$r.txt" 2>&1
    fs_stop_ret+=("$(since "$t")")
    if wait_gone 120 "${pids[@]}"; then
        fs_stop_gone+=("$(since "$t")")
    else
        left=0; for p in "${pids[@]}"; do alive "$p" && left=$((left + 1)); done
        NOTES+=("round $r: $left Flink-scripts daemons alive 120 s after the stop scripts: killed by pid")
        kill_pids KILL "${pids[@]}"; wait_gone 10 "${pids[@]}" || true
        fs_stop_gone+=("$(since "$t")")
    fi
    rm -rf "$B"/fs/tmp/* # ZooKeeper's random dataDirs: a fresh quorum each round
done
bench_unlock

row "cluster start until healthy" "$(echo "${fh_start[*]}" | median)" "$(echo "${fs_tms[*]}" | median)" "scripts + poll REST /taskmanagers until 3"
row "cluster start, command returned" "$(echo "${fh_start[*]}" | median)" "$(echo "${fs_ret[*]}" | median)" "start-zookeeper-quorum.sh + start-cluster.sh"
row "cluster stop, processes gone" "$(echo "${fh_stop[*]}" | median)" "$(echo "${fs_stop_gone[*]}" | median)" "stop-cluster.sh + stop-zookeeper-quorum.sh + pid wait"
row "cluster stop, command returned" "$(echo "${fh_stop[*]}" | median)" "$(echo "${fs_stop_ret[*]}" | median)" "stop scripts (do not wait)"
row "leader show (REST leader)" "$(echo "${leader_fh[*]}" | median)" "$(echo "${leader_zk[*]}" | median)" "zkCli.sh -server <quorum> get .../rest_server/connection_info"

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
echo
echo "flinkha lifecycle figures ($(date -u +%FT%TZ))"
echo "  machine: nproc $(nproc), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average $LOAD_BEFORE_INSTALL before install, $LOAD_START at measurement start"
echo "  Flink $(basename "$SRC_HOME" | sed 's/flink-//') (3 ZooKeeper, 2 JobManagers, 3 TaskManagers on 127.0.4.1-3, one sshd :$SSH_PORT), $(java -version 2>&1 | head -1)"
echo "  flinkha: $($FH --version) ($BUILD build, $FH)"
echo "  $(ssh -V 2>&1); cluster rounds: $ROUNDS per side (interleaved), quick measurements: median of $REPEAT"
echo "  flinkha install (3 hosts, not compared): ${INSTALL_S} s"
echo
printf '%-34s %10s %10s %7s  %s\n' "operation" "flinkha s" "baseline s" "ratio" "baseline"
printf '%-34s %10s %10s %7s  %s\n' "---------" "---------" "----------" "-----" "--------"
for x in "${ROWS[@]}"; do
    IFS='|' read -r op a b note <<<"$x"
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a + 0 > 0 && b != "n/a") printf "%.2f", b / a; else print "n/a" }')
    printf '%-34s %10s %10s %7s  %s\n' "$op" "$a" "$b" "$ratio" "$note"
done
echo "ratio = baseline / flinkha (>1: flinkha faster)"
echo
echo "raw seconds:"
echo "  flinkha start: ${fh_start[*]} | stop: ${fh_stop[*]}"
echo "  scripts: zk quorum script ${fs_zk[*]} | scripts returned ${fs_ret[*]} | TMs registered ${fs_tms[*]} | stop returned ${fs_stop_ret[*]} | gone ${fs_stop_gone[*]}"
echo "  leader show: ${leader_fh[*]} | zkCli.sh: ${leader_zk[*]}"
echo "  $SYNC_RAW"
echo
echo "CPU during each start, per round (seconds of CPU; the machine has $(nproc) cores):"
for ((i = 0; i < ${#fh_start[@]}; i++)); do
    printf '  round %s  flinkha: wall %6s, machine busy %6s (%s of %s cores), daemon JVMs %6s | scripts: wall %6s, machine busy %6s (%s), daemon JVMs %6s\n' \
        "$((i + 1))" "${fh_start[i]}" "${fh_busy[i]}" \
        "$(awk -v b="${fh_busy[i]}" -v w="${fh_start[i]}" -v n="$(nproc)" 'BEGIN { printf "%.0f%%", 100 * b / (w * n) }')" "$(nproc)" "${fh_jvm[i]}" \
        "${fs_tms[i]}" "${fs_busy[i]}" \
        "$(awk -v b="${fs_busy[i]}" -v w="${fs_tms[i]}" -v n="$(nproc)" 'BEGIN { printf "%.0f%%", 100 * b / (w * n) }')" "${fs_jvm[i]}"
done
echo "  (machine busy: all CPU the machine spent from the start command until healthy, /proc/stat;"
echo "   daemon JVMs: user + sys of the 8 daemons by then, /proc/<pid>/stat; the rest is Flink's"
echo "   scripts' helper JVMs, sshd, flinkha and whatever else ran)"
echo
echo "where flinkha start's time went (round 1, seconds since start, from its status lines):"
sed 's/^/    /' "$B/logs/fh-start-1.txt"
if ((${#NOTES[@]})); then
    echo
    echo "notes:"
    printf '  - %s\n' "${NOTES[@]}"
fi
echo
echo "logs: $B/logs, Flink-scripts daemons' logs: $B/fs/log, flinkha hosts: $B/fh/hosts/*/log"
