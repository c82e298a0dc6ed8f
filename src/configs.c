/*
 * configs.c
 *		What a chart point is made of: dlpg.point_configs counts the distinct
 *		configurations among a point's benchmarks, dlpg.point_mixed names the
 *		axes whose values differ among them.
 *
 * Both aggregates take the axes' names (a constant text[]) and one value per
 * axis (integer or text columns, NULL counting as a value), either as
 * arguments (VARIADIC "any", the fastest) or as one record, ROW(a, b, ...),
 * the form Citus can push down.  They have the same transition function, arguments and state,
 * so PostgreSQL computes one state for both and only the final functions
 * differ.  The state keeps the first configuration whole, a flag per value
 * that differs from it in some configuration, and every configuration as a
 * 64-bit hash of its encoding (core/config_wire.h): a row costs one
 * encoding and one hash, and only a new configuration is compared with the
 * first.  States are small (8 bytes a configuration).
 *
 * The state is a type, dlpg.config_state, not `internal`, so that Citus can
 * push the aggregates down to its workers (it ships partial states as their
 * text).  Its flat form is the wire format of core/config_wire.h, its text
 * form that in hex (state_text.h); while an aggregate runs it is an
 * expanded object (the ConfigSet below, in a memory context of its own) that
 * the transition function changes in place.  Every flat value that comes in
 * (text, binary, a parallel worker's, another node's) is checked by
 * config_wire_decode, which the fuzzer checks: garbage is an error.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "config_wire.h"
#include "agg_context.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/typcache.h"
#include "state_text.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(dlpg_configs_accum);
PG_FUNCTION_INFO_V1(dlpg_configs_accum_row);
PG_FUNCTION_INFO_V1(dlpg_configs_combine);
PG_FUNCTION_INFO_V1(dlpg_config_state_in);
PG_FUNCTION_INFO_V1(dlpg_config_state_out);
PG_FUNCTION_INFO_V1(dlpg_config_state_recv);
PG_FUNCTION_INFO_V1(dlpg_config_state_send);
PG_FUNCTION_INFO_V1(dlpg_configs_count_final);
PG_FUNCTION_INFO_V1(dlpg_configs_mixed_final);
PG_FUNCTION_INFO_V1(dlpg_configs_summary_final);

/*
 * The configurations seen: the first one whole (to tell which values
 * differ), every one as a 64-bit hash of its encoding (to count them; two
 * configurations sharing a hash would count once: for a point of a million
 * configurations, a chance of about 3e-8).
 */
typedef struct ConfigSet
{
	ExpandedObjectHeader hdr;	/* first: a ConfigSet is an expanded dlpg.config_state */
	MemoryContext cxt;			/* the object's own context (hdr.eoh_context) */
	int			nnames;
	char	  **names;
	bool	   *is_int;			/* per value: an int4 column of the record, else text */
	TupleDesc	desc;			/* the configuration record's type, once known */
	Oid			rectype;		/* its type; ANYOID: the values come as arguments */
	int32		rectypmod;
	Datum	   *values;			/* the current record's values */
	bool	   *isnull;
	unsigned char *first;		/* the first configuration's encoding, or NULL */
	uint32		first_len;
	bool	   *differs;		/* per value: differs among the configurations */
	uint64	   *hashes;			/* open addressing, 0 marks a free slot */
	uint32		size;			/* slots, a power of 2 */
	uint32		count;			/* distinct hashes */
	bool		has_zero;		/* hash 0 seen (it cannot sit in a slot) */
	uint64		last;			/* the hash added last */
	StringInfoData row;			/* the current row's encoding */
	StringInfoData last_row;	/* the previous row's: trials of one configuration come in runs */
	StringInfoData last_record;	/* the previous row's record, as it came */
} ConfigSet;

/* appendBinaryStringInfo takes char * before PostgreSQL 16 */
static inline void
append_bytes(StringInfo s, const void *bytes, int len)
{
	appendBinaryStringInfo(s, (const char *) bytes, len);
}

static inline MemoryContext
aggregate_context(FunctionCallInfo fcinfo)
{
	return dlpg_aggregate_context(fcinfo, "configuration");
}

static const ExpandedObjectMethods config_set_methods;
static void alloc_values(ConfigSet *set);
static ConfigSet *writable_set(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt);

/* A new, empty expanded state in a context of its own under parent. */
static ConfigSet *
new_set(MemoryContext parent, int nnames)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "dlpg configuration state",
											  ALLOCSET_SMALL_SIZES);
	ConfigSet  *set = MemoryContextAllocZero(cxt, sizeof(ConfigSet));
	MemoryContext old = MemoryContextSwitchTo(cxt);

	EOH_init_header(&set->hdr, &config_set_methods, cxt);
	set->cxt = cxt;
	set->nnames = nnames;
	set->names = palloc0(sizeof(char *) * Max(nnames, 1));
	set->is_int = palloc0(sizeof(bool) * Max(nnames, 1));
	set->differs = palloc0(sizeof(bool) * Max(nnames, 1));
	set->size = 16;
	set->hashes = palloc0(sizeof(uint64) * set->size);
	initStringInfo(&set->row);
	initStringInfo(&set->last_row);
	initStringInfo(&set->last_record);
	MemoryContextSwitchTo(old);
	return set;
}

static bool
insert_hash(uint64 *slots, uint32 size, uint64 h)
{
	for (uint32 i = (uint32) h & (size - 1);; i = (i + 1) & (size - 1))
	{
		if (slots[i] == h)
			return false;
		if (slots[i] == 0)
		{
			slots[i] = h;
			return true;
		}
	}
}

/* Count hash h; true when it is new. */
static bool
add_hash(ConfigSet *set, uint64 h)
{
	if (h == 0)
	{
		bool		added = !set->has_zero;

		set->has_zero = true;
		set->count += added;
		return added;
	}
	if ((uint64) (set->count + 1) * 2 > set->size)
	{
		uint32		size = set->size * 2;
		uint64	   *slots;

		if ((Size) size * sizeof(uint64) > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many configurations in one chart point")));
		slots = MemoryContextAllocZero(set->cxt, sizeof(uint64) * size);
		for (uint32 i = 0; i < set->size; i++)
			if (set->hashes[i] != 0)
				insert_hash(slots, size, set->hashes[i]);
		pfree(set->hashes);
		set->hashes = slots;
		set->size = size;
	}
	if (!insert_hash(set->hashes, set->size, h))
		return false;
	set->count++;
	return true;
}

/* Add a (checked) configuration encoding with its hash. */
static void
add_config(ConfigSet *set, const unsigned char *bytes, uint32 len, uint64 h)
{
	if (set->count > 0 && h == set->last)
		return;
	set->last = h;
	if (set->first == NULL)
	{
		set->first = MemoryContextAlloc(set->cxt, Max(len, 1));
		memcpy(set->first, bytes, len);
		set->first_len = len;
	}
	/* a new configuration may differ from the first in values not yet seen differing */
	if (add_hash(set, h))
		config_tuple_differs(set->first, bytes, set->nnames, set->differs);
}

/* The names of this call (checked); *nnames set. */
static Datum *
call_names(FunctionCallInfo fcinfo, int *nnames)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the axis names of a configuration aggregate must not be null")));
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	if (nelems > CONFIG_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a configuration aggregate takes at most %d names (got %d)",
						CONFIG_MAX_VALUES, nelems)));
	for (int i = 0; i < nelems; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the axis names of a configuration aggregate must not be null")));
	*nnames = nelems;
	return elems;
}

/* The first call of a group: the names. */
static ConfigSet *
start_set(FunctionCallInfo fcinfo, MemoryContext cxt)
{
	int			nnames;
	Datum	   *names = call_names(fcinfo, &nnames);
	ConfigSet  *set = new_set(cxt, nnames);

	for (int i = 0; i < nnames; i++)
		set->names[i] = MemoryContextStrdup(set->cxt, TextDatumGetCString(names[i]));
	return set;
}

/*
 * The row type of a configuration record: one column per name, each int4 or
 * text.  Looked up once per group (and again only if the type changes).
 */
static void
learn_row_type(ConfigSet *set, HeapTupleHeader rec)
{
	Oid			type = HeapTupleHeaderGetTypeId(rec);
	int32		typmod = HeapTupleHeaderGetTypMod(rec);
	TupleDesc	desc;
	MemoryContext old;

	if (set->desc != NULL && set->rectype == type && set->rectypmod == typmod)
		return;
	old = MemoryContextSwitchTo(set->cxt);
	desc = lookup_rowtype_tupdesc_copy(type, typmod);
	MemoryContextSwitchTo(old);
	if (desc->natts != set->nnames)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a configuration aggregate takes one name per value (got %d names, %d values)",
						set->nnames, desc->natts)));
	for (int i = 0; i < desc->natts; i++)
	{
		Oid			t = TupleDescAttr(desc, i)->atttypid;

		if (TupleDescAttr(desc, i)->attisdropped || (t != INT4OID && t != TEXTOID))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("configuration values must be integer or text, not %s",
							format_type_be(t))));
		set->is_int[i] = t == INT4OID;
	}
	set->desc = desc;
	set->rectype = type;
	set->rectypmod = typmod;
	alloc_values(set);
}

/*
 * Are this row's values those of the previous row (set->last_row)?  Read
 * in place, value by value, so that a run of one configuration costs no
 * encoding and no hash.
 */
static bool
same_as_last_row(const ConfigSet *set)
{
	const unsigned char *p = (const unsigned char *) set->last_row.data;

	for (int i = 0; i < set->nnames; i++)
	{
		uint32		len;

		if (set->isnull[i])
		{
			if (*p++ != CONFIG_NULL)
				return false;
			continue;
		}
		if (*p != CONFIG_VALUE)
			return false;
		len = config_wire_get_u32(p + 1);
		p += 5;
		if (set->is_int[i])
		{
			if (len != 4 || config_wire_get_u32(p) != (uint32) DatumGetInt32(set->values[i]))
				return false;
		}
		else
		{
			text	   *t = DatumGetTextPP(set->values[i]);

			if (len != VARSIZE_ANY_EXHDR(t) || memcmp(p, VARDATA_ANY(t), len) != 0)
				return false;
		}
		p += len;
	}
	return true;
}

/* Values arrays for a set (once). */
static void
alloc_values(ConfigSet *set)
{
	if (set->values == NULL)
	{
		set->values = MemoryContextAlloc(set->cxt, sizeof(Datum) * Max(set->nnames, 1));
		set->isnull = MemoryContextAlloc(set->cxt, sizeof(bool) * Max(set->nnames, 1));
	}
}

/* Count the configuration in set->values / set->isnull. */
static void
add_current_values(ConfigSet *set)
{
	StringInfo	row = &set->row;

	/* the same configuration as the row before (trials come in runs): nothing to do */
	if (set->last_row.len > 0 && same_as_last_row(set))
		return;
	resetStringInfo(row);
	for (int i = 0; i < set->nnames; i++)
	{
		unsigned char head[5];

		if (set->isnull[i])
		{
			appendStringInfoChar(row, CONFIG_NULL);
			continue;
		}
		head[0] = CONFIG_VALUE;
		if (set->is_int[i])
		{
			unsigned char v[4];

			config_wire_put_u32(head + 1, 4);
			config_wire_put_u32(v, (uint32) DatumGetInt32(set->values[i]));
			append_bytes(row, head, 5);
			append_bytes(row, v, 4);
		}
		else
		{
			text	   *t = DatumGetTextPP(set->values[i]);

			config_wire_put_u32(head + 1, VARSIZE_ANY_EXHDR(t));
			append_bytes(row, head, 5);
			append_bytes(row, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		}
	}
	add_config(set, (unsigned char *) row->data, row->len,
			   hash_bytes_extended((unsigned char *) row->data, row->len, 0));
	resetStringInfo(&set->last_row);
	append_bytes(&set->last_row, row->data, row->len);
}

/*
 * dlpg_internal.configs_accum(config_state, names text[], VARIADIC "any")
 * -> config_state: the values as arguments, each int4 or text (the call's
 * types; the fastest form, which dlpg.series uses on a single node).
 */
Datum
dlpg_configs_accum(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	ConfigSet  *set = PG_ARGISNULL(0) ? start_set(fcinfo, cxt) : writable_set(fcinfo, 0, cxt);

	if (PG_NARGS() - 2 != set->nnames)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a configuration aggregate takes one name per value (got %d names, %d values)",
						set->nnames, PG_NARGS() - 2)));
	if (set->desc == NULL && set->rectype != ANYOID)
	{
		/* the types, from the call (once per group) */
		for (int i = 0; i < set->nnames; i++)
		{
			Oid			type = get_fn_expr_argtype(fcinfo->flinfo, i + 2);

			if (type != INT4OID && type != TEXTOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("configuration values must be integer or text, not %s",
								type == InvalidOid ? "unknown" : format_type_be(type))));
			set->is_int[i] = type == INT4OID;
		}
		set->rectype = ANYOID;	/* marks the types as known */
		alloc_values(set);
	}
	for (int i = 0; i < set->nnames; i++)
	{
		set->isnull[i] = PG_ARGISNULL(i + 2);
		set->values[i] = set->isnull[i] ? (Datum) 0 : PG_GETARG_DATUM(i + 2);
	}
	add_current_values(set);
	PG_RETURN_DATUM(EOHPGetRWDatum(&set->hdr));
}

/*
 * dlpg_internal.configs_accum_row(config_state, names text[], config record)
 * -> config_state: the values as one record, ROW(a, b, ...).  Citus pushes
 * an aggregate down only when its arguments have fixed types, which
 * VARIADIC "any" has not; dlpg.series uses this form where Citus is.
 */
Datum
dlpg_configs_accum_row(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	ConfigSet  *set = PG_ARGISNULL(0) ? start_set(fcinfo, cxt) : writable_set(fcinfo, 0, cxt);
	HeapTupleHeader rec;
	HeapTupleData tuple;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the configuration of a configuration aggregate must not be null"),
				 errhint("Pass the values as ROW(value1, value2, ...): a NULL value counts, a NULL row does not.")));
	rec = PG_GETARG_HEAPTUPLEHEADER(2);
	learn_row_type(set, rec);
	tuple.t_len = HeapTupleHeaderGetDatumLength(rec);
	/*
	 * Trials of one configuration come in runs, and a row value built the
	 * same way from the same values has the same bytes: then nothing changes
	 * (different bytes only cost the comparison below).
	 */
	if (set->last_record.len == (int) tuple.t_len && set->last_row.len > 0 &&
		memcmp(set->last_record.data, rec, tuple.t_len) == 0)
		PG_RETURN_DATUM(EOHPGetRWDatum(&set->hdr));
	resetStringInfo(&set->last_record);
	append_bytes(&set->last_record, rec, tuple.t_len);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = rec;
	heap_deform_tuple(&tuple, set->desc, set->values, set->isnull);
	add_current_values(set);
	PG_RETURN_DATUM(EOHPGetRWDatum(&set->hdr));
}

/* Fold b into a (same names). */
static void
merge_sets(ConfigSet *a, const ConfigSet *b)
{
	for (int i = 0; i < a->nnames; i++)
		a->differs[i] |= b->differs[i];
	if (b->first == NULL)
		return;
	if (a->first == NULL)
	{
		a->first = MemoryContextAlloc(a->cxt, Max(b->first_len, 1));
		memcpy(a->first, b->first, b->first_len);
		a->first_len = b->first_len;
	}
	else
		config_tuple_differs(a->first, b->first, a->nnames, a->differs);
	if (b->has_zero)
		add_hash(a, 0);
	for (uint32 i = 0; i < b->size; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (b->hashes[i] != 0)
			add_hash(a, b->hashes[i]);
	}
}

/* Fold a checked flat state into a (same number of names). */
static void
merge_wire(ConfigSet *a, const ConfigWire *wire)
{
	for (int i = 0; i < a->nnames; i++)
		a->differs[i] |= wire->differs[i] == 1;
	if (wire->has_first)
	{
		if (a->first == NULL)
		{
			a->first = MemoryContextAlloc(a->cxt, Max(wire->first_len, 1));
			memcpy(a->first, wire->first, wire->first_len);
			a->first_len = wire->first_len;
		}
		else
			config_tuple_differs(a->first, wire->first, a->nnames, a->differs);
	}
	/* repeated hashes in foreign bytes count once */
	for (uint32 i = 0; i < wire->nhashes; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		add_hash(a, config_wire_get_u64(wire->hashes + 8 * (Size) i));
	}
}

static void
check_wire(const unsigned char *bytes, size_t len, ConfigWire *wire)
{
	const char *why = config_wire_decode(bytes, len, wire);

	if (why)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid dlpg.config_state value"),
				 errdetail("%s", why)));
}

/* A new expanded state (under parent) from checked flat bytes; types unknown. */
static ConfigSet *
set_from_wire(const ConfigWire *wire, MemoryContext parent)
{
	ConfigSet  *set = new_set(parent, wire->nnames);
	const unsigned char *cursor = wire->names;

	for (int i = 0; i < wire->nnames; i++)
	{
		ConfigWireItem name = config_wire_next(&cursor);

		set->names[i] = MemoryContextAlloc(set->cxt, name.len + 1);
		memcpy(set->names[i], name.bytes, name.len);
		set->names[i][name.len] = '\0';
	}
	merge_wire(set, wire);
	return set;
}

/* An expanded state of ours, or NULL. */
static inline ConfigSet *
as_set(Datum d)
{
	return (ConfigSet *) dlpg_expanded(d, &config_set_methods);
}

/*
 * The state argument argno as one this aggregate may change: its own
 * read-write expanded object, or a new one (under aggcxt) made from a flat
 * value (a table's, a parallel worker's, another node's), checked.
 */
static ConfigSet *
writable_set(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	ConfigSet  *set = (ConfigSet *) dlpg_own_expanded(PG_GETARG_DATUM(argno), &config_set_methods, aggcxt);
	struct varlena *flat;
	ConfigWire	wire;

	if (set != NULL)
		return set;
	flat = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	check_wire((unsigned char *) VARDATA(flat), VARSIZE(flat) - VARHDRSZ, &wire);
	return set_from_wire(&wire, aggcxt);
}

/* A state argument to read: ours as it is, or a flat one made into a set. */
static ConfigSet *
readable_set(FunctionCallInfo fcinfo, int argno)
{
	ConfigSet  *set = as_set(PG_GETARG_DATUM(argno));

	return set ? set : writable_set(fcinfo, argno, CurrentMemoryContext);
}

/* dlpg_internal.configs_combine(config_state, config_state) -> config_state */
Datum
dlpg_configs_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	ConfigSet  *a;
	ConfigSet  *b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = as_set(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
	{
		if (b == NULL)
			return EOHPGetRWDatum(&writable_set(fcinfo, 1, cxt)->hdr);
		a = new_set(cxt, b->nnames);
		for (int i = 0; i < b->nnames; i++)
			a->names[i] = MemoryContextStrdup(a->cxt, b->names[i]);
	}
	else
		a = writable_set(fcinfo, 0, cxt);
	if (b == NULL)
	{
		struct varlena *flat = PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
		ConfigWire	wire;

		check_wire((unsigned char *) VARDATA(flat), VARSIZE(flat) - VARHDRSZ, &wire);
		if (wire.nnames != a->nnames)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("cannot combine configuration states of %d and %d axes", a->nnames, wire.nnames)));
		merge_wire(a, &wire);
	}
	else
	{
		if (a->nnames != b->nnames)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("cannot combine configuration states of %d and %d axes", a->nnames, b->nnames)));
		merge_sets(a, b);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&a->hdr));
}

/* The size of a set's flat form: the wire format of config_wire.h. */
static Size
config_set_flat_size(ExpandedObjectHeader *eohptr)
{
	ConfigSet  *set = (ConfigSet *) eohptr;
	Size		size = VARHDRSZ + 1 + 2 + 1 + set->nnames + 4;

	for (int i = 0; i < set->nnames; i++)
		size += 4 + strlen(set->names[i]);
	if (set->first)
		size += 4 + set->first_len;
	size += 8 * (Size) set->count;
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many configurations in one chart point")));
	return size;
}

static void
config_set_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ConfigSet  *set = (ConfigSet *) eohptr;
	unsigned char *p = (unsigned char *) VARDATA(result);

	*p++ = CONFIG_WIRE_VERSION;
	*p++ = (unsigned char) (set->nnames >> 8);
	*p++ = (unsigned char) set->nnames;
	for (int i = 0; i < set->nnames; i++)
	{
		uint32		len = strlen(set->names[i]);

		config_wire_put_u32(p, len);
		memcpy(p + 4, set->names[i], len);
		p += 4 + len;
	}
	*p++ = set->first ? 1 : 0;
	if (set->first)
	{
		config_wire_put_u32(p, set->first_len);
		memcpy(p + 4, set->first, set->first_len);
		p += 4 + set->first_len;
	}
	for (int i = 0; i < set->nnames; i++)
		*p++ = set->differs[i] ? 1 : 0;
	config_wire_put_u32(p, set->count);
	p += 4;
	if (set->has_zero)
	{
		config_wire_put_u64(p, 0);
		p += 8;
	}
	for (uint32 i = 0; i < set->size; i++)
		if (set->hashes[i] != 0)
		{
			config_wire_put_u64(p, set->hashes[i]);
			p += 8;
		}
	Assert((Size) (p - (unsigned char *) result) == allocated_size);
	SET_VARSIZE(result, allocated_size);
}

static const ExpandedObjectMethods config_set_methods = {
	config_set_flat_size,
	config_set_flatten
};

/* dlpg_internal.configs_count_final(config_state) -> integer: how many configurations */
Datum
dlpg_configs_count_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) Min(readable_set(fcinfo, 0)->count, PG_INT32_MAX));
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The names of the values that differ among a set's configurations, sorted. */
static ArrayType *
mixed_names(const ConfigSet *set)
{
	char	  **mixed = palloc(sizeof(char *) * Max(set->nnames, 1));
	Datum	   *elems;
	int			n = 0;

	for (int i = 0; i < set->nnames; i++)
		if (set->differs[i])
			mixed[n++] = set->names[i];
	qsort(mixed, n, sizeof(char *), compare_names);
	elems = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(mixed[i]);
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* dlpg_internal.configs_mixed_final(config_state) -> text[]: the axes that differ, sorted */
Datum
dlpg_configs_mixed_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(mixed_names(readable_set(fcinfo, 0)));
}

/*
 * dlpg_internal.configs_summary_final(config_state) -> dlpg.point_summary:
 * both answers of one state as one value (configs, mixed).  Where one query
 * wants both, one aggregate is one state: Citus ships each aggregate's
 * partial state on its own, so point_configs and point_mixed side by side
 * sent the same state twice.
 */
Datum
dlpg_configs_summary_final(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	ConfigSet  *set;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "configs_summary_final must return a composite type");
	desc = BlessTupleDesc(desc);
	set = readable_set(fcinfo, 0);
	values[0] = Int32GetDatum((int32) Min(set->count, PG_INT32_MAX));
	values[1] = PointerGetDatum(mixed_names(set));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* Raise unless bytes are a dlpg.config_state. */
static void
check_config_state(const unsigned char *bytes, size_t len)
{
	ConfigWire	wire;

	check_wire(bytes, len, &wire);
}

/* dlpg.config_state's text form: its wire bytes in hex, checked; binary: the wire bytes */
Datum
dlpg_config_state_in(PG_FUNCTION_ARGS)
{
	return dlpg_wire_state_in(PG_GETARG_CSTRING(0), "dlpg.config_state", check_config_state);
}

Datum
dlpg_config_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(dlpg_wire_state_out(PG_GETARG_DATUM(0)));
}

Datum
dlpg_config_state_recv(PG_FUNCTION_ARGS)
{
	return dlpg_wire_state_recv((StringInfo) PG_GETARG_POINTER(0), check_config_state);
}

Datum
dlpg_config_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(dlpg_wire_state_send(PG_GETARG_DATUM(0)));
}
