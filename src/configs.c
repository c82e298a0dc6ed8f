/*
 * configs.c
 *		What a chart point is made of: dlpg.point_configs counts the distinct
 *		configurations among a point's benchmarks, dlpg.point_mixed names the
 *		axes whose values differ among them.
 *
 * Both aggregates take the axes' names (a constant text[]) and then one
 * value per axis (VARIADIC "any": integer or text columns, NULL counting as
 * a value).  They have the same transition function, arguments and state,
 * so PostgreSQL computes one state for both and only the final functions
 * differ.  The state keeps the first configuration whole, a flag per value
 * that differs from it in some configuration, and every configuration as a
 * 64-bit hash of its encoding (core/config_wire.h): a row costs one
 * encoding and one hash, and only a new configuration is compared with the
 * first.  States are small (8 bytes a configuration), so parallel workers
 * hand them on cheaply; the deserializer checks every byte.
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
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(dlpg_configs_accum);
PG_FUNCTION_INFO_V1(dlpg_configs_combine);
PG_FUNCTION_INFO_V1(dlpg_configs_serialize);
PG_FUNCTION_INFO_V1(dlpg_configs_deserialize);
PG_FUNCTION_INFO_V1(dlpg_configs_count_final);
PG_FUNCTION_INFO_V1(dlpg_configs_mixed_final);

/*
 * The configurations seen: the first one whole (to tell which values
 * differ), every one as a 64-bit hash of its encoding (to count them; two
 * configurations sharing a hash would count once: for a point of a million
 * configurations, a chance of about 3e-8).
 */
typedef struct ConfigSet
{
	MemoryContext cxt;
	int			nnames;
	char	  **names;
	bool	   *is_int;			/* per value: an int4 argument, else text */
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

static ConfigSet *
new_set(MemoryContext cxt, int nnames)
{
	ConfigSet  *set = MemoryContextAllocZero(cxt, sizeof(ConfigSet));
	MemoryContext old = MemoryContextSwitchTo(cxt);

	set->cxt = cxt;
	set->nnames = nnames;
	set->names = palloc0(sizeof(char *) * Max(nnames, 1));
	set->is_int = palloc0(sizeof(bool) * Max(nnames, 1));
	set->differs = palloc0(sizeof(bool) * Max(nnames, 1));
	set->size = 16;
	set->hashes = palloc0(sizeof(uint64) * set->size);
	initStringInfo(&set->row);
	initStringInfo(&set->last_row);
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

/* The first call of a group: the names, and each value's type. */
static ConfigSet *
start_set(FunctionCallInfo fcinfo, MemoryContext cxt)
{
	int			nvalues = PG_NARGS() - 2;
	ArrayType  *names;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	ConfigSet  *set;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the axis names of a configuration aggregate must not be null")));
	names = PG_GETARG_ARRAYTYPE_P(1);
	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	if (nelems != nvalues || nvalues > CONFIG_MAX_VALUES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a configuration aggregate takes one name per value, at most %d (got %d names, %d values)",
						CONFIG_MAX_VALUES, nelems, nvalues)));

	set = new_set(cxt, nvalues);
	for (int i = 0; i < nvalues; i++)
	{
		Oid			type = get_fn_expr_argtype(fcinfo->flinfo, i + 2);

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the axis names of a configuration aggregate must not be null")));
		if (type != INT4OID && type != TEXTOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("configuration values must be integer or text, not %s",
							type == InvalidOid ? "unknown" : format_type_be(type))));
		set->is_int[i] = type == INT4OID;
		set->names[i] = MemoryContextStrdup(cxt, TextDatumGetCString(elems[i]));
	}
	return set;
}

/*
 * Are this call's values those of the previous row (set->last_row)?  Read
 * in place, value by value, so that a run of one configuration costs no
 * encoding and no hash.
 */
static bool
same_as_last_row(FunctionCallInfo fcinfo, const ConfigSet *set)
{
	const unsigned char *p = (const unsigned char *) set->last_row.data;

	for (int i = 0; i < set->nnames; i++)
	{
		uint32		len;

		if (PG_ARGISNULL(i + 2))
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
			if (len != 4 || config_wire_get_u32(p) != (uint32) PG_GETARG_INT32(i + 2))
				return false;
		}
		else
		{
			text	   *t = PG_GETARG_TEXT_PP(i + 2);

			if (len != VARSIZE_ANY_EXHDR(t) || memcmp(p, VARDATA_ANY(t), len) != 0)
				return false;
		}
		p += len;
	}
	return true;
}

/* dlpg.configs_accum(internal, names text[], VARIADIC "any") -> internal */
Datum
dlpg_configs_accum(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	ConfigSet  *set = PG_ARGISNULL(0) ? start_set(fcinfo, cxt) : (ConfigSet *) PG_GETARG_POINTER(0);
	StringInfo	row = &set->row;

	if (PG_NARGS() - 2 != set->nnames)
		elog(ERROR, "configuration aggregate called with a changing number of values");
	/* the same configuration as the row before (trials come in runs): nothing to do */
	if (set->last_row.len > 0 && same_as_last_row(fcinfo, set))
		PG_RETURN_POINTER(set);
	resetStringInfo(row);
	for (int i = 0; i < set->nnames; i++)
	{
		unsigned char head[5];

		if (PG_ARGISNULL(i + 2))
		{
			appendStringInfoChar(row, CONFIG_NULL);
			continue;
		}
		head[0] = CONFIG_VALUE;
		if (set->is_int[i])
		{
			unsigned char v[4];

			config_wire_put_u32(head + 1, 4);
			config_wire_put_u32(v, (uint32) PG_GETARG_INT32(i + 2));
			append_bytes(row, head, 5);
			append_bytes(row, v, 4);
		}
		else
		{
			text	   *t = PG_GETARG_TEXT_PP(i + 2);

			config_wire_put_u32(head + 1, VARSIZE_ANY_EXHDR(t));
			append_bytes(row, head, 5);
			append_bytes(row, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		}
	}
	add_config(set, (unsigned char *) row->data, row->len,
			   hash_bytes_extended((unsigned char *) row->data, row->len, 0));
	resetStringInfo(&set->last_row);
	append_bytes(&set->last_row, row->data, row->len);
	PG_RETURN_POINTER(set);
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

/* dlpg.configs_combine(internal, internal) -> internal */
Datum
dlpg_configs_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	ConfigSet  *a = PG_ARGISNULL(0) ? NULL : (ConfigSet *) PG_GETARG_POINTER(0);
	ConfigSet  *b = PG_ARGISNULL(1) ? NULL : (ConfigSet *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = new_set(cxt, b->nnames);
		for (int i = 0; i < b->nnames; i++)
		{
			a->names[i] = MemoryContextStrdup(cxt, b->names[i]);
			a->is_int[i] = b->is_int[i];
		}
	}
	else if (a->nnames != b->nnames)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("cannot combine configuration states of %d and %d axes", a->nnames, b->nnames)));
	merge_sets(a, b);
	PG_RETURN_POINTER(a);
}

/* dlpg.configs_serialize(internal) -> bytea */
Datum
dlpg_configs_serialize(PG_FUNCTION_ARGS)
{
	ConfigSet  *set = (ConfigSet *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	unsigned char u32[4];
	unsigned char u64[8];

	(void) aggregate_context(fcinfo);
	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	appendStringInfoChar(&buf, CONFIG_WIRE_VERSION);
	appendStringInfoChar(&buf, (char) (set->nnames >> 8));
	appendStringInfoChar(&buf, (char) set->nnames);
	for (int i = 0; i < set->nnames; i++)
	{
		config_wire_put_u32(u32, strlen(set->names[i]));
		append_bytes(&buf, u32, 4);
		append_bytes(&buf, set->names[i], strlen(set->names[i]));
	}
	appendStringInfoChar(&buf, set->first ? 1 : 0);
	if (set->first)
	{
		config_wire_put_u32(u32, set->first_len);
		append_bytes(&buf, u32, 4);
		append_bytes(&buf, set->first, set->first_len);
	}
	for (int i = 0; i < set->nnames; i++)
		appendStringInfoChar(&buf, set->differs[i] ? 1 : 0);
	config_wire_put_u32(u32, set->count);
	append_bytes(&buf, u32, 4);
	if (set->has_zero)
	{
		config_wire_put_u64(u64, 0);
		append_bytes(&buf, u64, 8);
	}
	for (uint32 i = 0; i < set->size; i++)
		if (set->hashes[i] != 0)
		{
			config_wire_put_u64(u64, set->hashes[i]);
			append_bytes(&buf, u64, 8);
		}
	SET_VARSIZE(buf.data, buf.len);
	PG_RETURN_BYTEA_P((bytea *) buf.data);
}

/* dlpg.configs_deserialize(bytea, internal) -> internal */
Datum
dlpg_configs_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	ConfigWire	wire;
	const char *why = config_wire_decode((unsigned char *) VARDATA_ANY(bytes),
										 VARSIZE_ANY_EXHDR(bytes), &wire);
	const unsigned char *cursor;
	ConfigSet  *set;

	if (why)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid configuration aggregate state: %s", why)));
	set = new_set(cxt, wire.nnames);
	cursor = wire.names;
	for (int i = 0; i < wire.nnames; i++)
	{
		ConfigWireItem name = config_wire_next(&cursor);

		set->names[i] = MemoryContextAlloc(cxt, name.len + 1);
		memcpy(set->names[i], name.bytes, name.len);
		set->names[i][name.len] = '\0';
		set->differs[i] = wire.differs[i] == 1;
	}
	if (wire.has_first)
	{
		set->first = MemoryContextAlloc(cxt, Max(wire.first_len, 1));
		memcpy(set->first, wire.first, wire.first_len);
		set->first_len = wire.first_len;
	}
	/* repeated hashes in foreign bytes count once */
	for (uint32 i = 0; i < wire.nhashes; i++)
	{
		CHECK_FOR_INTERRUPTS();
		add_hash(set, config_wire_get_u64(wire.hashes + 8 * (Size) i));
	}
	PG_RETURN_POINTER(set);
}

/* dlpg.configs_count_final(internal) -> integer: how many configurations */
Datum
dlpg_configs_count_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) Min(((ConfigSet *) PG_GETARG_POINTER(0))->count, PG_INT32_MAX));
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* dlpg.configs_mixed_final(internal) -> text[]: the axes that differ, sorted */
Datum
dlpg_configs_mixed_final(PG_FUNCTION_ARGS)
{
	ConfigSet  *set;
	char	  **mixed;
	Datum	   *elems;
	int			n = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	set = (ConfigSet *) PG_GETARG_POINTER(0);
	mixed = palloc(sizeof(char *) * Max(set->nnames, 1));
	for (int i = 0; i < set->nnames; i++)
		if (set->differs[i])
			mixed[n++] = set->names[i];
	qsort(mixed, n, sizeof(char *), compare_names);
	elems = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(mixed[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}
