/*
 * source.c
 *		The input formats dlpg reads (dlpg.sources) and what every source
 *		shares.
 */
#include "postgres.h"

#include "clip.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "source.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(dlpg_sources);

/* Every format, in the order dlpg.sources() lists them. */
static const InputSource *const sources[] = {
	&dlbs_log_source,
	&dlbs_json_source,
	&mlperf_training_source,
	&mlperf_inference_source,
};

const InputSource *
dlpg_find_source(const char *name)
{
	StringInfoData known;

	for (size_t i = 0; i < lengthof(sources); i++)
		if (strcmp(sources[i]->name, name) == 0)
			return sources[i];

	initStringInfo(&known);
	for (size_t i = 0; i < lengthof(sources); i++)
		appendStringInfo(&known, "%s%s", i ? ", " : "", sources[i]->name);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown input format \"%s\"", dlpg_clip_quote(name, strlen(name))),
			 errhint("Known formats: %s (see dlpg.sources()).", known.data)));
	return NULL;				/* keep compiler quiet */
}

bool
dlpg_set_problem(DlpgProblem *problem, int sqlerrcode, const char *key, char *message)
{
	memset(problem, 0, sizeof(*problem));
	problem->sqlerrcode = sqlerrcode;
	problem->key = key ? pstrdup(key) : NULL;
	problem->message = message;
	return false;
}

/* A JSON value (scalar or container) as JSON text. */
char *
dlpg_json_text(const JsonbValue *v)
{
	Jsonb	   *j = JsonbValueToJsonb(unconstify(JsonbValue *, v));

	return JsonbToCString(NULL, &j->root, VARSIZE(j));
}

/* "a string", "a number", ..., "an object": what a value is, for messages. */
const char *
dlpg_json_type_name(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "a boolean";
		case jbvNull:
			return "null";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? "an array" : "an object";
		default:
			return "a container";
	}
}

/* dlpg.sources() -> TABLE (name text, description text) */
Datum
dlpg_sources(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (size_t i = 0; i < lengthof(sources); i++)
	{
		Datum		values[2] = {CStringGetTextDatum(sources[i]->name),
		CStringGetTextDatum(sources[i]->description)};
		bool		nulls[2] = {false, false};

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
