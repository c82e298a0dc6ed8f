#!/usr/bin/env bash
# test/clients/odbc.t -- dlpg through psqlODBC and unixODBC (pyodbc), as BI tools (Power BI,
# Tableau, Excel) use it, logged in as a member of dlpg_reader: the catalog functions list the
# views and the user's functions (no internal ones), dlpg.dictionary gives the descriptions the
# driver's REMARKS leave empty, dlpg.series runs with bound parameters and answers what psql
# does, and the DSN settings that docs/reference.md recommends deliver jsonb, arrays and charts
# whole. Then psql's export of a chart to a file, as the docs show it, and a parallel plan run
# through ODBC by the reader.
#
# Needs: odbc-postgresql, unixodbc, python3-pyodbc (Debian's /usr/bin/python3; DLPG_PYTHON to
# choose another), libxml2-utils (xmllint); a running server (libpq environment, see lib.sh)
# that also listens on TCP at $PGCLUSTER_TCPHOST (default 127.0.0.1) port $PGPORT.
# The driver is registered in a private odbcinst.ini (ODBCSYSINI): Debian's /etc/odbcinst.ini
# turns psqlODBC's CommLog on, which writes a log file to /tmp for every process, whatever the
# connection string says. DLPG_ODBC_DRIVER_LIB: psqlODBC's Unicode driver (default: Debian's
# psqlodbcw.so).
# TAP output: prove test/clients/odbc.t
set -uo pipefail
# shellcheck source=test/clients/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=${DLPG_PYTHON:-/usr/bin/python3}
DRIVER_LIB=${DLPG_ODBC_DRIVER_LIB:-$(ls /usr/lib/*/odbc/psqlodbcw.so 2>/dev/null | head -n 1)}
DRIVER="PostgreSQL Unicode (dlpg test)"
export ODBCSYSINI=$TAP_WORK
printf '[%s]\nDriver=%s\nCommLog=0\nDebug=0\n' "$DRIVER" "$DRIVER_LIB" >"$ODBCSYSINI/odbcinst.ini"
READER=dlpg_odbc_reader_$$
PARDB=dlpg_odbc_parallel_$$
mapfile -t QUERIES < <(query_names)
NQ=${#QUERIES[@]}
# here: setup, ingest, one per query (psql answers it), reader login, parallel database, the
# docs' DSN settings, \df, three psql exports; dlpg_odbc.py: 7 catalog and dictionary checks,
# two per query, 6 on DSN settings, values and parallel plans
tap_plan $((2 + NQ + 1 + 1 + 1 + 1 + 3 + 7 + 2 * NQ + 6))

setup_db || exit 1
ingest_logs
psql_answers "${QUERIES[@]}"
reader_login "$READER"
parallel_db "$PARDB"

EXP=$TAP_WORK/expected
mkdir -p "$EXP"

# The psqlODBC settings of docs/reference.md: the Key = Value lines of the first ```ini block
# after the "### psqlODBC" heading, without the connection's own keys (this test brings them).
awk '/^### psqlODBC/ { s = 1 } s && /^```ini/ { b = 1; next } b && /^```/ { exit } b' "$ROOT/docs/reference.md" |
    sed -n 's/^[[:space:]]*\([A-Za-z]*\)[[:space:]]*=[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/\1=\2/p' |
    grep -v -i -E '^(Driver|Servername|Server|Port|Database|Username|UID|Password|PWD|SSLmode)=' >"$TAP_WORK/settings"
SETTINGS=$(paste -s -d ';' "$TAP_WORK/settings")
if grep -q '^UnknownsAsLongVarchar=1$' "$TAP_WORK/settings" && grep -q '^MaxLongVarcharSize=' "$TAP_WORK/settings"; then
    ok "docs/reference.md recommends psqlODBC settings: $SETTINGS"
else
    not_ok "docs/reference.md recommends psqlODBC settings (UnknownsAsLongVarchar=1, MaxLongVarcharSize, ...): got '$SETTINGS'"
fi

# What psql says, for the ODBC answers to be compared with (fields separated by US, records by RS)
rec() { "${PSQL[@]}" -A -t -F $'\x1f' -R $'\x1e' "$@"; }
rec -c "SELECT relname FROM pg_class WHERE relnamespace = 'dlpg'::regnamespace AND relkind = 'v' ORDER BY 1" >"$EXP/views.rec"
rec -c "SELECT relname FROM pg_class WHERE relnamespace = 'dlpg'::regnamespace AND relkind IN ('r', 'v') ORDER BY 1" >"$EXP/relations.rec"
rec -c 'SELECT object, "column", type, description FROM dlpg.dictionary' >"$EXP/dictionary.rec"
rec -c 'SELECT id, params::text FROM dlpg.benchmarks ORDER BY id' >"$EXP/params.rec"

# The function list a psql user sees: \df dlpg.*
"${PSQL[@]}" -A -t -c '\df dlpg.*' >"$EXP/df.out" 2>&1
cut -d '|' -f 2 "$EXP/df.out" | sort -u >"$EXP/functions.txt"
if grep -qx series "$EXP/functions.txt" && ! grep -q -E '^trials_|^write_axis_views$' "$EXP/functions.txt" &&
   ! grep -q -E '(^|[|, ])internal([|,]|$)' "$EXP/df.out"; then
    ok "psql \\df dlpg.*: $(wc -l <"$EXP/functions.txt") functions, dlpg.series among them, no internal one (trials_*, write_axis_views)"
else
    not_ok "psql \\df dlpg.*: the user's functions only"
    diag_file "$EXP/df.out"
fi

# A chart exported with psql as docs/reference.md shows it (\g with unaligned, tuples-only
# output), and with \copy, which the docs warn against
CHART_ARGS=("replica_batch" "throughput" '{"phase": "training"}' "max" "model")
"${PSQL[@]}" -v x="${CHART_ARGS[0]}" -v y="${CHART_ARGS[1]}" -v f="${CHART_ARGS[2]}" -v a="${CHART_ARGS[3]}" \
    -v g="${CHART_ARGS[4]}" >"$TAP_WORK/export.err" 2>&1 <<SQL
SELECT dlpg.chart(:'x', :'y', :'f', :'a', :'g') \\g (format=unaligned tuples_only=on) $EXP/chart.svg
SELECT dlpg.chart(:'x', :'y', :'f', :'a', :'g', format => 'vega-lite') \\g (format=unaligned tuples_only=on) $EXP/chart.json
\\copy (SELECT dlpg.chart('replica_batch', 'throughput', '{"phase": "training"}', 'max', 'model')) TO '$EXP/chart.copy'
SQL
if xmllint --noout "$EXP/chart.svg" 2>"$TAP_WORK/xmllint.err" && [ "$(grep -c '<svg' "$EXP/chart.svg")" -eq 1 ]; then
    ok "psql \\g (format=unaligned tuples_only=on) chart.svg: well-formed SVG ($(wc -l <"$EXP/chart.svg") lines)"
else
    not_ok "psql \\g (format=unaligned tuples_only=on) chart.svg: well-formed SVG"
    diag_file "$TAP_WORK/export.err"; diag_file "$TAP_WORK/xmllint.err"
fi
if "$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["$schema"].endswith("vega-lite/v5.json")' \
       "$EXP/chart.json" 2>"$TAP_WORK/json.err"; then
    ok "psql \\g (format=unaligned tuples_only=on) chart.json: a Vega-Lite spec that parses as JSON"
else
    not_ok "psql \\g (format=unaligned tuples_only=on) chart.json: a Vega-Lite spec that parses as JSON"
    diag_file "$TAP_WORK/json.err"
fi
# \copy writes COPY's text format: the newlines of the document become the two characters \n
if [ "$(wc -l <"$EXP/chart.copy")" -eq 1 ] && grep -q '\\n<svg' "$EXP/chart.copy" &&
   ! xmllint --noout "$EXP/chart.copy" 2>/dev/null; then
    ok "\\copy (SELECT dlpg.chart(...)) TO file: one line with escaped newlines, not an SVG file (why the docs use \\g)"
else
    not_ok "\\copy (SELECT dlpg.chart(...)) TO file: one line with escaped newlines, not an SVG file (why the docs use \\g)"
fi

# TCP, loopback, as a DSN would point at a server
host=${PGCLUSTER_TCPHOST:-}
if [ -z "$host" ]; then
    case "${PGHOST:-}" in ''|/*) host=127.0.0.1 ;; *) host=$PGHOST ;; esac
fi
db=${PGDATABASE:-${PGUSER:-$(id -un)}}
conn="Driver={$DRIVER};Servername=$host;Port=${PGPORT:-5432};Username=$READER;Password=;CommLog=0;Debug=0"

if [ -z "$DRIVER_LIB" ] || ! "$PYTHON" -c 'import pyodbc' 2>/dev/null; then
    diag "$PYTHON cannot import pyodbc: install python3-pyodbc odbc-postgresql unixodbc (tools/install-deps.sh)"
    exit 1
fi
tap_relay < <("$PYTHON" "$CLIENTS_DIR/dlpg_odbc.py" "$conn" "$db" "$PARDB" "$SETTINGS" \
                  "$QUERIES_FILE" "$EXP" "${CHART_ARGS[@]}" 2>&1)
