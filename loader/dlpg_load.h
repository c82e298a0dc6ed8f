/*
 * dlpg-load: bulk loader of DLBS logs and JSON files and MLPerf result trees into dlpg (libpq,
 * zlib, libarchive).
 *
 * Files by concern:
 *   dlpg_load.c  options, the run (two walks, restart after a failed batch), summary, exit code
 *   jobs.c       --jobs N: N processes, each its own connection, sharing out the files
 *   walk.c       paths and folders (sorted, recursive), archives, what each file becomes
 *   mlperf.c     MLPerf trees: which files are results, the JSON input built for each
 *   readers.c    plain files, gzip (zlib), UTF-8 check; the tar.gz iterator (libarchive)
 *   session.c    the database session: pipelined batches, results, client-side rejects
 *   progress.c   progress bar / lines, messages, clock and peak RSS
 */
#ifndef DLPG_LOAD_H
#define DLPG_LOAD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

/* the extension version (EXTVERSION in the Makefile) */
#ifndef DLPG_LOAD_VERSION
#define DLPG_LOAD_VERSION "0.4.0"
#endif

/*
 * Largest input sent as one text parameter: PostgreSQL's text values stop short of 1 GB
 * (MaxAllocSize), and the bind message carries the other parameters too.
 */
#define DLPG_MAX_INPUT ((size_t) 1023 * 1024 * 1024)

/* SQLSTATEs of the rejects the client itself records */
#define SQLSTATE_IO_ERROR "58030"		/* io_error: cannot open / read / list */
#define SQLSTATE_DATA_EXCEPTION "22000" /* corrupt gzip or tar.gz data */
#define SQLSTATE_BAD_ENCODING "22021"	/* character_not_in_repertoire: not UTF-8, NUL */
#define SQLSTATE_TOO_LARGE "54000"		/* program_limit_exceeded */
#define SQLSTATE_NOT_DLBS "22023"		/* invalid_parameter_value: other extension */

typedef enum FileKind
{
	KIND_OTHER = 0,
	KIND_LOG,
	KIND_LOG_GZ,
	KIND_JSON,
	KIND_JSON_GZ,
	KIND_TGZ,
	/* decided by where a file is in an MLPerf tree (mlperf.c), never by classify_name */
	KIND_MLPERF_TRAINING,
	KIND_MLPERF_INFERENCE
} FileKind;

/* A growable byte buffer; data is always NUL-terminated when len > 0 or cap > 0. */
typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

/* Why an input could not be read: what dlpg.rejects gets. */
typedef struct ReadError
{
	const char *sqlstate;
	char		reason[512];
	char		detail[768];
} ReadError;

typedef enum Step
{
	STEP_OK = 0,
	STEP_RESTART,				/* a batch failed on one input: walk again from its start */
	STEP_FATAL					/* connection lost or a server error that is not about an input */
} Step;

/* What the run did; per batch, merged into the totals when the batch commits. */
typedef struct Counts
{
	long		files_read;		/* inputs sent to load_log / load_json */
	long		entries_read;	/* ... of which archive entries */
	long		inserted;
	long		replaced;
	long		duplicates;
	long		failed;			/* status failed among inserted + replaced */
	long		rejected;		/* rows added to dlpg.rejects */
} Counts;

/* A file read as part of an MLPerf result (a system description, scaling.json, a detail log). */
typedef struct MlAux
{
	bool		present;		/* read, and UTF-8 */
	bool		valid_json;		/* one JSON value: embedded as it is (else as a JSON string) */
	const char *text;
	size_t		len;
} MlAux;

typedef enum MlRole
{
	ML_PART = 0,				/* in a submitter folder, not a result: skipped */
	ML_TRAINING,				/* results/<system>/<benchmark>/result_*.txt */
	ML_SUMMARY,					/* results/<system>/<model>/<scenario>/performance/run_1/mlperf_log_summary.txt */
	ML_DETAIL					/* ... run_1/mlperf_log_detail.txt: read with its summary */
} MlRole;

typedef struct Options
{
	const char *dbname;
	const char *host;
	const char *port;
	const char *username;
	const char *source_prefix;
	const char *on_conflict;
	long		batch;
	int			jobs;			/* --jobs: processes (connections) that share the files */
	bool		quiet;
	bool		stats;
} Options;

typedef struct Pending Pending;

/* --jobs: at most this many processes, each holding a connection */
#define DLPG_MAX_JOBS 64

/* What a job (a child process of --jobs N) tells the parent, in memory they share. */
typedef enum JobState
{
	JOB_RUNNING = 0,			/* not ended, or ended without saying (killed) */
	JOB_DONE,					/* walked everything */
	JOB_STOPPED					/* stopped: connection, server error, a signal, another job */
} JobState;

typedef struct JobSlot
{
	int			state;			/* JobState, written last */
	int			signo;			/* the signal that stopped it, else 0 */
	Counts		total;			/* committed so far (written after each commit) */
	long		ignored;
	long		skipped;
	long		ml_unsupported;
	long		archives;
	long		batches_committed;
	long		items_committed;
	long		restarts;
	long		walked;			/* file units of its last complete walk */
} JobSlot;

/* One anonymous shared mapping for the run (jobs.c); fields updated with __atomic builtins. */
typedef struct JobShared
{
	long		next_file;		/* the next file unit nobody has claimed */
	long		files_done;		/* file units finished by all jobs, for progress */
	long		reject_lines;	/* reject messages printed by all jobs */
	int			stop;			/* a signal number, or -1: every job stops between inputs */
	int			ml_unsupported_said;	/* the server's missing MLPerf formats were said (by one job) */
	JobSlot		slot[DLPG_MAX_JOBS];
} JobShared;

typedef struct Loader
{
	Options		opt;
	PGconn	   *conn;
	bool		stderr_tty;
	const char *reject_sql;		/* how this server records a client reject (check_statements) */
	bool		has_load;		/* the server has dlpg.load (0.4.0), else load_log / load_json */
	bool		has_mlperf_training;	/* dlpg.sources() lists the format */
	bool		has_mlperf_inference;
	const char *dump_dir;		/* DLPG_LOAD_DUMP_INPUTS: each input also written there */

	/* walk position: every event (input, client reject, ignored file) has an ordinal */
	long		ord;			/* ordinal of the last event of this walk */
	long		hwm;			/* highest ordinal ever reached (over restarts) */
	long		resume_from;	/* events below this one were committed: skip them */
	long		careful_ord;	/* this event failed a batch: run it on its own (0: none) */
	long		top_done;		/* top-level files finished in this walk */
	long		top_hwm;		/* ... highest ever, for progress */
	long		printed_hwm;	/* highest ordinal whose reject was printed */

	/* the batch in progress */
	bool		in_batch;
	long		batch_items;
	long		batch_start_ord;
	Counts		batch;

	/* the pipeline: what was sent and not yet answered */
	Pending    *pending;
	size_t		npending;
	size_t		pending_head;
	size_t		pending_cap;
	bool		sync_sent_last;	/* the last message sent was a Sync: the pipeline is closed */
	long		one_by_one_until;	/* after a deadlock: inputs up to here commit one by one */
	bool		batch_failed;
	long		fail_ord;
	int			fail_kind;
	char		fail_sqlstate[6];
	char	   *fail_message;
	char	   *fail_source;

	/* totals */
	Counts		total;
	long		ignored;
	long		skipped;		/* files of MLPerf trees that are not results */
	long		ml_unsupported; /* MLPerf results the server has no format for */
	bool		ml_unsupported_said;
	long		archives;
	long		batches_committed;
	long		items_committed;
	long		restarts;
	long		reject_lines;
	bool		interrupt_reported;

	/* progress */
	long		total_files;	/* from the counting walk; -1 when not counted */
	double		t_start;
	double		t_last_draw;
	long		last_line_done;
	bool		bar_shown;

	/* --jobs N (jobs.c): this process is job `job` of N; shared is NULL with --jobs 1 */
	JobShared  *shared;
	int			job;
	long		file_no;		/* file units met so far in this walk (0, 1, ...) */
	long		walked;			/* ... in the last complete walk */
	unsigned char *mine;		/* a bit per file unit decided: this job's */
	size_t		mine_bytes;
	long		decided;		/* file units 0 .. decided-1 are decided */
	long		claim;			/* the file unit this job claimed next (-1: none) */

	/* reusable buffers: one input in memory at a time */
	Buf			raw;
	Buf			text;
} Loader;

/* dlpg_load.c: SIGINT or SIGTERM received (its number), checked between inputs */
extern volatile sig_atomic_t interrupted;

/* readers.c */
void		buf_reset(Buf *b);
void		buf_free(Buf *b);
bool		buf_reserve(Buf *b, size_t extra);
void		buf_trim(Buf *b);
FileKind	classify_name(const char *name);
const char *kind_format(FileKind k);
bool		kind_is_gz(FileKind k);
bool		read_plain_file(const char *path, Buf *out, ReadError *err);
bool		gunzip_file(const char *path, Buf *out, ReadError *err);
bool		gunzip_memory(const char *data, size_t len, Buf *out, ReadError *err);
bool		check_utf8(const char *data, size_t len, ReadError *err);
void		set_os_error(ReadError *err, int errnum, const char *what, const char *path);
void		set_text(char *dst, size_t size, const char *fmt,...) __attribute__((format(printf, 3, 4)));

/* readers.c: tar.gz archives, entry by entry */
typedef struct TarReader TarReader;
typedef enum TarNext
{
	TAR_ENTRY,					/* a regular file: *name is its path inside the archive */
	TAR_NOT_REGULAR,			/* a symbolic link, device or FIFO entry: *name; err says what */
	TAR_HARD_LINK,				/* a hard link: *name; its data is the entry it names */
	TAR_END,
	TAR_ERROR					/* damaged or unreadable: err says why; stop */
} TarNext;
TarReader  *tar_open(const char *path, ReadError *err);
TarNext		tar_next(TarReader *t, const char **name, ReadError *err);
typedef enum TarData
{
	TAR_DATA_OK,
	TAR_DATA_BAD_ENTRY,			/* this entry cannot be loaded (too large): go on with the next */
	TAR_DATA_DAMAGED			/* the archive is damaged here: stop */
} TarData;
TarData		tar_read_data(TarReader *t, Buf *out, ReadError *err);
void		tar_close(TarReader *t);

/* mlperf.c */
bool		json_put_string(Buf *out, const char *s, size_t len);
int			json_text_valid(const char *s, size_t len);
bool		ml_aux_judge(MlAux *aux);
bool		ml_build_training(Buf *out, const char *path, const char *result, size_t len,
							  const MlAux *system, const MlAux *scaling);
bool		ml_build_inference(Buf *out, const char *path, const char *summary, size_t len,
							   const MlAux *detail, const MlAux *system);
MlRole		ml_role(const char *rel, const char **system, size_t *system_len, size_t *folder_len);
bool		ml_is_submitter(const char *dir);
char	   *ml_prefix(const char *sub_path, bool inference);
char	   *ml_result_path(const char *prefix, const char *rel, size_t rel_len);
typedef struct TarMl TarMl;
const char *ml_tar_norm(const char *name);
TarMl	   *ml_tar_scan(const char *path, bool *oom);
bool		ml_tar_any(const TarMl *t);
long		ml_tar_sub(const TarMl *t, const char *name);
bool		ml_tar_has(const TarMl *t, const char *name);
const MlAux *ml_tar_aux(const TarMl *t, const char *name, const char **why, const char **sqlstate);
void		ml_tar_free(TarMl *t);

/* walk.c */
long		count_inputs(Loader *L, char **paths, int npaths);
Step		walk_all(Loader *L, char **paths, int npaths);

/* session.c */
PGconn	   *connect_db(const Options *opt);
bool		check_statements(Loader *L);
/* add c's counts to into */
void		merge_counts(Counts *into, const Counts *c);
Step		load_input(Loader *L, long ord, const char *source, const char *format, const char *data, size_t len,
					   bool in_archive);
Step		load_reject(Loader *L, long ord, const char *source, const ReadError *err);
Step		finish_batch(Loader *L);
void		abandon_batch(Loader *L);
void		session_free(Loader *L);

/* jobs.c */
int			run_jobs(Loader *L, char **paths, int npaths, bool *stopped);
bool		job_takes_file(Loader *L, long file_no);
bool		job_stop_requested(Loader *L);
void		job_file_done(Loader *L);
void		job_publish(Loader *L);

/* progress.c */
double		now_seconds(void);
long		peak_rss_kb(void);
void		progress_update(Loader *L, bool force);
void		progress_clear(Loader *L);
void		progress_done(Loader *L);
void		msg(Loader *L, const char *fmt,...) __attribute__((format(printf, 2, 3)));
void		note_reject(Loader *L, long ord, const char *source, const char *reason);

#endif							/* DLPG_LOAD_H */
