/*
 * dlpg.c
 *		Module entry point of dlpg, the Deep Learning Performance Guide in
 *		PostgreSQL.  The work is split by concern:
 *
 *		log_parser.c	DLBS log text -> jsonb parameters (dlpg.parse_log)
 *		json_reader.c	JSON values -> jsonb, without the generic lexer
 *		derive.c		parameters -> typed columns and status
 *		ingest.c		storing benchmarks and rejects (dlpg.ingest, dlpg.ingest_json)
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
