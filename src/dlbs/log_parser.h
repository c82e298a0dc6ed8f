/*
 * log_parser.h
 *		DLBS log text to one flat jsonb object (log_parser.c).
 */
#ifndef DLPG_LOG_PARSER_H
#define DLPG_LOG_PARSER_H

#include "benchmark.h"

/*
 * The log's parameters as a flat jsonb object; *nparams, when not NULL,
 * counts its parameter lines (repeated keys each time).  NULL, with *problem
 * naming the line and key, when a value is nested too deep to read.
 */
extern Jsonb *dlbs_parse_log(char *text, int len, int *nparams, DlpgProblem *problem);

/* The number of the last line that sets key, for error details. */
extern int	dlbs_last_line_of_key(const char *text, int len, const char *key);

#endif							/* DLPG_LOG_PARSER_H */
