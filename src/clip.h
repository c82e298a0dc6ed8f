/*
 * clip.h
 *		Quoting user text in messages without quoting all of it: at most
 *		DLPG_QUOTE_LIMIT bytes, cut on a character boundary (pg_mbcliplen), so
 *		a message never ends inside a multibyte character.
 */
#ifndef DLPG_CLIP_H
#define DLPG_CLIP_H

#include "mb/pg_wchar.h"

#define DLPG_QUOTE_LIMIT 200

/* s[0..len) as a palloc'd string, shortened with "..." when longer than limit bytes. */
static inline char *
dlpg_clip(const char *s, int len, int limit)
{
	int			keep;

	if (len <= limit)
		return pnstrdup(s, len);
	keep = pg_mbcliplen(s, len, limit - 3);
	return psprintf("%.*s...", keep, s);
}

/* The same with the limit for user text quoted in messages. */
static inline char *
dlpg_clip_quote(const char *s, int len)
{
	return dlpg_clip(s, len, DLPG_QUOTE_LIMIT);
}

#endif							/* DLPG_CLIP_H */
