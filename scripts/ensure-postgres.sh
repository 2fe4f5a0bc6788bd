#!/usr/bin/env bash
# ensure-postgres.sh - make sure the tools the test suite needs are installed.
#
# Installs Debian's `postgresql` (server binaries under /usr/lib/postgresql/*/bin,
# used by tests/pg_server.py to run a throwaway cluster on its own free port) and
# `tmux` (used by the end-to-end test). Idempotent, and fast when all is present.
#
# As root it uses apt-get directly; as a normal user it uses `sudo -n` if that works
# without a password, and otherwise says what to install and exits 1.
#
# When it installs postgresql it first drops a createcluster.d snippet that stops the
# package from creating (and starting) Debian's default "main" cluster on port 5432;
# the test suite never uses that cluster. An already existing default cluster is left
# alone: our cluster always picks its own free port, so it does not matter.
set -euo pipefail

log() { printf 'ensure-postgres: %s\n' "$*"; }

have_initdb() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_tmux() { command -v tmux >/dev/null 2>&1; }

missing=()
have_initdb || missing+=(postgresql)
have_tmux || missing+=(tmux)

if [ "${#missing[@]}" -eq 0 ]; then
    version=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sed 's#^/usr/lib/postgresql/\([^/]*\)/.*#\1#' | sort -V | tail -n1)
    log "ok: postgresql $version and tmux are installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "ensure-postgres: missing ${missing[*]}; please install it as root (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) and re-run." >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: missing ${missing[*]} and apt-get is not available; install ${missing[*]} with your package manager (the server binaries must be under /usr/lib/postgresql/*/bin)." >&2
    exit 1
fi

if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # Read by postgresql-common's postinst via the include_dir in createcluster.conf.
    conf_dir=/etc/postgresql-common/createcluster.d
    log "disabling creation of Debian's default cluster ($conf_dir/csdesk-no-main-cluster.conf)"
    "${as_root[@]}" mkdir -p "$conf_dir"
    printf '# written by csdesk scripts/ensure-postgres.sh: tests run their own throwaway cluster\ncreate_main_cluster = off\n' \
        | "${as_root[@]}" tee "$conf_dir/csdesk-no-main-cluster.conf" >/dev/null
fi

log "installing ${missing[*]} (apt-get)"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

if ! have_initdb; then
    echo "ensure-postgres: postgresql was installed but no /usr/lib/postgresql/*/bin/initdb exists; install the postgresql server package." >&2
    exit 1
fi
if ! have_tmux; then
    echo "ensure-postgres: tmux is still missing after installing it." >&2
    exit 1
fi
log "done: postgresql and tmux are installed"
