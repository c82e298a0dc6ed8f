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
 * differ.  The state is the set of distinct configurations, each kept as
 * its encoding (core/config_wire.h): rows of one configuration cost one
 * encoding and one memcmp against the last one matched; beyond a few
 * configurations a hash index finds them.  With a combine function and a
 * checked (de)serializer, parallel plans keep working.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "config_wire.h"
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

#define LINEAR_LIMIT 8			/* configurations searched one by one */

typedef struct Config
{
	uint32		len;
	uint32		hash;
	unsigned char *bytes;
} Config;

typedef struct ConfigSet
{
	MemoryContext cxt;
	int			nnames;
	char	  **names;
	bool	   *is_int;			/* per value: an int4 argument, else text */
	int			nconfigs;
	int			capacity;
	Config	   *configs;
	int			last;			/* the configuration matched last */
	int		   *index;			/* open addressing on hash, -1 free; NULL while linear */
	int			index_size;		/* a power of 2, at least twice nconfigs */
	StringInfoData row;			/* the current row's encoding */
} ConfigSet;

/* appendBinaryStringInfo takes char * before PostgreSQL 16 */
static inline void
append_bytes(StringInfo s, const void *bytes, int len)
{
	appendBinaryStringInfo(s, (const char *) bytes, len);
}

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("dlpg configuration aggregate support function called outside an aggregate")));
	return cxt;
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
	set->capacity = 4;
	set->configs = palloc(sizeof(Config) * set->capacity);
	initStringInfo(&set->row);
	MemoryContextSwitchTo(old);
	return set;
}

static void
rebuild_index(ConfigSet *set, int size)
{
	if (set->index)
		pfree(set->index);
	set->index_size = size;
	set->index = MemoryContextAlloc(set->cxt, sizeof(int) * size);
	memset(set->index, -1, sizeof(int) * size);
	for (int i = 0; i < set->nconfigs; i++)
	{
		uint32		slot = set->configs[i].hash & (size - 1);

		while (set->index[slot] >= 0)
			slot = (slot + 1) & (size - 1);
		set->index[slot] = i;
	}
}

static inline bool
same_config(const Config *c, const unsigned char *bytes, uint32 len)
{
	return c->len == len && memcmp(c->bytes, bytes, len) == 0;
}

/* Add a configuration unless it is there already. */
static void
add_config(ConfigSet *set, const unsigned char *bytes, uint32 len)
{
	uint32		hash;
	Config	   *c;

	if (set->nconfigs > 0 && same_config(&set->configs[set->last], bytes, len))
		return;
	hash = hash_bytes(bytes, len);
	if (set->index == NULL)
	{
		for (int i = 0; i < set->nconfigs; i++)
			if (set->configs[i].hash == hash && same_config(&set->configs[i], bytes, len))
			{
				set->last = i;
				return;
			}
	}
	else
	{
		for (uint32 slot = hash & (set->index_size - 1); set->index[slot] >= 0;
			 slot = (slot + 1) & (set->index_size - 1))
		{
			int			i = set->index[slot];

			if (set->configs[i].hash == hash && same_config(&set->configs[i], bytes, len))
			{
				set->last = i;
				return;
			}
		}
	}

	if (set->nconfigs == set->capacity)
	{
		if ((Size) set->capacity * 2 * sizeof(Config) > MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many configurations in one chart point")));
		set->capacity *= 2;
		set->configs = repalloc(set->configs, sizeof(Config) * set->capacity);
	}
	c = &set->configs[set->nconfigs];
	c->len = len;
	c->hash = hash;
	c->bytes = MemoryContextAlloc(set->cxt, Max(len, 1));
	memcpy(c->bytes, bytes, len);
	set->last = set->nconfigs++;

	if (set->nconfigs > LINEAR_LIMIT && set->nconfigs * 2 > set->index_size)
		rebuild_index(set, set->index_size ? set->index_size * 2 : 64);
	else if (set->index)
	{
		uint32		slot = hash & (set->index_size - 1);

		while (set->index[slot] >= 0)
			slot = (slot + 1) & (set->index_size - 1);
		set->index[slot] = set->last;
	}
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

/* dlpg.configs_accum(internal, names text[], VARIADIC "any") -> internal */
Datum
dlpg_configs_accum(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	ConfigSet  *set = PG_ARGISNULL(0) ? start_set(fcinfo, cxt) : (ConfigSet *) PG_GETARG_POINTER(0);
	StringInfo	row = &set->row;

	if (PG_NARGS() - 2 != set->nnames)
		elog(ERROR, "configuration aggregate called with a changing number of values");
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
	add_config(set, (unsigned char *) row->data, row->len);
	PG_RETURN_POINTER(set);
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
	for (int i = 0; i < b->nconfigs; i++)
	{
		CHECK_FOR_INTERRUPTS();
		add_config(a, b->configs[i].bytes, b->configs[i].len);
	}
	PG_RETURN_POINTER(a);
}

/* dlpg.configs_serialize(internal) -> bytea */
Datum
dlpg_configs_serialize(PG_FUNCTION_ARGS)
{
	ConfigSet  *set = (ConfigSet *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	unsigned char u32[4];

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
	config_wire_put_u32(u32, set->nconfigs);
	append_bytes(&buf, u32, 4);
	for (int i = 0; i < set->nconfigs; i++)
	{
		CHECK_FOR_INTERRUPTS();
		config_wire_put_u32(u32, set->configs[i].len);
		append_bytes(&buf, u32, 4);
		append_bytes(&buf, set->configs[i].bytes, set->configs[i].len);
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
	}
	cursor = wire.tuples;
	for (uint32 t = 0; t < wire.ntuples; t++)
	{
		ConfigWireItem tuple = config_wire_next(&cursor);

		CHECK_FOR_INTERRUPTS();
		add_config(set, tuple.bytes, tuple.len);
	}
	PG_RETURN_POINTER(set);
}

/* dlpg.configs_count_final(internal) -> integer: how many configurations */
Datum
dlpg_configs_count_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_INT32(((ConfigSet *) PG_GETARG_POINTER(0))->nconfigs);
}

/* Does value i differ among the configurations (NULL counting as a value)? */
static bool
value_differs(const ConfigSet *set, int i)
{
	const unsigned char *first;
	uint32		first_len;
	bool		first_set = config_tuple_value(set->configs[0].bytes, i, &first, &first_len);

	for (int c = 1; c < set->nconfigs; c++)
	{
		const unsigned char *v;
		uint32		len;
		bool		is_set = config_tuple_value(set->configs[c].bytes, i, &v, &len);

		if (is_set != first_set || (is_set && (len != first_len || memcmp(v, first, len) != 0)))
			return true;
	}
	return false;
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
	for (int i = 0; set->nconfigs > 1 && i < set->nnames; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (value_differs(set, i))
			mixed[n++] = set->names[i];
	}
	qsort(mixed, n, sizeof(char *), compare_names);
	elems = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(mixed[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}
