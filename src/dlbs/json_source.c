/*
 * json_source.c
 *		Input format "dlbs_json": DLBS benchmarks as JSON objects of DLBS
 *		keys, one object, an array of them, or DLBS's bench-data file
 *		{"data": [...]}.
 *
 * One object is the whole input (its problems refuse the input); in an
 * array each element is a benchmark of its own, refused alone.
 */
#include "postgres.h"

#include "clip.h"
#include "derive.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "source.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#define DOCUMENT_HINT "Pass one benchmark object, an array of them, or {\"data\": [...]}."

/*
 * Does an object hold a DLBS parameter (a key "exp.*" or "results.*")?  An
 * object without one is some other JSON (an MLPerf system description, a
 * manifest), not a benchmark whose every column is unknown.
 */
static bool
has_dlbs_key(JsonbContainer *object)
{
	JsonbIterator *it = JsonbIteratorInit(object);
	JsonbValue	v;
	JsonbIteratorToken tok;

	/* skipNested: the object's own keys, not those of its values */
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_KEY &&
			((v.val.string.len > 4 && strncmp(v.val.string.val, "exp.", 4) == 0) ||
			 (v.val.string.len > 8 && strncmp(v.val.string.val, "results.", 8) == 0)))
			return true;
	}
	return false;
}

/* The problem of an object without DLBS parameters: its first keys, each cut on a character. */
static void
set_not_dlbs(DlpgProblem *problem, JsonbContainer *object)
{
	JsonbIterator *it = JsonbIteratorInit(object);
	JsonbValue	v;
	StringInfoData keys;
	int			nkeys = 0;
	JsonbIteratorToken tok;

	initStringInfo(&keys);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE && nkeys < 5)
		if (tok == WJB_KEY)
			appendStringInfo(&keys, "%s\"%s\"", nkeys++ ? ", " : "",
							 dlpg_clip(v.val.string.val, v.val.string.len, 40));
	dlpg_set_problem(problem, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
					 "not a DLBS benchmark: no \"exp.*\" or \"results.*\" key");
	problem->detail = psprintf("Its keys begin %s.", keys.data);
}

/* An element of an array: a benchmark, or a problem of its own. */
static void
read_element(JsonbValue *elem, int elemno, SourceSink *sink)
{
	BenchmarkRow row;
	DlpgProblem problem;

	if (elem->type != jbvBinary || !JsonContainerIsObject(elem->val.binary.data))
	{
		dlpg_set_problem(&problem, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
						 "benchmark is not a JSON object");
		problem.detail = psprintf("element %d is %s", elemno,
								  elem->type == jbvBinary ? "an array" : "a scalar");
		dlpg_source_problem(sink, elemno, &problem, dlpg_json_text(elem));
		return;
	}
	if (JsonContainerSize(elem->val.binary.data) == 0)
	{
		dlpg_set_problem(&problem, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
						 "benchmark object has no parameters");
		problem.detail = psprintf("element %d is {}", elemno);
		dlpg_source_problem(sink, elemno, &problem, "{}");
		return;
	}
	if (!has_dlbs_key(elem->val.binary.data))
	{
		set_not_dlbs(&problem, elem->val.binary.data);
		dlpg_source_problem(sink, elemno, &problem, dlpg_json_text(elem));
		return;
	}
	if (!dlpg_derive_row(elem->val.binary.data, &row, &problem))
	{
		dlpg_source_problem(sink, elemno, &problem, dlpg_json_text(elem));
		return;
	}
	dlpg_source_benchmark(sink, elemno, &row, JsonbValueToJsonb(elem));
}

/* The elements of an array, each in memory of its own: memory stays flat. */
static void
read_elements(JsonbContainer *elements, SourceSink *sink)
{
	JsonbIterator *it = JsonbIteratorInit(elements);
	MemoryContext per_element = AllocSetContextCreate(CurrentMemoryContext,
													  "dlpg dlbs_json element",
													  ALLOCSET_DEFAULT_SIZES);
	MemoryContext outer = MemoryContextSwitchTo(per_element);
	JsonbValue	elem;
	JsonbIteratorToken tok;
	int			elemno = 0;

	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok != WJB_ELEM)
			continue;
		read_element(&elem, ++elemno, sink);
		MemoryContextReset(per_element);
	}
	MemoryContextSwitchTo(outer);
	MemoryContextDelete(per_element);
}

/* A problem of the document as a whole. */
static void
refuse_document(SourceSink *sink, const char *message, char *detail)
{
	DlpgProblem problem;

	dlpg_set_problem(&problem, ERRCODE_INVALID_PARAMETER_VALUE, NULL, pstrdup(message));
	problem.detail = detail;
	problem.hint = detail ? NULL : DOCUMENT_HINT;
	dlpg_source_problem(sink, 0, &problem, NULL);
}

static void
read_dlbs_json(const SourceInput *input, SourceSink *sink)
{
	Jsonb	   *doc = input->doc;
	JsonbValue	databuf;
	JsonbValue *data;
	BenchmarkRow row;
	DlpgProblem problem;

	/* jsonb_in's syntax errors are raised, as for any jsonb argument */
	if (doc == NULL)
		doc = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
												 CStringGetDatum(pnstrdup(input->data, input->len))));

	if (JB_ROOT_IS_SCALAR(doc))
		refuse_document(sink, "benchmark document must be an object or an array", NULL);
	else if (JB_ROOT_IS_ARRAY(doc))
		read_elements(&doc->root, sink);
	else if ((data = getKeyJsonValueFromContainer(&doc->root, "data", 4, &databuf)) != NULL)
	{
		if (data->type == jbvBinary && JsonContainerIsArray(data->val.binary.data))
			read_elements(data->val.binary.data, sink);
		else
			refuse_document(sink, "\"data\" must be an array of benchmark objects",
							psprintf("\"data\" is %s.",
									 data->type == jbvBinary ? "an object" : "a scalar"));
	}
	/* one benchmark object: the whole input */
	else if (JB_ROOT_COUNT(doc) == 0)
		refuse_document(sink, "benchmark object has no parameters", NULL);
	else if (!has_dlbs_key(&doc->root))
	{
		set_not_dlbs(&problem, &doc->root);
		dlpg_source_problem(sink, 0, &problem, NULL);
	}
	else if (!dlpg_derive_row(&doc->root, &row, &problem))
		dlpg_source_problem(sink, 0, &problem, NULL);
	else
		dlpg_source_benchmark(sink, 0, &row, doc);
}

const InputSource dlbs_json_source = {
	.name = "dlbs_json",
	.description = "DLBS benchmarks as JSON: one object of DLBS keys, an array of them, or {\"data\": [...]}",
	.read = read_dlbs_json,
};
