#!/usr/bin/env bash
# Prepare everything the flinkha integration tests and the demo need on this machine.
#
# Idempotent: every step writes a marker/ready file LAST, so an interrupted run redoes
# that step and a second run skips everything already done (a couple of seconds).
#
# Environment:
#   FLINKHA_CACHE           cache dir outside the clone   (default /var/tmp/flinkha-cache)
#   FLINKHA_FLINK_VERSIONS  space-separated Flink versions (default "2.1.0 2.2.0 2.3.0": the upgrade tests need them)
#   FLINKHA_SKIP_APT=1      do not check/install apt packages
#
# Outputs (CACHE = $FLINKHA_CACHE):
#   $CACHE/flink-V/                                  assembled FLINK_HOME (ready file .flinkha-ready)
#   $CACHE/dist/flink-V-bin-scala_2.12.tgz(.sha512)  tarball with top dir flink-V/, Apache-style sha512
#   $CACHE/jobs/flinkha-counter-job.jar              stateful test job (Main-Class dev.flinkha.testjob.CounterJob)
#   $CACHE/ssh/id_ed25519(.pub)                      client key, no passphrase
#   $CACHE/ssh/ssh_host_ed25519_key(.pub)            host key for scripts/sshd.sh
#   $CACHE/env.sh                                    shell exports describing the above
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
CACHE="${FLINKHA_CACHE:-/var/tmp/flinkha-cache}"
FLINK_VERSIONS="${FLINKHA_FLINK_VERSIONS:-2.1.0 2.2.0 2.3.0}"
SCALA_SUFFIX="scala_2.12"
JOB_JAR_NAME="flinkha-counter-job.jar"
JOB_MAIN_CLASS="dev.flinkha.testjob.CounterJob"

log() { printf '[prepare-test-env] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd -P)"

# Serialize concurrent runs (e.g. several test binaries calling us at once).
exec 9>"$CACHE/.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

# ---------------------------------------------------------------------------------------
# 1. apt packages
# ---------------------------------------------------------------------------------------
# (No `dpkg -s | grep -q`: under pipefail grep's early exit can SIGPIPE dpkg -> false negative.)
pkg_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

step_apt() {
    if [[ "${FLINKHA_SKIP_APT:-0}" == 1 ]]; then return; fi
    # libkrb5-dev + libclang-dev: the GSSAPI binding (libgssapi-sys, bindgen) flinkha builds
    # with; krb5-kdc + krb5-admin-server: the test KDC, krb5-user: kinit (tests/zk_kerberos.rs).
    local want=(openssh-server openssh-client zookeeper gcc libc6-dev pkg-config libssl-dev
                make perl curl procps iproute2 ca-certificates openssl
                libkrb5-dev libclang-dev krb5-kdc krb5-admin-server krb5-user)
    local missing=() p
    for p in "${want[@]}"; do
        pkg_installed "$p" || missing+=("$p")
    done
    # pip is only needed while some Flink version is not downloaded yet (the check is slow
    # with pyenv shims, so skip it on cached runs).
    local v need_pip=0
    for v in $FLINK_VERSIONS; do [[ -f "$CACHE/downloads/$v/.done" ]] || need_pip=1; done
    if ((need_pip)) && ! python3 -m pip --version >/dev/null 2>&1 && ! command -v pip3 >/dev/null 2>&1; then
        pkg_installed python3-pip || missing+=(python3-pip)
    fi
    if ! command -v javac >/dev/null 2>&1 || ! command -v jar >/dev/null 2>&1 || ! command -v keytool >/dev/null 2>&1; then
        # Flink 2.x runs on 11/17/21; tests need a JDK (javac, jar) for the test job.
        missing+=(openjdk-17-jdk-headless)
    fi
    if ((${#missing[@]} == 0)); then return; fi
    command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get"
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
    log "installing apt packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

pip_cmd() {
    if python3 -m pip --version >/dev/null 2>&1; then
        python3 -m pip "$@"
    else
        pip3 "$@"
    fi
}

# ---------------------------------------------------------------------------------------
# 2. Flink distributions from PyPI
# ---------------------------------------------------------------------------------------
step_download() {
    local v="$1" dl="$CACHE/downloads/$v"
    if [[ -f "$dl/.done" ]]; then return; fi
    log "downloading apache-flink==$v and apache-flink-libraries==$v from PyPI"
    rm -rf "$dl" && mkdir -p "$dl"
    # The apache-flink wheel is platform/python specific (cp3X manylinux). We only use its
    # bin/ and conf/ (identical across platforms), so pin one platform to be independent
    # of the local python version.
    local pyver
    for pyver in 3.11 3.10 3.12 3.9; do
        if pip_cmd download --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
            --python-version "$pyver" --implementation cp -d "$dl" "apache-flink==$v" >&2; then
            break
        fi
    done
    ls "$dl"/apache_flink-"$v"-*.whl >/dev/null 2>&1 || die "could not download apache-flink==$v wheel"
    # apache-flink-libraries: sdist for 2.1.0 (needs build isolation for its metadata),
    # a wheel for 2.2.0+. Accept either.
    pip_cmd download --no-deps -d "$dl" "apache-flink-libraries==$v" >&2
    ls "$dl"/apache_flink_libraries-"$v"* >/dev/null 2>&1 || die "could not download apache-flink-libraries==$v"
    touch "$dl/.done"
}

step_assemble() {
    local v="$1" dl="$CACHE/downloads/$v" home="$CACHE/flink-$v"
    if [[ -f "$home/.flinkha-ready" ]]; then return; fi
    log "assembling FLINK_HOME $home"
    local work="$CACHE/.work-$v"
    rm -rf "$work" "$home" && mkdir -p "$work/whl" "$work/libs" "$home"

    local whl
    whl="$(ls "$dl"/apache_flink-"$v"-*.whl | head -n1)"
    python3 - "$whl" "$work/whl" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    z.extractall(sys.argv[2], [n for n in z.namelist()
                               if n.startswith(("pyflink/bin/", "pyflink/conf/"))])
EOF
    local libs
    libs="$(ls "$dl"/apache_flink_libraries-"$v"* | head -n1)"
    case "$libs" in
        *.whl) python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$libs" "$work/libs" ;;
        *.tar.gz) tar xzf "$libs" -C "$work/libs" ;;
        *) die "unknown archive $libs" ;;
    esac
    # Root of the libraries = the directory holding lib/flink-dist-*.jar
    local dist_jar lroot
    dist_jar="$(find "$work/libs" -path '*/lib/flink-dist-*.jar' | head -n1)"
    [[ -n "$dist_jar" ]] || die "no lib/flink-dist-*.jar in $libs"
    lroot="$(dirname "$(dirname "$dist_jar")")"

    mkdir -p "$home/bin" "$home/conf" "$home/log" "$home/examples"
    cp -a "$work/whl/pyflink/bin/." "$home/bin/"
    cp -a "$work/whl/pyflink/conf/." "$home/conf/"
    # Not part of the official distribution.
    rm -f "$home/bin/find_flink_home.py" "$home/bin/pyflink-udf-runner.bat"
    cp -a "$lroot/lib" "$home/lib"
    [[ -d "$lroot/opt" ]] && cp -a "$lroot/opt" "$home/opt" || mkdir -p "$home/opt"
    [[ -d "$lroot/plugins" ]] && cp -a "$lroot/plugins" "$home/plugins" || mkdir -p "$home/plugins"
    [[ -d "$lroot/licenses" ]] && cp -a "$lroot/licenses" "$home/licenses"
    if [[ -d "$lroot/bin" ]]; then cp -a "$lroot/bin/." "$home/bin/"; fi
    local f
    for f in LICENSE NOTICE README.txt; do
        [[ -f "$lroot/$f" ]] && cp "$lroot/$f" "$home/$f"
        [[ -f "$home/$f" ]] || { [[ -f "$lroot/../$f" ]] && cp "$lroot/../$f" "$home/$f"; } || true
    done
    [[ -f "$home/bin/bash-java-utils.jar" ]] || die "bin/bash-java-utils.jar missing in $libs"
    [[ -f "$home/bin/config.sh" && -f "$home/conf/config.yaml" ]] || die "bin/config.sh or conf/config.yaml missing"
    chmod 0755 "$home"/bin/*.sh "$home/bin/flink"
    find "$home/plugins" -name '*.sh' -exec chmod 0755 {} +
    find "$home" -type d -exec chmod 0755 {} +
    rm -rf "$work"
    echo "$v" >"$home/.flinkha-ready"
}

step_pack() {
    local v="$1" home="$CACHE/flink-$v" dist="$CACHE/dist"
    local name="flink-$v-bin-$SCALA_SUFFIX.tgz"
    if [[ -f "$dist/$name.sha512" && -f "$dist/$name" ]]; then return; fi
    log "packing $dist/$name"
    mkdir -p "$dist"
    rm -f "$dist/$name.sha512" "$dist/$name.tmp"
    local gz=(gzip -n)
    if command -v pigz >/dev/null 2>&1; then gz=(pigz -n); fi
    tar -C "$CACHE" --exclude="flink-$v/.flinkha-ready" --exclude="flink-$v/log/*" \
        --owner=0 --group=0 -cf - "flink-$v" | "${gz[@]}" >"$dist/$name.tmp"
    mv "$dist/$name.tmp" "$dist/$name"
    (cd "$dist" && sha512sum "$name" >"$name.sha512.tmp" && mv "$name.sha512.tmp" "$name.sha512")
}

# ---------------------------------------------------------------------------------------
# 3. the stateful test job
# ---------------------------------------------------------------------------------------
step_job() {
    local v="$1" home="$CACHE/flink-$v" src="$REPO_ROOT/tests/job/src" out="$CACHE/jobs"
    [[ -d "$src" ]] || die "no job sources at $src"
    local hash
    hash="$( (cd "$src" && find . -type f -name '*.java' | LC_ALL=C sort | xargs sha256sum; echo "flink=$v") | sha256sum | cut -d' ' -f1)"
    if [[ -f "$out/$JOB_JAR_NAME" && "$(cat "$out/.job.sha256" 2>/dev/null)" == "$hash" ]]; then return; fi
    log "building $out/$JOB_JAR_NAME"
    mkdir -p "$out"
    local work="$out/.build"
    rm -rf "$work" "$out/.job.sha256" && mkdir -p "$work/classes"
    # shellcheck disable=SC2046
    javac -nowarn --release 11 -encoding UTF-8 -cp "$home/lib/*" -d "$work/classes" \
        $(find "$src" -type f -name '*.java' | LC_ALL=C sort)
    jar --create --file "$work/$JOB_JAR_NAME" --main-class "$JOB_MAIN_CLASS" -C "$work/classes" .
    mv "$work/$JOB_JAR_NAME" "$out/$JOB_JAR_NAME"
    rm -rf "$work"
    echo "$hash" >"$out/.job.sha256"
}

# ---------------------------------------------------------------------------------------
# 4. SSH material
# ---------------------------------------------------------------------------------------
step_ssh() {
    local d="$CACHE/ssh"
    mkdir -p "$d" && chmod 0700 "$d"
    if [[ ! -f "$d/id_ed25519.pub" || ! -f "$d/id_ed25519" ]]; then
        rm -f "$d/id_ed25519" "$d/id_ed25519.pub"
        ssh-keygen -q -t ed25519 -N '' -C flinkha-test-client -f "$d/id_ed25519.tmp"
        mv "$d/id_ed25519.tmp" "$d/id_ed25519"
        mv "$d/id_ed25519.tmp.pub" "$d/id_ed25519.pub"
    fi
    if [[ ! -f "$d/ssh_host_ed25519_key.pub" || ! -f "$d/ssh_host_ed25519_key" ]]; then
        rm -f "$d/ssh_host_ed25519_key" "$d/ssh_host_ed25519_key.pub"
        ssh-keygen -q -t ed25519 -N '' -C flinkha-test-host -f "$d/ssh_host_ed25519_key.tmp"
        mv "$d/ssh_host_ed25519_key.tmp" "$d/ssh_host_ed25519_key"
        mv "$d/ssh_host_ed25519_key.tmp.pub" "$d/ssh_host_ed25519_key.pub"
    fi
    chmod 0600 "$d/id_ed25519" "$d/ssh_host_ed25519_key"
}

write_env() {
    local first="${FLINK_VERSIONS%% *}" v
    {
        echo "export FLINKHA_CACHE='$CACHE'"
        echo "export FLINKHA_FLINK_VERSIONS='$FLINK_VERSIONS'"
        echo "export FLINKHA_TEST_FLINK_HOME='$CACHE/flink-$first'"
        for v in $FLINK_VERSIONS; do
            echo "export FLINKHA_TEST_FLINK_HOME_${v//./_}='$CACHE/flink-$v'"
            echo "export FLINKHA_TEST_FLINK_TGZ_${v//./_}='$CACHE/dist/flink-$v-bin-$SCALA_SUFFIX.tgz'"
        done
        echo "export FLINKHA_TEST_JOB_JAR='$CACHE/jobs/$JOB_JAR_NAME'"
        echo "export FLINKHA_TEST_SSH_KEY='$CACHE/ssh/id_ed25519'"
        echo "export FLINKHA_TEST_SSH_HOST_KEY='$CACHE/ssh/ssh_host_ed25519_key'"
    } >"$CACHE/env.sh.tmp"
    mv "$CACHE/env.sh.tmp" "$CACHE/env.sh"
}

main() {
    local start=$SECONDS v
    step_apt
    # --apt-only: just the packages (the build's prerequisites among them); scripts/test.sh
    # runs this first, then builds while the rest (downloads, assembly) runs.
    if [[ "${1:-}" == --apt-only ]]; then log "apt packages ready in $((SECONDS - start)) s"; return; fi
    for v in $FLINK_VERSIONS; do
        step_download "$v"
        step_assemble "$v"
        step_pack "$v"
    done
    step_job "${FLINK_VERSIONS%% *}"
    step_ssh
    write_env
    log "ready in $((SECONDS - start)) s (cache $CACHE; source $CACHE/env.sh)"
}

main "$@"
