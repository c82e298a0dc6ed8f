#!/usr/bin/env bash
# test/clients/psycopg.t -- dlpg.series through psycopg 3 (Debian's python3-psycopg) with bound
# parameters, compared text for text with psql's answer; floats printed as psql prints them.
#
# Needs: python3-psycopg (for Debian's /usr/bin/python3; a python3 first on PATH may be another
# one without it: set DLPG_PYTHON to choose), a running server (libpq environment, see lib.sh).
# TAP output: prove test/clients/psycopg.t
set -uo pipefail
# shellcheck source=test/clients/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=${DLPG_PYTHON:-/usr/bin/python3}
mapfile -t QUERIES < <(query_names)
NQ=${#QUERIES[@]}
# here: setup, ingest, one per query (psql answers it); dlpg_psycopg.py: connect, floats,
# three per query
tap_plan $((2 + NQ + 2 + 3 * NQ))

setup_db || exit 1
ingest_logs

psql_answers "${QUERIES[@]}"

if ! "$PYTHON" -c 'import psycopg' 2>/dev/null; then
    diag "$PYTHON cannot import psycopg: install python3-psycopg (tools/install-deps.sh)"
    exit 1
fi
tap_relay < <("$PYTHON" "$CLIENTS_DIR/dlpg_psycopg.py" "$QUERIES_FILE" "$TAP_WORK/expected" 2>&1)
