#!/usr/bin/env bash
# test/loader/usage.t -- dlpg-load's command line: --help, --version, usage errors (exit 2),
# connection options (-d as a name, a conninfo string or a URI; -h/-p/-U; the PG* environment),
# connection errors (exit 2: nothing listening, no such database, no dlpg in the database), and
# the installed copies (pg_config --bindir, /usr/local/bin) when make install has run.
#
# Needs: a running server (libpq environment, see lib.sh).
# TAP output: prove test/loader/usage.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 31

new_db DB || { echo "Bail out! cannot create a database"; exit 1; }
LOG=$TAP_WORK/one.log
cp "$RTX/resnet50_16.log" "$LOG"

# ---------------------------------------------------------------- help, version
load help --help
rc_is 0 "--help: exit 0"
like "$TAP_WORK/help.out" '^  dlpg-load \[OPTION\]\.\.\. PATH\.\.\.' "--help prints the usage on stdout"
load version --version
rc_is 0 "--version: exit 0"
like "$TAP_WORK/version.out" '^dlpg-load \(dlpg\) [0-9]+\.[0-9]+\.[0-9]+$' "--version prints 'dlpg-load (dlpg) X.Y.Z'"

# ---------------------------------------------------------------- usage errors
load unknown --no-such-option "$LOG"
rc_is 2 "an unknown option: exit 2"
like "$LOAD_ERR" 'Try "dlpg-load --help"' "... and a hint to --help"
load nopath -d "$DB"
rc_is 2 "no PATH: exit 2"
like "$LOAD_ERR" 'no PATH given' "... says no PATH given"
load badconflict -d "$DB" --on-conflict=overwrite "$LOG"
rc_is 2 "--on-conflict overwrite: exit 2"
like "$LOAD_ERR" 'invalid --on-conflict "overwrite": use skip, replace or error' "... lists the valid modes"
load badbatch -d "$DB" --batch 0 "$LOG"
rc_is 2 "--batch 0: exit 2"
load badbatch2 -d "$DB" --batch 12x "$LOG"
rc_is 2 "--batch 12x: exit 2"
load missingarg -d "$DB" "$LOG" --on-conflict
rc_is 2 "--on-conflict without a value: exit 2"
is "$(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" 0 "usage errors load nothing"

# ---------------------------------------------------------------- connection errors
load refused -h 127.0.0.1 -p 1 -d "$DB" "$LOG"
rc_is 2 "nothing listening (127.0.0.1 port 1): exit 2"
like "$LOAD_ERR" '^dlpg-load: cannot connect: ' "... says it cannot connect"
load nosocket -h /nonexistent-dir -d "$DB" "$LOG"
rc_is 2 "no server socket in -h /nonexistent-dir: exit 2"
load nodb -d "${DB}_does_not_exist" "$LOG"
rc_is 2 "a database that does not exist: exit 2"
PLAIN=$DB_PREFIX"_plain"
TEST_DBS+=("$PLAIN")
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $PLAIN" >/dev/null
load noext -d "$PLAIN" "$LOG"
rc_is 2 "a database without the dlpg extension: exit 2"
like "$LOAD_ERR" 'CREATE EXTENSION dlpg' "... says to CREATE EXTENSION dlpg"

# ---------------------------------------------------------------- connection options
load byname -d "$DB" --quiet "$LOG"
rc_is 0 "-d NAME: exit 0"
load conninfo --dbname "dbname=$DB application_name=loader-test" --quiet "$LOG"
rc_is 0 "-d 'dbname=... application_name=...' (a conninfo string): exit 0"
load uri -d "postgresql:///$DB?host=$(printf '%s' "${PGHOST:-/var/run/postgresql}" | sed 's|/|%2F|g')&port=${PGPORT:-5432}" --quiet "$LOG"
rc_is 0 "-d postgresql:///DB?host=...&port=... (a URI): exit 0"
load hpu -h "${PGCLUSTER_TCPHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}" -d "$DB" --quiet "$LOG"
rc_is 0 "-h 127.0.0.1 -p PORT -U USER -d DB (TCP): exit 0"
PGDATABASE=$DB load env --quiet "$LOG"
rc_is 0 "the database from PGDATABASE: exit 0"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks")" 1 "five loads of one log: one benchmark"

# ---------------------------------------------------------------- installed copies
# make test-private installs into a private tree (DLPG_INSTALLED_BINDIR), without the symlink
bindir=${DLPG_INSTALLED_BINDIR:-$(pg_config --bindir 2>/dev/null)}
if [ -n "$bindir" ] && [ -x "$bindir/dlpg-load" ]; then
    is "$("$bindir/dlpg-load" --version)" "$("$DLPG_LOAD" --version)" "installed in \$(pg_config --bindir): same version"
else
    skip "not installed in \$(pg_config --bindir) (run make install)"
fi
if [ -n "${DLPG_INSTALLED_BINDIR:-}" ]; then
    skip "installed into a private tree: no /usr/local/bin symlink to check"
elif [ -L /usr/local/bin/dlpg-load ]; then
    is "$(readlink /usr/local/bin/dlpg-load)" "$bindir/dlpg-load" "/usr/local/bin/dlpg-load links to the installed one"
elif [ -d /usr/local/bin ] && [ -w /usr/local/bin ] && [ -n "$bindir" ] && [ -x "$bindir/dlpg-load" ]; then
    not_ok "/usr/local/bin is writable but has no dlpg-load symlink after make install"
else
    skip "no /usr/local/bin/dlpg-load (not installed, or /usr/local/bin not writable)"
fi

# ---------------------------------------------------------------- a 0.2.0 server
# dlpg.reject (0.3.0) records client rejects; a server still at 0.2.0 has none, and the loader
# writes the row itself there: loading works while the extension waits for its update.
new_db OLD || { echo "Bail out! cannot create a database"; exit 1; }
"${PSQL[@]}" -d "$OLD" -c 'DROP EXTENSION dlpg' -c "CREATE EXTENSION dlpg VERSION '0.2.0'" >/dev/null
printf 'not a log\n' >"$TAP_WORK/notes.txt"
load old -d "$OLD" "$H200" "$TAP_WORK/notes.txt"
rc_is 1 "0.2.0 server: a run with a client reject exits 1 (rejected), not 2"
is "$(q "$OLD" "SELECT count(*) FROM dlpg.benchmarks")" "8" "... the 8 H200 logs are stored"
is "$(q "$OLD" "SELECT reason || '|' || sqlstate FROM dlpg.rejects WHERE source LIKE '%notes.txt'")" \
    "not a known format|22023" "... and the client reject is recorded"
