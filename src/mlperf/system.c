/*
 * system.c
 *		What both MLPerf sources share: their input object, where a result
 *		sits in its repository (the folders of its path), the columns a
 *		system description (systems/<system>.json) gives, the dedup identity,
 *		and small readers of jsonb values.
 *
 * A system description is written by hand by each submitter: numbers come
 * as numbers or as strings ("8"), absent values as "" or "N/A".  What
 * cannot be read leaves its column NULL; the description is kept whole in
 * params either way.
 */
#include "postgres.h"

#include "utils/formatting.h"

#include <math.h>

#include "clip.h"
#include "common/cryptohash.h"
#include "common/int.h"
#include "common/sha2.h"
#include "common/shortest_dec.h"
#include "mlperf.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#define INPUT_HINT "Pass a JSON object {\"path\": ..., %s, \"system\": <object or null>} (see dlpg.sources())."

JsonbValue *
mlperf_get(JsonbContainer *c, const char *key, JsonbValue *buf)
{
	if (c == NULL || !JsonContainerIsObject(c))
		return NULL;
	return getKeyJsonValueFromContainer(c, key, strlen(key), buf);
}

char *
mlperf_string(const JsonbValue *v)
{
	if (v == NULL || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* A numeric as a double without raising: numeric_out, then strtod (inf for huge). */
static double
numeric_double(Numeric n)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));

	return strtod(s, NULL);
}

bool
mlperf_number(const JsonbValue *v, double *out)
{
	if (v == NULL)
		return false;
	if (v->type == jbvNumeric)
		*out = numeric_double(v->val.numeric);
	else if (v->type == jbvString)
	{
		char	   *s = pnstrdup(v->val.string.val, v->val.string.len);
		char	   *end;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			return false;
		errno = 0;
		*out = strtod(s, &end);
		while (*end == ' ')
			end++;
		if (*end != '\0' || errno != 0)
			return false;
	}
	else
		return false;
	return isfinite(*out);
}

int32
mlperf_count(const JsonbValue *v)
{
	double		d;

	if (!mlperf_number(v, &d) || d < 1 || d > PG_INT32_MAX || d != floor(d))
		return 0;
	return (int32) d;
}

void
mlperf_put_key(JsonbParseState **st, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = unconstify(char *, key);
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
}

void
mlperf_put_text(JsonbParseState **st, const char *key, const char *value)
{
	JsonbValue	v;

	mlperf_put_key(st, key);
	if (value == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = unconstify(char *, value);
		v.val.string.len = strlen(value);
	}
	pushJsonbValue(st, WJB_VALUE, &v);
}

/* key: the container, or null when c is NULL */
void
mlperf_put_container(JsonbParseState **st, const char *key, JsonbContainer *c)
{
	JsonbValue	v;

	mlperf_put_key(st, key);
	if (c == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvBinary;
		v.val.binary.data = c;
		v.val.binary.len = 0;	/* unused by pushJsonbValue, which unpacks it */
	}
	pushJsonbValue(st, WJB_VALUE, &v);
}

void
mlperf_put_number(JsonbParseState **st, const char *key, double value)
{
	JsonbValue	v;
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	mlperf_put_key(st, key);
	v.type = jbvNumeric;
	/* the shortest text that reads back exactly: float8_numeric keeps only 15 digits */
	double_to_shortest_decimal_buf(value, buf);
	v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
														ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	pushJsonbValue(st, WJB_VALUE, &v);
}

/* "warnings": [warning] */
void
mlperf_put_warning(JsonbParseState **st, const char *warning)
{
	JsonbValue	w;

	mlperf_put_key(st, "warnings");
	pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
	w.type = jbvString;
	w.val.string.val = unconstify(char *, warning);
	w.val.string.len = strlen(warning);
	pushJsonbValue(st, WJB_ELEM, &w);
	pushJsonbValue(st, WJB_END_ARRAY, NULL);
}

/* "training v3.0" from a repository folder "training_results_v3.0" (or "..._v3.0-main"); else NULL. */
static char *
round_of(const char *repo)
{
	const char *mark = strstr(repo, "_results_v");
	const char *ver;
	int			n = 0;

	if (mark == NULL || mark == repo)
		return NULL;
	ver = mark + strlen("_results_v");
	while (isdigit((unsigned char) ver[n]) || (ver[n] == '.' && isdigit((unsigned char) ver[n + 1])))
		n++;
	if (n == 0)
		return NULL;
	return psprintf("%.*s v%.*s", (int) (mark - repo), repo, n, ver);
}

/* The path's folders (mlperf.h); components split on '/', empty and "." ones dropped. */
static void
split_path(const char *path, bool inference, MlperfPath *out)
{
	char	   *copy = pstrdup(path);
	char	  **comp = palloc(sizeof(char *) * (strlen(path) / 2 + 2));
	int			n = 0;
	int			after = inference ? 5 : 3;	/* components after "results" */
	int			i;
	int			first;

	memset(out, 0, sizeof(*out));
	for (char *tok = strtok(copy, "/"); tok; tok = strtok(NULL, "/"))
		if (strcmp(tok, ".") != 0)
			comp[n++] = tok;

	/* the last "results" folder followed by exactly the layout's folders */
	i = n - after - 1;
	if (i < 1 || strcmp(comp[i], "results") != 0 ||
		(inference && strcmp(comp[n - 2], "performance") != 0))
	{
		out->relative = pstrdup(path);
		return;
	}
	out->submitter = comp[i - 1];
	out->system = comp[i + 1];
	out->benchmark = comp[i + 2];
	first = i - 1;
	if (inference)
	{
		out->scenario = comp[i + 3];
		/* <repo>/<division>/<Submitter>: either may be left out of the path */
		if (i >= 2 && (out->round = round_of(comp[i - 2])) == NULL)
		{
			out->division = comp[i - 2];
			if (i >= 3)
				out->round = round_of(comp[i - 3]);
		}
	}
	else if (i >= 2)
		out->round = round_of(comp[i - 2]);

	/* the identity's path: from the submitter folder on */
	{
		StringInfoData s;

		initStringInfo(&s);
		for (int k = first; k < n; k++)
			appendStringInfo(&s, "%s%s", k > first ? "/" : "", comp[k]);
		out->relative = s.data;
	}
}

static void
input_problem(DlpgProblem *problem, const MlperfInput *in, const char *key, char *message)
{
	dlpg_set_problem(problem, ERRCODE_INVALID_PARAMETER_VALUE, key, message);
	problem->hint = psprintf(INPUT_HINT, strcmp(in->format, "mlperf_training") == 0
							 ? "\"result\": <result file text>, \"scaling\": <object or null>"
							 : "\"summary\": <summary text>, \"detail\": <detail text or null>");
}

bool
mlperf_input_text(const MlperfInput *in, const char *key, bool required, char **out, int *len,
				  DlpgProblem *problem)
{
	JsonbValue	buf;
	JsonbValue *v = mlperf_get(&in->doc->root, key, &buf);

	*out = NULL;
	if (len)
		*len = 0;
	if ((v == NULL || v->type == jbvNull) && !required)
		return true;
	if (v == NULL || v->type != jbvString)
	{
		input_problem(problem, in, key,
					  v == NULL ? psprintf("%s input has no \"%s\"", in->format, key)
					  : psprintf("%s input's \"%s\" must be a string, not %s",
								 in->format, key, dlpg_json_type_name(v)));
		return false;
	}
	*out = v->val.string.val;	/* not NUL-terminated: *len says how long */
	if (len)
		*len = v->val.string.len;
	else
		*out = pnstrdup(v->val.string.val, v->val.string.len);
	return true;
}

bool
mlperf_input_object(const MlperfInput *in, const char *key, JsonbContainer **out,
					DlpgProblem *problem)
{
	JsonbValue	buf;
	JsonbValue *v = mlperf_get(&in->doc->root, key, &buf);

	*out = NULL;
	if (v == NULL || v->type == jbvNull)
		return true;
	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
	{
		input_problem(problem, in, key,
					  psprintf("%s input's \"%s\" must be a JSON object or null, not %s",
							   in->format, key, dlpg_json_type_name(v)));
		return false;
	}
	*out = v->val.binary.data;
	return true;
}

bool
mlperf_read_input(const SourceInput *input, const char *format, bool inference,
				  MlperfInput *in, DlpgProblem *problem)
{
	memset(in, 0, sizeof(*in));
	in->format = format;
	in->doc = input->doc ? input->doc :
		DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
										   CStringGetDatum(pnstrdup(input->data, input->len))));
	if (!JB_ROOT_IS_OBJECT(in->doc))
	{
		input_problem(problem, in, NULL, psprintf("%s input must be a JSON object", format));
		return false;
	}
	if (!mlperf_input_text(in, "path", true, &in->path, NULL, problem) ||
		!mlperf_input_object(in, "system", &in->system, problem))
		return false;
	if (in->path[0] == '\0')
	{
		input_problem(problem, in, "path", psprintf("%s input's \"path\" is empty", format));
		return false;
	}
	split_path(in->path, inference, &in->where);
	return true;
}

/* A text of the description, NULL for "", "N/A", "NA", "none", "-". */
static char *
system_text(JsonbContainer *system, const char *key)
{
	JsonbValue	buf;
	char	   *s = mlperf_string(mlperf_get(system, key, &buf));

	if (s == NULL)
		return NULL;
	s = pstrdup(s);
	/* trim */
	while (*s == ' ')
		s++;
	for (int n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
		s[n - 1] = '\0';
	if (*s == '\0' || pg_strcasecmp(s, "N/A") == 0 || pg_strcasecmp(s, "NA") == 0 ||
		pg_strcasecmp(s, "none") == 0 || strcmp(s, "-") == 0)
		return NULL;
	return s;
}

static int32
system_count(JsonbContainer *system, const char *key)
{
	JsonbValue	buf;

	return mlperf_count(mlperf_get(system, key, &buf));
}

/*
 * The framework's name in a description's "framework" text ("MXNet NVIDIA
 * Release 23.04", "TensorRT 10.2.0, CUDA 12.4"): the known name that comes
 * first in it, so the axis groups like DLBS's; else the whole text.
 */
static char *
framework_name(const char *text)
{
	static const char *const known[] = {
		"PyTorch", "TensorFlow", "MXNet", "JAX", "NeMo", "PaddlePaddle", "MindSpore",
		"TensorRT", "ONNX Runtime", "OpenVINO", "vLLM", "Caffe2", "Caffe", "Keras",
		"DeepSpeed", "Megatron", "TVM", "SGLang", NULL
	};
	const char *best = NULL;
	const char *best_at = NULL;
	const char *end = text + Min(strlen(text), 256);	/* the name comes first; a text may be huge */

	for (int i = 0; known[i]; i++)
	{
		int			len = strlen(known[i]);

		for (const char *p = text; p < end; p++)
			if (pg_strncasecmp(p, known[i], len) == 0)
			{
				if (best_at == NULL || p < best_at)
				{
					best = known[i];
					best_at = p;
				}
				break;
			}
	}
	return pstrdup(best ? best : text);
}

void
mlperf_system_columns(const MlperfInput *in, BenchmarkRow *row, char **warning)
{
	JsonbContainer *sys = in->system;

	*warning = NULL;
	row->server = in->where.system;
	row->round = in->where.round;
	if (sys == NULL)
	{
		*warning = psprintf("no system description%s%s%s: its columns are NULL",
							in->where.system ? " (systems/" : "",
							in->where.system ? in->where.system : "",
							in->where.system ? ".json)" : "");
		ereport(NOTICE,
				(errcode(ERRCODE_WARNING),
				 errmsg("MLPerf result \"%s\": %s", dlpg_clip_quote(in->path, strlen(in->path)),
						*warning),
				 errhint("Pass the system's systems/<system>.json as \"system\".")));
	}
	else
	{
		char	   *accelerator = system_text(sys, "accelerator_model_name");
		int32		accelerators = system_count(sys, "accelerators_per_node");
		char	   *framework = system_text(sys, "framework");

		/* CPU-only systems (no accelerator, or 0 of them): the host processors */
		if (accelerator && accelerators > 0)
		{
			row->processing_unit = accelerator;
			row->devices_per_node = accelerators;
		}
		else
		{
			row->processing_unit = system_text(sys, "host_processor_model_name");
			row->devices_per_node = system_count(sys, "host_processors_per_node");
		}
		row->num_nodes = system_count(sys, "number_of_nodes");
		if (row->num_nodes > 0 && row->devices_per_node > 0 &&
			pg_mul_s32_overflow(row->num_nodes, row->devices_per_node, &row->num_devices))
			row->num_devices = 0;
		if (framework)
		{
			row->software = framework;
			row->framework = framework_name(framework);
		}
		row->submitter = system_text(sys, "submitter");
		row->division = system_text(sys, "division");
		if (row->server == NULL)
			row->server = system_text(sys, "system_name");
	}
	if (row->submitter == NULL)
		row->submitter = in->where.submitter;
	if (row->division == NULL)
		row->division = in->where.division;
	if (row->division)
		row->division = asc_tolower(row->division, strlen(row->division));
}

/* Feed bytes to the hash, or fail loudly (out of memory). */
static void
hash_bytes(pg_cryptohash_ctx *ctx, const void *bytes, size_t len)
{
	if (pg_cryptohash_update(ctx, bytes, len) < 0)
		elog(ERROR, "could not compute SHA-256");
}

/*
 * The identity is a SHA-256 of the format, the relative path and the texts,
 * each preceded by its length (so no two different inputs give the same
 * bytes), computed as it goes: a result file may be large, and is not copied.
 */
void
mlperf_identity(BenchmarkRow *row, const MlperfInput *in,
				const char *const *texts, const int *lens, int ntexts)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	StringInfoData s;
	char	   *head;

	if (pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not compute SHA-256");
	head = psprintf("%s\n%zu:%s", in->format, strlen(in->where.relative), in->where.relative);
	hash_bytes(ctx, head, strlen(head));
	for (int i = 0; i < ntexts; i++)
	{
		char	   *len = psprintf("\n%d:", texts[i] ? lens[i] : -1);

		hash_bytes(ctx, len, strlen(len));
		if (texts[i])
			hash_bytes(ctx, texts[i], lens[i]);
	}
	if (pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256");
	pg_cryptohash_free(ctx);

	initStringInfo(&s);
	appendStringInfo(&s, "%s:", in->format);
	for (size_t i = 0; i < sizeof(digest); i++)
		appendStringInfo(&s, "%02x", digest[i]);
	row->identity = s.data;
	row->identity_len = s.len;
}
