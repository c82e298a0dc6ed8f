/*
 * agg_context.h
 *		The memory context of the aggregate a support function serves, or
 *		an error when it is called outside one (users can call them); and
 *		the aggregates' expanded states (trial_values, config_state).
 */
#ifndef DLPG_AGG_CONTEXT_H
#define DLPG_AGG_CONTEXT_H

#include "fmgr.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

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

/*
 * The expanded object d points to when it is one of these methods, else NULL
 * (d is then a flat value: from a table, another node, a parallel worker).
 */
static inline ExpandedObjectHeader *
dlpg_expanded(Datum d, const ExpandedObjectMethods *methods)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) && DatumGetEOHP(d)->eoh_methods == methods)
		return DatumGetEOHP(d);
	return NULL;
}

/*
 * ... and only when the aggregate whose context is aggcxt owns it, so it may
 * change it in place: a read-write pointer to an object living under aggcxt.
 */
static inline ExpandedObjectHeader *
dlpg_own_expanded(Datum d, const ExpandedObjectMethods *methods, MemoryContext aggcxt)
{
	ExpandedObjectHeader *eoh = dlpg_expanded(d, methods);

	if (eoh != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
		MemoryContextGetParent(eoh->eoh_context) == aggcxt)
		return eoh;
	return NULL;
}

#endif							/* DLPG_AGG_CONTEXT_H */
