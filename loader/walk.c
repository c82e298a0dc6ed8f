/*
 * walk.c -- from the command line's paths to inputs.
 *
 * A PATH is a file or a folder searched recursively, each folder's entries in sorted order
 * (scandir + alphasort in the C locale: byte order), so that loaders running at once over
 * shared files take them in the same order (one waits for the other instead of deadlocking).
 * Symbolic links are followed; a folder met again below itself is skipped.
 *
 * In a folder, regular files named *.log, *.log.gz, *.json, *.json.gz, *.tar.gz and *.tgz are
 * read (ASCII case ignored); other files are ignored and counted. A file named on the command
 * line with another extension is rejected. Inside an archive, regular-file entries named
 * *.log, *.log.gz, *.json or *.json.gz are loaded with the source "<archive>!<entry>"; other
 * entries are ignored and counted.
 *
 * MLPerf trees (mlperf.c): a folder with subfolders results/ and systems/ is a submitter folder,
 * wherever it is met (a path given, a folder below one, a folder above a path given: a result
 * file or a results/ subfolder named on the command line is read as part of its tree, or the
 * prefix of entries in an archive). In it, only results are inputs: each
 * results/<system>/<benchmark>/result_*.txt (format mlperf_training) and each
 * results/<system>/<model>/<scenario>/performance/run_1/ folder, at its mlperf_log_summary.txt
 * (format mlperf_inference); every other file of the tree is skipped and counted, not ignored and
 * never sent as DLBS. A result is sent as one JSON object with its system description (read from
 * systems/<system>.json, once per system) and scaling.json; see docs/dlpg-load.md.
 *
 * Nothing that may hold inputs is dropped silently: what is named like an input and cannot be
 * read (a device, a FIFO or a socket in a folder, a path longer than PATH_MAX, a link whose
 * target cannot be looked at), and a folder that cannot be entered (nested deeper than
 * MAX_DEPTH, its path too long, or not even looked at) is a row of dlpg.rejects with its path
 * as the source. Only a dangling or looping link without an input's name is ignored: nothing
 * is behind it.
 *
 * The same walk runs twice: first only counting files (for the progress total; nothing is kept
 * in memory), then loading. Each event of the loading walk (an input, a rejected file, an
 * ignored file) gets an ordinal in walk order; after a failed batch the walk is done again and
 * the events before the batch are skipped (see session.c).
 *
 * With --jobs N each job (a process of its own, jobs.c) does this same walk and takes only the
 * file units it claims (a file, an archive, a path rejected as a whole: job_takes_file); the
 * others it passes over without opening them, and its ordinals count its own events only. The
 * ignored files and skipped folders met in folders are job 0's (counted once).
 */
#include "dlpg_load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 512

typedef struct DirId
{
	dev_t		dev;
	ino_t		ino;
} DirId;

/* The submitter folder the walk is in (an MLPerf tree), on disk. */
typedef struct MlCtx
{
	bool		active;
	char	   *sub_dir;		/* a path that opens the submitter folder (systems/ is read there) */
	char	   *pre_train;		/* the start of a training result's "path" (ml_prefix) */
	char	   *pre_inf;		/* ... of an inference run's */
	size_t		base_len;		/* walked paths start with this many bytes, */
	char	   *base_rel;		/* which are this folder or file relative to the submitter folder */
	char	   *sys_name;		/* the last system description looked up: its name, */
	Buf			sys_buf;		/* its text */
	MlAux		sys;
} MlCtx;

typedef struct Walk
{
	Loader	   *L;
	bool		counting;
	long		counted;
	DirId		stack[MAX_DEPTH + 1];	/* the PATH itself, then MAX_DEPTH levels below */
	int			depth;
	MlCtx		ml;
} Walk;

static const char *const ACCEPTED = ".log, .log.gz, .json, .json.gz, .tar.gz, .tgz";

/* ------------------------------------------------------------------ events */

static long
next_event(Walk *w)
{
	return ++w->L->ord;
}

/* a fresh event: never reached before (not a replay after a restart) */
static bool
fresh(Walk *w, long ord)
{
	if (ord > w->L->hwm)
	{
		w->L->hwm = ord;
		return true;
	}
	return false;
}

static char *
source_of(Loader *L, const char *path, const char *entry)
{
	size_t		n = strlen(L->opt.source_prefix) + strlen(path) + (entry ? strlen(entry) + 1 : 0) + 1;
	char	   *s = malloc(n);

	if (s == NULL)
		return NULL;
	if (entry)
		snprintf(s, n, "%s%s!%s", L->opt.source_prefix, path, entry);
	else
		snprintf(s, n, "%s%s", L->opt.source_prefix, path);
	return s;
}

/*
 * Ctrl-C (or SIGTERM), or another job stopped the run: stop between two inputs; the batch in
 * progress is rolled back. With --jobs the parent says "interrupted" once, not each job.
 */
static bool
stop_now(Walk *w, Step *s)
{
	if (!interrupted && !job_stop_requested(w->L))
		return false;
	if (!w->counting && interrupted && w->L->shared == NULL && !w->L->interrupt_reported)
	{
		w->L->interrupt_reported = true;
		msg(w->L, "interrupted by signal %d", (int) interrupted);
	}
	*s = STEP_FATAL;
	return true;
}

static Step
out_of_memory(Walk *w)
{
	msg(w->L, "out of memory");
	return STEP_FATAL;
}

/* A file done, for the progress count (one per file on disk, an archive being one). */
static void
file_done(Walk *w)
{
	Loader	   *L = w->L;

	L->top_done++;
	if (L->top_done > L->top_hwm)
	{
		L->top_hwm = L->top_done;
		job_file_done(L);
		progress_update(L, false);
	}
}

static void
ignored(Walk *w)
{
	long		ord;

	if (w->counting)
		return;
	ord = next_event(w);
	if (fresh(w, ord))
		w->L->ignored++;
}

/* a file of an MLPerf tree that is not a result (systems/<name>.json, scaling.json, code, ...) */
static void
skipped(Walk *w)
{
	long		ord;

	if (w->counting)
		return;
	ord = next_event(w);
	if (fresh(w, ord))
		w->L->skipped++;
}

/* a file of an MLPerf tree skipped in a folder: with --jobs, job 0 counts it */
static void
folder_skipped(Walk *w)
{
	if (w->L->job == 0)
		skipped(w);
}

/* a file ignored in a folder (not in an archive): with --jobs, job 0 counts it */
static void
folder_ignored(Walk *w)
{
	if (w->L->job == 0)
		ignored(w);
}

/* The next file unit of the walk (a file, an archive, a rejected path): this job's? */
static bool
take_file(Walk *w)
{
	return job_takes_file(w->L, w->L->file_no++);
}

static Step
reject_event(Walk *w, long ord, const char *path, const char *entry, const ReadError *err)
{
	char	   *source;
	Step		s;

	if (ord < w->L->resume_from)
		return STEP_OK;
	source = source_of(w->L, path, entry);
	if (source == NULL)
		return out_of_memory(w);
	s = load_reject(w->L, ord, source, err);
	free(source);
	return s;
}

/* A path that could not even be looked at or listed: one rejected file. */
static Step
reject_path(Walk *w, const char *path, const ReadError *err)
{
	Step		s = STEP_OK;

	if (w->counting)
	{
		w->counted++;
		return STEP_OK;
	}
	if (!take_file(w))
		return STEP_OK;
	s = reject_event(w, next_event(w), path, NULL, err);
	file_done(w);
	return s;
}

/* ------------------------------------------------------------------ inputs */

/*
 * DLPG_LOAD_DUMP_INPUTS=DIR, a debugging aid: each input is also written to DIR/<ordinal>.<format>
 * exactly as sent, with a line "<ordinal> TAB <format> TAB <source> TAB <file name>" in
 * DIR/index.tsv (tabs and line ends in the source as '?'); written once, not again on a replay.
 */
static void
dump_input(Walk *w, long ord, const char *source, const char *format, const char *data, size_t len)
{
	Loader	   *L = w->L;
	char		name[64];
	char	   *file;
	FILE	   *f;
	const char *c;

	if (L->dump_dir == NULL || ord <= L->hwm)
		return;
	/* with --jobs each job counts its own ordinals: its number goes in front */
	if (L->shared)
		snprintf(name, sizeof(name), "j%d-%08ld.%s", L->job, ord, format);
	else
		snprintf(name, sizeof(name), "%08ld.%s", ord, format);
	file = malloc(strlen(L->dump_dir) + sizeof(name) + 16);
	if (file == NULL)
		return;
	sprintf(file, "%s/%s", L->dump_dir, name);
	f = fopen(file, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		msg(L, "DLPG_LOAD_DUMP_INPUTS: cannot write %s: %s", file, strerror(errno));
	sprintf(file, "%s/index.tsv", L->dump_dir);
	f = fopen(file, "ab");
	if (f != NULL)
	{
		fprintf(f, "%ld\t%s\t", ord, format);
		for (c = source; *c; c++)
			fputc(*c == '\t' || *c == '\n' || *c == '\r' ? '?' : *c, f);
		fprintf(f, "\t%s\n", name);
		fclose(f);
	}
	free(file);
}

/* text in L->text: check it, send it */
static Step
send_text(Walk *w, long ord, const char *path, const char *entry, FileKind kind, Buf *text)
{
	ReadError	err;
	char	   *source;
	Step		s;

	if (!check_utf8(text->data ? text->data : "", text->len, &err))
		return reject_event(w, ord, path, entry, &err);
	source = source_of(w->L, path, entry);
	if (source == NULL)
		return out_of_memory(w);
	dump_input(w, ord, source, kind_format(kind), text->data ? text->data : "", text->len);
	s = load_input(w->L, ord, source, kind_format(kind), text->data ? text->data : "", text->len,
				   entry != NULL);
	free(source);
	return s;
}

/* ------------------------------------------------------------------ MLPerf results */

static bool
ml_supported(Loader *L, FileKind kind)
{
	return kind == KIND_MLPERF_TRAINING ? L->has_mlperf_training : L->has_mlperf_inference;
}

/* worth reading: the server takes it, or it is dumped */
static bool
ml_wanted(Loader *L, FileKind kind)
{
	return ml_supported(L, kind) || L->dump_dir != NULL;
}

/* An MLPerf result this server has no format for: counted as skipped, said once per run. */
static void
ml_unsupported(Walk *w, long ord)
{
	Loader	   *L = w->L;

	if (!fresh(w, ord))
		return;
	L->skipped++;
	L->ml_unsupported++;
	if (!L->ml_unsupported_said &&
		(L->shared == NULL || !__atomic_exchange_n(&L->shared->ml_unsupported_said, 1, __ATOMIC_RELAXED)))
	{
		L->ml_unsupported_said = true;
		msg(L, "this server's dlpg has no format %s%s%s (see dlpg.sources()): MLPerf results are skipped, "
			"DLBS files are loaded; ALTER EXTENSION dlpg UPDATE, then load again",
			L->has_mlperf_training ? "" : "mlperf_training",
			!L->has_mlperf_training && !L->has_mlperf_inference ? " nor " : "",
			L->has_mlperf_inference ? "" : "mlperf_inference");
	}
}

/* A result's input, built in *input: dump it, send it (or skip it: the server has no format). */
static Step
send_ml(Walk *w, long ord, const char *path, const char *entry, FileKind kind, const Buf *input)
{
	char	   *source;
	Step		s = STEP_OK;

	if (input->len > DLPG_MAX_INPUT)
	{
		ReadError	err;

		err.sqlstate = SQLSTATE_TOO_LARGE;
		set_text(err.reason, sizeof(err.reason), "input too large: the MLPerf input of %.0f MB, the limit is %.0f MB",
				 (double) input->len / 1048576.0, (double) DLPG_MAX_INPUT / 1048576.0);
		set_text(err.detail, sizeof(err.detail),
				 "the result's files, escaped as JSON text, are sent as one text value, which PostgreSQL limits to 1 GB");
		return reject_event(w, ord, path, entry, &err);
	}
	source = source_of(w->L, path, entry);
	if (source == NULL)
		return out_of_memory(w);
	dump_input(w, ord, source, kind_format(kind), input->data, input->len);
	if (!ml_supported(w->L, kind))
		ml_unsupported(w, ord);
	else
		s = load_input(w->L, ord, source, kind_format(kind), input->data, input->len, entry != NULL);
	free(source);
	return s;
}

static void
set_ml_error(ReadError *err, const char *reason, const char *detail)
{
	err->sqlstate = SQLSTATE_NOT_DLBS;
	set_text(err->reason, sizeof(err->reason), "%s", reason);
	set_text(err->detail, sizeof(err->detail), "%s", detail);
}

/* A file of a result that failed the UTF-8 check: say which file in the detail. */
static void
note_which_file(ReadError *err, const char *file)
{
	char		d[sizeof(err->detail)];

	snprintf(d, sizeof(d), "%s", err->detail);
	set_text(err->detail, sizeof(err->detail), "%s: %s", file, d);
}

static void
ml_system_warning(Walk *w, long ord, const char *what, const char *name, const char *why)
{
	/* a file that is there and cannot be read is said even under --quiet; a missing one is not */
	if (ord <= w->L->hwm || (w->L->opt.quiet && why == NULL))
		return;
	msg(w->L, "warning: %s systems/%s.json%s%s: its results are sent with system null", what, name,
		why ? ": " : "", why ? why : "");
}

static void
ml_ctx_free(MlCtx *m)
{
	free(m->sub_dir);
	free(m->pre_train);
	free(m->pre_inf);
	free(m->base_rel);
	free(m->sys_name);
	buf_free(&m->sys_buf);
	memset(m, 0, sizeof(*m));
}

/* Into the submitter folder sub (a path that opens it); base: the walked path that is base_rel in it. */
static bool
ml_enter(Walk *w, const char *sub, const char *base, const char *base_rel)
{
	MlCtx	   *m = &w->ml;
	char	   *real = realpath(sub, NULL);
	const char *named = real ? real : sub;

	memset(m, 0, sizeof(*m));
	m->active = true;
	m->sub_dir = strdup(sub);
	m->pre_train = ml_prefix(named, false);
	m->pre_inf = ml_prefix(named, true);
	m->base_len = strlen(base);
	m->base_rel = strdup(base_rel);
	free(real);
	if (!m->sub_dir || !m->pre_train || !m->pre_inf || !m->base_rel)
	{
		ml_ctx_free(m);
		return false;
	}
	return true;
}

/* a walked path relative to the submitter folder (malloc'ed) */
static char *
ml_rel(Walk *w, const char *path)
{
	const char *tail = strlen(path) >= w->ml.base_len ? path + w->ml.base_len : "";
	size_t		n;
	char	   *r;

	while (*tail == '/')
		tail++;
	n = strlen(w->ml.base_rel) + strlen(tail) + 2;
	r = malloc(n);
	if (r)
		snprintf(r, n, "%s%s%s", w->ml.base_rel, w->ml.base_rel[0] && tail[0] ? "/" : "", tail);
	return r;
}

/* What a walked file of the submitter folder is to the walk: its kind, KIND_OTHER when not a result. */
static FileKind
ml_kind(Walk *w, const char *path)
{
	char	   *rel = ml_rel(w, path);
	const char *sys;
	size_t		syslen;
	size_t		flen;
	MlRole		role = rel ? ml_role(rel, &sys, &syslen, &flen) : ML_PART;

	free(rel);
	return role == ML_TRAINING ? KIND_MLPERF_TRAINING : role == ML_PART ? KIND_OTHER : KIND_MLPERF_INFERENCE;
}

/*
 * An aux file on disk beside a result: *aux present when read; a missing file is not an error.
 * false with err set: it exists and cannot be read, or is not UTF-8.
 */
static bool
read_aux_file(const char *file, Buf *buf, MlAux *aux, ReadError *err)
{
	struct stat st;

	memset(aux, 0, sizeof(*aux));
	if (stat(file, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
		return true;
	/* a FIFO (or a device) named like an aux file would block the open, as in the folder walk */
	if (stat(file, &st) == 0 && !S_ISREG(st.st_mode))
	{
		err->sqlstate = SQLSTATE_IO_ERROR;
		set_text(err->reason, sizeof(err->reason), "not a regular file");
		set_text(err->detail, sizeof(err->detail), "%s", file);
		return false;
	}
	if (!read_plain_file(file, buf, err))
		return false;
	if (!check_utf8(buf->data ? buf->data : "", buf->len, err))
		return false;
	aux->present = true;
	aux->text = buf->data ? buf->data : "";
	aux->len = buf->len;
	return true;
}

/* systems/<name>.json of the submitter folder on disk, read once per system; never an error */
static const MlAux *
ml_system(Walk *w, long ord, const char *name, size_t len)
{
	MlCtx	   *m = &w->ml;
	ReadError	err;
	char	   *file;
	size_t		n;

	if (m->sys_name && strlen(m->sys_name) == len && memcmp(m->sys_name, name, len) == 0)
		return &m->sys;
	free(m->sys_name);
	m->sys_name = strndup(name, len);
	n = strlen(m->sub_dir) + len + 16;
	file = malloc(n);
	memset(&m->sys, 0, sizeof(m->sys));
	if (m->sys_name == NULL || file == NULL)
	{
		free(file);
		free(m->sys_name);
		m->sys_name = NULL;
		return NULL;
	}
	snprintf(file, n, "%s/systems/%s.json", m->sub_dir, m->sys_name);
	if (!read_aux_file(file, &m->sys_buf, &m->sys, &err))
	{
		memset(&m->sys, 0, sizeof(m->sys));
		ml_system_warning(w, ord, "cannot read", m->sys_name, err.reason);
	}
	else if (!m->sys.present)
		ml_system_warning(w, ord, "no system description", m->sys_name, NULL);
	else if (!ml_aux_judge(&m->sys))
	{
		free(file);
		return NULL;
	}
	free(file);
	return &m->sys;
}

/* path with its last component replaced by name (malloc'ed) */
static char *
sibling(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	size_t		dlen = slash ? (size_t) (slash - path + 1) : 0;
	char	   *p = malloc(dlen + strlen(name) + 1);

	if (p)
	{
		memcpy(p, path, dlen);
		strcpy(p + dlen, name);
	}
	return p;
}

/* path's folder (malloc'ed) */
static char *
folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? strndup(path, (size_t) (slash - path)) : strdup(".");
}

/*
 * A result file of a submitter folder on disk: result_*.txt (training), mlperf_log_summary.txt
 * (the inference run of its folder); a run's mlperf_log_detail.txt is read with its summary (alone,
 * a reject). Reads the result's files, builds its input, sends it.
 */
static Step
ml_load_file(Walk *w, const char *path)
{
	Loader	   *L = w->L;
	char	   *rel = ml_rel(w, path);
	const char *sys = NULL;
	size_t		syslen = 0;
	size_t		flen = 0;
	MlRole		role;
	FileKind	kind;
	ReadError	err;
	Buf			aux_buf = {0};
	MlAux		aux;
	const MlAux *system;
	char	   *file = NULL;
	char	   *json_path = NULL;
	char	   *folder = NULL;
	long		ord;
	Step		s = STEP_OK;

	if (rel == NULL)
		return out_of_memory(w);
	role = ml_role(rel, &sys, &syslen, &flen);
	kind = role == ML_TRAINING ? KIND_MLPERF_TRAINING : KIND_MLPERF_INFERENCE;
	if (role == ML_DETAIL)
	{
		struct stat st;

		/* read with its summary: nothing on its own, unless the summary is missing */
		if (w->counting || (file = sibling(path, "mlperf_log_summary.txt")) == NULL ||
			stat(file, &st) == 0 || errno != ENOENT)
		{
			free(rel);
			free(file);
			return w->counting || file ? STEP_OK : out_of_memory(w);
		}
		free(file);
		file = NULL;
		if (!take_file(w))
		{
			free(rel);
			return STEP_OK;
		}
		ord = next_event(w);
		if ((folder = folder_of(path)) == NULL)
			s = out_of_memory(w);
		else
		{
			set_ml_error(&err, "an MLPerf inference run without mlperf_log_summary.txt",
						 "performance/run_1 holds mlperf_log_detail.txt only; the summary is the result");
			s = reject_event(w, ord, folder, NULL, &err);
		}
		file_done(w);
		free(folder);
		free(rel);
		return s;
	}
	if (w->counting)
	{
		free(rel);
		w->counted++;
		return STEP_OK;
	}
	/* with --jobs, a result is a file unit */
	if (!take_file(w))
	{
		free(rel);
		return STEP_OK;
	}
	ord = next_event(w);
	/* training: the file; inference: the run_1 folder */
	if (role == ML_SUMMARY && (folder = folder_of(path)) == NULL)
	{
		s = out_of_memory(w);
		goto done;
	}
	if (ord < L->resume_from)
		goto done;
	if (!ml_wanted(L, kind))
	{
		ml_unsupported(w, ord);
		goto done;
	}
	if (!read_plain_file(path, &L->text, &err) ||
		!check_utf8(L->text.data ? L->text.data : "", L->text.len, &err))
	{
		s = reject_event(w, ord, folder ? folder : path, NULL, &err);
		goto done;
	}
	/* beside it: scaling.json (training) or mlperf_log_detail.txt (inference) */
	file = sibling(path, role == ML_TRAINING ? "scaling.json" : "mlperf_log_detail.txt");
	json_path = ml_result_path(role == ML_TRAINING ? w->ml.pre_train : w->ml.pre_inf, rel,
							   role == ML_TRAINING ? strlen(rel) : flen);
	if (file == NULL || json_path == NULL)
	{
		s = out_of_memory(w);
		goto done;
	}
	if (!read_aux_file(file, &aux_buf, &aux, &err))
	{
		note_which_file(&err, role == ML_TRAINING ? "scaling.json" : "mlperf_log_detail.txt");
		s = reject_event(w, ord, folder ? folder : path, NULL, &err);
		goto done;
	}
	if (role == ML_TRAINING && !ml_aux_judge(&aux))
	{
		s = out_of_memory(w);
		goto done;
	}
	system = ml_system(w, ord, sys, syslen);
	if (system == NULL)
	{
		s = out_of_memory(w);
		goto done;
	}
	if (!(role == ML_TRAINING
		  ? ml_build_training(&L->raw, json_path, L->text.data ? L->text.data : "", L->text.len, system, &aux)
		  : ml_build_inference(&L->raw, json_path, L->text.data ? L->text.data : "", L->text.len, &aux, system)))
	{
		s = out_of_memory(w);
		goto done;
	}
	s = send_ml(w, ord, folder ? folder : path, NULL, kind, &L->raw);
done:
	buf_trim(&L->text);
	buf_trim(&L->raw);
	buf_free(&aux_buf);
	free(file);
	free(json_path);
	free(folder);
	free(rel);
	file_done(w);
	return s;
}

/*
 * A path given that is inside a submitter folder (not the folder itself: walk_dir finds that):
 * the folders above it are looked at, so that a results/ folder, a result file or a systems/<name>.json
 * named on the command line are read as parts of their tree. true: w->ml is set.
 */
static bool
ml_above(Walk *w, const char *path, bool *oom)
{
	char	   *real = realpath(path, NULL);
	char	   *up;
	char	   *slash;
	bool		found = false;

	*oom = false;
	if (real == NULL)
		return false;
	up = strdup(real);
	if (up == NULL)
	{
		free(real);
		*oom = true;
		return false;
	}
	while ((slash = strrchr(up, '/')) != NULL && slash != up)
	{
		*slash = '\0';
		if (ml_is_submitter(up))
		{
			if (!ml_enter(w, up, path, real + strlen(up) + 1))
				*oom = true;
			else
				found = true;
			break;
		}
	}
	free(up);
	free(real);
	return found;
}

/* ------------------------------------------------------------------ MLPerf results in a tar.gz */

/* An inference run's file read before the other one of its folder (archive order is any order). */
typedef struct TarRun
{
	char	   *folder;			/* normalised entry name of the run_1 folder */
	char	   *source_folder;	/* ... as written in the archive, for the source */
	MlRole		role;			/* which file this is */
	char	   *text;
	size_t		len;
} TarRun;

typedef struct TarRuns
{
	TarRun	   *runs;
	size_t		n;
	size_t		cap;
	char	   *warned_sys;		/* the last system warned about */
} TarRuns;

static void
tar_runs_free(TarRuns *r)
{
	size_t		i;

	for (i = 0; i < r->n; i++)
	{
		free(r->runs[i].folder);
		free(r->runs[i].source_folder);
		free(r->runs[i].text);
	}
	free(r->runs);
	free(r->warned_sys);
	memset(r, 0, sizeof(*r));
}

static void
tar_run_drop(TarRuns *r, size_t i)
{
	free(r->runs[i].folder);
	free(r->runs[i].source_folder);
	free(r->runs[i].text);
	r->runs[i] = r->runs[--r->n];
}

static long
tar_run_find(const TarRuns *r, const char *folder)
{
	size_t		i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->runs[i].folder, folder) == 0)
			return (long) i;
	return -1;
}

static bool
tar_run_keep(TarRuns *r, const char *folder, const char *source_folder, MlRole role, const Buf *data)
{
	TarRun	   *t;

	if (r->n == r->cap)
	{
		size_t		c = r->cap ? r->cap * 2 : 8;
		TarRun	   *p = realloc(r->runs, c * sizeof(TarRun));

		if (p == NULL)
			return false;
		r->runs = p;
		r->cap = c;
	}
	t = &r->runs[r->n];
	t->folder = strdup(folder);
	t->source_folder = strdup(source_folder);
	t->text = malloc(data->len + 1);
	if (!t->folder || !t->source_folder || !t->text)
	{
		free(t->folder);
		free(t->source_folder);
		free(t->text);
		return false;
	}
	memcpy(t->text, data->data ? data->data : "", data->len);
	t->text[data->len] = '\0';
	t->len = data->len;
	t->role = role;
	r->n++;
	return true;
}

/* the archive's systems/<name>.json of submitter folder sub (sub_len bytes of entry) */
static const MlAux *
tar_system(Walk *w, long ord, TarMl *tm, TarRuns *runs, const char *entry, long sub_len,
		   const char *sys, size_t syslen, bool *oom)
{
	static const MlAux none = {0};
	const char *why;
	const char *state;
	const MlAux *a;
	char	   *name = malloc((size_t) sub_len + syslen + 16);
	char	   *label;

	*oom = name == NULL;
	if (name == NULL)
		return NULL;
	sprintf(name, "%.*s%ssystems/%.*s.json", (int) sub_len, entry, sub_len > 0 ? "/" : "", (int) syslen, sys);
	a = ml_tar_aux(tm, name, &why, &state);
	label = strndup(sys, syslen);
	if ((a == NULL || !a->present) && label &&
		(runs->warned_sys == NULL || strcmp(runs->warned_sys, name) != 0))
	{
		ml_system_warning(w, ord, a ? "cannot read" : "no system description", label, why);
		free(runs->warned_sys);
		runs->warned_sys = strdup(name);
	}
	free(label);
	free(name);
	return a && a->present ? a : &none;
}

/* Check, build and send one inference run of an archive (summary and detail in memory). */
static Step
tar_send_run(Walk *w, long ord, TarMl *tm, TarRuns *runs, const char *path, const char *norm,
			 long sub_len, const char *source_folder, const char *summary, size_t slen,
			 const char *detail, size_t dlen, bool has_detail)
{
	Loader	   *L = w->L;
	const char *rel = norm + sub_len + (sub_len > 0);
	const char *sys;
	size_t		syslen;
	size_t		flen;
	ReadError	err;
	MlAux		d = {0};
	const MlAux *system;
	char	   *prefix = NULL;
	char	   *json_path = NULL;
	bool		oom = false;
	Step		s;

	if (ord < L->resume_from)
		return STEP_OK;
	if (ml_role(rel, &sys, &syslen, &flen) == ML_PART)
		return STEP_OK;			/* cannot be: norm is a run's file */
	if (!check_utf8(summary, slen, &err))
	{
		note_which_file(&err, "mlperf_log_summary.txt");
		return reject_event(w, ord, path, source_folder, &err);
	}
	if (has_detail && !check_utf8(detail, dlen, &err))
	{
		note_which_file(&err, "mlperf_log_detail.txt");
		return reject_event(w, ord, path, source_folder, &err);
	}
	d.present = has_detail;
	d.text = detail;
	d.len = dlen;
	system = tar_system(w, ord, tm, runs, norm, sub_len, sys, syslen, &oom);
	if (!oom)
	{
		char	   *sub = strndup(norm, (size_t) sub_len);

		prefix = sub ? ml_prefix(sub, true) : NULL;
		json_path = prefix ? ml_result_path(prefix, rel, flen) : NULL;
		free(sub);
	}
	if (oom || json_path == NULL ||
		!ml_build_inference(&L->text, json_path, summary, slen, &d, system))
		s = out_of_memory(w);
	else
		s = send_ml(w, ord, path, source_folder, KIND_MLPERF_INFERENCE, &L->text);
	buf_trim(&L->text);
	free(prefix);
	free(json_path);
	return s;
}

/*
 * An entry of a submitter folder in an archive (the data not read yet). *stop: the archive is
 * damaged, stop reading it.
 */
static Step
tar_ml_entry(Walk *w, TarReader *t, TarMl *tm, TarRuns *runs, const char *path, const char *name,
			 const char *norm, long sub_len, bool *stop)
{
	Loader	   *L = w->L;
	const char *rel = norm + sub_len + (sub_len > 0);
	const char *sys;
	size_t		syslen;
	size_t		flen;
	MlRole		role = ml_role(rel, &sys, &syslen, &flen);
	ReadError	err;
	TarData		td;
	long		ord = 0;
	Step		s = STEP_OK;

	*stop = false;
	if (role == ML_PART)
	{
		skipped(w);
		return STEP_OK;
	}
	if (role == ML_TRAINING)
		ord = next_event(w);
	/* read even when skipping (a replay): damage must stop the walk at the same event */
	td = tar_read_data(t, &L->raw, &err);
	if (td == TAR_DATA_DAMAGED)
	{
		*stop = true;
		return reject_event(w, ord ? ord : next_event(w), path, NULL, &err);
	}
	if (role == ML_TRAINING)
	{
		MlAux		scaling = {0};
		const MlAux *a;
		const MlAux *system;
		const char *why;
		const char *state;
		char	   *sub;
		char	   *prefix;
		char	   *json_path;
		char	   *scaling_name;
		bool		oom = false;

		if (td == TAR_DATA_BAD_ENTRY)
			return reject_event(w, ord, path, name, &err);
		if (ord < L->resume_from)
			return STEP_OK;
		if (!ml_wanted(L, KIND_MLPERF_TRAINING))
		{
			ml_unsupported(w, ord);
			return STEP_OK;
		}
		if (!check_utf8(L->raw.data ? L->raw.data : "", L->raw.len, &err))
			return reject_event(w, ord, path, name, &err);
		/* scaling.json beside it: an unreadable one is the run's reject, as on disk */
		scaling_name = malloc((size_t) sub_len + flen + 16);
		if (scaling_name == NULL)
			return out_of_memory(w);
		sprintf(scaling_name, "%.*s/scaling.json", (int) ((size_t) sub_len + (sub_len > 0) + flen), norm);
		a = ml_tar_aux(tm, scaling_name, &why, &state);
		free(scaling_name);
		if (a && !a->present)
		{
			set_ml_error(&err, why, "scaling.json beside the result cannot be read");
			if (state != NULL)
				err.sqlstate = state;
			return reject_event(w, ord, path, name, &err);
		}
		if (a)
			scaling = *a;
		system = tar_system(w, ord, tm, runs, norm, sub_len, sys, syslen, &oom);
		sub = strndup(norm, (size_t) sub_len);
		prefix = sub ? ml_prefix(sub, false) : NULL;
		json_path = prefix ? ml_result_path(prefix, rel, strlen(rel)) : NULL;
		if (oom || json_path == NULL ||
			!ml_build_training(&L->text, json_path, L->raw.data ? L->raw.data : "", L->raw.len, system, &scaling))
			s = out_of_memory(w);
		else
			s = send_ml(w, ord, path, name, KIND_MLPERF_TRAINING, &L->text);
		buf_trim(&L->text);
		free(sub);
		free(prefix);
		free(json_path);
		return s;
	}

	/* an inference run: summary and detail, in either order, sent when both are there */
	{
		size_t		fl = (size_t) sub_len + (sub_len > 0) + flen;
		char	   *folder = strndup(norm, fl);
		const char *slash = strrchr(name, '/');
		char	   *source_folder = slash ? strndup(name, (size_t) (slash - name)) : strdup(name);
		char	   *other = folder ? malloc(fl + 32) : NULL;
		long		i;

		if (folder == NULL || source_folder == NULL || other == NULL)
		{
			free(folder);
			free(source_folder);
			free(other);
			return out_of_memory(w);
		}
		sprintf(other, "%s/%s", folder, role == ML_SUMMARY ? "mlperf_log_detail.txt" : "mlperf_log_summary.txt");
		i = tar_run_find(runs, folder);
		if (i >= 0 && runs->runs[i].role == role)
		{
			/* the same name twice in the archive: the later one counts */
			tar_run_drop(runs, (size_t) i);
			i = -1;
		}
		if (td == TAR_DATA_BAD_ENTRY)
		{
			/* the run cannot be read whole: rejected, its other file (kept or to come) dropped */
			if (i >= 0)
				tar_run_drop(runs, (size_t) i);
			s = reject_event(w, next_event(w), path, source_folder, &err);
		}
		else if (role == ML_DETAIL && i < 0 && !ml_tar_has(tm, other))
		{
			set_ml_error(&err, "an MLPerf inference run without mlperf_log_summary.txt",
						 "performance/run_1 holds mlperf_log_detail.txt only; the summary is the result");
			s = reject_event(w, next_event(w), path, source_folder, &err);
		}
		else if (i < 0 && (role == ML_DETAIL || ml_tar_has(tm, other)))
		{
			/* the first of the two: kept until the other comes */
			if (!tar_run_keep(runs, folder, source_folder, role, &L->raw))
				s = out_of_memory(w);
		}
		else
		{
			/* complete (or a summary without detail): one input */
			TarRun	   *k = i >= 0 ? &runs->runs[i] : NULL;
			const Buf  *raw = &L->raw;
			const char *rd = raw->data ? raw->data : "";

			ord = next_event(w);
			if (!ml_wanted(L, KIND_MLPERF_INFERENCE))
			{
				if (ord >= L->resume_from)
					ml_unsupported(w, ord);
			}
			else if (role == ML_SUMMARY)
				s = tar_send_run(w, ord, tm, runs, path, norm, sub_len, source_folder, rd, raw->len,
								 k ? k->text : NULL, k ? k->len : 0, k != NULL);
			else
				s = tar_send_run(w, ord, tm, runs, path, norm, sub_len, source_folder, k->text, k->len,
								 rd, raw->len, true);
			if (i >= 0)
				tar_run_drop(runs, (size_t) i);
		}
		free(folder);
		free(source_folder);
		free(other);
	}
	return s;
}

/* At the end of an archive: summaries still waiting for a detail that never came (a repeated name) */
static Step
tar_runs_finish(Walk *w, TarMl *tm, TarRuns *runs, const char *path)
{
	Step		s = STEP_OK;

	while (runs->n > 0 && s == STEP_OK)
	{
		TarRun	   *k = &runs->runs[0];

		if (k->role == ML_SUMMARY)
		{
			char	   *name = malloc(strlen(k->folder) + 32);
			long		sub_len;
			long		ord = next_event(w);

			if (name == NULL)
				return out_of_memory(w);
			sprintf(name, "%s/mlperf_log_summary.txt", k->folder);
			sub_len = ml_tar_sub(tm, name);
			if (!ml_wanted(w->L, KIND_MLPERF_INFERENCE))
			{
				if (ord >= w->L->resume_from)
					ml_unsupported(w, ord);
			}
			else if (sub_len >= 0)
				s = tar_send_run(w, ord, tm, runs, path, name, sub_len, k->source_folder, k->text, k->len,
								 NULL, 0, false);
			free(name);
		}
		tar_run_drop(runs, 0);
	}
	return s;
}

static Step
load_archive(Walk *w, const char *path)
{
	Loader	   *L = w->L;
	ReadError	err;
	TarReader  *t;
	long		ord = next_event(w);
	Step		s = STEP_OK;

	TarMl	   *tm;
	TarRuns		runs = {0};
	bool		oom;
	struct stat st;

	t = tar_open(path, &err);
	if (t == NULL)
		return reject_event(w, ord, path, NULL, &err);
	if (fresh(w, ord))
		L->archives++;
	/*
	 * A first pass over the names: MLPerf submitter folders in it, their systems/ and
	 * scaling.json.  Only for a regular file: a pipe cannot be read twice (an archive on a
	 * pipe is read as DLBS files only).
	 */
	tm = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? ml_tar_scan(path, &oom) : (oom = false, NULL);
	if (oom)
	{
		tar_close(t);
		return out_of_memory(w);
	}
	if (!ml_tar_any(tm))
	{
		ml_tar_free(tm);
		tm = NULL;
	}
	for (;;)
	{
		const char *name = NULL;
		TarNext		r;
		TarData		td;
		FileKind	kind;
		long		sub_len;

		if (stop_now(w, &s))
			break;
		r = tar_next(t, &name, &err);
		if (r == TAR_END)
		{
			s = tar_runs_finish(w, tm, &runs, path);
			break;
		}
		if (r == TAR_ERROR)
		{
			s = reject_event(w, next_event(w), path, NULL, &err);
			break;
		}
		sub_len = ml_tar_sub(tm, ml_tar_norm(name));
		if (sub_len >= 0)
		{
			const char *norm = ml_tar_norm(name);
			bool		stop = false;

			if (r == TAR_ENTRY)
				s = tar_ml_entry(w, t, tm, &runs, path, name, norm, sub_len, &stop);
			else
			{
				const char *sys;
				size_t		syslen;
				size_t		flen;

				/* a link or device where a result should be is rejected, as for DLBS names */
				if (r == TAR_HARD_LINK || ml_role(norm + sub_len + (sub_len > 0), &sys, &syslen, &flen) == ML_PART)
					skipped(w);
				else
					s = reject_event(w, next_event(w), path, name, &err);
			}
			if (s != STEP_OK || stop)
				break;
			continue;
		}
		kind = classify_name(name);
		/* a hard link's data is the entry it names, read under that name */
		if (r == TAR_HARD_LINK)
		{
			ignored(w);
			continue;
		}
		if (r == TAR_NOT_REGULAR)
		{
			/* a link or device named like an input has no data: rejected, not ignored */
			if (kind == KIND_OTHER || kind == KIND_TGZ)
				ignored(w);
			else if ((s = reject_event(w, next_event(w), path, name, &err)) != STEP_OK)
				break;
			continue;
		}
		if (kind == KIND_OTHER || kind == KIND_TGZ)
		{
			ignored(w);
			continue;
		}
		ord = next_event(w);
		/* read even when skipping (a replay): damage must stop the walk at the same event */
		td = tar_read_data(t, &L->raw, &err);
		if (td == TAR_DATA_DAMAGED)
		{
			/* the archive itself is damaged: the rest of it cannot be read */
			s = reject_event(w, ord, path, NULL, &err);
			break;
		}
		if (td == TAR_DATA_BAD_ENTRY)
		{
			s = reject_event(w, ord, path, name, &err);
			if (s != STEP_OK)
				break;
			continue;
		}
		if (ord < L->resume_from)
			continue;
		if (kind_is_gz(kind))
		{
			if (!gunzip_memory(L->raw.data ? L->raw.data : "", L->raw.len, &L->text, &err))
				s = reject_event(w, ord, path, name, &err);
			else
				s = send_text(w, ord, path, name, kind, &L->text);
		}
		else
			s = send_text(w, ord, path, name, kind, &L->raw);
		buf_trim(&L->text);
		buf_trim(&L->raw);
		if (s != STEP_OK)
			break;
	}
	buf_trim(&L->raw);
	tar_close(t);
	tar_runs_free(&runs);
	ml_tar_free(tm);
	return s;
}

/* A file to load (kind is not KIND_OTHER). */
static Step
load_file(Walk *w, const char *path, FileKind kind)
{
	Loader	   *L = w->L;
	ReadError	err;
	long		ord;
	Step		s;

	if (kind == KIND_MLPERF_TRAINING || kind == KIND_MLPERF_INFERENCE)
		return ml_load_file(w, path);
	if (w->counting)
	{
		w->counted++;
		return STEP_OK;
	}
	/* with --jobs, an archive is one unit: all its entries go to one job */
	if (!take_file(w))
		return STEP_OK;
	if (kind == KIND_TGZ)
		s = load_archive(w, path);
	else
	{
		ord = next_event(w);
		if (ord < L->resume_from)
			s = STEP_OK;
		else if (!(kind_is_gz(kind) ? gunzip_file(path, &L->text, &err)
				   : read_plain_file(path, &L->text, &err)))
			s = reject_event(w, ord, path, NULL, &err);
		else
			s = send_text(w, ord, path, NULL, kind, &L->text);
		buf_trim(&L->text);
	}
	file_done(w);
	return s;
}

/* ------------------------------------------------------------------ folders */

static int
not_dots(const struct dirent *d)
{
	return !(d->d_name[0] == '.' &&
			 (d->d_name[1] == '\0' || (d->d_name[1] == '.' && d->d_name[2] == '\0')));
}

static char *
join_path(const char *dir, const char *name)
{
	size_t		n = strlen(dir);
	bool		slash = n > 0 && dir[n - 1] == '/';
	char	   *p = malloc(n + strlen(name) + 2);

	if (p)
		sprintf(p, "%s%s%s", dir, slash ? "" : "/", name);
	return p;
}

static bool
on_stack(Walk *w, const struct stat *st)
{
	int			i;

	for (i = 0; i < w->depth; i++)
		if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
			return true;
	return false;
}

static Step walk_dir(Walk *w, const char *dir, const struct stat *st);

/* A folder we will not enter again: a loop through a symbolic link (nothing is lost). */
static void
skip_dir(Walk *w, const char *path, const char *why)
{
	long		ord;

	if (w->counting || w->L->job != 0)
		return;
	ord = next_event(w);
	if (fresh(w, ord) && !w->L->opt.quiet)
		msg(w->L, "skipped folder %s: %s", path, why);
}

/* what a file that is neither a folder nor a regular file is, for a message */
static const char *
file_type_name(mode_t mode)
{
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

static void
set_too_long(ReadError *err, const char *path)
{
	err->sqlstate = SQLSTATE_TOO_LARGE;
	set_text(err->reason, sizeof(err->reason), "path too long: %zu bytes, the limit is %d",
			 strlen(path), PATH_MAX - 1);
	set_text(err->detail, sizeof(err->detail),
			 "the system cannot open a path of PATH_MAX (%d) bytes or more; nothing below it is read",
			 PATH_MAX);
}

/*
 * stat(2) of a folder's entry. A path of PATH_MAX bytes or more cannot be given to stat:
 * then the entry is looked at from its folder (fstatat), to know what is lost.
 */
static int
stat_entry(const char *dir, const char *path, const char *name, struct stat *st)
{
	int			dfd;
	int			r;
	int			e;

	if (stat(path, st) == 0)
		return 0;
	if (errno != ENAMETOOLONG)
		return -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
	{
		errno = ENAMETOOLONG;
		return -1;
	}
	r = fstatat(dfd, name, st, 0);
	e = errno;
	close(dfd);
	errno = e;
	return r;
}

static Step
walk_entry(Walk *w, const char *dir, const char *path, const char *name)
{
	struct stat st;
	FileKind	kind = w->ml.active ? ml_kind(w, path) : classify_name(name);
	ReadError	err;
	bool		too_long = strlen(path) >= PATH_MAX;

	if (stat_entry(dir, path, name, &st) != 0)
	{
		int			e = errno;

		/*
		 * A dangling link or a link loop without an input's name: nothing is behind it.
		 * Anything else that cannot be looked at may be a folder of inputs: rejected.
		 */
		if (kind == KIND_OTHER && (e == ENOENT || e == ELOOP || e == ENOTDIR))
		{
			if (w->ml.active)
				folder_skipped(w);
			else
				folder_ignored(w);
			return STEP_OK;
		}
		if (e == ENAMETOOLONG)
			set_too_long(&err, path);
		else
			set_os_error(&err, e, "stat", path);
		return reject_path(w, path, &err);
	}
	if (S_ISDIR(st.st_mode))
	{
		if (on_stack(w, &st))
		{
			skip_dir(w, path, "it contains itself (a loop of symbolic links)");
			return STEP_OK;
		}
		if (w->depth > MAX_DEPTH)
		{
			/* what is below is lost: a reject, never a silent skip */
			err.sqlstate = SQLSTATE_TOO_LARGE;
			set_text(err.reason, sizeof(err.reason), "folders nested too deep: %d levels, the limit is %d",
					 w->depth, MAX_DEPTH);
			set_text(err.detail, sizeof(err.detail),
					 "the folder is %d levels below the path given; nothing in it is read", w->depth);
			return reject_path(w, path, &err);
		}
		if (too_long)
		{
			set_too_long(&err, path);
			return reject_path(w, path, &err);
		}
		return walk_dir(w, path, &st);
	}
	if (kind == KIND_OTHER)
	{
		if (w->ml.active)
			folder_skipped(w);
		else
			folder_ignored(w);
		return STEP_OK;
	}
	if (!S_ISREG(st.st_mode))
	{
		/* never opened: a FIFO would block, a device may never end */
		err.sqlstate = SQLSTATE_IO_ERROR;
		set_text(err.reason, sizeof(err.reason), "not a regular file: %s", file_type_name(st.st_mode));
		set_text(err.detail, sizeof(err.detail),
				 "in a folder only regular files are read: a FIFO may block, a device never end");
		return reject_path(w, path, &err);
	}
	if (too_long)
	{
		set_too_long(&err, path);
		return reject_path(w, path, &err);
	}
	return load_file(w, path, kind);
}

static Step
walk_dir(Walk *w, const char *dir, const struct stat *st)
{
	struct dirent **names = NULL;
	int			n;
	int			i;
	Step		s = STEP_OK;
	bool		entered = false;

	/* an MLPerf submitter folder (not looked for inside one) */
	if (!w->ml.active && ml_is_submitter(dir))
	{
		if (!ml_enter(w, dir, dir, ""))
			return out_of_memory(w);
		entered = true;
	}
	errno = 0;
	n = scandir(dir, &names, not_dots, alphasort);
	if (n < 0)
	{
		ReadError	err;

		set_os_error(&err, errno ? errno : EIO, "scandir", dir);
		set_text(err.detail, sizeof(err.detail), "cannot list the folder \"%s\"", dir);
		if (entered)
			ml_ctx_free(&w->ml);
		return reject_path(w, dir, &err);
	}
	w->stack[w->depth].dev = st->st_dev;
	w->stack[w->depth].ino = st->st_ino;
	w->depth++;
	for (i = 0; i < n; i++)
	{
		if (s == STEP_OK && !stop_now(w, &s))
		{
			char	   *path = join_path(dir, names[i]->d_name);

			if (path == NULL)
				s = out_of_memory(w);
			else
			{
				s = walk_entry(w, dir, path, names[i]->d_name);
				free(path);
			}
		}
		free(names[i]);
	}
	free(names);
	w->depth--;
	if (entered)
		ml_ctx_free(&w->ml);
	return s;
}

/* A path from the command line. */
static Step
walk_path(Walk *w, const char *path)
{
	struct stat st;
	FileKind	kind;
	ReadError	err;

	if (stat(path, &st) != 0)
	{
		if (errno == ENAMETOOLONG)
			set_too_long(&err, path);
		else
			set_os_error(&err, errno, "stat", path);
		return reject_path(w, path, &err);
	}
	if (S_ISDIR(st.st_mode))
	{
		w->depth = 0;
		return walk_dir(w, path, &st);
	}
	if (w->ml.active)
	{
		/* a file of an MLPerf tree: a result, or a part of it (skipped, said since it was named) */
		kind = ml_kind(w, path);
		if (kind == KIND_OTHER)
		{
			if (w->counting || !take_file(w))
				return STEP_OK;
			if (!w->L->opt.quiet && w->L->ord >= w->L->hwm)
				msg(w->L, "skipped %s: a file of the MLPerf submitter folder %s, not a result", path,
					w->ml.sub_dir);
			skipped(w);
			file_done(w);
			return STEP_OK;
		}
		return load_file(w, path, kind);
	}
	kind = classify_name(path);
	if (kind == KIND_OTHER)
	{
		err.sqlstate = SQLSTATE_NOT_DLBS;
		set_text(err.reason, sizeof(err.reason), "not a known format");
		set_text(err.detail, sizeof(err.detail), "named on the command line; accepted: %s, and MLPerf result trees",
				 ACCEPTED);
		return reject_path(w, path, &err);
	}
	/* named explicitly: a FIFO is read too (not a device: open_input refuses those) */
	return load_file(w, path, kind);
}

/* A path from the command line, perhaps inside an MLPerf submitter folder. */
static Step
walk_top(Walk *w, const char *path)
{
	bool		oom = false;
	bool		inside = ml_above(w, path, &oom);
	Step		s;

	if (oom)
		return out_of_memory(w);
	s = walk_path(w, path);
	if (inside)
		ml_ctx_free(&w->ml);
	return s;
}

long
count_inputs(Loader *L, char **paths, int npaths)
{
	Walk	   *w = calloc(1, sizeof(Walk));
	long		n;
	int			i;

	if (w == NULL)
		return -1;
	w->L = L;
	w->counting = true;
	for (i = 0; i < npaths && !interrupted; i++)
		walk_top(w, paths[i]);
	n = w->counted;
	free(w);
	return n;
}

Step
walk_all(Loader *L, char **paths, int npaths)
{
	Walk	   *w = calloc(1, sizeof(Walk));
	Step		s = STEP_OK;
	int			i;

	if (w == NULL)
	{
		msg(L, "out of memory");
		return STEP_FATAL;
	}
	w->L = L;
	L->ord = 0;
	L->top_done = 0;
	L->file_no = 0;
	for (i = 0; i < npaths && s == STEP_OK; i++)
		if (!stop_now(w, &s))
			s = walk_top(w, paths[i]);
	free(w);
	if (s == STEP_OK)
		L->walked = L->file_no;
	if (s == STEP_OK)
		s = finish_batch(L);
	return s;
}
