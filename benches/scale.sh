#!/usr/bin/env bash
# Scale on a simulated network: flinkha vs a serial scp/ssh loop for N = 3, 10, 30 hosts, each
# host a loopback address (127.0.8.1..N) with its own install root whose SSH port is a
# latency proxy (benches/latency_proxy.py: 10 ms each way, a delay line, one process for all
# addresses) in front of the one bench sshd (scripts/sshd.sh on 127.0.8.200). No daemon is
# started: ZooKeeper and Flink are not running on any host. Prints a table and a plot; not a
# timed test.
#
#   benches/scale.sh
#
# Per N, sides interleaved, REPEAT rounds, medians:
#   sync into empty roots      flinkha sync         vs serial `scp -r conf host:root/`
#   sync, no change            flinkha sync again   vs the same loop again (copies all again)
#   install (dummy dist)       flinkha install      vs serial scp tgz + `ssh host tar xzf`
#   install, install.fetch: remote (the hosts download the dist from an HTTP server on
#                              127.0.8.200, beside the sshd: not behind the proxy, a mirror
#                              near the hosts)       vs serial `ssh host 'curl URL | tar xz'`
#   status (no daemons)        flinkha status       vs serial `ssh host` checking the pid files
#   stop --yes (no daemons)    flinkha stop --yes   vs serial `ssh host` killing the pid files
# plus flinkha's peak RSS (/usr/bin/time %M) of every run, and at the largest N a sync into
# empty roots with ssh.parallelism = N (flinkha's default is 16 hosts at once).
#
# The dummy distribution is flink-<v>/ with an executable bin/config.sh (what `flinkha
# install` checks) and lib/flink-dist-<v>.jar of random bytes (FLINKHA_SCALE_DIST_MB, 4 MB,
# incompressible), its SHA-512 given in the inventory. The conf dir is conf.example's: 3
# ZooKeeper servers (h1-h3), 2 JobManagers (h1, h2), every host a TaskManager (workers).
#
# Env: FLINKHA_BENCH_BUILD=debug|release (default release), FLINKHA_BENCH_REPEAT (rounds per
# N, default 3), FLINKHA_SCALE_NS (default "3 10 30"), FLINKHA_SCALE_DELAY_MS (one-way, default
# 10), FLINKHA_SCALE_DIST_MB (default 4), FLINKHA_BENCH_DIR (default /var/tmp/flinkha-bench-
# scale; wiped at start), FLINKHA_BENCH_KEEP=1 keeps the install roots at exit. A release build
# goes to ${CARGO_TARGET_DIR:-target}. The measurement phase holds /var/tmp/flinkha-cluster.lock
# (the bench_lock of benches/lib.sh, shared with the tests and the other benchmarks).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FLINKHA_BENCH_BUILD:-release}
REPEAT=${FLINKHA_BENCH_REPEAT:-3}
B=${FLINKHA_BENCH_DIR:-/var/tmp/flinkha-bench-scale}
read -r -a NS <<<"${FLINKHA_SCALE_NS:-3 10 30}"
DELAY_MS=${FLINKHA_SCALE_DELAY_MS:-10}
DIST_MB=${FLINKHA_SCALE_DIST_MB:-4}
VERSION=2.1.0
NET=127.0.8
SSHD_ADDR=$NET.200
MAXN=0
for n in "${NS[@]}"; do
    if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 3 || n > 199)); then echo "FLINKHA_SCALE_NS: $n is not a number in 3..199" >&2; exit 2; fi
    ((n > MAXN)) && MAXN=$n
done
HOST_ADDRS=() names=()
for ((i = 1; i <= MAXN; i++)); do HOST_ADDRS+=("$NET.$i"); names+=("h$i"); done
addrs=("${HOST_ADDRS[@]}")
# shellcheck source=benches/lib.sh
. "$here/benches/lib.sh"

bench_env
bench_build
FH="${CARGO_TARGET_DIR:-$here/target}/$BUILD/flinkha" # bench_build's cargo honours CARGO_TARGET_DIR
[[ -x $FH ]] || die "$FH missing"

# ---------------------------------------------------------------------------------------------
# Cleanup (lib.sh: by pid) of the proxy too; a fresh bench dir
# ---------------------------------------------------------------------------------------------
proxy_pid() { grep -sE '^[0-9]+$' "$B/proxy/ready" || true; }
http_pid() { grep -sE '^[0-9]+$' "$B/proxy/http.pid" || true; }
extra_pids() { proxy_pid; http_pid; }
KEEP_CLEAN=("$B/roots")
bench_trap
bench_fresh_dir proxy dist roots

# ---------------------------------------------------------------------------------------------
# The sshd (one address), ports, the latency proxy on every host address
# ---------------------------------------------------------------------------------------------
addrs=("$SSHD_ADDR")
bench_sshd # SSH_PORT, KH, USER_NAME, SSH_OPTS: the sshd itself, no delay
addrs=("${HOST_ADDRS[@]}")
# Debian's bash sources ~/.bashrc for a command run by sshd unless SHLVL says it is nested;
# root's .bashrc here runs `pyenv init` (~0.3 s of CPU per SSH command, half of an `ssh true`),
# which a real host's login does not: the bench sshd sets SHLVL=1 for its sessions (both sides
# alike; FLINKHA_SCALE_BASHRC=1 keeps the .bashrc). SIGHUP: sshd re-execs with the new config.
if [[ ${FLINKHA_SCALE_BASHRC:-0} != 1 ]]; then
    echo "SetEnv SHLVL=1" >>"$B/sshd/sshd_config"
    /usr/sbin/sshd -t -f "$B/sshd/sshd_config" || die "sshd rejects SetEnv"
    kill -HUP "$(cat "$B/sshd/sshd.pid")"
    for ((i = 0; i < 50; i++)); do
        [[ $(ssh "${SSH_OPTS[@]}" "$SSHD_ADDR" 'echo $SHLVL' </dev/null 2>/dev/null) == 2 ]] && break
        sleep 0.1
    done
    ((i < 50)) || die "the sshd did not come back with SetEnv SHLVL=1"
    BASHRC_NOTE="sshd SetEnv SHLVL=1: ~/.bashrc not sourced"
else
    BASHRC_NOTE="the .bashrc sourced by every SSH command"
fi
# P[0..5]: zk peer, zk election, zk client, REST, HA RPC (h1, h2): in the conf, never bound
# (no daemon runs; status finds nothing there). P[6]: the proxy's port on every host address.
# P[7]: the HTTP server of the remote-fetch install, on the sshd's address.
bench_ports 8
PXPORT=${P[6]}
HTTPPORT=${P[7]}
python3 "$here/benches/latency_proxy.py" --upstream "$SSHD_ADDR:$SSH_PORT" --port "$PXPORT" \
    --delay-ms "$DELAY_MS" --ready-file "$B/proxy/ready" "${HOST_ADDRS[@]}" \
    >"$B/logs/proxy.txt" 2>&1 &
PX_STARTED=$!
for ((i = 0; i < 100; i++)); do [[ -s $B/proxy/ready ]] && break; sleep 0.05; done
[[ $(proxy_pid) == "$PX_STARTED" ]] || die "latency proxy did not start (see $B/logs/proxy.txt)"
# known_hosts: the sshd's own address, and every proxy address:port (same host key).
KHP=$B/proxy/known_hosts
{
    cat "$KH"
    hk=$(cut -d' ' -f1,2 "$B/sshd/ssh_host_ed25519_key.pub")
    for a in "${HOST_ADDRS[@]}"; do echo "[$a]:$PXPORT $hk"; done
} >"$KHP"
PX_OPTS=(-i "$KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o "UserKnownHostsFile=$KHP"
    -o StrictHostKeyChecking=yes -o LogLevel=ERROR)
px_ssh() { ssh -p "$PXPORT" "${PX_OPTS[@]}" "$@" </dev/null; }
px_scp() { scp -q -P "$PXPORT" "${PX_OPTS[@]}" "$@"; }

# ---------------------------------------------------------------------------------------------
# The conf dir (one per N: workers = the N hosts), the dummy distribution, the inventories
# ---------------------------------------------------------------------------------------------
bench_flinkha_conf flinkha-bench-scale
DIST=$B/dist/flink-$VERSION-bin-scala_2.12.tgz
mkdir -p "$B/dist/src/flink-$VERSION"/{bin,lib,conf,log}
(
    cd "$B/dist/src/flink-$VERSION"
    printf '#!/usr/bin/env bash\n# dummy: not a Flink distribution (benches/scale.sh)\n' >bin/config.sh
    cp bin/config.sh bin/jobmanager.sh && cp bin/config.sh bin/taskmanager.sh && cp bin/config.sh bin/zookeeper.sh
    chmod 755 bin/*.sh
    head -c $((DIST_MB * 1048576)) /dev/urandom >"lib/flink-dist-$VERSION.jar"
    cp "$here"/conf.example/conf/* conf/
)
tar czf "$DIST" -C "$B/dist/src" "flink-$VERSION"
DIST_SHA=$(sha512sum "$DIST" | cut -d' ' -f1)
DIST_BYTES=$(stat -c %s "$DIST")
DIST_URL=http://$SSHD_ADDR:$HTTPPORT/${DIST##*/}
python3 -m http.server --bind "$SSHD_ADDR" --directory "$B/dist" "$HTTPPORT" >"$B/logs/http.txt" 2>&1 &
echo $! >"$B/proxy/http.pid"
for ((i = 0; i < 100; i++)); do curl -fsS -o /dev/null "$DIST_URL" 2>/dev/null && break; sleep 0.05; done
((i < 100)) || die "the HTTP server did not start (see $B/logs/http.txt)"
for n in "${NS[@]}"; do
    d=$B/n$n
    mkdir -p "$d"
    cp -r "$B/fh/conf" "$d/conf"
    printf '%s\n' "${names[@]:0:n}" >"$d/conf/workers"
    bench_inventory_n "scale$n" "$d/conf" "$B/roots/n$n/fh" "$n" "$PXPORT" "$KHP" "$VERSION" "$DIST" "$DIST_SHA" >"$d/flinkha.yaml"
    bench_config_check "$d/flinkha.yaml"
    { sed "s|^    path: $DIST\$|    url: $DIST_URL|" "$d/flinkha.yaml"; printf 'install:\n  fetch: remote\n'; } >"$d/flinkha-remote.yaml"
    grep -q "url: $DIST_URL" "$d/flinkha-remote.yaml" || die "no url in $d/flinkha-remote.yaml"
    bench_config_check "$d/flinkha-remote.yaml"
done
bench_inventory_n "scale$MAXN" "$B/n$MAXN/conf" "$B/roots/n$MAXN/par" "$MAXN" "$PXPORT" "$KHP" "$VERSION" \
    "$DIST" "$DIST_SHA" "$MAXN" >"$B/n$MAXN/flinkha-par.yaml"
bench_config_check "$B/n$MAXN/flinkha-par.yaml"
NFILES=$(find "$B/fh/conf" -type f | wc -l)

# ---------------------------------------------------------------------------------------------
# Measurement helpers
# ---------------------------------------------------------------------------------------------
declare -A T    # "<op> <N> fh|loop" -> space-separated seconds
declare -A RSS  # "<op> <N>" -> space-separated peak RSS of flinkha (kB)
declare -A RC   # "<op> <N>" -> exit codes of flinkha
declare -A CPU  # "<op> <N> fh|hosts|proxy" -> space-separated CPU seconds of a flinkha run
add() { T["$1"]="${T["$1"]:-} $2"; }
CLK_TCK=$(getconf CLK_TCK)
# CPU ticks of a process from /proc/<pid>/stat (fields after the command name): `self`
# utime + stime, `children` cutime + cstime (its reaped children's, theirs included).
ticks() { # pid self|children
    local f
    f=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    # shellcheck disable=SC2086 # word splitting wanted
    set -- "$2" $f
    if [[ $1 == self ]]; then echo $((${13} + ${14})); else echo $((${15} + ${16})); fi
}
sshd_pid() { cat "$B/sshd/sshd.pid"; }
# Runs flinkha on an inventory, records its time, peak RSS, exit status and CPU under op/N:
# flinkha's own (user + sys), the simulated hosts' (the bench sshd's reaped children: every
# SSH session and what it ran) and the latency proxy's. Its output goes to the log; exit
# statuses other than 0 are kept (status exits 1: no quorum).
fh_run() { # op n inventory args...
    local op=$1 n=$2 inv=$3 t rc=0 h0 p0 h1 p1 kb us ss; shift 3
    h0=$(ticks "$(sshd_pid)" children) p0=$(ticks "$(proxy_pid)" self)
    t=$(now)
    /usr/bin/time -f '%M %U %S' -o "$B/logs/rss.txt" "$FH" -c "$inv" --yes --no-progress "$@" \
        >>"$B/logs/fh-$op-$n.txt" 2>&1 </dev/null || rc=$?
    add "$op $n fh" "$(since "$t")"
    sleep 0.3 # the sshd reaps the sessions' processes
    h1=$(ticks "$(sshd_pid)" children) p1=$(ticks "$(proxy_pid)" self)
    read -r kb us ss < <(tail -1 "$B/logs/rss.txt")
    RSS["$op $n"]="${RSS["$op $n"]:-} $kb"
    RC["$op $n"]="${RC["$op $n"]:-} $rc"
    CPU["$op $n fh"]="${CPU["$op $n fh"]:-} $(awk -v u="$us" -v s="$ss" 'BEGIN { printf "%.2f", u + s }')"
    CPU["$op $n hosts"]="${CPU["$op $n hosts"]:-} $(awk -v a="$h0" -v b="$h1" -v k="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / k }')"
    CPU["$op $n proxy"]="${CPU["$op $n proxy"]:-} $(awk -v a="$p0" -v b="$p1" -v k="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / k }')"
}
# Times a loop function under op/N (the loop side).
loop_run() { # op n function args...
    local op=$1 n=$2 t; shift 2
    t=$(now)
    "$@" >>"$B/logs/loop-$op-$n.txt" 2>&1 || die "loop $op (N=$n) failed: see $B/logs/loop-$op-$n.txt"
    add "$op $n loop" "$(since "$t")"
}
fresh_roots() { # dir n ; empty install roots (exist, hold nothing)
    rm -rf "$1" && mkdir -p "$1"
    local i
    for ((i = 0; i < $2; i++)); do mkdir -p "$1/${names[i]}"; done
}
loop_sync() { # n root
    local i
    for ((i = 0; i < $1; i++)); do px_scp -r "$B/n$1/conf" "${addrs[i]}:$2/${names[i]}/"; done
}
loop_install() { # n root
    local i r
    for ((i = 0; i < $1; i++)); do
        r=$2/${names[i]}
        px_scp "$DIST" "${addrs[i]}:$r/"
        px_ssh "${addrs[i]}" "cd $r && tar xzf ${DIST##*/} && ln -sfn flink-$VERSION current && rm ${DIST##*/}"
    done
}
loop_install_remote() { # n root
    local i r
    for ((i = 0; i < $1; i++)); do
        r=$2/${names[i]}
        px_ssh "${addrs[i]}" "cd $r && curl -fsS $DIST_URL | tar xz && ln -sfn flink-$VERSION current"
    done
}
loop_status() { # n root
    local i
    for ((i = 0; i < $1; i++)); do
        # shellcheck disable=SC2016 # expanded there
        px_ssh "${addrs[i]}" "for f in $2/${names[i]}/run/*.pid; do [ -f \"\$f\" ] && kill -0 \"\$(cat \"\$f\")\" 2>/dev/null && echo \"up \$f\"; done; true"
    done
}
loop_stop() { # n root
    local i
    for ((i = 0; i < $1; i++)); do
        # shellcheck disable=SC2016
        px_ssh "${addrs[i]}" "for f in $2/${names[i]}/run/*.pid; do [ -f \"\$f\" ] && kill \"\$(cat \"\$f\")\" 2>/dev/null; done; true"
    done
}
# Median of `reps` runs of a command, in seconds.
median_of() { # reps command...
    local reps=$1 r t xs=(); shift
    for ((r = 0; r < reps; r++)); do t=$(now); "$@" >/dev/null 2>&1 || true; xs+=("$(since "$t")"); done
    echo "${xs[*]}" | median
}
# The SSH banner round trip, TCP only (no crypto): our banner sent -> the server's KEXINIT.
banner_rtt_ms() { # addr port
    python3 - "$1" "$2" <<'EOF'
import socket, statistics, sys, time
xs = []
for _ in range(5):
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
    s.recv(256)
    t = time.monotonic(); s.sendall(b"SSH-2.0-rtt-probe\r\n"); s.recv(4096)
    xs.append((time.monotonic() - t) * 1000); s.close()
print(f"{statistics.median(xs):.1f}")
EOF
}

# ---------------------------------------------------------------------------------------------
# Measurement (under the cluster lock)
# ---------------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_lock
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(now)
log "lock held; load average $LOAD_START"

log "checking the proxy adds the delay (ssh true, direct vs through the proxy, median of 5)"
px_ssh "${addrs[0]}" true || die "ssh through the proxy failed"
RTT_SSH_DIRECT=$(median_of 5 ssh "${SSH_OPTS[@]}" "$SSHD_ADDR" true)
RTT_SSH_PROXY=$(median_of 5 px_ssh "${addrs[0]}" true)
RTT_TCP_DIRECT=$(banner_rtt_ms "$SSHD_ADDR" "$SSH_PORT")
RTT_TCP_PROXY=$(banner_rtt_ms "${addrs[0]}" "$PXPORT")
log "ssh true: ${RTT_SSH_DIRECT} s direct, ${RTT_SSH_PROXY} s through the proxy; banner round trip ${RTT_TCP_DIRECT} ms / ${RTT_TCP_PROXY} ms"

for n in "${NS[@]}"; do
    inv=$B/n$n/flinkha.yaml fhr=$B/roots/n$n/fh lr=$B/roots/n$n/loop
    for ((r = 1; r <= REPEAT; r++)); do
        log "N=$n round $r/$REPEAT"
        fresh_roots "$fhr" "$n"
        fh_run sync-empty "$n" "$inv" -q sync
        fh_run sync-again "$n" "$inv" -q sync
        fresh_roots "$lr" "$n"
        loop_run sync-empty "$n" loop_sync "$n" "$lr"
        loop_run sync-again "$n" loop_sync "$n" "$lr"
        rm -rf "$fhr"/*/flink-* "$fhr"/*/current "$fhr"/*/.flinkha/staging
        fh_run install "$n" "$inv" -q install
        rm -rf "$lr"/*/flink-* "$lr"/*/current
        loop_run install "$n" loop_install "$n" "$lr"
        [[ $(find "$fhr"/*/current/lib "$lr"/*/current/lib -name 'flink-dist-*.jar' | wc -l) -eq $((2 * n)) ]] || die "N=$n: install incomplete"
        rm -rf "$fhr"/*/flink-* "$fhr"/*/current "$fhr"/*/.flinkha/staging
        fh_run install-remote "$n" "$B/n$n/flinkha-remote.yaml" -q install
        rm -rf "$lr"/*/flink-* "$lr"/*/current
        loop_run install-remote "$n" loop_install_remote "$n" "$lr"
        fh_run status "$n" "$inv" status
        loop_run status "$n" loop_status "$n" "$fhr"
        fh_run stop "$n" "$inv" stop
        loop_run stop "$n" loop_stop "$n" "$fhr"
    done
    # Checks: every host got the files (both sides), the distribution, a `current`.
    [[ $(find "$fhr"/h*/conf -maxdepth 1 -type f | wc -l) -eq $((n * NFILES)) ]] || die "N=$n: flinkha sync did not write $n x $NFILES files"
    [[ $(find "$lr"/h*/conf -maxdepth 1 -type f | wc -l) -eq $((n * NFILES)) ]] || die "N=$n: the scp loop did not copy $n x $NFILES files"
    [[ $(find "$fhr"/*/current/lib "$lr"/*/current/lib -name 'flink-dist-*.jar' | wc -l) -eq $((2 * n)) ]] || die "N=$n: install incomplete"
    for x in sync-empty sync-again install install-remote; do
        [[ ${RC["$x $n"]} =~ ^( 0)+$ ]] || die "N=$n: flinkha $x failed (exit${RC["$x $n"]}): see $B/logs/fh-$x-$n.txt"
    done
    rm -rf "$fhr" "$lr"
done
log "N=$MAXN with ssh.parallelism $MAXN: sync into empty roots, x$REPEAT"
for ((r = 1; r <= REPEAT; r++)); do
    fresh_roots "$B/roots/n$MAXN/par" "$MAXN"
    fh_run sync-empty-par "$MAXN" "$B/n$MAXN/flinkha-par.yaml" -q sync
done
[[ ${RC["sync-empty-par $MAXN"]} =~ ^( 0)+$ ]] || die "flinkha sync (parallelism $MAXN) failed"
T_TOTAL=$(since "$T_START")
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
bench_unlock

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
med() { if [[ -n ${T["$1"]:-} ]]; then echo "${T["$1"]}" | median; else echo n/a; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b != "n/a") printf "%.2f", b / a; else print "n/a" }'; }
mb() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'; }
OPS=(sync-empty sync-again install install-remote status stop)
declare -A LABEL=([sync-empty]="sync, empty roots" [sync-again]="sync, no change" [install]="install ($((DIST_BYTES / 1048576)) MB dummy dist)" [install-remote]="install, hosts fetch (remote)"
    [status]="status (no daemons)" [stop]="stop --yes (no daemons)" [sync-empty-par]="sync, empty, ssh.parallelism=N")
echo
echo "flinkha scale figures ($(date -u +%FT%TZ))"
echo "  machine: nproc $(nproc), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average $LOAD_BEFORE before, $LOAD_START at the start, $LOAD_END at the end of the measurement"
echo "  flinkha: $($FH --version) ($BUILD build, $FH); $(ssh -V 2>&1)"
echo "  hosts: $NET.1..N behind latency_proxy.py (${DELAY_MS} ms each way) -> one sshd $SSHD_ADDR:$SSH_PORT ($BASHRC_NOTE); no daemons"
echo "  conf: $NFILES files (3 ZooKeeper h1-h3, 2 JobManagers h1-h2, N TaskManagers); dist $DIST_BYTES bytes; medians of $REPEAT"
echo "  proxy check: ssh true ${RTT_SSH_DIRECT} s direct vs ${RTT_SSH_PROXY} s through the proxy; SSH banner round trip ${RTT_TCP_DIRECT} ms vs ${RTT_TCP_PROXY} ms"
echo "  measurement took $(awk -v s="$T_TOTAL" 'BEGIN { printf "%.0f", s }') s"
echo
printf '%-32s %4s %10s %8s %7s %9s  %s\n' operation N "flinkha s" "loop s" ratio "fh RSS MB" "flinkha exit"
printf '%-32s %4s %10s %8s %7s %9s  %s\n' --------- - --------- ------ ----- --------- ------------
for op in "${OPS[@]}" sync-empty-par; do
    for n in "${NS[@]}"; do
        [[ -n ${T["$op $n fh"]:-} ]] || continue
        a=$(med "$op $n fh") b=$(med "$op $n loop")
        printf '%-32s %4s %10s %8s %7s %9s  %s\n' "${LABEL[$op]}" "$n" "$a" "$b" "$(ratio "$a" "$b")" \
            "$(echo "${RSS["$op $n"]}" | mb)" "$(echo "${RC["$op $n"]}" | tr ' ' '\n' | grep -v '^$' | sort -u | tr '\n' ' ')"
    done
done
echo "ratio = loop / flinkha (>1: flinkha faster); fh RSS = flinkha's peak RSS, largest of the runs"
echo
cmed() { if [[ -n ${CPU["$1"]:-} ]]; then echo "${CPU["$1"]}" | median; else echo n/a; fi; }
echo "where a flinkha run's time goes: CPU seconds (medians) of flinkha itself, of the simulated"
echo "hosts (every SSH session's sshd and commands) and of the latency proxy; 'CPU / cores' is"
echo "their sum over the $(nproc) cores, the least wall time this machine allows for that work:"
printf '%-32s %4s %9s %8s %9s %8s %11s\n' operation N "wall s" "flinkha" "hosts" "proxy" "CPU / cores"
printf '%-32s %4s %9s %8s %9s %8s %11s\n' --------- - ------ ------- ----- ----- -----------
for op in "${OPS[@]}"; do
    for n in "${NS[@]}"; do
        [[ -n ${T["$op $n fh"]:-} ]] || continue
        f=$(cmed "$op $n fh") h=$(cmed "$op $n hosts") x=$(cmed "$op $n proxy")
        printf '%-32s %4s %9s %8s %9s %8s %11s\n' "${LABEL[$op]}" "$n" "$(med "$op $n fh")" "$f" "$h" "$x" \
            "$(awk -v a="$f" -v b="$h" -v c="$x" -v k="$(nproc)" 'BEGIN { printf "%.2f", (a + b + c) / k }')"
    done
done
echo
N0=${NS[0]}
echo "growth from N=$N0 to N=$MAXN (time at $MAXN / time at $N0):"
for op in "${OPS[@]}"; do
    printf '  %-32s flinkha %5sx   loop %5sx\n' "${LABEL[$op]}" "$(ratio "$(med "$op $N0 fh")" "$(med "$op $MAXN fh")")" \
        "$(ratio "$(med "$op $N0 loop")" "$(med "$op $MAXN loop")")"
done
echo
g=$(ratio "$(med "sync-empty $N0 fh")" "$(med "sync-empty $MAXN fh")")
rss=$(echo "${RSS["sync-empty $MAXN"]}" | mb)
awk -v g="$g" -v n0="$N0" -v n="$MAXN" 'BEGIN { printf "goal \"sync empty: flinkha at N=%s <= 1.5 x at N=%s\": %s (%sx)\n", n, n0, (g + 0 <= 1.5 ? "HOLDS" : "does NOT hold"), g }'
for op in "${OPS[@]}"; do
    g=$(ratio "$(med "$op $N0 fh")" "$(med "$op $MAXN fh")")
    awk -v g="$g" -v op="${LABEL[$op]}" 'BEGIN { printf "  %-32s %s (%sx)\n", op ":", (g + 0 <= 1.5 ? "holds" : "does not hold"), g }'
done
awk -v m="$rss" -v n="$MAXN" 'BEGIN { printf "goal \"flinkha peak RSS < 20 MB for sync at N=%s\": %s (%s MB)\n", n, (m + 0 < 20 ? "HOLDS" : "does NOT hold"), m }'
echo
echo "sync into empty roots, seconds vs N (F flinkha, L serial scp loop):"
for n in "${NS[@]}"; do echo "$n $(med "sync-empty $n fh") $(med "sync-empty $n loop")"; done | python3 -c '
import sys
pts = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
W, H = 60, 14
nmax = max(p[0] for p in pts); ymax = max(max(p[1], p[2]) for p in pts) or 1
grid = [[" "] * (W + 1) for _ in range(H + 1)]
def col(n): return round(n / nmax * W)
def row(y): return H - round(y / ymax * H)
for k, (line, mark) in ((2, (".", "L")), (1, ("-", "F"))):
    for (n0, *a), (n1, *b) in zip(pts, pts[1:]):
        y0, y1 = a[k - 1], b[k - 1]
        for c in range(col(n0), col(n1) + 1):
            y = y0 + (y1 - y0) * (c - col(n0)) / max(1, col(n1) - col(n0))
            if grid[row(y)][c] == " ": grid[row(y)][c] = line
    for p in pts: grid[row(p[k])][col(p[0])] = mark
for i, r in enumerate(grid):
    y = ymax * (H - i) / H
    label = f"{y:6.1f} |" if i % (H // 2) == 0 else "       |"
    print(label + "".join(r).rstrip())
axis = [" "] * (W + 1)
for p in pts:
    s = str(int(p[0])); c = col(p[0])
    for j, ch in enumerate(s): axis[min(W, max(0, c - len(s) + 1 + j))] = ch
print("       +" + "-" * (W + 1))
print("        " + "".join(axis) + "  N hosts")'
echo
echo "raw seconds:"
for op in "${OPS[@]}" sync-empty-par; do
    for n in "${NS[@]}"; do
        [[ -n ${T["$op $n fh"]:-} ]] || continue
        echo "  $op N=$n: flinkha${T["$op $n fh"]} | loop${T["$op $n loop"]:- n/a}"
    done
done
echo
echo "logs: $B/logs (flinkha's output per operation and N: fh-<op>-<N>.txt)"
