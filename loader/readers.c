/*
 * readers.c -- what a file holds, as text: plain files, gzip (zlib), tar.gz archives entry by
 * entry (libarchive), and the UTF-8 check done before anything is sent.
 *
 * Every reader fills a caller-owned Buf (reused from one input to the next, so one input is in
 * memory at a time) or says why it could not, in a ReadError: the reason, a detail (what and
 * where) and the SQLSTATE that dlpg.rejects gets.
 */
#include "dlpg_load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#define READ_CHUNK 65536
#define MB(x) ((double) (x) / (1024.0 * 1024.0))

/* ------------------------------------------------------------------ buffers */

void
buf_reset(Buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(Buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Room for extra more bytes plus a terminating NUL; false when out of memory. */
bool
buf_reserve(Buf *b, size_t extra)
{
	size_t		need;
	size_t		cap;
	char	   *p;

	if (extra > SIZE_MAX - b->len - 1)
		return false;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 8192;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return false;
	b->data = p;
	b->cap = cap;
	return true;
}

/* Bytes that can still be written before the terminating NUL. */
static size_t
buf_room(const Buf *b)
{
	return b->cap > b->len ? b->cap - b->len - 1 : 0;
}

/* After a large input: give the memory back, so one huge file does not stay resident. */
void
buf_trim(Buf *b)
{
	if (b->cap > (size_t) 16 * 1024 * 1024)
		buf_free(b);
	else
		buf_reset(b);
}

/* ------------------------------------------------------------------ names */

static bool
ends_with(const char *s, size_t n, const char *suffix)
{
	size_t		k = strlen(suffix);

	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

/* By the name's extension (ASCII case ignored). The name may be a path. */
FileKind
classify_name(const char *name)
{
	size_t		n = strlen(name);

	if (ends_with(name, n, ".tar.gz") || ends_with(name, n, ".tgz"))
		return KIND_TGZ;
	if (ends_with(name, n, ".log.gz"))
		return KIND_LOG_GZ;
	if (ends_with(name, n, ".json.gz"))
		return KIND_JSON_GZ;
	if (ends_with(name, n, ".log"))
		return KIND_LOG;
	if (ends_with(name, n, ".json"))
		return KIND_JSON;
	return KIND_OTHER;
}

/*
 * The server's input format (a name of dlpg.sources()) a file of this kind is loaded as; NULL
 * for archives and other files. The MLPerf kinds come from a file's place in a tree (walk.c).
 */
const char *
kind_format(FileKind k)
{
	switch (k)
	{
		case KIND_LOG:
		case KIND_LOG_GZ:
			return "dlbs_log";
		case KIND_JSON:
		case KIND_JSON_GZ:
			return "dlbs_json";
		case KIND_MLPERF_TRAINING:
			return "mlperf_training";
		case KIND_MLPERF_INFERENCE:
			return "mlperf_inference";
		default:
			return NULL;
	}
}

bool
kind_is_gz(FileKind k)
{
	return k == KIND_LOG_GZ || k == KIND_JSON_GZ;
}

/* ------------------------------------------------------------------ errors */

/*
 * snprintf into a reason or detail that never cuts inside a UTF-8 character: text that does not
 * fit ends at the last whole character before the limit, then "...". (A cut character would
 * reach dlpg.rejects as \xNN escapes, see utf8_clean.)
 */
void
set_text(char *dst, size_t size, const char *fmt,...)
{
	va_list		ap;
	int			n;
	size_t		k;

	va_start(ap, fmt);
	n = vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	if (n < 0)
	{
		dst[0] = '\0';
		return;
	}
	if ((size_t) n < size || size < 4)
		return;
	/* dst[k] is the first byte dropped: back up to the start of its character */
	k = size - 4;
	while (k > 0 && ((unsigned char) dst[k] & 0xC0) == 0x80)
		k--;
	memcpy(dst + k, "...", 4);
}

void
set_os_error(ReadError *err, int errnum, const char *what, const char *path)
{
	err->sqlstate = errnum == ENOMEM ? "53200" : SQLSTATE_IO_ERROR;
	set_text(err->reason, sizeof(err->reason), "%s", strerror(errnum));
	set_text(err->detail, sizeof(err->detail), "%s \"%s\" failed (errno %d)", what, path, errnum);
}

static void
set_too_large(ReadError *err, const char *what, unsigned long long size)
{
	err->sqlstate = SQLSTATE_TOO_LARGE;
	set_text(err->reason, sizeof(err->reason),
			 "input too large: %s of %.0f MB or more, the limit is %.0f MB",
			 what, MB(size), MB(DLPG_MAX_INPUT));
	set_text(err->detail, sizeof(err->detail),
			 "a DLBS log or JSON document is sent as one text value, which PostgreSQL limits to 1 GB");
}

static void
set_no_memory(ReadError *err, size_t have)
{
	err->sqlstate = "53200";
	set_text(err->reason, sizeof(err->reason), "out of memory");
	set_text(err->detail, sizeof(err->detail), "could not grow a buffer of %zu bytes", have);
}

/* ------------------------------------------------------------------ plain files */

static int
open_input(const char *path, struct stat *st, ReadError *err)
{
	int			fd;

	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
	{
		set_os_error(err, errno, "open", path);
		return -1;
	}
	if (fstat(fd, st) != 0)
	{
		set_os_error(err, errno, "fstat", path);
		close(fd);
		return -1;
	}
	if (S_ISDIR(st->st_mode))
	{
		set_os_error(err, EISDIR, "read", path);
		close(fd);
		return -1;
	}
	/* a device may never end (/dev/zero) and a socket is no file: only files and FIFOs */
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISSOCK(st->st_mode))
	{
		err->sqlstate = SQLSTATE_IO_ERROR;
		set_text(err->reason, sizeof(err->reason), "not a regular file: a %s",
				 S_ISCHR(st->st_mode) ? "character device" : S_ISBLK(st->st_mode) ? "block device" : "socket");
		set_text(err->detail, sizeof(err->detail), "\"%s\" is not read: only regular files and FIFOs are",
				 path);
		close(fd);
		return -1;
	}
	return fd;
}

/* read(2) that retries on EINTR */
static ssize_t
read_some(int fd, void *p, size_t n)
{
	ssize_t		r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

bool
read_plain_file(const char *path, Buf *out, ReadError *err)
{
	struct stat st;
	int			fd;
	bool		ok = false;

	buf_reset(out);
	fd = open_input(path, &st, err);
	if (fd < 0)
		return false;
	if (S_ISREG(st.st_mode) && (unsigned long long) st.st_size > DLPG_MAX_INPUT)
	{
		set_too_large(err, "a file", (unsigned long long) st.st_size);
		goto done;
	}
	if (S_ISREG(st.st_mode) && !buf_reserve(out, (size_t) st.st_size + 1))
	{
		set_no_memory(err, (size_t) st.st_size);
		goto done;
	}
	for (;;)
	{
		ssize_t		r;
		size_t		room;

		if (buf_room(out) < READ_CHUNK / 4 && !buf_reserve(out, READ_CHUNK))
		{
			set_no_memory(err, out->len);
			goto done;
		}
		room = buf_room(out);
		r = read_some(fd, out->data + out->len, room);
		if (r < 0)
		{
			int			e = errno;

			set_os_error(err, e, "read", path);
			set_text(err->detail, sizeof(err->detail), "read \"%s\" failed at byte offset %zu (errno %d)",
					 path, out->len, e);
			goto done;
		}
		if (r == 0)
			break;
		out->len += (size_t) r;
		if (out->len > DLPG_MAX_INPUT)
		{
			set_too_large(err, "a file", out->len);
			goto done;
		}
	}
	out->data[out->len] = '\0';
	ok = true;
done:
	close(fd);
	if (!ok)
		buf_reset(out);
	return ok;
}

/* ------------------------------------------------------------------ gzip */

/* Where compressed bytes come from: a file (read in chunks) or memory (an archive entry). */
typedef struct GzSource
{
	int			fd;				/* -1: memory */
	const char *path;
	unsigned char *chunk;
	const unsigned char *mem;
	size_t		memlen;
	unsigned long long consumed;	/* compressed bytes handed to zlib so far */
	unsigned long long size;	/* total compressed size, 0 when unknown */
} GzSource;

/* Next compressed bytes: their count (0 at the end), or -1 with err set. */
static ssize_t
gz_source_read(GzSource *src, const unsigned char **p, ReadError *err)
{
	ssize_t		r;

	if (src->fd < 0)
	{
		size_t		n = src->memlen - (size_t) src->consumed;

		if (n > (size_t) INT_MAX)
			n = (size_t) INT_MAX;
		*p = src->mem + src->consumed;
		src->consumed += n;
		return (ssize_t) n;
	}
	r = read_some(src->fd, src->chunk, READ_CHUNK);
	if (r < 0)
	{
		int			e = errno;

		set_os_error(err, e, "read", src->path);
		set_text(err->detail, sizeof(err->detail),
				 "read \"%s\" failed at compressed byte offset %llu (errno %d)", src->path, src->consumed, e);
		return -1;
	}
	*p = src->chunk;
	src->consumed += (unsigned long long) r;
	return r;
}

static void
set_gz_error(ReadError *err, GzSource *src, z_stream *zs, int members, size_t produced,
			 const char *reason)
{
	unsigned long long at = src->consumed - zs->avail_in;

	err->sqlstate = SQLSTATE_DATA_EXCEPTION;
	set_text(err->reason, sizeof(err->reason), "corrupt gzip data: %s", reason);
	if (src->size)
		set_text(err->detail, sizeof(err->detail),
				 "gzip member %d, at compressed byte %llu of %llu; %zu bytes decompressed before the error",
				 members + 1, at, src->size, produced);
	else
		set_text(err->detail, sizeof(err->detail),
				 "gzip member %d, at compressed byte %llu; %zu bytes decompressed before the error",
				 members + 1, at, produced);
}

/*
 * Decompress a whole gzip stream (one member or several concatenated, as gzip(1) reads them;
 * bytes after the last member that do not start another one are ignored, as zlib's gzread does).
 */
static bool
gunzip_source(GzSource *src, Buf *out, ReadError *err)
{
	z_stream	zs;
	int			ret;
	int			members = 0;
	bool		in_member = false;
	bool		eof = false;
	bool		ok = false;

	buf_reset(out);
	memset(&zs, 0, sizeof(zs));
	ret = inflateInit2(&zs, 16 + MAX_WBITS);
	if (ret != Z_OK)
	{
		err->sqlstate = ret == Z_MEM_ERROR ? "53200" : SQLSTATE_DATA_EXCEPTION;
		set_text(err->reason, sizeof(err->reason), "zlib: %s", zs.msg ? zs.msg : zError(ret));
		set_text(err->detail, sizeof(err->detail), "inflateInit2 failed");
		return false;
	}
	for (;;)
	{
		size_t		room;
		size_t		before;

		if (zs.avail_in == 0 && !eof)
		{
			const unsigned char *p;
			ssize_t		n = gz_source_read(src, &p, err);

			if (n < 0)
				goto done;
			if (n == 0)
				eof = true;
			zs.next_in = (unsigned char *) p;
			zs.avail_in = (unsigned int) n;
		}
		if (zs.avail_in == 0 && eof)
		{
			if (in_member || members == 0)
			{
				set_gz_error(err, src, &zs, members, out->len,
							 members == 0 && !in_member ? "empty file, no gzip header"
							 : "unexpected end of file (truncated)");
				goto done;
			}
			break;
		}
		if (!in_member)
		{
			/* after a member: another one, or trailing bytes that are ignored */
			if (members > 0 && zs.next_in[0] != 0x1f)
				break;
			in_member = true;
		}
		if (out->len > DLPG_MAX_INPUT)
		{
			set_too_large(err, "decompressed data", out->len);
			goto done;
		}
		if (buf_room(out) < READ_CHUNK && !buf_reserve(out, 4 * (size_t) READ_CHUNK))
		{
			set_no_memory(err, out->len);
			goto done;
		}
		room = buf_room(out);
		if (room > DLPG_MAX_INPUT + 1 - out->len)
			room = DLPG_MAX_INPUT + 1 - out->len;
		if (room > UINT_MAX)
			room = UINT_MAX;
		zs.next_out = (unsigned char *) out->data + out->len;
		zs.avail_out = (unsigned int) room;
		before = room;
		ret = inflate(&zs, Z_NO_FLUSH);
		out->len += before - zs.avail_out;
		switch (ret)
		{
			case Z_STREAM_END:
				members++;
				in_member = false;
				if (inflateReset(&zs) != Z_OK)
				{
					set_gz_error(err, src, &zs, members, out->len, "inflateReset failed");
					goto done;
				}
				break;
			case Z_OK:
			case Z_BUF_ERROR:	/* no progress: more input or more room comes next round */
				break;
			case Z_MEM_ERROR:
				set_no_memory(err, out->len);
				goto done;
			case Z_NEED_DICT:
				set_gz_error(err, src, &zs, members, out->len, "needs a preset dictionary");
				goto done;
			default:
				set_gz_error(err, src, &zs, members, out->len, zs.msg ? zs.msg : zError(ret));
				goto done;
		}
	}
	out->data[out->len] = '\0';
	ok = true;
done:
	inflateEnd(&zs);
	if (!ok)
		buf_reset(out);
	return ok;
}

bool
gunzip_file(const char *path, Buf *out, ReadError *err)
{
	struct stat st;
	GzSource	src;
	bool		ok;

	memset(&src, 0, sizeof(src));
	src.fd = open_input(path, &st, err);
	if (src.fd < 0)
		return false;
	src.path = path;
	src.size = S_ISREG(st.st_mode) ? (unsigned long long) st.st_size : 0;
	src.chunk = malloc(READ_CHUNK);
	if (src.chunk == NULL)
	{
		set_no_memory(err, 0);
		close(src.fd);
		return false;
	}
	ok = gunzip_source(&src, out, err);
	free(src.chunk);
	close(src.fd);
	return ok;
}

bool
gunzip_memory(const char *data, size_t len, Buf *out, ReadError *err)
{
	GzSource	src;

	memset(&src, 0, sizeof(src));
	src.fd = -1;
	src.path = "(memory)";
	src.mem = (const unsigned char *) data;
	src.memlen = len;
	src.size = len;
	return gunzip_source(&src, out, err);
}

/* ------------------------------------------------------------------ UTF-8 */

/*
 * The server would refuse the whole statement (and so the whole batch) for text that is not
 * valid UTF-8; libpq cannot send a NUL inside a text value. Both are checked here, with
 * PostgreSQL's rules (pg_utf8_islegal: no overlong forms, no surrogates, nothing above U+10FFFF)
 * and PostgreSQL's message.
 */
bool
check_utf8(const char *data, size_t len, ReadError *err)
{
	const unsigned char *s = (const unsigned char *) data;
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = s[i];
		size_t		n;
		size_t		k;

		/* fast path: 8 ASCII bytes, none of them NUL */
		if (c >= 0x01 && c < 0x80 && len - i >= 8)
		{
			uint64_t	w;

			memcpy(&w, s + i, 8);
			if (((w | ((w - 0x0101010101010101ULL) & ~w)) & 0x8080808080808080ULL) == 0)
			{
				i += 8;
				continue;
			}
		}
		if (c >= 0x01 && c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4;
		else
			n = 0;				/* NUL, a continuation byte, C0, C1, F5..FF */
		if (n > 0 && len - i >= n)
		{
			bool		legal = true;

			for (k = 1; k < n; k++)
				if (s[i + k] < 0x80 || s[i + k] > 0xBF)
					legal = false;
			if (legal && n == 3 && c == 0xE0 && s[i + 1] < 0xA0)
				legal = false;	/* overlong */
			if (legal && n == 3 && c == 0xED && s[i + 1] > 0x9F)
				legal = false;	/* surrogate */
			if (legal && n == 4 && c == 0xF0 && s[i + 1] < 0x90)
				legal = false;	/* overlong */
			if (legal && n == 4 && c == 0xF4 && s[i + 1] > 0x8F)
				legal = false;	/* above U+10FFFF */
			if (legal)
			{
				i += n;
				continue;
			}
		}
		/* invalid: report like PostgreSQL (the bytes of the would-be character) */
		{
			size_t		show = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			size_t		line = 1;
			size_t		j;
			int			off = 0;

			if (show > len - i)
				show = len - i;
			err->sqlstate = SQLSTATE_BAD_ENCODING;
			off = snprintf(err->reason, sizeof(err->reason), "invalid byte sequence for encoding \"UTF8\":");
			for (j = 0; j < show && off > 0 && (size_t) off < sizeof(err->reason); j++)
				off += snprintf(err->reason + off, sizeof(err->reason) - (size_t) off, " 0x%02x", s[i + j]);
			for (j = 0; j < i; j++)
				if (s[j] == '\n')
					line++;
			set_text(err->detail, sizeof(err->detail),
					 "line %zu, byte offset %zu: DLBS logs and JSON files are read as UTF-8", line, i);
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------------ tar.gz */

struct TarReader
{
	struct archive *a;
	int			fd;
	char	   *path;
	long		entries;		/* headers read so far, any type */
	char	   *last;			/* name of the last entry read */
	long long	size;			/* its size from the header, -1 when not given */
};

/* libarchive's own error numbers are data problems; others are the OS's */
static const char *
archive_sqlstate(struct archive *a)
{
	int			e = archive_errno(a);

	if (e == ENOMEM)
		return "53200";
	if (e == EIO || e == EACCES || e == EPERM || e == EISDIR || e == ENOENT || e == EBADF)
		return SQLSTATE_IO_ERROR;
	return SQLSTATE_DATA_EXCEPTION;
}

static void
set_archive_error(TarReader *t, ReadError *err, const char *where)
{
	const char *s = archive_error_string(t->a);

	err->sqlstate = archive_sqlstate(t->a);
	set_text(err->reason, sizeof(err->reason), "%s", s && *s ? s : "damaged tar.gz archive");
	if (t->last)
		set_text(err->detail, sizeof(err->detail), "tar.gz archive damaged %s entry %ld \"%s\"; the entries before it were read",
				 where, t->entries, t->last);
	else
		set_text(err->detail, sizeof(err->detail), "tar.gz archive damaged before its first entry");
}

TarReader *
tar_open(const char *path, ReadError *err)
{
	struct stat st;
	TarReader  *t;

	t = calloc(1, sizeof(TarReader));
	if (t == NULL)
	{
		set_no_memory(err, sizeof(TarReader));
		return NULL;
	}
	t->fd = open_input(path, &st, err);
	if (t->fd < 0)
	{
		free(t);
		return NULL;
	}
	t->path = strdup(path);
	t->a = archive_read_new();
	if (t->path == NULL || t->a == NULL)
	{
		set_no_memory(err, 0);
		tar_close(t);
		return NULL;
	}
	if (archive_read_support_filter_gzip(t->a) != ARCHIVE_OK ||
		archive_read_support_format_tar(t->a) != ARCHIVE_OK ||
		archive_read_open_fd(t->a, t->fd, 65536) != ARCHIVE_OK)
	{
		set_archive_error(t, err, "at");
		tar_close(t);
		return NULL;
	}
	return t;
}

TarNext
tar_next(TarReader *t, const char **name, ReadError *err)
{
	for (;;)
	{
		struct archive_entry *e;
		int			r = archive_read_next_header(t->a, &e);
		const char *n;

		if (r == ARCHIVE_EOF)
			return TAR_END;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		{
			set_archive_error(t, err, "after");
			return TAR_ERROR;
		}
		t->entries++;
		t->size = archive_entry_size_is_set(e) ? (long long) archive_entry_size(e) : -1;
		n = archive_entry_pathname(e);
		free(t->last);
		t->last = strdup(n ? n : "?");
		if (t->last == NULL)
		{
			set_no_memory(err, 0);
			return TAR_ERROR;
		}
		/* folders: their files are entries of their own */
		if (n == NULL || archive_entry_filetype(e) == AE_IFDIR)
			continue;
		*name = t->last;
		if (archive_entry_filetype(e) == AE_IFREG && archive_entry_hardlink(e) == NULL)
			return TAR_ENTRY;
		if (archive_entry_hardlink(e) != NULL)
			return TAR_HARD_LINK;
		/* no data: the caller rejects it when it is named like an input */
		err->sqlstate = SQLSTATE_IO_ERROR;
		if (archive_entry_symlink(e) != NULL)
			set_text(err->reason, sizeof(err->reason), "not a regular file: a symbolic link to \"%s\" in the archive",
					 archive_entry_symlink(e));
		else
			set_text(err->reason, sizeof(err->reason), "not a regular file: a %s entry in the archive",
					 archive_entry_filetype(e) == AE_IFIFO ? "FIFO" :
					 archive_entry_filetype(e) == AE_IFCHR ? "character device" :
					 archive_entry_filetype(e) == AE_IFBLK ? "block device" : "special");
		set_text(err->detail, sizeof(err->detail), "tar.gz entry %ld \"%s\" has no data to load",
				 t->entries, t->last);
		return TAR_NOT_REGULAR;
	}
}

/*
 * The data of the entry tar_next returned. An entry too large to send is refused by the size in
 * its header, before anything is read (the next tar_next skips its data).
 */
TarData
tar_read_data(TarReader *t, Buf *out, ReadError *err)
{
	buf_reset(out);
	if (t->size > (long long) DLPG_MAX_INPUT)
	{
		set_too_large(err, "an archive entry", (unsigned long long) t->size);
		return TAR_DATA_BAD_ENTRY;
	}
	/* a damaged header may claim far more than follows: reserve at most 64 MB up front */
	if (t->size >= 0 && !buf_reserve(out, (size_t) (t->size < (64LL << 20) ? t->size : (64LL << 20)) + 1))
	{
		set_no_memory(err, (size_t) t->size);
		return TAR_DATA_BAD_ENTRY;
	}
	for (;;)
	{
		la_ssize_t	r;

		if (out->len > DLPG_MAX_INPUT)
		{
			/* the header said less: the archive is not what it claims */
			set_too_large(err, "an archive entry", out->len);
			buf_reset(out);
			return TAR_DATA_DAMAGED;
		}
		if (buf_room(out) < READ_CHUNK && !buf_reserve(out, 4 * (size_t) READ_CHUNK))
		{
			set_no_memory(err, out->len);
			buf_reset(out);
			return TAR_DATA_DAMAGED;
		}
		r = archive_read_data(t->a, out->data + out->len, buf_room(out));
		if (r < 0)
		{
			set_archive_error(t, err, "in");
			buf_reset(out);
			return TAR_DATA_DAMAGED;
		}
		if (r == 0)
			break;
		out->len += (size_t) r;
	}
	out->data[out->len] = '\0';
	return TAR_DATA_OK;
}

void
tar_close(TarReader *t)
{
	if (t == NULL)
		return;
	if (t->a)
		archive_read_free(t->a);
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	free(t->last);
	free(t);
}
