/*
 * log_source.c
 *		Input format "dlbs_log": one DLBS log, one benchmark.
 *
 * The log's parameter lines become the parameters (log_parser.c), the DLBS
 * keys the columns (derive.c).  A problem with a key names its line: the
 * parser's own, or for a derived column the log's last line that sets the
 * key, which is the value that was read.
 */
#include "postgres.h"

#include "derive.h"
#include "log_parser.h"
#include "source.h"

static void
read_dlbs_log(const SourceInput *input, SourceSink *sink)
{
	char	   *data = unconstify(char *, input->data);
	int			nparams;
	DlpgProblem problem;
	Jsonb	   *params = dlbs_parse_log(data, input->len, &nparams, &problem);
	BenchmarkRow row;

	if (params == NULL)
		dlpg_source_problem(sink, 0, &problem, NULL);
	else if (nparams == 0)
	{
		dlpg_set_problem(&problem, ERRCODE_INVALID_TEXT_REPRESENTATION, NULL,
						 "invalid DLBS log: no parameter lines");
		problem.detail = input->len == 0 ? "The log is empty." :
			"No line has the form __key__=value.";
		problem.hint = "Pass the text of a log written by DLBS.";
		dlpg_source_problem(sink, 0, &problem, NULL);
	}
	else if (!dlpg_derive_row(&params->root, &row, &problem))
	{
		problem.line = dlbs_last_line_of_key(data, input->len, problem.key);
		dlpg_source_problem(sink, 0, &problem, NULL);
	}
	else
		dlpg_source_benchmark(sink, 0, &row, params);
}

const InputSource dlbs_log_source = {
	.name = "dlbs_log",
	.description = "a DLBS log: its __key__=value lines are one benchmark",
	.read = read_dlbs_log,
};
