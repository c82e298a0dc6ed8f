/*
 * benchmark_columns.h
 *		The columns of dlpg.benchmarks that an ingest writes, declared once.
 *
 * Each DLPG_COLUMN(name, sqltype, kind) entry is one column, in the order of
 * the INSERT's parameters.  The list is expanded by the includer, which
 * defines DLPG_COLUMN first (this file has no include guard, on purpose):
 *
 *   benchmark.h	the members of BenchmarkRow (DLPG_ROW_MEMBER_<kind>)
 *   store.c	the column table that both the INSERT statements and the
 *				fill of their parameters loop over
 *
 * sqltype is the column's type OID macro (catalog/pg_type.h, expanded only
 * where that header is included).  kind says where the value comes from and
 * how its NULL is spelled:
 *
 *   DLPG_COL_TEXT		char *name; NULL pointer is SQL NULL
 *   DLPG_COL_POSINT	int32 name; 0 is SQL NULL (every present value is positive)
 *   DLPG_COL_FLOAT8	double name, with bool has_<name>; !has_<name> is SQL NULL
 *   DLPG_COL_TIMESTAMP	TimestampTz name, with bool has_<name>; !has_<name> is SQL NULL
 *   DLPG_COL_BOOL		bool name; never NULL
 *   DLPG_COL_ARRAY		Datum name; (Datum) 0 is SQL NULL
 *   DLPG_COL_SOURCE	not in BenchmarkRow: the ingest's source argument (text *)
 *   DLPG_COL_PARAMS	not in BenchmarkRow: the benchmark's parameters (Jsonb *)
 *   DLPG_COL_DEDUP_KEY	not in BenchmarkRow: computed from exp_id or the parameters
 */
DLPG_COLUMN(exp_id, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(source, TEXTOID, DLPG_COL_SOURCE)
DLPG_COLUMN(status, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(status_reason, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(framework, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(framework_version, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(model, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(phase, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(precision, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(data_type, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(device_type, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(processing_unit, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(devices_per_node, INT4OID, DLPG_COL_POSINT)
DLPG_COLUMN(num_nodes, INT4OID, DLPG_COL_POSINT)
DLPG_COLUMN(num_devices, INT4OID, DLPG_COL_POSINT)
DLPG_COLUMN(interconnect, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(replica_batch, INT4OID, DLPG_COL_POSINT)
DLPG_COLUMN(effective_batch, INT4OID, DLPG_COL_POSINT)
DLPG_COLUMN(server, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(software, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(batch_time_ms, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(throughput, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(throughput_derived, BOOLOID, DLPG_COL_BOOL)
DLPG_COLUMN(batch_times_ms, FLOAT8ARRAYOID, DLPG_COL_ARRAY)
DLPG_COLUMN(batch_time_p50, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(batch_time_p90, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(batch_time_p99, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(batch_time_cv, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(run_at, TIMESTAMPTZOID, DLPG_COL_TIMESTAMP)
DLPG_COLUMN(run_seconds, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(submitter, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(division, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(round, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(scenario, TEXTOID, DLPG_COL_TEXT)
DLPG_COLUMN(time_to_train, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(mlperf_latency, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(latency_p50, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(latency_p90, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(latency_p95, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(latency_p97, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(latency_p99, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(latency_p99_9, FLOAT8OID, DLPG_COL_FLOAT8)
DLPG_COLUMN(params, JSONBOID, DLPG_COL_PARAMS)
DLPG_COLUMN(dedup_key, TEXTOID, DLPG_COL_DEDUP_KEY)
