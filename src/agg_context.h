/*
 * agg_context.h
 *		The memory context of the aggregate a support function serves, or
 *		an error when it is called outside one (users can call them).
 */
#ifndef DLPG_AGG_CONTEXT_H
#define DLPG_AGG_CONTEXT_H

#include "fmgr.h"

/* what names the aggregates in the error: "trial", "configuration" */
static inline MemoryContext
dlpg_aggregate_context(FunctionCallInfo fcinfo, const char *what)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("dlpg %s aggregate support function called outside an aggregate", what)));
	return cxt;
}

#endif							/* DLPG_AGG_CONTEXT_H */
