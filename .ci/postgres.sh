#!/usr/bin/env bash
# Provision a local PostgreSQL server for the Handoff test suite.
#
#   url=$(bash .ci/postgres.sh) && export HANDOFF_TEST_POSTGRES_URL=$url
#
# (Assign first, then export: `export X=$(...)` would hide a failure.)
#
# What it does, idempotently:
#   1. installs PostgreSQL from Debian's packages if the server is missing;
#   2. makes sure a cluster "<newest version> ${HANDOFF_PG_CLUSTER:-main}" exists, listens on
#      127.0.0.1:${HANDOFF_PG_PORT:-5432} and is started (via pg_ctlcluster,
#      so it works without systemd);
#   3. creates the role handoff/handoff (LOGIN CREATEDB) and the database
#      handoff owned by it, and checks password login over TCP;
#   4. prints exactly one line on stdout:
#        postgresql+asyncpg://handoff:handoff@127.0.0.1:<port>/handoff
#
# Knobs: HANDOFF_PG_PORT (default 5432); HANDOFF_PG_CLUSTER (default main),
# the Debian cluster name to use/create -- note that pointing HANDOFF_PG_PORT
# at a different port moves that cluster (and restarts it if running).
#
# Everything else goes to stderr, and only when something fails
# (set HANDOFF_PG_VERBOSE=1 to see progress). If the server already answers
# on the port with the expected credentials, nothing is touched and no
# privileges are needed. Otherwise it must run as root or with sudo.
set -euo pipefail

# stdout is reserved for the URL: keep it on fd 3, send everything else to stderr.
exec 3>&1 1>&2

readonly PROG="postgres.sh"
readonly PORT="${HANDOFF_PG_PORT:-5432}"
readonly ROLE="handoff" PASSWORD="handoff" DB="handoff" HOST="127.0.0.1"
readonly CLUSTER="${HANDOFF_PG_CLUSTER:-main}"
readonly READY_TIMEOUT=30
readonly URL="postgresql+asyncpg://${ROLE}:${PASSWORD}@${HOST}:${PORT}/${DB}"

die() { echo "${PROG}: error: $*" >&2; exit 1; }
log() { if [[ "${HANDOFF_PG_VERBOSE:-}" == 1 ]]; then echo "${PROG}: $*" >&2; fi; }

[[ "$CLUSTER" =~ ^[A-Za-z0-9_-]+$ ]] || die "HANDOFF_PG_CLUSTER must be a plain cluster name, got '${CLUSTER}'"
[[ "$PORT" =~ ^[1-9][0-9]{0,4}$ ]] && ((PORT <= 65535)) \
    || die "HANDOFF_PG_PORT must be a TCP port number, got '${PORT}'"

# Caller's libpq settings (PGHOST, PGSSLMODE, PGSERVICE, ...) must not leak into
# our psql/pg_isready calls.
while read -r v; do [[ -n "$v" ]] && unset "$v"; done < <(compgen -v PG || true)

# Work from a directory every user can enter (psql run as postgres complains otherwise).
cd /

TMP_LOG="$(mktemp)"
trap 'rm -f "$TMP_LOG"' EXIT

# Close every file descriptor above 2 (in the calling subshell). Daemons started
# from here (the postmaster, via pg_ctlcluster or apt's postinst) would otherwise
# inherit them -- notably fd 3, the caller's $(...) pipe, which would then never
# reach EOF and hang the caller for as long as the server runs.
close_fds() {
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
        fd="${fd##*/}"
        if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then
            eval "exec ${fd}>&-" 2>/dev/null || true
        fi
    done
}

# Run a command with its output captured, and without our extra file
# descriptors; show the output only if it fails (and QUIET_NOSHOW isn't 1).
quiet() {
    local rc=0
    ( close_fds; "$@" ) >"$TMP_LOG" 2>&1 || rc=$?
    if ((rc != 0)) && [[ "${QUIET_NOSHOW:-}" != 1 ]]; then
        echo "${PROG}: command failed (exit ${rc}): $*" >&2
        cat "$TMP_LOG" >&2
    fi
    return "$rc"
}

# Something accepts TCP connections on 127.0.0.1:$PORT (no ss/netstat needed).
port_in_use() { (exec 9<>"/dev/tcp/${HOST}/${PORT}") 2>/dev/null; }

tcp_psql() {
    PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 \
        psql -X -q -At -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$ROLE" -d "$DB" "$@"
}

# The role/database as a caller will use them: password login over TCP works,
# role can create databases, database is owned by the role.
tcp_check() {
    local out
    out="$(tcp_psql -c "select r.rolcreatedb and pg_get_userbyid(d.datdba) = '${ROLE}'
                         from pg_roles r, pg_database d
                        where r.rolname = current_user and d.datname = current_database()" 2>&1)" \
        || { TCP_ERR="$out"; return 1; }
    [[ "$out" == t ]] || { TCP_ERR="unexpected answer '${out}' (role lacks CREATEDB or database not owned by ${ROLE})"; return 1; }
}

# ---------------------------------------------------------------- fast path
# Already provisioned and running (second run, or a service container with the
# same credentials): nothing to do, no privileges needed.
if command -v psql >/dev/null && command -v pg_isready >/dev/null \
    && pg_isready -q -h "$HOST" -p "$PORT" -t 2 && tcp_check; then
    log "already provisioned on ${HOST}:${PORT}"
    echo "$URL" >&3
    exit 0
fi

# ---------------------------------------------------------------- privileges
if ((EUID == 0)); then
    as_root() { "$@"; }
    as_postgres() { runuser -u postgres -- "$@"; }
elif command -v sudo >/dev/null; then
    as_root() { sudo "$@"; }
    as_postgres() { sudo -u postgres -- "$@"; }
else
    die "PostgreSQL is not ready on ${HOST}:${PORT} and setting it up needs root: run as root or install sudo"
fi

# ---------------------------------------------------------------- 1. install
server_installed() {
    command -v pg_ctlcluster >/dev/null && command -v pg_lsclusters >/dev/null \
        && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

apt_install() {
    quiet as_root env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        apt-get install -y -q postgresql
}
apt_update() {
    quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || die "apt-get update failed"
}

if ! server_installed; then
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is not available"
    log "installing PostgreSQL from Debian packages"
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        log "apt package lists are empty: apt-get update"
        apt_update
        apt_install || die "apt-get install postgresql failed"
    elif ! QUIET_NOSHOW=1 apt_install; then
        # Typically stale package lists (404s / unknown package); output of the
        # first attempt is only shown if the retry fails too.
        log "install failed, retrying after apt-get update"
        first_attempt="$(cat "$TMP_LOG")"
        apt_update
        if ! QUIET_NOSHOW=1 apt_install; then
            echo "${PROG}: apt-get install postgresql failed; first attempt (before apt-get update):" >&2
            echo "$first_attempt" >&2
            echo "${PROG}: second attempt (after apt-get update):" >&2
            cat "$TMP_LOG" >&2
            die "apt-get install postgresql failed"
        fi
    fi
    server_installed || die "postgresql installed but pg_ctlcluster / server binaries still missing"
fi

# ---------------------------------------------------------------- 2. cluster
# Columns of `pg_lsclusters -h`: ver cluster port status owner datadir logfile
CLUSTERS="$(pg_lsclusters -h)"

# Prefer the newest installed version that already has a "main" cluster,
# otherwise the newest installed server version (a cluster is created for it).
VERSION=""
for bin in $(printf '%s\n' /usr/lib/postgresql/*/bin/postgres | sort -t/ -k5,5 -rV); do
    v="${bin#/usr/lib/postgresql/}"; v="${v%%/*}"
    if awk -v v="$v" -v c="$CLUSTER" '$1 == v && $2 == c {f = 1} END {exit !f}' <<<"$CLUSTERS"; then
        VERSION="$v"; break
    fi
    [[ -n "$VERSION" ]] || VERSION="$v"   # newest, if no version has a cluster
done
[[ -n "$VERSION" ]] || die "no PostgreSQL server binaries found under /usr/lib/postgresql"

if ! awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {f = 1} END {exit !f}' <<<"$CLUSTERS"; then
    log "creating cluster ${VERSION}/${CLUSTER} on port ${PORT}"
    quiet as_root env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        pg_createcluster --port "$PORT" --locale C.UTF-8 "$VERSION" "$CLUSTER" \
        || die "pg_createcluster ${VERSION} ${CLUSTER} failed"
    CLUSTERS="$(pg_lsclusters -h)"
fi

# Another cluster already running on our port?
other="$(awk -v v="$VERSION" -v c="$CLUSTER" -v p="$PORT" \
    '$3 == p && $4 ~ /^online/ && !($1 == v && $2 == c) {print $1 "/" $2}' <<<"$CLUSTERS")"
[[ -z "$other" ]] || die "port ${PORT} is used by another running PostgreSQL cluster (${other}); set HANDOFF_PG_PORT to a free port"

cur_port="" status="" logfile=""
read -r _ _ cur_port status _ _ logfile < <(awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c' <<<"$CLUSTERS") || true
[[ -n "$status" ]] || die "cluster ${VERSION}/${CLUSTER} not listed by pg_lsclusters"
online=false; [[ "$status" == online* ]] && online=true

# If our cluster isn't the one serving the port (it's down, or is about to move
# there), whatever listens there now is something else. Checked before any edit.
if { ! $online || [[ "$cur_port" != "$PORT" ]]; } && port_in_use; then
    die "port ${PORT} on ${HOST} is already in use by another program; stop it or set HANDOFF_PG_PORT to a free port"
fi

# Configuration: port (in postgresql.conf, where pg_lsclusters reads it) and
# listen address; files are only written when something differs.
changed=false
if [[ "$cur_port" != "$PORT" ]]; then
    log "setting port ${PORT} (was ${cur_port})"
    quiet as_root pg_conftool "$VERSION" "$CLUSTER" set port "$PORT" || die "could not set port"
    changed=true
fi
# listen_addresses goes into a conf.d drop-in (Debian's postgresql.conf ends with
# include_dir = 'conf.d'): pg_conftool would write 127.0.0.1 unquoted, which
# PostgreSQL rejects as a syntax error.
CONF_DIR="/etc/postgresql/${VERSION}/${CLUSTER}"
DROPIN="${CONF_DIR}/conf.d/handoff-ci.conf"
WANT="listen_addresses = '${HOST}'  # managed by .ci/postgres.sh (Handoff CI)"
if [[ "$(as_root cat "$DROPIN" 2>/dev/null || true)" != "$WANT" ]]; then
    as_root grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'conf\.d'" "${CONF_DIR}/postgresql.conf" \
        || die "${CONF_DIR}/postgresql.conf has no include_dir = 'conf.d'; cannot set listen_addresses = '${HOST}'"
    log "writing ${DROPIN}"
    as_root mkdir -p "${CONF_DIR}/conf.d"
    printf '%s\n' "$WANT" | as_root tee "$DROPIN" >/dev/null
    as_root chown postgres:postgres "$DROPIN"
    changed=true
fi

not_ready() {
    echo "${PROG}: error: cluster ${VERSION}/${CLUSTER} did not accept connections on ${HOST}:${PORT} within ${READY_TIMEOUT}s" >&2
    if [[ -n "${logfile:-}" ]] && as_root test -r "$logfile"; then
        echo "--- last lines of ${logfile}:" >&2
        as_root tail -n 20 "$logfile" >&2 || true
    fi
    exit 1
}

if ! $online || $changed; then
    if $online; then
        log "restarting cluster ${VERSION}/${CLUSTER} to apply configuration"
        quiet as_root pg_ctlcluster "$VERSION" "$CLUSTER" restart || die "cluster ${VERSION}/${CLUSTER} failed to restart"
    else
        log "starting cluster ${VERSION}/${CLUSTER}"
        quiet as_root pg_ctlcluster "$VERSION" "$CLUSTER" start || die "cluster ${VERSION}/${CLUSTER} failed to start"
    fi
fi

# ---------------------------------------------------------------- 4a. wait
deadline=$((SECONDS + READY_TIMEOUT))
until pg_isready -q -h "$HOST" -p "$PORT" -t 2; do
    ((SECONDS < deadline)) || not_ready
    sleep 0.5
done

# ---------------------------------------------------------------- 3. role, database
psql_admin() {
    as_postgres psql -X -q -At -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"
}

quiet psql_admin <<SQL || die "could not create/update role ${ROLE}"
SELECT format('CREATE ROLE %I', '${ROLE}')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') \gexec
ALTER ROLE ${ROLE} WITH LOGIN CREATEDB PASSWORD '${PASSWORD}';
SQL

quiet psql_admin <<SQL || die "could not create database ${DB}"
SELECT format('CREATE DATABASE %I OWNER %I', '${DB}', '${ROLE}')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${DB}') \gexec
ALTER DATABASE ${DB} OWNER TO ${ROLE};
SQL

# ---------------------------------------------------------------- 3b. TCP password auth
TCP_ERR=""
if ! tcp_check; then
    # Debian's default pg_hba.conf has "host all all 127.0.0.1/32 scram-sha-256";
    # if it was changed, put an explicit rule for our role first.
    log "password login over TCP failed (${TCP_ERR}); adding a pg_hba.conf rule"
    hba="$(as_postgres psql -X -q -At -p "$PORT" -d postgres -c 'SHOW hba_file')" \
        || die "could not locate pg_hba.conf"
    if ! as_root grep -q '# handoff-ci$' "$hba"; then
        as_root sed -i "1i host all ${ROLE} ${HOST}/32 scram-sha-256 # handoff-ci" "$hba"
    fi
    quiet as_root pg_ctlcluster "$VERSION" "$CLUSTER" reload || die "could not reload cluster"
    tcp_check || die "password login as ${ROLE} over TCP still fails: ${TCP_ERR}"
fi

echo "$URL" >&3
