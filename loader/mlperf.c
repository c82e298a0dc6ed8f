/*
 * mlperf.c -- MLPerf result trees: which files of a submitter folder are results, and the JSON
 * text each result is sent to the server as (formats mlperf_training and mlperf_inference).
 *
 * A submitter folder is a folder with the subfolders results/ and systems/ (MLCommons' layout:
 * <repository>/<Submitter>/ for training, <repository>/<division>/<Submitter>/ for inference).
 * Paths below it are classified by their components only (ml_role), so that a folder on disk and
 * the entries of a tar.gz are read by the same rules:
 *
 *   results/<system>/<benchmark>/result_*.txt                                 a training run
 *   results/<system>/<model>/<scenario>/performance/run_1/mlperf_log_summary.txt
 *                                                                             an inference run
 *   .../performance/run_1/mlperf_log_detail.txt                               read with its summary
 *   anything else (systems/<name>.json, scaling.json, accuracy/, TEST01 compliance
 *   runs, run_2..., code/, measurements/, README...)                          not a benchmark: skipped
 *
 * systems/<system>.json and results/<system>/<benchmark>/scaling.json are read as parts of the
 * results that name them. The input is one JSON object (see docs/dlpg-load.md), built here with
 * a JSON string escaper; a system description or scaling file is embedded as it is when it is
 * one JSON value (json_syntax.c, the extension's own reader, judges), else as a JSON string, so
 * that the server can reject it with its reason.
 */
#include "dlpg_load.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../src/core/json_syntax.h"

/* ------------------------------------------------------------------ JSON text */

static bool
put(Buf *out, const char *s, size_t n)
{
	if (!buf_reserve(out, n))
		return false;
	memcpy(out->data + out->len, s, n);
	out->len += n;
	out->data[out->len] = '\0';
	return true;
}

/* the length of the valid UTF-8 character at s (PostgreSQL's rules, see check_utf8), 0 if none */
static size_t
utf8_char_len(const unsigned char *s, size_t avail)
{
	ReadError	err;
	unsigned char c = s[0];
	size_t		n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

	if (c == 0 || n > avail || !check_utf8((const char *) s, n, &err))
		return 0;
	return n;
}

/* JSON's two-character escapes */
static const char *
short_escape(unsigned char c)
{
	switch (c)
	{
		case '"':
			return "\\\"";
		case '\\':
			return "\\\\";
		case '\b':
			return "\\b";
		case '\f':
			return "\\f";
		case '\n':
			return "\\n";
		case '\r':
			return "\\r";
		case '\t':
			return "\\t";
		default:
			return NULL;
	}
}

/*
 * Append s as a JSON string: quotes; '"' and '\' escaped; every control character (U+0000 to
 * U+001F) as \b \f \n \r \t or \u00XX; the rest as it is (the text is UTF-8). A byte that is not
 * part of a valid UTF-8 character (only in file names: file contents are checked before) is
 * written as the four characters \xNN, as the loader writes such bytes in source names; a NUL
 * byte as \u0000 is never produced for contents (check_utf8 refuses NUL) but is for names.
 */
bool
json_put_string(Buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0;
	size_t		run = 0;		/* bytes copied as they are, pending */

	if (!put(out, "\"", 1))
		return false;
	while (i < len)
	{
		unsigned char c = u[i];
		char		esc[8];
		const char *e;
		size_t		n;
		size_t		k;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
		{
			run++;
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_char_len(u + i, len - i)) > 0)
		{
			run += k;
			i += k;
			continue;
		}
		if (run > 0 && !put(out, s + i - run, run))
			return false;
		run = 0;
		if ((e = short_escape(c)) != NULL)
		{
			n = 2;
			memcpy(esc, e, 2);
		}
		else
		{
			/* another control character: \u00XX; a byte that is not UTF-8: the text \xNN */
			n = c < 0x20 ? 6 : 5;
			memcpy(esc, c < 0x20 ? "\\u00" : "\\\\x", n - 2);
			esc[n - 2] = hex[c >> 4];
			esc[n - 1] = hex[c & 15];
		}
		if (!put(out, esc, n))
			return false;
		i++;
	}
	if (run > 0 && !put(out, s + i - run, run))
		return false;
	return put(out, "\"", 1);
}

static void
ignore_event(void *arg, JsonEventType type, char *text, int len)
{
	(void) arg;
	(void) type;
	(void) text;
	(void) len;
}

/* decoded strings are not kept: every one goes to the same scratch space (as long as the text) */
static void *
scratch_alloc(void *arg, size_t size)
{
	(void) size;
	return arg;
}

/*
 * Is [s, s + len) one JSON value, with optional white space around it, as the extension's
 * reader (and jsonb_in) judges? Nested one level less deep than the server reads, since it is
 * embedded in the input's object. -1: out of memory.
 */
int
json_text_valid(const char *s, size_t len)
{
	JsonSink	sink;
	char	   *copy;
	char	   *scratch;
	JsonReadResult r;

	if (len > (size_t) INT_MAX)
		return 0;
	copy = malloc(len + 1);
	scratch = malloc(len + 1);
	if (copy == NULL || scratch == NULL)
	{
		free(copy);
		free(scratch);
		return -1;
	}
	memcpy(copy, s, len);
	sink.arg = scratch;
	sink.event = ignore_event;
	sink.alloc = scratch_alloc;
	r = json_read_value(copy, (int) len, DLPG_MAX_JSON_DEPTH - 1, true, &sink);
	free(copy);
	free(scratch);
	return r == JSON_READ_OK;
}

/* an aux file's value: the JSON text itself, a JSON string when it is not JSON, or null */
static bool
put_aux(Buf *out, const MlAux *aux)
{
	if (aux == NULL || !aux->present)
		return put(out, "null", 4);
	if (aux->valid_json)
		return put(out, aux->text, aux->len);
	return json_put_string(out, aux->text, aux->len);
}

/*
 * Check an aux file's text and say how it is embedded: valid_json when it is one JSON value. The
 * text must be UTF-8 already (the caller checks; else it is not present). false: out of memory.
 */
bool
ml_aux_judge(MlAux *aux)
{
	int			v;

	if (!aux->present)
		return true;
	v = json_text_valid(aux->text, aux->len);
	if (v < 0)
		return false;
	aux->valid_json = v == 1;
	return true;
}

/*
 * The input of a training run:
 *   {"path": P, "result": TEXT, "system": SYSTEM|null, "scaling": SCALING|null}
 */
bool
ml_build_training(Buf *out, const char *path, const char *result, size_t len, const MlAux *system,
				  const MlAux *scaling)
{
	buf_reset(out);
	return put(out, "{\"path\": ", 9) && json_put_string(out, path, strlen(path)) &&
		put(out, ", \"result\": ", 12) && json_put_string(out, result, len) &&
		put(out, ", \"system\": ", 12) && put_aux(out, system) &&
		put(out, ", \"scaling\": ", 13) && put_aux(out, scaling) && put(out, "}", 1);
}

/*
 * The input of an inference run (a performance/run_1 folder):
 *   {"path": P, "summary": TEXT, "detail": TEXT|null, "system": SYSTEM|null}
 */
bool
ml_build_inference(Buf *out, const char *path, const char *summary, size_t len, const MlAux *detail,
				   const MlAux *system)
{
	buf_reset(out);
	if (!(put(out, "{\"path\": ", 9) && json_put_string(out, path, strlen(path)) &&
		  put(out, ", \"summary\": ", 13) && json_put_string(out, summary, len) &&
		  put(out, ", \"detail\": ", 12)))
		return false;
	if (detail && detail->present ? !json_put_string(out, detail->text, detail->len) : !put(out, "null", 4))
		return false;
	return put(out, ", \"system\": ", 12) && put_aux(out, system) && put(out, "}", 1);
}

/* ------------------------------------------------------------------ layout */

/* the components of a path: pointers into it and lengths; empty and "." components are dropped */
#define MAX_COMPS 16

static int
split(const char *p, const char **comp, size_t *clen, int max)
{
	int			n = 0;

	while (*p)
	{
		const char *s;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		if (p - s == 1 && s[0] == '.')
			continue;
		if (n == max)
			return max + 1;		/* more than max: none of the patterns */
		comp[n] = s;
		clen[n] = (size_t) (p - s);
		n++;
	}
	return n;
}

static bool
comp_is(const char *c, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(c, word, n) == 0;
}

/*
 * What a path below a submitter folder is (rel: relative to that folder). For a result, *system
 * and *system_len name its system (the component after results/), and *folder_len is the length
 * of rel up to the result's folder (training: .../<benchmark>, inference: .../run_1).
 */
MlRole
ml_role(const char *rel, const char **system, size_t *system_len, size_t *folder_len)
{
	const char *c[MAX_COMPS];
	size_t		l[MAX_COMPS];
	int			n = split(rel, c, l, MAX_COMPS);
	MlRole		role = ML_PART;

	if (n < 4 || n > MAX_COMPS || !comp_is(c[0], l[0], "results"))
		return ML_PART;
	if (n == 4 && l[3] > strlen("result_.txt") - 1 && strncmp(c[3], "result_", 7) == 0 &&
		memcmp(c[3] + l[3] - 4, ".txt", 4) == 0)
		role = ML_TRAINING;
	else if (n == 7 && comp_is(c[4], l[4], "performance") && comp_is(c[5], l[5], "run_1"))
	{
		if (comp_is(c[6], l[6], "mlperf_log_summary.txt"))
			role = ML_SUMMARY;
		else if (comp_is(c[6], l[6], "mlperf_log_detail.txt"))
			role = ML_DETAIL;
	}
	if (role != ML_PART)
	{
		*system = c[1];
		*system_len = l[1];
		*folder_len = (size_t) (c[n - 2] + l[n - 2] - rel);
	}
	return role;
}

static bool
is_dir(const char *dir, const char *name)
{
	struct stat st;
	size_t		n = strlen(dir) + strlen(name) + 2;
	char	   *p = malloc(n);
	bool		r;

	if (p == NULL)
		return false;
	snprintf(p, n, "%s/%s", dir, name);
	r = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	free(p);
	return r;
}

/* a submitter folder: results/ and systems/ are folders in it */
bool
ml_is_submitter(const char *dir)
{
	return is_dir(dir, "results") && is_dir(dir, "systems");
}

static bool
is_division(const char *c, size_t n)
{
	return (n == 6 && strncasecmp(c, "closed", 6) == 0) || (n == 4 && strncasecmp(c, "open", 4) == 0) ||
		(n == 7 && strncasecmp(c, "network", 7) == 0);
}

/*
 * The start of the "path" the server gets, from the submitter folder's path (a real path on disk,
 * or the folder's name in an archive): "<repository>/<Submitter>" for training and, when the
 * folder above is a division (closed, open, network), "<repository>/<division>/<Submitter>" for
 * inference; as many of those as the path has.
 */
char *
ml_prefix(const char *sub_path, bool inference)
{
	const char *c[3];
	size_t		l[3];
	const char *all[4096 / 2];
	size_t		alll[4096 / 2];
	int			n = split(sub_path, all, alll, (int) (sizeof(all) / sizeof(all[0])) - 1);
	int			take;
	int			i;
	size_t		size = 1;
	char	   *out;

	if (n > (int) (sizeof(all) / sizeof(all[0])) - 1)
		n = 0;
	take = n >= 2 ? 2 : n;
	if (inference && n >= 3 && is_division(all[n - 2], alll[n - 2]))
		take = 3;
	for (i = 0; i < take; i++)
	{
		c[i] = all[n - take + i];
		l[i] = alll[n - take + i];
		size += l[i] + 1;
	}
	out = malloc(size);
	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (i = 0; i < take; i++)
	{
		if (i > 0)
			strcat(out, "/");
		strncat(out, c[i], l[i]);
	}
	return out;
}

/*
 * The "path" of a result: prefix + "/" + rel up to folder_len (inference: the run_1 folder) or
 * the whole rel (training), with empty and "." components dropped.
 */
char *
ml_result_path(const char *prefix, const char *rel, size_t rel_len)
{
	const char *c[MAX_COMPS];
	size_t		l[MAX_COMPS];
	char	   *copy = strndup(rel, rel_len);
	char	   *out;
	size_t		size = strlen(prefix) + rel_len + 2;
	int			n;
	int			i;

	if (copy == NULL)
		return NULL;
	n = split(copy, c, l, MAX_COMPS);
	out = malloc(size);
	if (out == NULL || n > MAX_COMPS)
	{
		free(copy);
		free(out);
		return NULL;
	}
	strcpy(out, prefix);
	for (i = 0; i < n; i++)
	{
		if (out[0])
			strcat(out, "/");
		strncat(out, c[i], l[i]);
	}
	free(copy);
	return out;
}

/* ------------------------------------------------------------------ tar.gz: the names pass */

/* aux entries (systems/<name>.json, scaling.json) larger than this are not kept: treated as unreadable */
#define MAX_AUX_ENTRY ((size_t) 64 * 1024 * 1024)

typedef struct TarAux
{
	char	   *name;
	MlAux		aux;
	char		why[256];		/* !present: why (too large, not UTF-8) */
	const char *sqlstate;		/* ... and its SQLSTATE */
} TarAux;

struct TarMl
{
	char	  **names;			/* regular entries below results/ or systems/, normalised, sorted */
	size_t		nnames;
	char	  **subs;			/* submitter folders ("" for the archive's root), sorted */
	size_t		nsubs;
	TarAux	   *aux;			/* sorted by name */
	size_t		naux;
};

/* an entry's name without leading "./" and "/" */
const char *
ml_tar_norm(const char *name)
{
	for (;;)
	{
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static int
cmp_aux(const void *a, const void *b)
{
	return strcmp(((const TarAux *) a)->name, ((const TarAux *) b)->name);
}

static bool
push_str(char ***arr, size_t *n, size_t *cap, char *s)
{
	if (s == NULL)
		return false;
	if (*n == *cap)
	{
		size_t		c = *cap ? *cap * 2 : 256;
		char	  **p = realloc(*arr, c * sizeof(char *));

		if (p == NULL)
		{
			free(s);
			return false;
		}
		*arr = p;
		*cap = c;
	}
	(*arr)[(*n)++] = s;
	return true;
}

/* systems/<x>.json or .../systems/<x>.json, or scaling.json anywhere: read in the names pass */
static bool
is_aux_name(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	size_t		n = strlen(base);

	if (strcmp(base, "scaling.json") == 0)
		return true;
	if (n <= 5 || strcmp(base + n - 5, ".json") != 0)
		return false;
	if (slash == NULL)
		return false;
	return (slash - name == 7 && strncmp(name, "systems", 7) == 0) ||
		(slash - name > 7 && strncmp(slash - 8, "/systems", 8) == 0);
}

/* is there an entry that starts with prefix? (names sorted) */
static bool
has_prefix(const TarMl *t, const char *prefix)
{
	size_t		lo = 0;
	size_t		hi = t->nnames;
	size_t		n = strlen(prefix);

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (strcmp(t->names[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nnames && strncmp(t->names[lo], prefix, n) == 0;
}

bool
ml_tar_has(const TarMl *t, const char *name)
{
	return t != NULL && t->nnames > 0 &&
		bsearch(&name, t->names, t->nnames, sizeof(char *), cmp_str) != NULL;
}

/*
 * Read the names of an archive's regular entries below results/ or systems/ folders, and the
 * data of its systems/<name>.json and scaling.json entries, in a first pass; from the names, its
 * submitter folders. NULL when the archive cannot be opened (the loading pass reports it) or out of memory (*oom). An archive
 * damaged in the middle: what was read before the damage (the loading pass reports it).
 */
TarMl *
ml_tar_scan(const char *path, bool *oom)
{
	TarMl	   *t = calloc(1, sizeof(TarMl));
	TarReader  *r;
	ReadError	err;
	size_t		cap = 0;
	size_t		scap = 0;
	size_t		acap = 0;
	Buf			data = {0};
	size_t		i;

	*oom = t == NULL;
	if (t == NULL)
		return NULL;
	r = tar_open(path, &err);
	if (r == NULL)
	{
		free(t);
		return NULL;
	}
	for (;;)
	{
		const char *name = NULL;
		const char *norm;
		TarNext		n = tar_next(r, &name, &err);

		if (n == TAR_END || n == TAR_ERROR || interrupted)
			break;
		if (n != TAR_ENTRY)
			continue;
		norm = ml_tar_norm(name);
		/*
		 * Only names below a results/ or systems/ folder tell anything (where submitter folders
		 * are, which files a run folder has): code/ and measurements/ trees, often most of a
		 * repository's entries, are not kept.
		 */
		if ((strncmp(norm, "results/", 8) == 0 || strstr(norm, "/results/") ||
			 strncmp(norm, "systems/", 8) == 0 || strstr(norm, "/systems/")) &&
			!push_str(&t->names, &t->nnames, &cap, strdup(norm)))
			goto oom;
		if (is_aux_name(norm))
		{
			TarAux	   *a;
			TarData		d;

			if (t->naux == acap)
			{
				size_t		c = acap ? acap * 2 : 64;
				TarAux	   *p = realloc(t->aux, c * sizeof(TarAux));

				if (p == NULL)
					goto oom;
				t->aux = p;
				acap = c;
			}
			a = &t->aux[t->naux];
			memset(a, 0, sizeof(*a));
			if ((a->name = strdup(norm)) == NULL)
				goto oom;
			t->naux++;
			d = tar_read_data(r, &data, &err);
			if (d == TAR_DATA_DAMAGED)
			{
				/* the damage itself is rejected by the loading pass; this entry was never read */
				set_text(a->why, sizeof(a->why), "%s", err.reason[0] ? err.reason : "the archive is damaged here");
				a->sqlstate = err.sqlstate ? err.sqlstate : SQLSTATE_IO_ERROR;
				break;
			}
			if (d != TAR_DATA_OK || data.len > MAX_AUX_ENTRY)
			{
				set_text(a->why, sizeof(a->why), "%s", d != TAR_DATA_OK ? err.reason : "larger than 64 MB");
				a->sqlstate = d != TAR_DATA_OK && err.sqlstate ? err.sqlstate : SQLSTATE_TOO_LARGE;
			}
			else if (!check_utf8(data.data ? data.data : "", data.len, &err))
			{
				set_text(a->why, sizeof(a->why), "%s", err.reason);
				a->sqlstate = SQLSTATE_BAD_ENCODING;
			}
			else
			{
				char	   *text = malloc(data.len + 1);

				if (text == NULL)
					goto oom;
				memcpy(text, data.data ? data.data : "", data.len);
				text[data.len] = '\0';
				a->aux.present = true;
				a->aux.text = text;
				a->aux.len = data.len;
				if (!ml_aux_judge(&a->aux))
					goto oom;
			}
			buf_trim(&data);
		}
	}
	tar_close(r);
	r = NULL;
	buf_free(&data);
	if (t->nnames > 1)
		qsort(t->names, t->nnames, sizeof(char *), cmp_str);
	if (t->naux > 1)
		qsort(t->aux, t->naux, sizeof(TarAux), cmp_aux);

	/* submitter folders: P with entries under P/results/ and P/systems/ (the first such P of a name) */
	for (i = 0; i < t->nnames; i++)
	{
		const char *name = t->names[i];
		size_t		pos = 0;

		for (;;)
		{
			size_t		plen;
			char	   *sys;

			if (pos == 0 && strncmp(name, "results/", 8) == 0)
			{
				plen = 0;
				pos = 7;
			}
			else
			{
				const char *hit = strstr(name + pos, "/results/");

				if (hit == NULL)
					break;
				plen = (size_t) (hit - name);
				pos = plen + 8;
			}
			if ((sys = malloc(plen + 10)) == NULL)
				goto oom;
			memcpy(sys, name, plen);
			strcpy(sys + plen, plen ? "/systems/" : "systems/");
			if (!has_prefix(t, sys))
			{
				free(sys);
				continue;
			}
			sys[plen] = '\0';
			if (t->nsubs > 0 && strcmp(t->subs[t->nsubs - 1], sys) == 0)
				free(sys);
			else if (!push_str(&t->subs, &t->nsubs, &scap, sys))
				goto oom;
			break;
		}
	}
	if (t->nsubs > 1)
	{
		size_t		k = 0;

		/* names sorted: equal prefixes are mostly adjacent; sort and drop the repeats */
		qsort(t->subs, t->nsubs, sizeof(char *), cmp_str);
		for (i = 0; i < t->nsubs; i++)
		{
			if (k > 0 && strcmp(t->subs[k - 1], t->subs[i]) == 0)
				free(t->subs[i]);
			else
				t->subs[k++] = t->subs[i];
		}
		t->nsubs = k;
	}
	return t;
oom:
	*oom = true;
	if (r)
		tar_close(r);
	buf_free(&data);
	ml_tar_free(t);
	return NULL;
}

/* the length of the submitter folder an entry is in (0: the root), -1 when it is in none */
long
ml_tar_sub(const TarMl *t, const char *name)
{
	size_t		i;
	long		best = -1;

	if (t == NULL)
		return -1;
	for (i = 0; i < t->nsubs; i++)
	{
		size_t		n = strlen(t->subs[i]);

		/* the outermost one: a submitter folder is not looked for inside another */
		if ((n == 0 || (strncmp(name, t->subs[i], n) == 0 && name[n] == '/')) &&
			(best < 0 || (long) n < best))
			best = (long) n;
	}
	return best;
}

bool
ml_tar_any(const TarMl *t)
{
	return t != NULL && t->nsubs > 0;
}

/* the aux entry of that name: NULL when there is none; why (and sqlstate) say why it is not present */
const MlAux *
ml_tar_aux(const TarMl *t, const char *name, const char **why, const char **sqlstate)
{
	TarAux		key;
	TarAux	   *a;

	*why = NULL;
	*sqlstate = NULL;
	if (t == NULL || t->naux == 0)
		return NULL;
	key.name = (char *) name;
	a = bsearch(&key, t->aux, t->naux, sizeof(TarAux), cmp_aux);
	if (a == NULL)
		return NULL;
	if (!a->aux.present)
	{
		*why = a->why;
		*sqlstate = a->sqlstate;
	}
	return &a->aux;
}

void
ml_tar_free(TarMl *t)
{
	size_t		i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nnames; i++)
		free(t->names[i]);
	for (i = 0; i < t->nsubs; i++)
		free(t->subs[i]);
	for (i = 0; i < t->naux; i++)
	{
		free(t->aux[i].name);
		free((char *) t->aux[i].aux.text);
	}
	free(t->names);
	free(t->subs);
	free(t->aux);
	free(t);
}
