#!/usr/bin/env bash
# test/clients/jdbc.t -- dlpg through Debian's PostgreSQL JDBC driver, as a BI tool uses it:
# DatabaseMetaData lists the dlpg views and the comments on them and their columns, and
# dlpg.series runs through PreparedStatements with bound parameters and answers what psql does.
#
# Needs: default-jdk-headless (java with the single-file source launcher), libpostgresql-jdbc-java
# (/usr/share/java/postgresql.jar), a running server (libpq environment, see lib.sh) that also
# listens on TCP at $PGCLUSTER_TCPHOST (default 127.0.0.1) port $PGPORT (tools/pgcluster.sh does).
# TAP output: prove test/clients/jdbc.t
set -uo pipefail
# shellcheck source=test/clients/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JDBC_JAR=${DLPG_JDBC_JAR:-/usr/share/java/postgresql.jar}
JAVA=${JAVA:-java}
mapfile -t QUERIES < <(query_names)
NQ=${#QUERIES[@]}
# here: setup, ingest, one per query (psql answers it); DlpgJdbc.java: connect, 5 views,
# 5 column sets, two per query
tap_plan $((2 + NQ + 1 + 5 + 5 + 2 * NQ))

setup_db || exit 1
ingest_logs

psql_answers "${QUERIES[@]}"

# TCP, loopback: the private cluster's socket is out of the driver's reach
host=${PGCLUSTER_TCPHOST:-}
if [ -z "$host" ]; then
    case "${PGHOST:-}" in ''|/*) host=127.0.0.1 ;; *) host=$PGHOST ;; esac
fi
db=${PGDATABASE:-${PGUSER:-$(id -un)}}
url="jdbc:postgresql://$host:${PGPORT:-5432}/$db"

if ! command -v "$JAVA" >/dev/null 2>&1 || [ ! -r "$JDBC_JAR" ]; then
    diag "no $JAVA or no $JDBC_JAR: install default-jdk-headless libpostgresql-jdbc-java (tools/install-deps.sh)"
    exit 1
fi
tap_relay < <("$JAVA" -XX:-UsePerfData -cp "$JDBC_JAR" "$CLIENTS_DIR/DlpgJdbc.java" \
                  "$url" "${PGUSER:-$(id -un)}" "$QUERIES_FILE" "$TAP_WORK/expected" 2>&1)
