/*
 * dlpg.c
 *		Module entry point of dlpg, the Deep Learning Performance Guide in
 *		PostgreSQL.  The work is split by concern:
 *
 *		log_parser.c	DLBS log text -> jsonb parameters (dlpg.parse_log)
 *		log_lines.c	the DLBS line grammar (plain C, fuzzed)
 *		json_syntax.c	JSON values as events (plain C, fuzzed)
 *		derive.c		parameters -> typed columns and status
 *		ingest.c		storing benchmarks and rejects (dlpg.ingest, dlpg.ingest_json)
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
