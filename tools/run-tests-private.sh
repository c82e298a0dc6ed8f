#!/usr/bin/env bash
# tools/run-tests-private.sh -- `make test-private`: the whole test suite (tools/run-tests.sh,
# unchanged) with `make install` going to a private tree (DESTDIR) that tools/private-tree.sh
# completes into a PostgreSQL installation of its own, so the system's PostgreSQL is never
# touched: several checkouts (git worktrees) can run their tests at once on one machine.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
WORK=$(mktemp -d /tmp/dlpg-private.XXXXXX) || exit 1
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
TREE="$WORK/tree"

# shellcheck source=tools/private-tree.sh
source "$ROOT/tools/private-tree.sh"
PGCLUSTER_POSTGRES=$(private_tree_postgres "$TREE") || exit 1
export PGCLUSTER_POSTGRES

private_tree_make_wrapper "$WORK/make" "$TREE" run-tests-private
# where this run's dlpg-load is installed (test/loader/usage.t compares it with the built one)
DLPG_INSTALLED_BINDIR="$TREE$(${PG_CONFIG:-pg_config} --bindir)"
export DLPG_INSTALLED_BINDIR

MAKE="$WORK/make" "$ROOT/tools/run-tests.sh"
