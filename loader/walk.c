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

typedef struct Walk
{
	Loader	   *L;
	bool		counting;
	long		counted;
	DirId		stack[MAX_DEPTH + 1];	/* the PATH itself, then MAX_DEPTH levels below */
	int			depth;
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
	s = load_input(w->L, ord, source, kind_format(kind), text->data ? text->data : "", text->len,
				   entry != NULL);
	free(source);
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

	t = tar_open(path, &err);
	if (t == NULL)
		return reject_event(w, ord, path, NULL, &err);
	if (fresh(w, ord))
		L->archives++;
	for (;;)
	{
		const char *name = NULL;
		TarNext		r;
		TarData		td;
		FileKind	kind;

		if (stop_now(w, &s))
			break;
		r = tar_next(t, &name, &err);
		if (r == TAR_END)
			break;
		if (r == TAR_ERROR)
		{
			s = reject_event(w, next_event(w), path, NULL, &err);
			break;
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
	FileKind	kind = classify_name(name);
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

	errno = 0;
	n = scandir(dir, &names, not_dots, alphasort);
	if (n < 0)
	{
		ReadError	err;

		set_os_error(&err, errno ? errno : EIO, "scandir", dir);
		set_text(err.detail, sizeof(err.detail), "cannot list the folder \"%s\"", dir);
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
	return s;
}

/* A path from the command line. */
static Step
walk_top(Walk *w, const char *path)
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
	kind = classify_name(path);
	if (kind == KIND_OTHER)
	{
		err.sqlstate = SQLSTATE_NOT_DLBS;
		set_text(err.reason, sizeof(err.reason), "not a DLBS log or JSON file");
		set_text(err.detail, sizeof(err.detail), "named on the command line; accepted: %s", ACCEPTED);
		return reject_path(w, path, &err);
	}
	/* named explicitly: a FIFO is read too (not a device: open_input refuses those) */
	return load_file(w, path, kind);
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
