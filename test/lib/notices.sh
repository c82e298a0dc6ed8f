#!/bin/sh
# test/lib/notices.sh FILE DB HOST PORT USER: run FILE with psql in a session of its own and
# print everything psql prints, NOTICEs included (stderr merged, "psql:...: " prefixes cut).
# For pgTAP files, which cannot catch a NOTICE in SQL: they run this from psql backticks
# (\set out `sh test/lib/notices.sh FILE :'DBNAME' :'HOST' :'PORT' :'USER'`) before their BEGIN.
PSQL=${PGCLUSTER_BINDIR:+$PGCLUSTER_BINDIR/}psql
"$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -v VERBOSITY=default -d "$2" -h "$3" -p "$4" -U "$5" -f "$1" 2>&1 |
    sed -e 's/^psql:[^:]*:[0-9]*: //'
