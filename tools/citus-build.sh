#!/usr/bin/env bash
# tools/citus-build.sh -- build Citus from its source tarball once, into a cache outside the
# work tree, for the Citus test suite (tools/run-tests-citus.sh, `make test-citus`).
#
#   tools/citus-build.sh            build if needed; print the staged install dir on stdout
#                                   (exit 0), or say why not on stderr (exit 2: no tarball,
#                                   exit 1: the build failed)
#
# Citus is not packaged for Debian. The source tarball (Citus 13.2.2 without its tests, the
# newest release that supports PostgreSQL 15) is looked for at DLPG_CITUS_TARBALL, default
# <project root>/../shared/vendor/citus-13.2.2.tar.gz (beside the checkout). It is unpacked,
# patched with the one compatibility line PostgreSQL 15.20 needs (15.20 exports
# have_createdb_privilege(), which Citus 13.2.2 defines again as a static inline function for
# PostgreSQL < 16: the line renames Citus's copy), configured, built with `make -j2` and
# installed with DESTDIR into STAGE = CACHE/citus-<version>-pg<server version>/stage, a tree
# shaped like the system's installation (usr/lib/postgresql/15/lib/citus.so,
# usr/share/postgresql/15/extension/citus*). Nothing is installed into the system: the suite
# copies STAGE into a private tree (tools/private-tree.sh) from which its servers run.
#
# The build runs once per tarball (its sha256 is kept in STAGE/../tarball.sha256; another
# tarball at the same path is rebuilt) and PostgreSQL version; concurrent callers wait for each
# other (flock). On this project's 2-core machine it takes 4-6 minutes.
#
# Knobs (environment):
#   DLPG_CITUS_TARBALL   the tarball (default ../shared/vendor/citus-13.2.2.tar.gz from the root)
#   DLPG_CITUS_CACHE     the cache dir (default /var/cache/dlpg-citus as root, else
#                        ${XDG_CACHE_HOME:-~/.cache}/dlpg-citus)
#   DLPG_CITUS_JOBS      make -j (default 2)
#   PG_CONFIG            the pg_config to build against (default pg_config)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
CITUS_VERSION=13.2.2
TARBALL=${DLPG_CITUS_TARBALL:-$ROOT/../shared/vendor/citus-$CITUS_VERSION.tar.gz}
if [ "$(id -u)" -eq 0 ]; then
    CACHE=${DLPG_CITUS_CACHE:-/var/cache/dlpg-citus}
else
    CACHE=${DLPG_CITUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dlpg-citus}
fi
PG_CONFIG=${PG_CONFIG:-pg_config}
JOBS=${DLPG_CITUS_JOBS:-2}

msg() { echo "citus-build: $*" >&2; }

if [ ! -f "$TARBALL" ]; then
    msg "no Citus source tarball at $TARBALL (set DLPG_CITUS_TARBALL)"
    exit 2
fi
TARBALL=$(cd "$(dirname "$TARBALL")" && pwd -P)/$(basename "$TARBALL")
if ! pgversion=$("$PG_CONFIG" --version); then
    msg "$PG_CONFIG failed (install postgresql-server-dev-15)"
    exit 1
fi
pgversion=${pgversion#PostgreSQL }
pgversion=${pgversion%% *}
sha=$(sha256sum "$TARBALL" | cut -d' ' -f1) || exit 1
DIR="$CACHE/citus-$CITUS_VERSION-pg$pgversion"
STAGE="$DIR/stage"

mkdir -p "$CACHE" || { msg "cannot create the cache dir $CACHE"; exit 1; }
exec 9>"$CACHE/.lock"
flock 9

if [ -f "$DIR/ok" ] && [ "$(cat "$DIR/tarball.sha256" 2>/dev/null)" = "$sha" ] &&
   [ -n "$(find "$STAGE" -name citus.so -print -quit 2>/dev/null)" ]; then
    printf '%s\n' "$STAGE"
    exit 0
fi

rm -rf "$DIR"
mkdir -p "$DIR" || exit 1
log="$DIR/build.log"
start=$(date +%s)
msg "building Citus $CITUS_VERSION for PostgreSQL $pgversion from $TARBALL into $DIR (log: $log)"
(
    set -e
    tar -xzf "$TARBALL" -C "$DIR"
    src="$DIR/citus-$CITUS_VERSION"
    compat="$src/src/include/pg_version_compat.h"
    # the compatibility line, just before Citus's own static inline have_createdb_privilege()
    awk '
        NR > 1 {
            if ($0 ~ /^have_createdb_privilege\(void\)/ && prev ~ /^static inline bool/) {
                print "#define have_createdb_privilege citus_compat_have_createdb_privilege"
                done = 1
            }
            print prev
        }
        { prev = $0 }
        END { print prev; if (!done) exit 3 }' "$compat" >"$compat.new"
    mv "$compat.new" "$compat"
    cd "$src"
    ./configure PG_CONFIG="$PG_CONFIG"
    make -j"$JOBS"
    make install DESTDIR="$STAGE"
) >"$log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
    msg "the build failed (status $rc); last lines of $log:"
    tail -n 30 "$log" >&2
    exit 1
fi
rm -rf "$DIR/citus-$CITUS_VERSION"
printf '%s\n' "$sha" >"$DIR/tarball.sha256"
echo "$(( $(date +%s) - start ))" >"$DIR/build-seconds"
touch "$DIR/ok"
msg "built in $(( $(date +%s) - start )) s"
printf '%s\n' "$STAGE"
