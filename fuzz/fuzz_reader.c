/*
 * fuzz/fuzz_reader.c -- libFuzzer harness for dlpg-load's file readers (loader/readers.c):
 * gzip (zlib), tar.gz archives entry by entry (libarchive), the UTF-8 check, plain files.
 * No database: it calls the functions loader/walk.c calls, the way it calls them.
 *
 * Input: byte 0 chooses what the rest is (mode = (byte0 & 7) % 5; the other bits are knobs):
 *   0  a .gz file: gunzip_memory, and gunzip_file on the same bytes as a file (memfd), must
 *      agree (same result, same text or same reason); the text goes through check_utf8
 *      (mode 3 compares the two as well; archive entries use gunzip_memory only, as walk.c)
 *   1  a .tar.gz file: tar_open / tar_next / tar_read_data as load_archive does (entries whose
 *      name is not .log/.json/.log.gz/.json.gz are not read; TAR_DATA_BAD_ENTRY skips an
 *      entry, TAR_DATA_DAMAGED stops), .gz entries gunzipped, every text through check_utf8
 *   2  a tar stream: gzipped here (level from the knobs), then as 1, so the fuzzer edits the tar
 *      headers themselves rather than deflate data
 *   3  round trip: the rest is gzipped here as 1..4 members, sometimes followed by trailing
 *      bytes that do not start another member; gunzip_memory must give the rest back exactly
 *   4  round trip: an archive is built here from a recipe in the rest (entries of every
 *      kind: .log, .json, .log.gz, .json.gz, other names, directories, hard links, names
 *      longer than 100 bytes, entries up to ~280 kB); the readers must list exactly the
 *      regular files, in order, with exactly their contents (.gz entries decompressed)
 * In every mode, read_plain_file gives the input back, and check_utf8 agrees with an
 * independent check of PostgreSQL's rules (pg_utf8_islegal, and no NUL) on the input and on
 * every text, including the byte offset and line it reports.
 *
 * Failures of the readers must come with a SQLSTATE and a reason; nothing may crash, leak,
 * read or write out of bounds (ASan, UBSan).
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "dlpg_load.h"

#define FUZZ_NAME "fuzz_reader"
#include "fuzz_common.h"


#define MAX_ENTRIES 2000

/* two files in memory: an archive (tar_open reopens it by path), and a .gz or plain file */
static int memfd = -1;
static char mempath[64];
static int gzfd = -1;
static char gzpath[64];

/* The bytes as the content of the file fd (mempath or gzpath). */
static void
set_file(int fd, const void *data, size_t n)
{
	const char *p = data;
	size_t		done = 0;

	if (ftruncate(fd, 0) != 0)
		FAIL("ftruncate: %m");
	while (done < n)
	{
		ssize_t		w = pwrite(fd, p + done, n - done, (off_t) done);

		if (w <= 0)
			FAIL("pwrite: %m");
		done += (size_t) w;
	}
}

/* ------------------------------------------------------------------ growable bytes */

static void
bytes_zero(GrowBuf *b, size_t k)
{
	static const unsigned char zeros[512];

	while (k > 0)
	{
		size_t		m = k < sizeof(zeros) ? k : sizeof(zeros);

		grow_put(b, zeros, m);
		k -= m;
	}
}

/* Append one gzip member holding [s, s + n).  One deflater per level, reused (it is big). */
static void
gzip_member(GrowBuf *out, const unsigned char *s, size_t n, int level)
{
	static z_stream deflaters[10];
	static bool ready[10];
	z_stream   *zs = &deflaters[level];
	unsigned char chunk[16384];
	int			ret;

	if (!ready[level])
	{
		if (deflateInit2(zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			FAIL("deflateInit2");
		ready[level] = true;
	}
	else if (deflateReset(zs) != Z_OK)
		FAIL("deflateReset");
	zs->next_in = (unsigned char *) s;
	zs->avail_in = (uInt) n;
	do
	{
		zs->next_out = chunk;
		zs->avail_out = sizeof(chunk);
		ret = deflate(zs, Z_FINISH);
		if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
			FAIL("deflate: %d", ret);
		grow_put(out, chunk, sizeof(chunk) - zs->avail_out);
	} while (ret != Z_STREAM_END);
}

/* ------------------------------------------------------------------ UTF-8, independently */

/* Offset of the first byte that is not valid UTF-8 by PostgreSQL's rules (NUL included), or n. */
static size_t
ref_utf8(const unsigned char *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		unsigned char c = s[i];
		unsigned char lo = 0x80;
		unsigned char hi = 0xBF;
		size_t		k;

		if (c == 0)
			return i;
		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 2;
		else if (c >= 0xE0 && c <= 0xEF)
		{
			k = 3;
			if (c == 0xE0)
				lo = 0xA0;
			if (c == 0xED)
				hi = 0x9F;
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			k = 4;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F;
		}
		else
			return i;
		if (n - i < k || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t j = 2; j < k; j++)
			if (s[i + j] < 0x80 || s[i + j] > 0xBF)
				return i;
		i += k;
	}
	return n;
}

static void
check_text(const char *data, size_t len)
{
	ReadError	err;
	size_t		bad = ref_utf8((const unsigned char *) data, len);
	bool		ok;

	memset(&err, 0, sizeof(err));
	ok = check_utf8(data, len, &err);
	if (ok != (bad == len))
		FAIL("check_utf8 says %s for %zu bytes; the first invalid byte is at %zu", ok ? "valid" : "invalid",
			 len, bad);
	if (!ok)
	{
		static const char reason[] = "invalid byte sequence for encoding \"UTF8\": 0x";
		size_t		line = 1;
		char		want[128];

		if (err.sqlstate == NULL || strcmp(err.sqlstate, SQLSTATE_BAD_ENCODING) != 0 ||
			strncmp(err.reason, reason, sizeof(reason) - 1) != 0)
			FAIL("check_utf8: sqlstate %s, reason \"%s\"", err.sqlstate ? err.sqlstate : "NULL", err.reason);
		for (size_t j = 0; j < bad; j++)
			if (data[j] == '\n')
				line++;
		snprintf(want, sizeof(want), "line %zu, byte offset %zu:", line, bad);
		if (strncmp(err.detail, want, strlen(want)) != 0)
			FAIL("check_utf8 detail \"%s\", expected it to start with \"%s\"", err.detail, want);
	}
}

/* ------------------------------------------------------------------ readers */

/*
 * The readers' output buffers live from one input to the next and are trimmed after each
 * use (buf_trim), as dlpg-load's Loader.raw and Loader.text are.
 */
static struct
{
	Buf			raw;
	Buf			text;
	Buf			other;
	Buf			out;
	Buf			plain;
} bufs;

static void
check_error(const ReadError *err, const char *what)
{
	if (err->sqlstate == NULL || strlen(err->sqlstate) != 5 || err->reason[0] == '\0')
		FAIL("%s failed without a SQLSTATE and a reason (sqlstate %s, reason \"%s\")", what,
			 err->sqlstate ? err->sqlstate : "NULL", err->reason);
}

static void
check_buf(const Buf *b, const char *what)
{
	if (b->len > 0 && b->data == NULL)
		FAIL("%s: %zu bytes but no data", what, b->len);
	if (b->data != NULL && (b->len >= b->cap || b->data[b->len] != '\0'))
		FAIL("%s: %zu bytes, capacity %zu, not NUL-terminated", what, b->len, b->cap);
}

/*
 * gunzip_memory, and (with both) gunzip_file on the same bytes; out gets the text when they
 * succeed.
 */
static bool
check_gunzip(const unsigned char *data, size_t n, Buf *out, bool both)
{
	ReadError	e1;
	ReadError	e2;
	Buf		   *other = &bufs.other;
	bool		ok1;
	bool		ok2;

	memset(&e1, 0, sizeof(e1));
	memset(&e2, 0, sizeof(e2));
	ok1 = gunzip_memory((const char *) data, n, out, &e1);
	check_buf(out, "gunzip_memory");
	if (!ok1)
	{
		check_error(&e1, "gunzip_memory");
		if (out->len != 0)
			FAIL("gunzip_memory failed but left %zu bytes", out->len);
	}
	if (!both)
		return ok1;
	set_file(gzfd, data, n);
	ok2 = gunzip_file(gzpath, other, &e2);
	check_buf(other, "gunzip_file");
	if (!ok2)
		check_error(&e2, "gunzip_file");
	if (ok1 != ok2 || (ok1 && (out->len != other->len || memcmp(out->data, other->data, out->len) != 0)) ||
		(!ok1 && strcmp(e1.reason, e2.reason) != 0))
		FAIL("gunzip_memory: %s (%zu bytes, \"%s\"); gunzip_file: %s (%zu bytes, \"%s\")",
			 ok1 ? "ok" : "failed", out->len, e1.reason, ok2 ? "ok" : "failed", other->len, e2.reason);
	buf_trim(other);
	return ok1;
}

typedef struct Expected
{
	char	   *name;
	FileKind	kind;
	unsigned char *content;		/* what the entry holds once read (and gunzipped) */
	size_t		len;
} Expected;

/*
 * Walk the archive at mempath as load_archive does.  With expect (nexpect entries), the
 * regular files listed and their contents must be exactly those.
 */
static void
walk_archive(const Expected *expect, int nexpect)
{
	ReadError	err;
	TarReader  *t;
	Buf		   *raw = &bufs.raw;
	Buf		   *text = &bufs.text;
	int			nentries = 0;

	memset(&err, 0, sizeof(err));
	t = tar_open(mempath, &err);
	if (t == NULL)
	{
		check_error(&err, "tar_open");
		if (expect)
			FAIL("tar_open refused an archive built here: %s", err.reason);
		return;
	}
	for (;;)
	{
		const char *name = NULL;
		TarNext		r;
		TarData		td;
		FileKind	kind;

		memset(&err, 0, sizeof(err));
		r = tar_next(t, &name, &err);
		if (r == TAR_END)
			break;
		if (r == TAR_ERROR)
		{
			check_error(&err, "tar_next");
			if (expect)
				FAIL("tar_next failed on an archive built here: %s (%s)", err.reason, err.detail);
			break;
		}
		if (r == TAR_HARD_LINK)
		{
			if (name == NULL)
				FAIL("tar_next: an entry with no name");
			continue;
		}
		if (r == TAR_NOT_REGULAR)
		{
			/* a link or device entry: never read, err says what it is */
			check_error(&err, "tar_next");
			if (name == NULL)
				FAIL("tar_next: an entry with no name");
			continue;
		}
		if (r != TAR_ENTRY)
			FAIL("tar_next returned %d", (int) r);
		if (name == NULL)
			FAIL("tar_next: an entry with no name");
		if (expect)
		{
			if (nentries >= nexpect)
				FAIL("tar_next: entry %d \"%s\", but only %d regular files were put in", nentries + 1,
					 name, nexpect);
			if (strcmp(name, expect[nentries].name) != 0)
				FAIL("tar_next: entry %d is \"%s\", expected \"%s\"", nentries + 1, name, expect[nentries].name);
		}
		if (++nentries > MAX_ENTRIES)
			break;
		kind = classify_name(name);
		if (kind == KIND_OTHER || kind == KIND_TGZ)
			continue;			/* as load_archive: not read */
		td = tar_read_data(t, raw, &err);
		if (td == TAR_DATA_DAMAGED || td == TAR_DATA_BAD_ENTRY)
		{
			/* as load_archive: a damaged archive stops the walk, a bad entry is skipped */
			check_error(&err, "tar_read_data");
			if (raw->len != 0)
				FAIL("tar_read_data failed but left %zu bytes", raw->len);
			if (expect)
				FAIL("tar_read_data failed on an archive built here: %s", err.reason);
			if (td == TAR_DATA_DAMAGED)
				break;
			continue;
		}
		if (td != TAR_DATA_OK)
			FAIL("tar_read_data returned %d", (int) td);
		check_buf(raw, "tar_read_data");
		if (kind_is_gz(kind))
		{
			bool		ok = check_gunzip((const unsigned char *) (raw->data ? raw->data : ""), raw->len, text, false);

			if (expect && !ok)
				FAIL("entry \"%s\": gzip data built here refused", name);
			if (ok)
				check_text(text->data ? text->data : "", text->len);
			if (expect && (text->len != expect[nentries - 1].len ||
						   (text->len && memcmp(text->data, expect[nentries - 1].content, text->len) != 0)))
				FAIL("entry \"%s\": %zu bytes after gunzip, expected %zu", name, text->len, expect[nentries - 1].len);
		}
		else
		{
			check_text(raw->data ? raw->data : "", raw->len);
			if (expect && (raw->len != expect[nentries - 1].len ||
						   (raw->len && memcmp(raw->data, expect[nentries - 1].content, raw->len) != 0)))
				FAIL("entry \"%s\": %zu bytes read, expected %zu", name, raw->len, expect[nentries - 1].len);
		}
		buf_trim(text);
		buf_trim(raw);
	}
	if (expect && nentries != nexpect)
		FAIL("the archive lists %d regular files, %d were put in", nentries, nexpect);
	tar_close(t);
	buf_trim(raw);
	buf_trim(text);
}

/* ------------------------------------------------------------------ building a tar */

static void
octal(char *field, size_t width, unsigned long long v)
{
	/* width - 1 octal digits and a NUL */
	field[width - 1] = '\0';
	for (size_t i = width - 1; i-- > 0; v >>= 3)
		field[i] = (char) ('0' + (v & 7));
}

static void
tar_header(GrowBuf *out, const char *prefix, const char *name, char type, const char *link, size_t size)
{
	unsigned char h[512];
	unsigned	sum = 0;

	memset(h, 0, sizeof(h));
	memcpy(h, name, strlen(name));	/* <= 100 */
	octal((char *) h + 100, 8, 0644);
	octal((char *) h + 108, 8, 0);
	octal((char *) h + 116, 8, 0);
	octal((char *) h + 124, 12, size);
	octal((char *) h + 136, 12, 1700000000);
	h[156] = (unsigned char) type;
	if (link)
		memcpy(h + 157, link, strlen(link));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	if (prefix)
		memcpy(h + 345, prefix, strlen(prefix));	/* <= 155 */
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	octal((char *) h + 148, 7, sum);
	h[155] = ' ';
	grow_put(out, h, 512);
}

static void
tar_file(GrowBuf *out, const char *prefix, const char *name, const unsigned char *data, size_t n)
{
	tar_header(out, prefix, name, '0', NULL, n);
	grow_put(out, data, n);
	bytes_zero(out, (512 - n % 512) % 512);
}


/*
 * Mode 4: per entry, a spec byte (kind in bits 0-2: .log, .json, .log.gz, .json.gz, .txt, a
 * directory, a hard link, .tgz; bits 3, 6 and 7 all set: the content repeated 1100 times, to
 * hundreds of kB; bit 4: upper-case extension; bit 5: a name longer than 100 bytes, with a
 * ustar prefix), a length byte and that many content bytes.
 */
static void
check_built_archive(const uint8_t *data, size_t size, int level)
{
	static const char *ext[] = {".log", ".json", ".log.gz", ".json.gz", ".txt", "", "", ".tgz"};
	Recipe		r = {data, size};
	static GrowBuf tar;			/* reused from one input to the next */
	static GrowBuf gz;
	Expected	expect[64];
	int			nexpect = 0;
	char		last_regular[160] = "";

	tar.n = gz.n = 0;
	for (int i = 0; r.n > 0 && i < 64; i++)
	{
		uint8_t		spec = take8(&r);
		uint8_t		clen = take8(&r);
		int			kind = spec & 7;
		unsigned char *content;
		size_t		len = clen;
		char		name[101];
		char		prefix[156];
		char		full[260];
		const char *pre = NULL;

		if (clen > r.n)
			len = clen = (uint8_t) r.n;
		if ((spec & 0xC8) == 0xC8 && kind <= 4)
			len = (size_t) clen * 1100;	/* up to ~280 kB: past the readers' 256 kB steps */
		content = xmalloc(len);
		if (clen > 0)
		{
			/* the content bytes, repeated */
			size_t		have = clen;

			memcpy(content, r.p, clen);
			while (have < len)
			{
				size_t		k = have <= len - have ? have : len - have;

				memcpy(content + have, content, k);
				have += k;
			}
		}
		r.p += clen;
		r.n -= clen;

		snprintf(name, sizeof(name), "e%d%s", i, ext[kind]);
		if (spec & 16)
			for (char *c = strchr(name, '.'); c && *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char) (*c - 'a' + 'A');
		if (spec & 32)
		{
			/* 120 bytes of folders in the prefix: the full name is longer than 100 */
			memset(prefix, 'p', 120);
			prefix[40] = prefix[80] = '/';
			prefix[120] = '\0';
			pre = prefix;
			snprintf(full, sizeof(full), "%s/%s", prefix, name);
		}
		else
			snprintf(full, sizeof(full), "%s", name);

		if (kind == 5)
		{
			/* a directory: not listed */
			char		dname[101];

			snprintf(dname, sizeof(dname), "d%d/", i);
			tar_header(&tar, pre, dname, '5', NULL, 0);
			free(content);
			continue;
		}
		if (kind == 6)
		{
			/* a hard link to the last regular file: not listed */
			if (last_regular[0] != '\0')
				tar_header(&tar, pre, name, '1', last_regular, 0);
			free(content);
			continue;
		}
		if (kind == 2 || kind == 3)
		{
			static GrowBuf member;

			member.n = 0;
			gzip_member(&member, content, len, level);
			tar_file(&tar, pre, name, member.p, member.n);
		}
		else
			tar_file(&tar, pre, name, content, len);
		if (strlen(full) < 100)
			snprintf(last_regular, sizeof(last_regular), "%s", full);
		expect[nexpect].name = strdup(full);
		expect[nexpect].kind = classify_name(full);
		expect[nexpect].content = content;
		expect[nexpect].len = len;
		if (expect[nexpect].name == NULL)
			FAIL("out of memory");
		nexpect++;
	}
	bytes_zero(&tar, 1024);
	gzip_member(&gz, tar.p ? tar.p : (const unsigned char *) "", tar.n, level);
	set_file(memfd, gz.p, gz.n);
	walk_archive(expect, nexpect);
	for (int i = 0; i < nexpect; i++)
	{
		free(expect[i].name);
		free(expect[i].content);
	}
}

/* Mode 3: gzip the bytes as 1..4 members, maybe with trailing bytes; gunzip gives them back. */
static void
check_gzip_round_trip(const uint8_t *data, size_t size, uint8_t knobs)
{
	static GrowBuf gz;			/* reused from one input to the next */
	Buf		   *out = &bufs.out;
	int			members = 1 + (knobs & 3);
	int			level = (knobs >> 2) % 10;
	size_t		done = 0;

	gz.n = 0;
	for (int m = 0; m < members; m++)
	{
		size_t		upto = m == members - 1 ? size : size * (size_t) (m + 1) / (size_t) members;

		gzip_member(&gz, data + done, upto - done, level);
		done = upto;
	}
	if (knobs & 16)
	{
		static const char trailing[] = "\0trailing bytes, not a gzip member\n";

		grow_put(&gz, trailing, sizeof(trailing) - 1);
	}
	if (!check_gunzip(gz.p, gz.n, out, true))
		FAIL("gunzip refused %d gzip member(s) of %zu bytes made here%s", members, size,
			 (knobs & 16) ? ", followed by trailing bytes" : "");
	if (out->len != size || (size && memcmp(out->data, data, size) != 0))
		FAIL("gunzip gave %zu bytes back for %zu gzipped", out->len, size);
	buf_trim(out);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	memfd = memfd_create("fuzz_reader", MFD_CLOEXEC);
	if (memfd < 0)
		FAIL("memfd_create: %m");
	snprintf(mempath, sizeof(mempath), "/proc/self/fd/%d", memfd);
	gzfd = memfd_create("fuzz_reader_gz", MFD_CLOEXEC);
	if (gzfd < 0)
		FAIL("memfd_create: %m");
	snprintf(gzpath, sizeof(gzpath), "/proc/self/fd/%d", gzfd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		opts;
	uint8_t		knobs;
	unsigned char *rest;
	size_t		n;

	if (size < 1)
		return 0;
	opts = data[0];
	knobs = opts >> 3;
	n = size - 1;
	rest = xmalloc(n);			/* exact size: ASan reports a read past the input */
	memcpy(rest, data + 1, n);

	check_text((const char *) rest, n);
	{
		Buf		   *plain = &bufs.plain;
		ReadError	err;

		set_file(gzfd, rest, n);
		memset(&err, 0, sizeof(err));
		if (!read_plain_file(gzpath, plain, &err))
			FAIL("read_plain_file: %s", err.reason);
		check_buf(plain, "read_plain_file");
		if (plain->len != n || (n && memcmp(plain->data, rest, n) != 0))
			FAIL("read_plain_file gave %zu bytes for %zu", plain->len, n);
		buf_trim(plain);
	}

	switch ((opts & 7) % 5)
	{
		case 0:
			{
				Buf		   *text = &bufs.text;

				if (check_gunzip(rest, n, text, true))
					check_text(text->data ? text->data : "", text->len);
				buf_trim(text);
			}
			break;
		case 1:
			set_file(memfd, rest, n);
			walk_archive(NULL, 0);
			break;
		case 2:
			{
				static GrowBuf gz;	/* reused from one input to the next */

				gz.n = 0;
				gzip_member(&gz, rest, n, knobs % 10);
				set_file(memfd, gz.p, gz.n);
				walk_archive(NULL, 0);
			}
			break;
		case 3:
			check_gzip_round_trip(rest, n, knobs);
			break;
		case 4:
			check_built_archive(rest, n, 1 + knobs % 9);
			break;
	}
	free(rest);
	return 0;
}
