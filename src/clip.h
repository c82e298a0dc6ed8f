/*
 * clip.h
 *		Quoting user text in messages without quoting all of it: at most
 *		DLPG_QUOTE_LIMIT bytes, cut on a character boundary (pg_mbcliplen), so
 *		a message never ends inside a multibyte character.
 */
#ifndef DLPG_CLIP_H
#define DLPG_CLIP_H

#include "postgres.h"

#include "mb/pg_wchar.h"

#define DLPG_QUOTE_LIMIT 200

/* s[0..len) as a palloc'd string, shortened with "..." when longer than the limit. */
static inline char *
dlpg_clip_quote(const char *s, int len)
{
	int			keep;

	if (len <= DLPG_QUOTE_LIMIT)
		return pnstrdup(s, len);
	keep = pg_mbcliplen(s, len, DLPG_QUOTE_LIMIT - 3);
	return psprintf("%.*s...", keep, s);
}

#endif							/* DLPG_CLIP_H */
