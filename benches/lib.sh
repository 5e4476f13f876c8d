# shellcheck shell=bash disable=SC2034,SC2154 # (variables shared with the scripts that source this)
# Shared setup of the benchmark scripts (benches/*.sh source it; it is not run on its own):
# the environment and build, the cleanup trap (everything started is stopped by pid), the
# bench dir, the dedicated sshd, free ports, the flinkha cluster (Flink conf dir + inventory
# with per-host install roots), the cluster lock, the flink CLI and REST helpers.
#
# The caller sets, before sourcing:
#   here   the repository root
#   B      the bench dir (wiped by bench_fresh_dir)
#   BUILD  debug|release
#   addrs  the simulated hosts' loopback addresses (3), names their host names (h1 h2 h3)
# and may override, after sourcing:
#   extra_pids    prints more pids of its own to stop at exit (default: none)
#   KEEP_CLEAN    more paths removed at exit unless FLINKHA_BENCH_KEEP=1 (array)
#
# Layout of the flinkha cluster (same in every bench):
#   $B/fh/conf             the Flink conf dir flinkha renders per host (from conf.example)
#   $B/fh/hosts/<name>     each host's install root (flink-<v>/, current, conf/, log/, run/)
#   $B/fh/flinkha.yaml     the inventory ($INV)
#   $B/sshd                the sshd (scripts/sshd.sh) all hosts go through
# Ports ($P, free on the hosts' addresses AND 0.0.0.0: the JobManagers bind all interfaces):
#   P[0] zk peer, P[1] zk leader election, P[2] zk client, P[3] REST, P[4] HA RPC of the
#   JobManagers (h2's own: P[5]); callers may ask for more (P[6]...).
# Only one real Flink cluster may run on this machine at a time: bench_lock takes
# /var/tmp/flinkha-cluster.lock (shared with the tests and the other benchmarks).

LOCK=/var/tmp/flinkha-cluster.lock

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
alive() { [[ -n "$1" ]] && [[ -r /proc/$1/stat ]] && ! awk '{ sub(/.*\) /, ""); exit !($1 == "Z") }' "/proc/$1/stat" 2>/dev/null; }
ms_now() { date +%s%3N; }
ms_to_s() { awk -v a="$1" 'BEGIN { if (a == "n/a") print "n/a"; else printf "%.2f", a / 1000 }'; }
sum_s() { awk 'BEGIN { s = 0; for (i = 1; i < ARGC; i++) { if (ARGV[i] == "n/a") { print "n/a"; exit } s += ARGV[i] } printf "%.2f", s }' "$@"; }
# Timestamped stderr of a flinkha run (to see where its time goes).
stamp() { local t0=$1 line; while IFS= read -r line; do printf '%6.2f  %s\n' "$(since "$t0")" "$line"; done; }
jget() { python3 -c 'import json,sys; d = json.load(sys.stdin); print(d'"$1"')'; }

# ---------------------------------------------------------------------------------------------
# Environment and build
# ---------------------------------------------------------------------------------------------
bench_env() {
    "$here/scripts/prepare-test-env.sh"
    # shellcheck disable=SC1091
    . "${FLINKHA_CACHE:-/var/tmp/flinkha-cache}/env.sh"
    SRC_HOME=$FLINKHA_TEST_FLINK_HOME_2_1_0
    TGZ=$FLINKHA_TEST_FLINK_TGZ_2_1_0
    KEY=$FLINKHA_TEST_SSH_KEY
}

# Builds flinkha and sets FH. A release build competes for the 2 cores with whatever cluster
# runs now: it waits for the cluster lock first.
bench_build() {
    case $BUILD in
        debug) (cd "$here" && cargo build --quiet) ;;
        release)
            log "cargo build --release (under $LOCK)"
            (cd "$here" && flock "$LOCK" cargo build --quiet --release)
            ;;
        *) die "FLINKHA_BENCH_BUILD must be debug or release" ;;
    esac
    FH="$here/target/$BUILD/flinkha"
}

# ---------------------------------------------------------------------------------------------
# Cleanup: everything started here, by pid
# ---------------------------------------------------------------------------------------------
fh_pids() { cat "$B"/fh/hosts/*/run/*.pid "$B"/fh/hosts/*/deployments/*/run/*.pid 2>/dev/null | grep -E '^[0-9]+$' || true; }
extra_pids() { :; }
# Only processes whose command line names the bench dir (pid files can be stale).
ours() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$B/"; }
kill_pids() { # signal pid...
    local sig=$1 p; shift
    for p in "$@"; do
        if alive "$p" && ours "$p"; then kill "-$sig" "$p" 2>/dev/null || true; fi
    done
}
wait_gone() { # timeout_s pid... ; returns 0 when all gone
    local deadline p left
    deadline=$(awk -v t="$1" -v n="$(now)" 'BEGIN { printf "%.3f", n + t }'); shift
    while :; do
        left=0
        for p in "$@"; do alive "$p" && left=1; done
        ((left)) || return 0
        awk -v d="$deadline" -v n="$(now)" 'BEGIN { exit !(n > d) }' && return 1
        sleep 0.1
    done
}
CLI_PIDS=()   # flink CLI JVMs still running at exit (a timeout), by pid
KEEP_CLEAN=() # more paths removed at exit unless FLINKHA_BENCH_KEEP=1
bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    local p
    # `timeout` passes TERM on to the flink CLI's JVM.
    for p in "${CLI_PIDS[@]}"; do alive "$p" && kill -TERM "$p" 2>/dev/null; done
    if [[ -f $B/fh/flinkha.yaml && -n "$(fh_pids)" ]]; then
        local any=0
        for p in $(fh_pids); do alive "$p" && any=1; done
        if ((any)) && [[ -f $B/sshd/sshd.pid ]]; then
            log "cleanup: flinkha stop"
            timeout 120 "$FH" -c "$B/fh/flinkha.yaml" --yes -q stop >/dev/null 2>&1
        fi
    fi
    # shellcheck disable=SC2046
    kill_pids TERM $(fh_pids) $(extra_pids)
    # shellcheck disable=SC2046
    wait_gone 15 $(fh_pids) $(extra_pids) || kill_pids KILL $(fh_pids) $(extra_pids)
    [[ -d $B/sshd ]] && "$here/scripts/sshd.sh" stop "$B/sshd" >/dev/null 2>&1
    if [[ ${FLINKHA_BENCH_KEEP:-0} != 1 ]]; then
        rm -rf "$B"/fh/hosts/*/flink-* "$B"/fh/hosts/*/.flinkha/staging "${KEEP_CLEAN[@]}" \
            "$B"/fh/hosts/*/tmp
    fi
    exit "$rc"
}
bench_trap() {
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

# A previous run's leftovers (its own pid files only), then a fresh $B with $B/logs,
# $B/fh/conf and the given dirs (relative to $B).
bench_fresh_dir() {
    if [[ -d $B ]]; then
        # shellcheck disable=SC2046
        kill_pids KILL $(fh_pids) $(extra_pids)
        if [[ -d $B/sshd ]]; then "$here/scripts/sshd.sh" stop "$B/sshd" >/dev/null 2>&1 || true; fi
        rm -rf "$B"
    fi
    local d
    mkdir -p "$B/logs" "$B/fh/conf"
    for d in "$@"; do mkdir -p "$B/$d"; done
}

# ---------------------------------------------------------------------------------------------
# The sshd, ports, the flinkha cluster (Flink conf dir + inventory)
# ---------------------------------------------------------------------------------------------
# Sets SSH_PORT, KH (known_hosts), USER_NAME, SSH_OPTS (for ssh/scp to the simulated hosts).
bench_sshd() {
    "$here/scripts/sshd.sh" start "$B/sshd" "${addrs[@]}" >/dev/null
    SSH_PORT=$(cat "$B/sshd/port")
    KH=$B/sshd/known_hosts
    USER_NAME=$(id -un)
    SSH_OPTS=(-p "$SSH_PORT" -i "$KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o "UserKnownHostsFile=$KH"
        -o StrictHostKeyChecking=yes -o LogLevel=ERROR)
}
# ssh to simulated host i (0-based) through the bench sshd.
on_host() { # i command (expanded here, run there)
    # shellcheck disable=SC2029
    ssh "${SSH_OPTS[@]}" "${addrs[$1]}" "$2" </dev/null
}

# Sets P: N ports free on the loopback addresses AND on 0.0.0.0.
bench_ports() { # N
    mapfile -t P < <(python3 "$here/scripts/free-ports.py" "$1" 0.0.0.0 "${addrs[@]}")
    ((${#P[@]} == $1)) || die "free-ports.py gave ${#P[@]} ports, want $1"
}

# The Flink conf dir $B/fh/conf: conf.example's, with the bench's ports, dirs, cluster-id.
bench_flinkha_conf() { # cluster-id (without the leading /)
    local i
    cp "$here"/conf.example/conf/* "$B/fh/conf/"
    {
        printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nclientPort=%s\n' "${P[2]}"
        for i in 1 2 3; do printf 'server.%s=%s:%s:%s\n' "$i" "${names[i - 1]}" "${P[0]}" "${P[1]}"; done
    } >"$B/fh/conf/zoo.cfg"
    printf '%s:%s\n%s:%s\n' "${names[0]}" "${P[3]}" "${names[1]}" "${P[3]}" >"$B/fh/conf/masters"
    printf '%s\n' "${names[@]}" >"$B/fh/conf/workers"
    sed -i -e "s/^    port: 6123\$/    port: ${P[4]}/" -e "s#/var/tmp/flinkha-demo#$B/fh#g" \
        -e "s#cluster-id: /flinkha-demo#cluster-id: /$1#" "$B/fh/conf/config.yaml"
    grep -q "port: ${P[4]}" "$B/fh/conf/config.yaml" || die "conf.example config.yaml changed: HA port not set"
}

# The inventory on stdout (append a `jobs:` section after it if needed).
bench_inventory() { # cluster-name root-dir-of-hosts [version] [tarball]
    cat <<EOF
cluster: $1
conf_dir: $B/fh/conf
flink:
  version: ${3:-2.1.0}
  distribution:
    path: ${4:-$TGZ}
ssh:
  user: $USER_NAME
  port: $SSH_PORT
  identity_file: $KEY
  agent: false
  known_hosts: $KH
  connect_timeout: 5s
hosts:
EOF
    local i
    for i in 0 1 2; do
        printf '  %s:\n    address: %s\n    install_root: %s/%s\n' "${names[i]}" "${addrs[i]}" "$2" "${names[i]}"
        # Both JobManagers bind all interfaces: the second one needs its own HA RPC port.
        [[ ${names[i]} == h2 ]] && printf '    flink:\n      high-availability.jobmanager.port: %s\n' "${P[5]}"
    done
    printf 'timeouts:\n  start: 180s\n  stop: 90s\n'
}

bench_config_check() { # inventory
    "$FH" -c "$1" -q config check >"$B/logs/config-check.txt" 2>&1 || { cat "$B/logs/config-check.txt"; die "flinkha config check failed"; }
}

fh() { "$FH" -c "$INV" --yes --no-progress "$@"; }

# The cluster lock, held on fd $lockfd until bench_unlock.
bench_lock() {
    log "waiting for $LOCK (one real Flink cluster at a time on this machine)"
    exec {lockfd}>"$LOCK"
    flock "$lockfd"
}
bench_unlock() { flock -u "$lockfd"; }

# ---------------------------------------------------------------------------------------------
# The flink CLI (a Flink home's bin/flink with its own minimal conf: no HA, -m decides)
# ---------------------------------------------------------------------------------------------
flink_cli_conf() { # dir flink-home parallelism
    mkdir -p "$1" "$B/logs/cli"
    cp "$2"/conf/log4j-cli.properties "$1/" 2>/dev/null || true
    {
        # The shipped env.java.opts.all (Java 17 needs its --add-opens in the client JVM too).
        printf 'env.java.opts.all: %s\n' "$(sed -n 's/^ *all: //p' "$2/conf/config.yaml" | head -1)"
        printf 'parallelism.default: %s\n' "$3"
    } >"$1/config.yaml"
    grep -q 'add-opens=java.base/java.util=' "$1/config.yaml" || die "could not carry env.java.opts.all over"
}
# Runs bin/flink; stdout+stderr to outfile; killed after 300 s (pid kept for cleanup).
flink_cli_in() { # flink-bin conf-dir outfile args...
    local bin=$1 conf=$2 o=$3 p rc=0; shift 3
    FLINK_CONF_DIR=$conf FLINK_LOG_DIR=$B/logs/cli timeout -k 5 300 "$bin" "$@" </dev/null >"$o" 2>&1 &
    p=$!
    CLI_PIDS+=("$p")
    wait "$p" || rc=$?
    return "$rc"
}

# ---------------------------------------------------------------------------------------------
# REST helpers (python3, stdlib only); $REST is the base URL (http://host:port)
# ---------------------------------------------------------------------------------------------
rest() { curl -fsS --max-time 5 "$REST$1"; }
# All vertices RUNNING (and at least one)?  Prints "yes" or the states.
vertices_state() { # jid
    rest "/jobs/$1" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
v = [x["status"] for x in d.get("vertices", [])]
print("yes" if v and all(s == "RUNNING" for s in v) else ",".join(v) or d.get("state", "?"))' 2>/dev/null || echo "no-answer"
}
wait_running() { # jid timeout_s ; returns 0 once all vertices RUNNING
    local deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        [[ $(vertices_state "$1") == yes ]] && return 0
        sleep 0.1
    done
    return 1
}
restored_path() { # jid
    rest "/jobs/$1/checkpoints" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(((d.get("latest") or {}).get("restored") or {}).get("external_path") or "")'
}
# end_to_end_duration (ms) of the savepoint at path $2 in job $1's checkpoint history.
savepoint_ms() { # jid path
    rest "/jobs/$1/checkpoints" | python3 -c '
import json, sys
want = sys.argv[1].replace("file:///", "/").replace("file:/", "/").rstrip("/")
d = json.load(sys.stdin)
hist = d.get("history", [])
def norm(p): return (p or "").replace("file:///", "/").replace("file:/", "/").rstrip("/")
m = [h for h in hist if norm(h.get("external_path")) == want]
if not m:
    m = [h for h in hist if h.get("is_savepoint") and h.get("status") == "COMPLETED"][:1]
print(m[0]["end_to_end_duration"] if m else "n/a")' "$2"
}
init_ts_ms() { # jid -> the INITIALIZING timestamp (ms since epoch)
    rest "/jobs/$1" | python3 -c '
import json, sys
t = json.load(sys.stdin).get("timestamps", {})
print(t.get("INITIALIZING") or t.get("CREATED") or "n/a")'
}
cancel_job_ms() { # jid path -> Flink's own cancel with savepoint: from the savepoint's trigger
    # to the job's CANCELED timestamp (ms), both as the JobManager recorded them
    local cp job
    cp=$(rest "/jobs/$1/checkpoints") job=$(rest "/jobs/$1")
    python3 -c '
import json, sys
def norm(p): return (p or "").replace("file:///", "/").replace("file:/", "/").rstrip("/")
hist = json.loads(sys.argv[1]).get("history", [])
t = json.loads(sys.argv[2]).get("timestamps", {})
m = [h for h in hist if norm(h.get("external_path")) == norm(sys.argv[3])]
print(t["CANCELED"] - m[0]["trigger_timestamp"] if m and t.get("CANCELED") else "n/a")' "$cp" "$job" "$2"
}
cancel_rest() { # jid ; cancel without savepoint (cleanup between rounds, not measured)
    curl -fsS --max-time 10 -X PATCH "$REST/jobs/$1?mode=cancel" >/dev/null 2>&1 || true
    local deadline=$((SECONDS + 60)) s
    while ((SECONDS < deadline)); do
        s=$(rest "/jobs/$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null) || s='?'
        [[ $s == CANCELED || $s == FAILED || $s == FINISHED ]] && return 0
        sleep 0.2
    done
    log "job $1 not cancelled after 60 s"
}
# Count of TaskManagers registered, asking each REST endpoint given (first answer wins).
tm_count() {
    local u n
    for u in "$@"; do
        n=$(curl -fsS --max-time 2 "$u/taskmanagers" 2>/dev/null |
            python3 -c 'import json,sys; print(len(json.load(sys.stdin)["taskmanagers"]))' 2>/dev/null) || continue
        [[ -n $n ]] && { echo "$n"; return 0; }
    done
    echo 0
}
wait_tms() { # timeout_s want url...
    local deadline=$((SECONDS + $1)) want=$2; shift 2
    while ((SECONDS < deadline)); do
        [[ $(tm_count "$@") -ge $want ]] && return 0
        sleep 0.2
    done
    return 1
}
# The leader's REST base URL from `flinkha leader show` (not a measurement).
leader_rest() {
    fh -o json leader show 2>/dev/null | python3 -c '
import json, re, sys
d = json.load(sys.stdin)
a = ((d.get("rest_server") or {}).get("address")) or ""
m = re.search(r"https?://[0-9.]+:[0-9]+", a) or re.search(r"https?://[0-9.]+:[0-9]+", json.dumps(d))
print(m.group(0) if m else "")'
}

# ---------------------------------------------------------------------------------------------
# N hosts (benches/scale.sh): an inventory of the first N of addrs/names
# ---------------------------------------------------------------------------------------------
# The inventory on stdout, for hosts names[0..n-1] at addrs[0..n-1], each with its install
# root <hosts-root>/<name>, reached on ssh-port with known-hosts (e.g. a latency proxy's port
# and a known_hosts naming every proxy address). The conf dir's masters/workers/zoo.cfg decide
# the roles (every name they use must be among the n). names[1] gets its own HA RPC port
# (P[5]) as in bench_inventory. sha512 (hex) spares a .sha512 file beside the tarball;
# parallelism sets ssh.parallelism (empty: flinkha's default).
bench_inventory_n() { # cluster-name conf-dir hosts-root n ssh-port known-hosts version tarball [sha512] [parallelism]
    local cluster=$1 conf=$2 root=$3 n=$4 port=$5 kh=$6 version=$7 tgz=$8 sha=${9:-} par=${10:-} i
    cat <<EOF2
cluster: $cluster
conf_dir: $conf
flink:
  version: $version
  distribution:
    path: $tgz
EOF2
    [[ -n $sha ]] && printf '    sha512: %s\n' "$sha"
    cat <<EOF2
ssh:
  user: $USER_NAME
  port: $port
  identity_file: $KEY
  agent: false
  known_hosts: $kh
  connect_timeout: 5s
EOF2
    [[ -n $par ]] && printf '  parallelism: %s\n' "$par"
    echo "hosts:"
    for ((i = 0; i < n; i++)); do
        printf '  %s:\n    address: %s\n    install_root: %s/%s\n' "${names[i]}" "${addrs[i]}" "$root" "${names[i]}"
        ((i == 1)) && printf '    flink:\n      high-availability.jobmanager.port: %s\n' "${P[5]}"
    done
    printf 'timeouts:\n  start: 180s\n  stop: 90s\n'
}
