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
    python3-psycopg                         # psycopg 3 for /usr/bin/python3: test/clients/psycopg.t, web/app.py
    python3-psycopg-pool                    # psycopg's connection pool: web/app.py (the web Guide)
    python3-flask                           # web/app.py (the web Guide, make guide)
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

# The browser of test/web/browser.t (and test/clients/chart_render.t): wanted, not required. If
# they cannot be installed (no such package on this architecture, a mirror without them) the
# rest goes on and those tests print a SKIPPED banner, counted as skipped by tools/run-tests.sh.
OPTIONAL_PACKAGES=(
    chromium                                # headless browser: test/web/browser.t, test/clients/chart_render.t
    chromium-driver                         # chromedriver: Selenium's link to chromium (test/web/browser.t)
    python3-selenium                        # Selenium for /usr/bin/python3: test/web/browser.t
)

missing=() optional=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done
for p in "${OPTIONAL_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || optional+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
elif [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: optional packages missing (${optional[*]}) and neither root nor sudo: the browser tests will be SKIPPED" >&2
    exit 0
else
    echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo" >&2
    exit 1
fi

"${SUDO[@]}" apt-get update
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}" >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [ ${#optional[@]} -gt 0 ]; then
    echo "install-deps: installing ${optional[*]} (optional: the browser tests)" >&2
    if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "${optional[@]}"; then
        echo "install-deps: WARNING: could not install ${optional[*]}: the browser tests will be SKIPPED" >&2
    fi
fi
