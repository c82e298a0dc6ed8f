#!/usr/bin/env bash
# test/loader/robustness.t -- dlpg-load on hostile input and a hostile world: text that is not
# UTF-8 or holds a NUL, JSON that is not JSON, a corrupt .log.gz inside an archive, gzip files of
# several members, a large log, dangling and looping symbolic links, a FIFO, a file name that is
# not UTF-8, files it may not read; a server whose encoding cannot hold a character (the batch
# fails, is rolled back and replayed, the input alone is rejected); a lock timeout and a canceled
# statement (exit 2, no reject, a re-run completes the job); the connection killed in the
# middle of a run (exit 2, what was committed stays, a second run completes the job), and a
# Ctrl-C (exit 130, the same); progress
# output on a terminal, to a file, and none with --quiet.
#
# Needs: a running server (libpq environment, see lib.sh) whose PGUSER is a superuser
# (pg_terminate_backend, CREATE DATABASE ... ENCODING LATIN1), gzip, tar, mkfifo, script(1)
# (bsdutils) for the terminal case, setpriv (util-linux) when run as root.
# TAP output: prove test/loader/robustness.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 69

W=$TAP_WORK
cd "$W" || exit 1
h200=("$H200"/*.log)

# ---------------------------------------------------------------- hostile files
H=hostile
mkdir -p "$H/tar/sub" "$H/loop"
# not UTF-8 (Latin-1 "é" on line 3) and a NUL byte on line 2
{ printf '__exp.id__="latin1"\n__exp.model__="resnet50"\n__exp.framework_title__="caf'; printf '\xe9'; printf '"\n__results.time__=5.0\n'; } >"$H/latin1.log"
{ printf '__exp.id__="nul"\n__exp.model__="res'; printf '\0'; printf 'net"\n__results.time__=5.0\n'; } >"$H/nul.log"
printf '{"data": [' >"$H/broken.json"
printf '42\n' >"$H/scalar.json"
# a gzip file of two members (as "gzip -c part1; gzip -c part2 >> file" makes): read whole
log_with_id "${h200[0]}" two-members "$W/two.log"
head -n 200 "$W/two.log" | gzip -c >"$H/two-members.log.gz"
tail -n +201 "$W/two.log" | gzip -c >>"$H/two-members.log.gz"
# a 3 MB log: a fixture with 40000 console lines in front
{ for i in $(seq 1 40000); do echo "Step $i: images/sec: 2312.5 +/- 0.1 (jitter = 1.1)"; done
  cat "${h200[1]}"; } | sed -E 's/^__exp\.id__=.*/__exp.id__="large"/' >"$H/large.log"
# an archive with a corrupt .log.gz entry between two good logs
log_with_id "${h200[2]}" tar-a "$H/tar/sub/a.log"
gzip -c "${h200[3]}" | head -c 2000 >"$H/tar/sub/b.log.gz"
log_with_id "${h200[4]}" tar-c "$H/tar/sub/c.log"
tar --sort=name -czf "$H/entries.tgz" -C "$H/tar" sub
rm -rf "$H/tar"
# links: dangling, a loop back to the folder, and a FIFO named like a log
ln -s /nonexistent/dangling.log "$H/dangling.log"
ln -s .. "$H/loop/up"
mkfifo "$H/pipe.log"
# a file name that is not UTF-8
log_with_id "${h200[5]}" latin1-name "$H/caf$(printf '\xe9').log"

new_db DB || { echo "Bail out! cannot create a database"; exit 1; }
LOAD_ERR=$W/hostile.err
timeout 120 "$DLPG_LOAD" -d "$DB" "$H" >"$W/hostile.out" 2>"$LOAD_ERR"
LOAD_RC=$?
rc_is 1 "hostile folder: exit 1 (no hang on the FIFO or the loop)"
is "$(q "$DB" "SELECT sqlstate || ' ' || reason FROM dlpg.rejects WHERE source = '$H/latin1.log'")" \
    '22021 invalid byte sequence for encoding "UTF8": 0xe9 0x22 0x0a' \
    "not UTF-8: rejected by the client with PostgreSQL's message (22021)"
is "$(q "$DB" "SELECT detail FROM dlpg.rejects WHERE source = '$H/latin1.log'" | cut -d: -f1)" \
    "line 3, byte offset 73" "... detail: line and byte offset"
is "$(q "$DB" "SELECT sqlstate || ' ' || reason FROM dlpg.rejects WHERE source = '$H/nul.log'")" \
    '22021 invalid byte sequence for encoding "UTF8": 0x00' "a NUL byte: rejected (22021, 0x00)"
is "$(q "$DB" "SELECT sqlstate FROM dlpg.rejects WHERE source = '$H/broken.json'")" 22P02 \
    "JSON that is not JSON: rejected by dlpg.load_json (22P02)"
is "$(q "$DB" "SELECT sqlstate FROM dlpg.rejects WHERE source = '$H/scalar.json'")" 22023 \
    "a JSON scalar document: rejected (22023)"
is "$(q "$DB" "SELECT params = dlpg.parse_log(pg_read_file('$W/two.log')) FROM dlpg.benchmarks WHERE exp_id = 'two-members'")" \
    t "a .log.gz of two gzip members: read whole"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = 'large' AND status = 'ok'")" 1 "a 3 MB log: loaded"
is "$(q "$DB" "SELECT string_agg(source, ',' ORDER BY source) FROM dlpg.benchmarks WHERE exp_id LIKE 'tar-%'")" \
    "$H/entries.tgz!sub/a.log,$H/entries.tgz!sub/c.log" "archive: the good entries around a corrupt one are loaded"
is "$(q "$DB" "SELECT sqlstate || ' ' || left(reason, 18) FROM dlpg.rejects WHERE source = '$H/entries.tgz!sub/b.log.gz'")" \
    "22000 corrupt gzip data:" "archive: the corrupt .log.gz entry is rejected as <archive>!<entry> (22000)"
is "$(q "$DB" "SELECT sqlstate || ' ' || reason FROM dlpg.rejects WHERE source = '$H/dangling.log'")" \
    "58030 No such file or directory" "a dangling link named like a log: rejected (58030)"
like "$LOAD_ERR" "skipped folder $H/loop/up: it contains itself" "a link back up the tree: skipped, with a message"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE '%/loop/%'")" 0 "... and nothing loaded twice through it"
is "$(q "$DB" "SELECT source FROM dlpg.benchmarks WHERE exp_id = 'latin1-name'")" "$H/caf\\xe9.log" \
    "a file name that is not UTF-8: loaded, the byte written \\xe9 in the source"
is "$(q "$DB" "SELECT sqlstate || ' ' || reason FROM dlpg.rejects WHERE source = '$H/pipe.log'")" \
    "58030 not a regular file: a FIFO (named pipe)" "a FIFO named like a log: rejected, never opened (58030)"
summary_is "$LOAD_ERR" "files_read=7 benchmarks_ingested=5 rejected=7 ignored=0" \
    "summary: 7 read, 5 ingested, 7 rejected (the FIFO too), none ignored"
is "$(q "$DB" 'SELECT count(*) FROM dlpg.rejects')" 7 "7 rows in dlpg.rejects, as the summary says"

# ---------------------------------------------------------------- nothing dropped silently
# What is named like an input and cannot be read, and a folder that cannot be entered, are
# rejects (exit 1), never "ignored" or skipped with a message: a symbolic link to /dev/null, to
# /dev/zero (never read: it has no end) and to a FIFO elsewhere, a link to a FIFO in an archive,
# a file whose path is PATH_MAX (4096) bytes or more, a folder whose path is, a folder more than
# 512 levels deep. A folder named x.log is a folder: walked, not rejected.
S=$W/silent
mkdir -p "$S/in" "$W/elsewhere" "$S/in/dir.log" "$W/arch/t"
mkfifo "$W/elsewhere/fifo"
ln -s /dev/null "$S/in/null.log"
ln -s /dev/zero "$S/in/zero.json"
ln -s "$W/elsewhere/fifo" "$S/in/fifo.log"
tiny_log silent-in-dir "$S/in/dir.log/inside.log"
tiny_log silent-ok "$S/in/ok.log"
echo notes >"$S/in/notes.txt"
tiny_log silent-arch "$W/arch/t/a.log"
ln -s a.log "$W/arch/t/link.log"
tar -czf "$S/in/links.tgz" -C "$W/arch" t
# a file path of 4096 bytes or more in a folder whose path is shorter: 17 levels of 230-byte
# names (3927 bytes with "silent/long/"), then a 200-byte file name
seg=$(printf 'd%.0s' $(seq 1 230))
fname=$(printf 'f%.0s' $(seq 1 196)).log
( cd "$S" && mkdir long && cd long && for i in $(seq -w 1 17); do mkdir "$seg$i" && cd "$seg$i" || exit 1; done
  tiny_log silent-long-file "$fname"; mkdir "$seg" && cd "$seg" && tiny_log silent-long-dir below.log ) ||
    echo "# could not build the long paths" >&2
long_dir="long"; for i in $(seq -w 1 17); do long_dir+="/$seg$i"; done
# 520 nested folders, a log at the bottom
( cd "$S" && mkdir deep && cd deep && for _ in $(seq 1 520); do mkdir z && cd z || exit 1; done
  tiny_log silent-deep bottom.log ) || echo "# could not build the deep folders" >&2
deep513="deep"; for _ in $(seq 1 513); do deep513+="/z"; done
new_db DBQ || exit 1
LOAD_ERR=$W/silent.err
(cd "$S" && timeout 120 "$DLPG_LOAD" -d "$DBQ" in long deep >"$W/silent.out" 2>"$LOAD_ERR")
LOAD_RC=$?
rc_is 1 "unreadable inputs and folders that cannot be entered: exit 1 (no hang on the FIFO, /dev/zero not read)"
is "$(q "$DBQ" "SELECT string_agg(source || ' ' || sqlstate || ' ' || reason, ',' ORDER BY source) FROM dlpg.rejects WHERE source LIKE 'in/%'")" \
    "in/fifo.log 58030 not a regular file: a FIFO (named pipe),in/links.tgz!t/link.log 58030 not a regular file: a symbolic link to \"a.log\" in the archive,in/null.log 58030 not a regular file: a character device,in/zero.json 58030 not a regular file: a character device" \
    "links to /dev/null, /dev/zero, a FIFO, and a link entry of an archive: rejected (58030), each with what it is"
is "$(q "$DBQ" "SELECT string_agg(exp_id, ',' ORDER BY exp_id) FROM dlpg.benchmarks")" "silent-arch,silent-in-dir,silent-ok" \
    "... a folder named dir.log is walked (its log loaded), the good files and entries are loaded"
is "$(q "$DBQ" "SELECT sqlstate || ' ' || reason FROM dlpg.rejects WHERE source = '$long_dir/$fname'")" \
    "54000 path too long: $(( ${#long_dir} + 1 + ${#fname} )) bytes, the limit is 4095" \
    "a file whose path is 4096 bytes or more: rejected (54000), its length said"
is "$(q "$DBQ" "SELECT sqlstate || ' ' || left(reason, 14) FROM dlpg.rejects WHERE source = '$long_dir/$seg'")" \
    "54000 path too long:" "a folder whose path is 4096 bytes or more: rejected (54000), with its path as the source"
is "$(q "$DBQ" "SELECT sqlstate || ' ' || reason FROM dlpg.rejects WHERE source = '$deep513'")" \
    "54000 folders nested too deep: 513 levels, the limit is 512" "a folder 513 levels down: rejected (54000), its path as the source"
summary_is "$LOAD_ERR" "files_read=3 rejected=7 ignored=1" "summary: 3 read, 7 rejected, 1 ignored (notes.txt only)"
is "$(q "$DBQ" 'SELECT count(*) FROM dlpg.rejects')" 7 "7 rows in dlpg.rejects, as the summary says"
unlike "$LOAD_ERR" 'skipped folder' "no folder skipped with only a message"
# named on the command line: a FIFO is read (a writer is expected), a device never
ln -s /dev/zero "$W/zero.log"
mkfifo "$W/named.log"
tiny_log silent-named-fifo "$W/named-src.log"
( cat "$W/named-src.log" >"$W/named.log" ) &
load named -d "$DBQ" "$W/zero.log" "$W/named.log"
wait
rc_is 1 "named on the command line: a link to /dev/zero rejected, a FIFO read: exit 1"
is "$(q "$DBQ" "SELECT (SELECT sqlstate || ' ' || reason FROM dlpg.rejects WHERE source = '$W/zero.log') || ', ' || (SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = 'silent-named-fifo')")" \
    "58030 not a regular file: a character device, 1" "... /dev/zero not read (58030), the FIFO's log loaded"

# ---------------------------------------------------------------- cuts on character boundaries
# A reason or detail too long for its buffer is cut before a whole character, never inside one
# (a cut character would reach dlpg.rejects as \xNN). Two dangling links with long paths of
# 2-byte characters, one byte apart: one of the two cuts falls inside a character.
U=$W/utf
for pad in a ab; do
    d="$U/$pad"
    for _ in 1 2 3 4; do d+="/$(printf 'é%.0s' $(seq 1 100))"; done
    mkdir -p "$d"
    ln -s /nonexistent "$d/gone.log"
done
new_db DBU || exit 1
load utf -d "$DBU" "$U"
rc_is 1 "two dangling links with long UTF-8 paths: exit 1"
is "$(q "$DBU" "SELECT count(*) || ' ' || count(*) FILTER (WHERE position('\\x' IN detail) = 0) FROM dlpg.rejects")" \
    "2 2" "... no detail ends in a cut character (no \\xNN escape)"
is "$(q "$DBU" "SELECT count(*) FILTER (WHERE detail LIKE 'stat \"$U/%' AND detail LIKE '%é...' AND octet_length(detail) < 768) FROM dlpg.rejects")" \
    2 "... both cut after a whole character, marked '...'"

# ---------------------------------------------------------------- permissions
mkdir -p "$W/perm/locked"
log_with_id "${h200[6]}" perm-ok "$W/perm/ok.log"
log_with_id "${h200[7]}" perm-secret "$W/perm/secret.log"
log_with_id "${h200[7]}" perm-hidden "$W/perm/locked/hidden.log"
chmod 000 "$W/perm/secret.log" "$W/perm/locked"
AS=()
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null 2>&1 && id -u nobody >/dev/null 2>&1; then
        AS=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
    else
        AS=(none)
    fi
fi
if [ "${AS[0]:-}" = none ]; then
    skip "running as root without setpriv/nobody: cannot test unreadable files"
    skip "(same)"
    skip "(same)"
else
    new_db DBP || exit 1
    LOAD_ERR=$W/perm.err
    "${AS[@]}" "$DLPG_LOAD" -d "$DBP" perm >"$W/perm.out" 2>"$LOAD_ERR"
    LOAD_RC=$?
    rc_is 1 "unreadable file and folder: exit 1"
    is "$(q "$DBP" "SELECT string_agg(source || ' ' || sqlstate || ' ' || reason, ',' ORDER BY source) FROM dlpg.rejects")" \
        "perm/locked 58030 Permission denied,perm/secret.log 58030 Permission denied" \
        "... both rejected with the OS error (58030)"
    is "$(q "$DBP" "SELECT string_agg(exp_id, ',') FROM dlpg.benchmarks")" perm-ok "... the readable one is loaded"
fi
chmod 755 "$W/perm/locked"
chmod 644 "$W/perm/secret.log"

# ---------------------------------------------------------------- server refuses a statement
# LATIN1 cannot hold "€" or "中": the server refuses the bind, before dlpg.load_log runs; the
# batch is rolled back and replayed, the refused input alone, then rejected by the client.
mkdir -p "$W/latin"
for i in 1 2 3 4 5 6 7; do tiny_log "lat-$i" "$W/latin/t$i.log"; done
printf '__exp.framework_title__="TF \xe2\x82\xac"\n' >>"$W/latin/t3.log"
printf '__exp.framework_title__="TF \xe4\xb8\xad"\n' >>"$W/latin/t6.log"
new_db DBL "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" || exit 1
load latin1db -d "$DBL" --batch 3 --stats latin
rc_is 1 "LATIN1 database, two inputs it cannot hold: exit 1"
is "$(q "$DBL" "SELECT string_agg(source || ' ' || sqlstate, ',' ORDER BY source) FROM dlpg.rejects")" \
    "latin/t3.log 22P05,latin/t6.log 22P05" "... those two rejected with the server's error (22P05)"
is "$(q "$DBL" "SELECT string_agg(exp_id, ',' ORDER BY exp_id) || ' ' || count(*) FROM dlpg.benchmarks")" \
    "lat-1,lat-2,lat-4,lat-5,lat-7 5" "... the five others of their batches loaded, once each"
summary_is "$LOAD_ERR" "files_read=7 benchmarks_ingested=5 rejected=2" "... summary: 7 read, 5 ingested, 2 rejected"
like "$LOAD_ERR" '^  batches retried: +2$' "... --stats: 2 batches retried"

# ---------------------------------------------------------------- connection lost
mkdir -p "$W/slow"
for i in $(seq 1 400); do tiny_log "slow-$i" "$W/slow/t$(printf '%04d' "$i").log"; done
new_db DBS || exit 1
# 5 ms per row: the run takes 2 s or more, the backend is killed after its first commit
slow_inserts "$DBS"
LOAD_ERR=$W/killed.err
"$DLPG_LOAD" -d "dbname=$DBS application_name=dlpg-load-killed" --batch 20 slow >"$W/killed.out" 2>"$LOAD_ERR" &
lpid=$!
n=0
for _ in $(seq 1 400); do
    n=$(q "$DBS" 'SELECT count(*) FROM dlpg.benchmarks')
    [ "$n" -gt 0 ] && break
    sleep 0.05
done
q "$DBS" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dlpg-load-killed'" >/dev/null
wait "$lpid"
LOAD_RC=$?
rc_is 2 "the backend killed mid-run: exit 2"
# the server says why before it closes the connection, unless the kill falls between two batches
like "$LOAD_ERR" '^dlpg-load: connection lost: (terminating connection due to administrator command|server closed the connection)' \
    "... says the connection was lost, and why"
committed=$(q "$DBS" 'SELECT count(*) FROM dlpg.benchmarks')
like "$LOAD_ERR" "^dlpg-load: $((committed / 20)) batch(es)? committed \\($committed inputs?\\)" \
    "... says how many batches were committed ($((committed / 20)), $committed inputs)"
is "$(( committed % 20 )) $(( committed > 0 && committed < 400 ))" "0 1" "... whole batches only, and not all of them ($committed rows)"
like "$LOAD_ERR" 'run the same command again' "... and that running it again completes the job"
# Ctrl-C: stops between two inputs, exit 130, whole batches only
LOAD_ERR=$W/interrupted.err
"$DLPG_LOAD" -d "$DBS" --batch 20 slow >"$W/interrupted.out" 2>"$LOAD_ERR" &
lpid=$!
for _ in $(seq 1 400); do
    n=$(q "$DBS" 'SELECT count(*) FROM dlpg.benchmarks')
    [ "$n" -gt "$committed" ] && break
    sleep 0.05
done
kill -INT "$lpid"
wait "$lpid"
LOAD_RC=$?
rc_is 130 "SIGINT mid-run: exit 130"
like "$LOAD_ERR" '^dlpg-load: interrupted by signal 2$' "... says it was interrupted"
committed=$(q "$DBS" 'SELECT count(*) FROM dlpg.benchmarks')
is "$(( committed % 20 )) $(( committed < 400 ))" "0 1" "... whole batches only ($committed rows)"
"${PSQL[@]}" -d "$DBS" -c 'DROP TRIGGER slow ON dlpg.benchmarks' >/dev/null
load rerun -d "$DBS" --batch 20 slow
rc_is 0 "the second run: exit 0"
is "$(q "$DBS" "SELECT count(*) || ' ' || count(DISTINCT exp_id) FROM dlpg.benchmarks")" "400 400" \
    "... all 400 benchmarks, once each"
summary_is "$LOAD_ERR" "benchmarks_ingested=$((400 - committed)) duplicates=$committed rejected=0" \
    "... it ingested the rest and skipped the $committed committed before"

# ---------------------------------------------------------------- transient server errors
# An error that is about the server's state, not the input (lock timeout 55P03, cancel 57014),
# stops the run: exit 2, a message naming the file and the SQLSTATE, no dlpg.rejects row for
# the file, the batches before it committed; run again once the cause is gone, the same command
# completes the job.
mkdir -p "$W/tr"
for i in 1 2 3 4 5 6; do tiny_log "tr-$i" "$W/tr/t$i.log"; done
: >"$W/tr/t3x-empty.log"          # bad input, after t3: rejected once the run can go on
new_db DBT || exit 1
# hold LOCK_MODE on TABLE in a session of its own until it is canceled; wait until it is held
hold_lock() {
    "${PSQL[@]}" -d "dbname=$DBT application_name=dlpg-holder" -c 'BEGIN' -c "LOCK TABLE $1 IN EXCLUSIVE MODE" \
        -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &
    holder=$!
    for _ in $(seq 1 200); do
        [ "$(q "$DBT" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
             WHERE a.application_name = 'dlpg-holder' AND l.granted AND l.relation = '$1'::regclass")" = 1 ] && return 0
        sleep 0.05
    done
    return 1
}
release_lock() {
    q "$DBT" "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'dlpg-holder'" >/dev/null
    wait "$holder"
}
# dlpg.rejects locked (dlpg.load_log writes there): the first input waits
hold_lock dlpg.rejects || diag "could not lock dlpg.rejects"
LOAD_ERR=$W/lock-rejects.err
PGOPTIONS='-c lock_timeout=200ms' timeout 60 "$DLPG_LOAD" -d "$DBT" --batch 3 tr >"$W/lock-rejects.out" 2>"$LOAD_ERR"
LOAD_RC=$?
release_lock
rc_is 2 "dlpg.rejects locked, lock_timeout 200ms: the run stops, exit 2"
like "$LOAD_ERR" '^dlpg-load: server error in dlpg\.load for tr/t1\.log: canceling statement due to lock timeout \(SQLSTATE 55P03\)$' \
    "... the message names the file and the SQLSTATE (55P03)"
is "$(q "$DBT" 'SELECT count(*) FROM dlpg.benchmarks') $(q "$DBT" 'SELECT count(*) FROM dlpg.rejects')" "0 0" \
    "... nothing stored, no dlpg.rejects row"
# dlpg.benchmarks locked: the first input waits
hold_lock dlpg.benchmarks || diag "could not lock dlpg.benchmarks"
LOAD_ERR=$W/lock-benchmarks.err
PGOPTIONS='-c lock_timeout=200ms' timeout 60 "$DLPG_LOAD" -d "$DBT" --batch 3 tr >"$W/lock-benchmarks.out" 2>"$LOAD_ERR"
LOAD_RC=$?
release_lock
rc_is 2 "dlpg.benchmarks locked, lock_timeout 200ms: exit 2"
like "$LOAD_ERR" '^dlpg-load: server error in dlpg\.load for tr/t1\.log: .*\(SQLSTATE 55P03\)$' "... names the first file and 55P03"
is "$(q "$DBT" 'SELECT count(*) FROM dlpg.benchmarks') $(q "$DBT" 'SELECT count(*) FROM dlpg.rejects')" "0 0" \
    "... nothing stored, no dlpg.rejects row"
# a statement canceled (pg_cancel_backend) while it runs, in the second batch (the empty log,
# t4, t5): a trigger makes the insert of tr-4 wait
"${PSQL[@]}" -d "$DBT" -c "CREATE FUNCTION public.slow() RETURNS trigger LANGUAGE plpgsql AS
    \$\$BEGIN IF NEW.exp_id = 'tr-4' THEN PERFORM pg_sleep(30); END IF; RETURN NEW; END\$\$" \
    -c 'CREATE TRIGGER slow BEFORE INSERT ON dlpg.benchmarks FOR EACH ROW EXECUTE FUNCTION public.slow()' >/dev/null
LOAD_ERR=$W/cancel.err
timeout 60 "$DLPG_LOAD" -d "dbname=$DBT application_name=dlpg-load-cancel" --batch 3 tr >"$W/cancel.out" 2>"$LOAD_ERR" &
lpid=$!
for _ in $(seq 1 200); do
    [ "$(q "$DBT" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dlpg-load-cancel'
                   AND wait_event = 'PgSleep'")" = 1 ] && break
    sleep 0.05
done
q "$DBT" "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'dlpg-load-cancel'" >/dev/null
wait "$lpid"
LOAD_RC=$?
"${PSQL[@]}" -d "$DBT" -c 'DROP TRIGGER slow ON dlpg.benchmarks' >/dev/null
rc_is 2 "a statement canceled mid-run (pg_cancel_backend): exit 2"
like "$LOAD_ERR" '^dlpg-load: server error in dlpg\.load for tr/t4\.log: canceling statement due to user request \(SQLSTATE 57014\)$' \
    "... names the file and 57014"
is "$(q "$DBT" "SELECT string_agg(exp_id, ',' ORDER BY exp_id) FROM dlpg.benchmarks") $(q "$DBT" 'SELECT count(*) FROM dlpg.rejects')" \
    "tr-1,tr-2,tr-3 0" "... the first batch stays committed; no dlpg.rejects row (the empty log's, in the same batch, rolled back)"
# the cause gone, the same command completes the job
load tr-rerun -d "$DBT" --batch 3 tr
rc_is 1 "run again: exit 1 (the empty log is bad input)"
is "$(q "$DBT" "SELECT string_agg(exp_id, ',' ORDER BY exp_id) FROM dlpg.benchmarks") $(q "$DBT" "SELECT string_agg(source || ' ' || sqlstate, ',') FROM dlpg.rejects")" \
    "tr-1,tr-2,tr-3,tr-4,tr-5,tr-6 tr/t3x-empty.log 22P02" "... all six logs once each, the empty one rejected once"
summary_is "$LOAD_ERR" "benchmarks_ingested=3 duplicates=3 rejected=1" "... it ingested the rest and skipped the 3 committed before"

# ---------------------------------------------------------------- progress output
mkdir -p "$W/prog/x"
for i in $(seq 1 1200); do tiny_log "prog-$i" "$W/prog/x/p$(printf '%04d' "$i").log"; done
: >"$W/prog/empty.log"
new_db DBG || exit 1
load plain -d "$DBG" prog
rc_is 1 "1201 files (one empty): exit 1"
like "$LOAD_ERR" '^dlpg-load: 1000/1201 files \(83%\), [0-9]+ files/s, ETA [0-9:]+$' \
    "stderr not a terminal: a plain progress line after 1000 files"
like "$LOAD_ERR" '^dlpg-load: rejected prog/empty.log: ' "... and a line per rejected file"
load quiet -d "$DBG" --quiet prog
unlike "$LOAD_ERR" 'files/s|rejected prog' "--quiet: no progress and no per-file lines"
like "$LOAD_ERR" '^dlpg-load: nothing new: 1200 duplicates$' "--quiet: the summary stays"
if command -v script >/dev/null 2>&1; then
    script -qec "$(printf '%q ' "$DLPG_LOAD" -d "$DBG" --batch 50 prog)" /dev/null >"$W/tty.out" 2>&1
    tr '\r' '\n' <"$W/tty.out" >"$W/tty.lines"
    like "$W/tty.out" $'\r''\[[=> ]+\] [0-9]+/1201 files' "stderr a terminal: a bar redrawn in place (carriage returns)"
    like "$W/tty.lines" '^\[={27,28}\] 1201/1201 files +[0-9]+ files/s +ETA 0:00' "... ending full at 1201/1201"
else
    skip "no script(1): cannot fake a terminal"
    skip "(same)"
fi
