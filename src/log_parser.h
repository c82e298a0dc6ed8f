/*
 * log_parser.h
 *		DLBS log text to one flat jsonb object (log_parser.c).
 */
#ifndef DLPG_LOG_PARSER_H
#define DLPG_LOG_PARSER_H

#include "utils/jsonb.h"

/* The log's parameters as a jsonb object; *nparams counts its parameter lines. */
extern Jsonb *dlbs_parse_log(char *text, int len, int *nparams);

/* The number of the last line that sets key, for error details. */
extern int	dlbs_last_line_of_key(const char *text, int len, const char *key);

#endif							/* DLPG_LOG_PARSER_H */
