#!/usr/bin/env bash
# test/clients/pandas.t -- dlpg.series in pandas, logged in as a member of dlpg_reader:
# pd.read_sql with bound parameters over SQLAlchemy (psycopg2) and over psqlODBC gives psql's
# rows, and pivots come out in dlpg's order (numbers as numbers) rather than the text order of x
# (128, 16, 256, ...).
#
# Needs: python3-pandas, python3-sqlalchemy, python3-psycopg2, python3-pyodbc, odbc-postgresql
# (Debian's /usr/bin/python3; DLPG_PYTHON to choose another); a running server (libpq
# environment, see lib.sh) that also listens on TCP at $PGCLUSTER_TCPHOST (default 127.0.0.1)
# for ODBC. The ODBC driver is registered in a private odbcinst.ini, as in odbc.t.
# TAP output: prove test/clients/pandas.t
set -uo pipefail
# shellcheck source=test/clients/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=${DLPG_PYTHON:-/usr/bin/python3}
DRIVER_LIB=${DLPG_ODBC_DRIVER_LIB:-$(ls /usr/lib/*/odbc/psqlodbcw.so 2>/dev/null | head -n 1)}
DRIVER="PostgreSQL Unicode (dlpg test)"
export ODBCSYSINI=$TAP_WORK
printf '[%s]\nDriver=%s\nCommLog=0\nDebug=0\n' "$DRIVER" "$DRIVER_LIB" >"$ODBCSYSINI/odbcinst.ini"
READER=dlpg_pandas_reader_$$
mapfile -t QUERIES < <(query_names)
NQ=${#QUERIES[@]}
# here: setup, ingest, one per query (psql answers it), reader login; dlpg_pandas.py: connect,
# one read_sql per query, one over ODBC, one pivot per query, x_value
tap_plan $((2 + NQ + 1 + 1 + NQ + 1 + NQ + 1))

setup_db || exit 1
ingest_logs
psql_answers "${QUERIES[@]}"
reader_login "$READER"

EXP=$TAP_WORK/expected
"${PSQL[@]}" -A -t -c 'SELECT name, kind FROM dlpg.axis_defs()' >"$EXP/axis_kinds.txt"

host=${PGCLUSTER_TCPHOST:-}
if [ -z "$host" ]; then
    case "${PGHOST:-}" in ''|/*) host=127.0.0.1 ;; *) host=$PGHOST ;; esac
fi
db=${PGDATABASE:-${PGUSER:-$(id -un)}}
odbc="Driver={$DRIVER};Servername=$host;Port=${PGPORT:-5432};Database=$db;Username=$READER;Password=;UnknownsAsLongVarchar=1"

if ! "$PYTHON" -c 'import pandas, sqlalchemy, psycopg2, pyodbc' 2>"$TAP_WORK/import.err"; then
    diag "$PYTHON cannot import pandas, sqlalchemy, psycopg2 and pyodbc: install python3-pandas python3-sqlalchemy python3-psycopg2 python3-pyodbc (tools/install-deps.sh)"
    diag_file "$TAP_WORK/import.err"
    exit 1
fi
# the server from PGHOST/PGPORT (libpq), the reader as user
tap_relay < <("$PYTHON" "$CLIENTS_DIR/dlpg_pandas.py" "postgresql+psycopg2://$READER@/$db" "$odbc" \
                  "$QUERIES_FILE" "$EXP" 2>&1)
