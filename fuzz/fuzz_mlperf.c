/*
 * fuzz/fuzz_mlperf.c -- libFuzzer harness for dlpg-load's MLPerf inputs (loader/mlperf.c): the
 * JSON string escaper, the embedding of system descriptions, and the path rules. No database,
 * no files: the functions loader/walk.c calls, on the fuzzer's bytes.
 *
 * Input: byte 0 chooses the mode (byte0 & 3), the rest is the data:
 *   0  json_put_string of the data: the output is one JSON string for the extension's JSON
 *      reader (src/core/json_syntax.c, which judges as jsonb_in) whenever the data has no NUL
 *      byte, and it decodes to the data exactly when the data is UTF-8 (check_utf8); otherwise
 *      to UTF-8 text (the bytes that are not written \xNN)
 *   1  the data cut in two at byte 1 of the rest (a result's text, a system description):
 *      ml_build_training and ml_build_inference must give one JSON value that the reader takes
 *      at the server's depth limit (DLPG_MAX_JSON_DEPTH), the system embedded as it is exactly
 *      when json_text_valid says it is JSON
 *   2  the data as a path (up to its first NUL): ml_role's system and folder lie inside it,
 *      ml_prefix and ml_result_path give strings that are no longer than their inputs allow
 *   3  the data as an archive file (a tar stream, gzipped or not): ml_tar_scan's names pass,
 *      then the archive walked again as load_archive walks it: every entry below a results/ or
 *      systems/ folder is known to ml_tar_has, a submitter folder ml_tar_sub names is a prefix
 *      of the entry, every systems/<x>.json is found by ml_tar_aux
 * Nothing may crash, leak, or read or write out of bounds (ASan, UBSan).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlpg_load.h"
#include "json_syntax.h"

#define FUZZ_NAME "fuzz_mlperf"
#include "fuzz_common.h"

/* loader/dlpg_load.c's, which mlperf.c reads (the tar pass stops on a signal) */
volatile sig_atomic_t interrupted = 0;

/* what the reader saw: the first string value, and how many values of each kind */
typedef struct Seen
{
	char	   *str;
	int			len;
	int			strings;
	int			events;
	char	   *scratch;
} Seen;

static void
on_event(void *arg, JsonEventType type, char *text, int len)
{
	Seen	   *s = arg;

	s->events++;
	if (type == JSON_EV_STRING && s->strings++ == 0)
	{
		s->str = xmalloc((size_t) len + 1);
		memcpy(s->str, text, (size_t) len);
		s->len = len;
	}
}

static void *
on_alloc(void *arg, size_t size)
{
	Seen	   *s = arg;

	(void) size;
	return s->scratch;
}

/* read a JSON text with the extension's reader */
static JsonReadResult
read_json(const Buf *b, int depth, Seen *seen)
{
	JsonSink	sink = {seen, on_event, on_alloc};
	char	   *copy = xmalloc(b->len + 1);
	JsonReadResult r;

	memset(seen, 0, sizeof(*seen));
	seen->scratch = xmalloc(b->len + 1);
	memcpy(copy, b->data ? b->data : "", b->len);
	r = json_read_value(copy, (int) b->len, depth, true, &sink);
	free(copy);
	free(seen->scratch);
	return r;
}

static void
escaper(const uint8_t *d, size_t n)
{
	Buf			out = {0};
	Seen		seen;
	ReadError	err;
	bool		utf8 = check_utf8((const char *) d, n, &err);
	JsonReadResult r;

	if (!json_put_string(&out, (const char *) d, n))
		FAIL("json_put_string: out of memory for %zu bytes", n);
	r = read_json(&out, 10, &seen);
	if (memchr(d, 0, n) == NULL)
	{
		if (r != JSON_READ_OK || seen.strings != 1 || seen.events != 1)
			FAIL("json_put_string of %zu bytes is not one JSON string (%d)", n, (int) r);
		if (utf8 && (seen.len != (int) n || memcmp(seen.str, d, n) != 0))
			FAIL("json_put_string of %zu UTF-8 bytes decodes to %d other bytes", n, seen.len);
		if (!check_utf8(seen.str, (size_t) seen.len, &err))
			FAIL("json_put_string decodes to text that is not UTF-8: %s", err.reason);
	}
	free(seen.str);
	buf_free(&out);
}

static void
builders(const uint8_t *d, size_t n)
{
	uint8_t		k = n > 0 ? d[0] : 0;
	size_t		cut = k % (n + 1);
	const char *result = (const char *) d;
	const char *system = (const char *) d + cut;
	size_t		slen = n - cut;
	ReadError	err;
	MlAux		sys = {0};
	MlAux		detail = {0};
	Buf			out = {0};
	Seen		seen;
	int			v;

	/* the loader only ever builds from UTF-8 texts (others are rejected before) */
	if (!check_utf8(result, cut, &err) || !check_utf8(system, slen, &err))
		return;
	sys.present = slen > 0 || (k & 1);
	sys.text = system;
	sys.len = slen;
	if (!ml_aux_judge(&sys))
		FAIL("ml_aux_judge: out of memory");
	v = json_text_valid(system, slen);
	if (sys.present && sys.valid_json != (v == 1))
		FAIL("ml_aux_judge and json_text_valid disagree");
	if (!ml_build_training(&out, "repo/Sub/results/s/b/result_0.txt", result, cut, &sys, &sys))
		FAIL("ml_build_training: out of memory");
	if (read_json(&out, DLPG_MAX_JSON_DEPTH, &seen) != JSON_READ_OK)
		FAIL("ml_build_training gave text that is not JSON (system valid_json %d)", (int) sys.valid_json);
	free(seen.str);
	detail.present = (k & 2) != 0;
	detail.text = system;
	detail.len = slen;
	if (!ml_build_inference(&out, "p", result, cut, &detail, &sys))
		FAIL("ml_build_inference: out of memory");
	if (read_json(&out, DLPG_MAX_JSON_DEPTH, &seen) != JSON_READ_OK)
		FAIL("ml_build_inference gave text that is not JSON");
	free(seen.str);
	buf_free(&out);
}

static void
paths(const uint8_t *d, size_t n)
{
	char	   *p = xmalloc(n + 1);
	const char *sys = NULL;
	size_t		syslen = 0;
	size_t		flen = 0;
	size_t		len;
	MlRole		role;
	char	   *pre;
	char	   *res;

	memcpy(p, d, n);
	p[n] = '\0';
	len = strlen(p);
	role = ml_role(p, &sys, &syslen, &flen);
	if (role != ML_PART && (sys < p || sys + syslen > p + len || flen > len || syslen == 0))
		FAIL("ml_role: system or folder outside the path");
	pre = ml_prefix(p, n > 0 && (d[0] & 4) != 0);
	if (pre == NULL || strlen(pre) > len)
		FAIL("ml_prefix: %s", pre ? "longer than the path" : "NULL");
	res = ml_result_path(pre, p, role == ML_PART ? len : flen);
	if (res != NULL && strlen(res) > strlen(pre) + len + 1)
		FAIL("ml_result_path: longer than prefix and path");
	free(res);
	free(pre);
	free(p);
}

/* <anything>/systems/<x>.json or systems/<x>.json */
static bool
in_systems_folder(const char *name)
{
	const char *base = strrchr(name, '/');
	size_t		n = strlen(name);

	if (base == NULL || n < 5 || strcmp(name + n - 5, ".json") != 0 || strlen(base + 1) <= 5)
		return false;
	if (base - name == 7)
		return strncmp(name, "systems", 7) == 0;
	return base - name > 7 && strncmp(base - 8, "/systems", 8) == 0;
}

static void
archive(const uint8_t *d, size_t n)
{
	static int	fd = -1;
	static char path[64];
	size_t		done = 0;
	bool		oom = false;
	TarMl	   *tm;
	TarReader  *t;
	ReadError	err;

	if (fd < 0)
	{
		fd = memfd_create("fuzz_mlperf", MFD_CLOEXEC);
		if (fd < 0)
			FAIL("memfd_create: %m");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0)
		FAIL("ftruncate: %m");
	while (done < n)
	{
		ssize_t		w = pwrite(fd, d + done, n - done, (off_t) done);

		if (w <= 0)
			FAIL("pwrite: %m");
		done += (size_t) w;
	}
	tm = ml_tar_scan(path, &oom);
	if (oom)
		FAIL("ml_tar_scan: out of memory");
	t = tar_open(path, &err);
	if ((t == NULL) != (tm == NULL))
		FAIL("ml_tar_scan and tar_open disagree on whether the archive opens");
	while (t != NULL)
	{
		const char *name = NULL;
		const char *norm;
		TarNext		r = tar_next(t, &name, &err);
		long		sub;

		if (r == TAR_END || r == TAR_ERROR)
			break;
		if (r != TAR_ENTRY)
			continue;
		norm = ml_tar_norm(name);
		sub = ml_tar_sub(tm, norm);
		if (sub > 0 && ((size_t) sub >= strlen(norm) || norm[sub] != '/'))
			FAIL("ml_tar_sub: %ld is not a folder of \"%s\"", sub, norm);
		if ((strncmp(norm, "results/", 8) == 0 || strstr(norm, "/results/") ||
			 strncmp(norm, "systems/", 8) == 0 || strstr(norm, "/systems/")) && tm && !ml_tar_has(tm, norm))
			FAIL("ml_tar_has: \"%s\" not known", norm);
		if (tm && in_systems_folder(norm))
		{
			const char *why;
			const char *state;

			if (ml_tar_aux(tm, norm, &why, &state) == NULL)
				FAIL("ml_tar_aux: \"%s\" not kept", norm);
		}
		/* the data as load_archive reads it */
		{
			Buf			b = {0};

			if (tar_read_data(t, &b, &err) == TAR_DATA_DAMAGED)
			{
				buf_free(&b);
				break;
			}
			buf_free(&b);
		}
	}
	tar_close(t);
	ml_tar_free(tm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] & 3)
	{
		case 0:
			escaper(data + 1, size - 1);
			break;
		case 1:
			builders(data + 1, size - 1);
			break;
		case 2:
			paths(data + 1, size - 1);
			break;
		default:
			archive(data + 1, size - 1);
			break;
	}
	return 0;
}
