#!/usr/bin/env bash
# tools/install-deps.sh -- install the Debian 12 packages dlpg needs to build, test and bench.
# Idempotent and quiet when everything is already installed.
set -euo pipefail

PACKAGES=(
    postgresql-15                           # server (initdb, pg_ctl, postgres) + psql
    postgresql-server-dev-15                # pg_config --pgxs, server headers
    postgresql-15-pgtap                     # pgTAP extension
    libtap-parser-sourcehandler-pgtap-perl  # pg_prove
    libpq-dev                               # libpq: the extension's tests, dlpg-load
    zlib1g-dev                              # dlpg-load: .gz files
    libarchive-dev                          # dlpg-load: .tar.gz / .tgz archives
    make
    gcc
    clang-14                                # fuzz/: libFuzzer harnesses (make fuzz, make fuzz-regress)
    libclang-rt-14-dev                      # fuzz/: libFuzzer, ASan and UBSan runtimes for clang-14
    libxml2-utils                           # xmllint
    python3
    default-jdk-headless                    # java: test/clients/jdbc.t (single-file source launcher)
    libpostgresql-jdbc-java                 # /usr/share/java/postgresql.jar: test/clients/jdbc.t
    python3-psycopg                         # psycopg 3 for /usr/bin/python3: test/clients/psycopg.t
    unixodbc                                # ODBC driver manager: test/clients/odbc.t, pandas.t
    odbc-postgresql                         # psqlODBC (psqlodbcw.so): test/clients/odbc.t, pandas.t
    python3-pyodbc                          # pyodbc for /usr/bin/python3: test/clients/odbc.t, pandas.t
    python3-pandas                          # pandas: test/clients/pandas.t
    python3-sqlalchemy                      # SQLAlchemy (1.4 on Debian 12): test/clients/pandas.t
    python3-psycopg2                        # SQLAlchemy 1.4's PostgreSQL driver: test/clients/pandas.t
    python3-scipy                           # scipy: test/lib/mannwhitney_cases.py (regenerates test/compare.sql's expected p-values)
    pgbouncer                               # test/loader/pgbouncer.t: the loader behind transaction pooling
    sqlsmith                                # random SQL: make test-sqlsmith, tools/run-sqlsmith.sh
    libcurl4-openssl-dev                    # Citus build (tools/citus-build.sh, make test-citus)
    liblz4-dev                              # Citus build
    libzstd-dev                             # Citus build
    libkrb5-dev                             # Citus build
)

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
