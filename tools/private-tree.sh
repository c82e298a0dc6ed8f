# shellcheck shell=bash
# tools/private-tree.sh -- a private PostgreSQL installation for an instrumented dlpg, so that
# `make test-asan` and `make test-valgrind` never install anything into the system's
# PostgreSQL (other runs on the machine keep loading the normal dlpg.so).
#
# SOURCE this file (do not execute it), then:
#
#   private_tree_complete TREE
#       TREE is a DESTDIR into which `make install DESTDIR=TREE` has installed dlpg (and
#       dlpg-load). Completes it into an installation a server can run from: a copy of the
#       system's postgres binary in TREE$(pg_config --bindir), and in TREE's pkglibdir and
#       sharedir a symbolic link to every entry of the system's that dlpg did not install
#       (directories present on both sides, such as extension/ and bitcode/, are merged entry
#       by entry). Safe to call again after another install.
#   private_tree_postgres TREE
#       prints the path of the postgres binary of TREE (for pgcluster.sh's PGCLUSTER_POSTGRES).
#
# Why it works: PostgreSQL is relocatable. A server finds its pkglibdir ($libdir, where
# '$libdir/dlpg' is loaded from) and its sharedir (extension control and script files)
# relative to the location of its own executable, so the copy in TREE loads TREE's dlpg.so and
# reads TREE's dlpg.control, while every other extension (plpgsql, pgtap, ...) and data file
# is the system's, through the links.
#
# Entries of the system's install named dlpg* (an older or newer dlpg installed there) are
# never linked: the tree holds exactly what this build installed.

_private_tree_dirs() {
    local pgc=${PG_CONFIG:-pg_config}
    if ! _PT_BINDIR=$("$pgc" --bindir) || ! _PT_PKGLIBDIR=$("$pgc" --pkglibdir) ||
       ! _PT_SHAREDIR=$("$pgc" --sharedir); then
        echo "private-tree: $pgc failed (install postgresql-server-dev-15)" >&2
        return 1
    fi
    # pg_config may be the client-only one; the server binary lives here on Debian
    if [ ! -x "$_PT_BINDIR/postgres" ] && [ -x /usr/lib/postgresql/15/bin/postgres ]; then
        _PT_BINDIR=/usr/lib/postgresql/15/bin
    fi
    if [ ! -x "$_PT_BINDIR/postgres" ]; then
        echo "private-tree: no postgres binary in $_PT_BINDIR (install postgresql-15)" >&2
        return 1
    fi
}

# _private_tree_link SRC DST: every entry of SRC missing from DST becomes a link to it; a
# directory on both sides is merged recursively. Never writes through an existing entry.
_private_tree_link() {
    local src=$1 dst=$2 entry name
    mkdir -p "$dst" || return 1
    for entry in "$src"/* "$src"/.[!.]*; do
        [ -e "$entry" ] || [ -L "$entry" ] || continue
        name=${entry##*/}
        case "$name" in dlpg*) continue ;; esac
        if [ -d "$dst/$name" ] && [ ! -L "$dst/$name" ]; then
            if [ -d "$entry" ]; then
                _private_tree_link "$entry" "$dst/$name" || return 1
            fi
        elif [ ! -e "$dst/$name" ] && [ ! -L "$dst/$name" ]; then
            ln -s "$entry" "$dst/$name" || return 1
        fi
    done
}

private_tree_complete() {
    local tree=${1:?private_tree_complete TREE}
    _private_tree_dirs || return 1
    if [ ! -f "$tree$_PT_PKGLIBDIR/dlpg.so" ]; then
        echo "private-tree: $tree$_PT_PKGLIBDIR/dlpg.so missing (make install DESTDIR=$tree first)" >&2
        return 1
    fi
    mkdir -p "$tree$_PT_BINDIR" || return 1
    if [ ! -x "$tree$_PT_BINDIR/postgres" ]; then
        # a copy, not a link: the server resolves links to find its real location
        cp -p "$_PT_BINDIR/postgres" "$tree$_PT_BINDIR/postgres" || return 1
    fi
    _private_tree_link "$_PT_PKGLIBDIR" "$tree$_PT_PKGLIBDIR" || return 1
    _private_tree_link "$_PT_SHAREDIR" "$tree$_PT_SHAREDIR" || return 1
    # the server runs as another user (postgres, when we are root): let it read the tree
    chmod -R a+rX "$tree" || return 1
}

private_tree_postgres() {
    local tree=${1:?private_tree_postgres TREE}
    _private_tree_dirs || return 1
    printf '%s\n' "$tree$_PT_BINDIR/postgres"
}
