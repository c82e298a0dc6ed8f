/*
 * session.c -- the database session of dlpg-load.
 *
 * Inputs go to the server in libpq's pipeline mode: BEGIN, then one statement per input
 * (dlpg.load with the input's format, or dlpg.reject for what the client itself
 * could not read), then COMMIT and a sync point every --batch inputs.
 *
 * Nothing outlives a transaction on the server: statements are unnamed (parsed with their
 * parameters in each Parse/Bind), no SET, no temporary table. Behind a pooler in transaction
 * mode (pgbouncer pool_mode = transaction) each transaction may run on another server
 * connection, one that other clients used before: a named prepared statement would be missing
 * there (26000) or already taken (42P05). The client reads
 * the next file while the server ingests the previous one, and waits for answers only at the
 * end of a batch. dlpg.load turns bad input into dlpg.rejects rows, so a batch normally
 * cannot fail.
 *
 * When it does (the server refuses a statement before load_log runs, e.g. a character its
 * encoding cannot hold), the batch is rolled back and the run asks for a restart: the walk is
 * done again from the batch's first input, the failing input alone in its own transaction,
 * where its error becomes a dlpg.rejects row written by the client. Errors that are not about
 * one input (connection lost, permission denied, ...) stop the run.
 */
#include "dlpg_load.h"

#include <stdlib.h>
#include <string.h>

#define TEXTOID 25

enum QueryKind
{
	Q_BEGIN,
	Q_COMMIT,
	Q_ROLLBACK,
	Q_LOAD,						/* an input: dlpg.load, or on older servers */
	Q_LOG,						/* dlpg.load_log */
	Q_JSON,						/* dlpg.load_json */
	Q_REJECT,
	Q_SYNC
};

struct Pending
{
	int			kind;
	bool		in_archive;
	long		ord;
	char	   *source;			/* Q_LOAD, Q_LOG, Q_JSON, Q_REJECT */
	char	   *reason;			/* Q_REJECT: for the message */
};

static bool
is_input_kind(int kind)
{
	return kind == Q_LOAD || kind == Q_LOG || kind == Q_JSON;
}

static const char *const kind_names[] = {"BEGIN", "COMMIT", "ROLLBACK", "dlpg.load",
"dlpg.load_log", "dlpg.load_json", "dlpg.reject", "sync"};

/* ------------------------------------------------------------------ connection */

static void
notice_processor(void *arg, const char *message)
{
	Loader	   *L = arg;
	size_t		n = strlen(message);

	if (L->opt.quiet)
		return;
	while (n > 0 && message[n - 1] == '\n')
		n--;
	msg(L, "server: %.*s", (int) n, message);
}

PGconn *
connect_db(const Options *opt)
{
	const char *kw[10];
	const char *val[10];
	int			i = 0;

	/* no connect_timeout given anywhere: do not hang forever on an unreachable host */
	if (getenv("PGCONNECT_TIMEOUT") == NULL)
	{
		kw[i] = "connect_timeout";
		val[i++] = "10";
	}
	if (opt->host)
	{
		kw[i] = "host";
		val[i++] = opt->host;
	}
	if (opt->port)
	{
		kw[i] = "port";
		val[i++] = opt->port;
	}
	if (opt->username)
	{
		kw[i] = "user";
		val[i++] = opt->username;
	}
	if (opt->dbname)
	{
		/* expanded: a conninfo string or URI overrides the options above, as with psql */
		kw[i] = "dbname";
		val[i++] = opt->dbname;
	}
	kw[i] = "fallback_application_name";
	val[i++] = "dlpg-load";
	/* inputs are checked as UTF-8 before they are sent, whatever PGCLIENTENCODING says */
	kw[i] = "client_encoding";
	val[i++] = "UTF8";
	kw[i] = NULL;
	val[i] = NULL;
	return PQconnectdbParams(kw, val, 1);
}

static void
print_result_error(Loader *L, const char *what, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *text = r ? PQresultErrorMessage(r) : NULL;
	size_t		n;

	if (text == NULL || *text == '\0')
		text = PQerrorMessage(L->conn);
	n = strlen(text);
	while (n > 0 && text[n - 1] == '\n')
		n--;
	msg(L, "%s: %.*s%s%s%s", what, (int) n, text, state ? " (SQLSTATE " : "", state ? state : "",
		state ? ")" : "");
}

/* the statements, sent unnamed with every input (see the header) */
static const char SQL_LOAD[] = "SELECT element, outcome, status FROM dlpg.load($1, $2, $3, $4)";
/* a 0.2.0 or 0.3.0 server has no dlpg.load: a function per DLBS format, the same columns */
static const char SQL_LOAD_LOG[] = "SELECT element, outcome, status FROM dlpg.load_log($1, $2, $3)";
static const char SQL_LOAD_JSON[] = "SELECT element, outcome, status FROM dlpg.load_json($1, $2, $3)";
/* dlpg.reject, the one writer of dlpg.rejects (the table's layout is the server's to know) */
static const char SQL_REJECT[] = "SELECT dlpg.reject($1, $2, $3, $4, NULL, NULL, NULL)";
/* a 0.2.0 server has no dlpg.reject: there the loader writes the row itself */
static const char SQL_REJECT_0_2[] =
"INSERT INTO dlpg.rejects (source, reason, detail, sqlstate) VALUES ($1, $2, $3, $4)";
static const Oid TEXT_TYPES[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};

/*
 * Check once that dlpg is installed here and recent enough, by parsing the calls as the
 * unnamed statement: nothing is kept on the server for later. Inputs go to dlpg.load (0.4.0),
 * else to dlpg.load_log / load_json; dlpg.sources() says whether MLPerf results can go too. Then choose how client rejects are written: dlpg.reject
 * (0.3.0), else an INSERT (0.2.0; not parsed here, as that locks dlpg.rejects, and waiting for
 * that lock would stop a run that may never reject).
 */
bool
check_statements(Loader *L)
{
	static const struct
	{
		const char *sql;
		int			nparams;
	}			stmts[] = {
		{SQL_LOAD_LOG, 3},
		{SQL_LOAD_JSON, 3},
	};
	PGresult   *r;
	const char *state;
	size_t		i;

	PQsetNoticeProcessor(L->conn, notice_processor, L);
	r = PQprepare(L->conn, "", SQL_LOAD, 4, TEXT_TYPES);
	L->has_load = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	/* the MLPerf formats: a server without them gets DLBS only (walk.c says so once) */
	L->has_mlperf_training = L->has_mlperf_inference = false;
	if (L->has_load)
	{
		int			i;

		r = PQexec(L->conn, "SELECT name FROM dlpg.sources()");
		if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		{
			/* the server's reason, not "this dlpg has no MLPerf formats" */
			print_result_error(L, "cannot list the server's input formats (dlpg.sources())", r);
			PQclear(r);
			return false;
		}
		for (i = 0; i < PQntuples(r); i++)
		{
			if (strcmp(PQgetvalue(r, i, 0), "mlperf_training") == 0)
				L->has_mlperf_training = true;
			else if (strcmp(PQgetvalue(r, i, 0), "mlperf_inference") == 0)
				L->has_mlperf_inference = true;
		}
		PQclear(r);
	}
	for (i = 0; !L->has_load && i < sizeof(stmts) / sizeof(stmts[0]); i++)
	{
		r = PQprepare(L->conn, "", stmts[i].sql, stmts[i].nparams, TEXT_TYPES);

		if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK)
		{
			state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
			print_result_error(L, "cannot prepare the loader's statements", r);
			if (state && (strcmp(state, "42883") == 0 || strcmp(state, "3F000") == 0 ||
						  strcmp(state, "42P01") == 0))
				msg(L, "is the dlpg extension (0.2.0 or later) installed in database \"%s\"? "
					"CREATE EXTENSION dlpg (or ALTER EXTENSION dlpg UPDATE)", PQdb(L->conn));
			PQclear(r);
			return false;
		}
		PQclear(r);
	}
	r = PQprepare(L->conn, "", SQL_REJECT, 4, TEXT_TYPES);
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK)
		L->reject_sql = SQL_REJECT;
	else if (state && strcmp(state, "42883") == 0)
		L->reject_sql = SQL_REJECT_0_2;
	else
	{
		print_result_error(L, "cannot prepare the loader's statements", r);
		PQclear(r);
		return false;
	}
	PQclear(r);
	if (!PQenterPipelineMode(L->conn))
	{
		print_result_error(L, "cannot enter pipeline mode", NULL);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ the pending queue */

static Pending *
pending_push(Loader *L, int kind, long ord, const char *source, const char *reason, bool in_archive)
{
	Pending    *p;

	if (L->pending_head > 0 && L->pending_head + L->npending == L->pending_cap)
	{
		memmove(L->pending, L->pending + L->pending_head, L->npending * sizeof(Pending));
		L->pending_head = 0;
	}
	if (L->pending_head + L->npending == L->pending_cap)
	{
		size_t		cap = L->pending_cap ? L->pending_cap * 2 : 256;
		Pending    *q = realloc(L->pending, cap * sizeof(Pending));

		if (q == NULL)
			return NULL;
		L->pending = q;
		L->pending_cap = cap;
	}
	p = &L->pending[L->pending_head + L->npending];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->ord = ord;
	p->in_archive = in_archive;
	if ((source && (p->source = strdup(source)) == NULL) ||
		(reason && (p->reason = strdup(reason)) == NULL))
	{
		free(p->source);
		return NULL;
	}
	L->npending++;
	return p;
}

static void
pending_pop(Loader *L)
{
	Pending    *p = &L->pending[L->pending_head];

	free(p->source);
	free(p->reason);
	L->pending_head++;
	L->npending--;
	if (L->npending == 0)
		L->pending_head = 0;
}

/* ------------------------------------------------------------------ results */

static void
count_row(Loader *L, const char *outcome, const char *status)
{
	bool		failed = status && strcmp(status, "failed") == 0;

	if (strcmp(outcome, "inserted") == 0)
	{
		L->batch.inserted++;
		L->batch.failed += failed;
	}
	else if (strcmp(outcome, "replaced") == 0)
	{
		L->batch.replaced++;
		L->batch.failed += failed;
	}
	else if (strcmp(outcome, "duplicate") == 0)
		L->batch.duplicates++;
	else
		L->batch.rejected++;
}

static void
take_rows(Loader *L, Pending *p, PGresult *r)
{
	int			n = PQntuples(r);
	int			i;
	long		rejected = 0;
	bool		whole = false;

	L->batch.files_read++;
	if (p->in_archive)
		L->batch.entries_read++;
	for (i = 0; i < n; i++)
	{
		const char *outcome = PQgetvalue(r, i, 1);
		const char *status = PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2);

		count_row(L, outcome, status);
		if (strcmp(outcome, "rejected") == 0)
		{
			rejected++;
			if (PQgetisnull(r, i, 0))
				whole = true;	/* the element of a whole input is NULL */
		}
	}
	if (rejected > 0)
	{
		char		reason[128];

		if (whole)
			snprintf(reason, sizeof(reason), "rejected by the server (the reason is in dlpg.rejects)");
		else
			snprintf(reason, sizeof(reason), "%ld element%s of %d rejected (the reasons are in dlpg.rejects)",
					 rejected, rejected == 1 ? "" : "s", n);
		note_reject(L, p->ord, p->source, reason);
	}
}

static void
record_failure(Loader *L, Pending *p, PGresult *r)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

	if (L->batch_failed)
		return;
	L->batch_failed = true;
	L->fail_ord = p->ord;
	L->fail_kind = p->kind;
	snprintf(L->fail_sqlstate, sizeof(L->fail_sqlstate), "%s", state ? state : "");
	free(L->fail_message);
	free(L->fail_source);
	if (m == NULL || *m == '\0')
		m = PQerrorMessage(L->conn);
	L->fail_message = strdup(m ? m : "unknown error");
	if (L->fail_message)
	{
		size_t		k = strlen(L->fail_message);

		while (k > 0 && L->fail_message[k - 1] == '\n')
			L->fail_message[--k] = '\0';
	}
	L->fail_source = p->source ? strdup(p->source) : NULL;
}

static void
clear_failure(Loader *L)
{
	L->batch_failed = false;
	L->fail_ord = 0;
	L->fail_kind = 0;
	L->fail_sqlstate[0] = '\0';
	free(L->fail_message);
	free(L->fail_source);
	L->fail_message = L->fail_source = NULL;
}

static bool
connection_lost(Loader *L)
{
	return PQstatus(L->conn) == CONNECTION_BAD;
}

/*
 * Read the answers that are there (block = false) or all of them (block = true).
 * false: the connection is gone.
 */
static bool
absorb(Loader *L, bool block)
{
	while (L->npending > 0)
	{
		Pending    *p;
		PGresult   *r;
		ExecStatusType st;

		if (!block)
		{
			if (!PQconsumeInput(L->conn))
				return false;
			if (PQisBusy(L->conn))
				return true;
		}
		p = &L->pending[L->pending_head];
		r = PQgetResult(L->conn);
		if (r == NULL)
		{
			/* the end of one statement's results */
			pending_pop(L);
			if (connection_lost(L))
				return false;
			continue;
		}
		st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC)
		{
			/* a sync point: ends its pending entry, no NULL follows */
			PQclear(r);
			if (p->kind == Q_SYNC)
				pending_pop(L);
			continue;
		}
		switch (st)
		{
			case PGRES_TUPLES_OK:
				if (is_input_kind(p->kind))
					take_rows(L, p, r);
				else if (p->kind == Q_REJECT)
				{
					L->batch.rejected++;
					note_reject(L, p->ord, p->source, p->reason);
				}
				break;
			case PGRES_COMMAND_OK:
				/* BEGIN, COMMIT, or a reject written by INSERT (0.2.0) */
				if (p->kind == Q_REJECT)
				{
					L->batch.rejected++;
					note_reject(L, p->ord, p->source, p->reason);
				}
				break;
			case PGRES_PIPELINE_ABORTED:
				break;
			default:
				record_failure(L, p, r);
				break;
		}
		PQclear(r);
		if (connection_lost(L))
			return false;
	}
	return !connection_lost(L);
}

/* ------------------------------------------------------------------ sending */

/* strings for the server must be UTF-8: invalid bytes (a file name can hold any) as \xNN */
static char *
utf8_clean(const char *s)
{
	ReadError	err;
	size_t		n = strlen(s);
	char	   *out;
	size_t		o = 0;
	size_t		i = 0;

	if (check_utf8(s, n, &err))
		return strdup(s);
	out = malloc(4 * n + 1);
	if (out == NULL)
		return NULL;
	while (i < n)
	{
		unsigned char c = (unsigned char) s[i];
		size_t		len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

		if (i + len <= n && check_utf8(s + i, len, &err))
		{
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
		else
		{
			o += (size_t) snprintf(out + o, 5, "\\x%02x", c);
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

static Step
fatal_connection(Loader *L)
{
	const char *e = PQerrorMessage(L->conn);
	size_t		n = strlen(e);

	while (n > 0 && e[n - 1] == '\n')
		n--;
	if (L->batch_failed && L->fail_message && L->fail_sqlstate[0])
		/* the server said why before it closed the connection */
		msg(L, "connection lost: %s (SQLSTATE %s)%s%s", L->fail_message, L->fail_sqlstate,
			L->fail_source ? ", loading " : "", L->fail_source ? L->fail_source : "");
	else
	{
		const char *source = NULL;
		size_t		i;

		/* the oldest input not answered: the one the server was working on */
		for (i = 0; i < L->npending && source == NULL; i++)
			source = L->pending[L->pending_head + i].source;
		msg(L, "connection lost: %.*s%s%s", (int) n, n ? e : "no details from libpq",
			source ? ", loading " : "", source ? source : "");
	}
	return STEP_FATAL;
}

static bool
flush(Loader *L)
{
	return PQflush(L->conn) == 0;
}

static bool
send_sync(Loader *L)
{
	L->sync_sent_last = true;
	if (!PQpipelineSync(L->conn))
		return false;
	return pending_push(L, Q_SYNC, 0, NULL, NULL, false) != NULL;
}

static bool
send_simple(Loader *L, int kind, const char *sql)
{
	L->sync_sent_last = false;
	if (!PQsendQueryParams(L->conn, sql, 0, NULL, NULL, NULL, NULL, 0))
		return false;
	return pending_push(L, kind, 0, NULL, NULL, false) != NULL;
}

static Step
begin_batch(Loader *L, long ord)
{
	if (L->in_batch)
		return STEP_OK;
	if (!send_simple(L, Q_BEGIN, "BEGIN"))
		return fatal_connection(L);
	L->in_batch = true;
	L->batch_items = 0;
	L->batch_start_ord = ord;
	memset(&L->batch, 0, sizeof(L->batch));
	return STEP_OK;
}

static bool
send_input(Loader *L, long ord, const char *source, const char *format, const char *data,
		   size_t len, bool in_archive)
{
	const char *values[4] = {format, data, source, L->opt.on_conflict};
	int			lengths[4] = {(int) strlen(format), (int) len, (int) strlen(source),
	(int) strlen(L->opt.on_conflict)};
	const int	formats[4] = {1, 1, 1, 1};
	bool		json = strcmp(format, "dlbs_json") == 0;
	int			kind = L->has_load ? Q_LOAD : json ? Q_JSON : Q_LOG;
	int			skip = L->has_load ? 0 : 1;	/* the older functions take no format */

	L->sync_sent_last = false;
	if (!PQsendQueryParams(L->conn, kind == Q_LOAD ? SQL_LOAD : json ? SQL_LOAD_JSON : SQL_LOAD_LOG,
						   4 - skip, TEXT_TYPES, values + skip, lengths + skip, formats, 0))
		return false;
	return pending_push(L, kind, ord, source, NULL, in_archive) != NULL;
}

static bool
send_reject(Loader *L, long ord, const char *source, const char *reason, const char *detail,
			const char *sqlstate)
{
	const char *values[4] = {source, reason, detail, sqlstate};
	int			lengths[4] = {(int) strlen(source), (int) strlen(reason), detail ? (int) strlen(detail) : 0,
	(int) strlen(sqlstate)};
	const int	formats[4] = {1, 1, 1, 1};

	L->sync_sent_last = false;
	if (!PQsendQueryParams(L->conn, L->reject_sql, 4, TEXT_TYPES, values, lengths, formats, 0))
		return false;
	return pending_push(L, Q_REJECT, ord, source, reason, false) != NULL;
}

void
merge_counts(Counts *into, const Counts *c)
{
	into->files_read += c->files_read;
	into->entries_read += c->entries_read;
	into->inserted += c->inserted;
	into->replaced += c->replaced;
	into->duplicates += c->duplicates;
	into->failed += c->failed;
	into->rejected += c->rejected;
}

/* a failed statement is about its input when the server found something wrong in the data */
static bool
failure_is_about_input(Loader *L)
{
	return is_input_kind(L->fail_kind) &&
		(strncmp(L->fail_sqlstate, "22", 2) == 0 || strncmp(L->fail_sqlstate, "54", 2) == 0);
}

static Step
report_fatal_failure(Loader *L)
{
	msg(L, "server error in %s%s%s: %s%s%s%s", kind_names[L->fail_kind],
		L->fail_source ? " for " : "", L->fail_source ? L->fail_source : "",
		L->fail_message ? L->fail_message : "?",
		L->fail_sqlstate[0] ? " (SQLSTATE " : "", L->fail_sqlstate, L->fail_sqlstate[0] ? ")" : "");
	return STEP_FATAL;
}

/*
 * The batch failed: let every statement sent so far be answered, roll back, and either ask for
 * a restart (the failure is about one input) or stop.
 */
static Step
handle_failure(Loader *L)
{
	/*
	 * Close the aborted pipeline with a Sync unless one was the last thing
	 * sent: libpq may already have dropped the entries queued after the
	 * error, so what is still pending does not tell.
	 */
	if (!L->sync_sent_last)
	{
		if (!send_sync(L))
			return fatal_connection(L);
	}
	if (!flush(L) || !absorb(L, true))
		return fatal_connection(L);
	if (PQtransactionStatus(L->conn) != PQTRANS_IDLE)
	{
		if (!send_simple(L, Q_ROLLBACK, "ROLLBACK") || !send_sync(L) || !flush(L) || !absorb(L, true))
			return fatal_connection(L);
	}
	L->in_batch = false;
	L->batch_items = 0;
	memset(&L->batch, 0, sizeof(L->batch));
	if (strncmp(L->fail_sqlstate, "40", 2) == 0)
	{
		/* a deadlock or serialization failure: nothing is wrong with the inputs, run the batch again */
		if (L->restarts >= 1000)
		{
			msg(L, "giving up: 1000 batches failed and were retried");
			return report_fatal_failure(L);
		}
		/*
		 * Replayed as one transaction per input, a batch cannot deadlock again
		 * (each holds one row at a time), so loaders taking the same files in
		 * other orders cannot keep aborting each other.
		 */
		L->resume_from = L->batch_start_ord;
		L->one_by_one_until = L->hwm;
		L->careful_ord = 0;
		L->restarts++;
		clear_failure(L);
		return STEP_RESTART;
	}
	if (!failure_is_about_input(L))
		return report_fatal_failure(L);
	if (L->restarts >= 1000)
	{
		msg(L, "giving up: 1000 batches failed and were retried");
		return report_fatal_failure(L);
	}
	L->resume_from = L->batch_start_ord;
	L->careful_ord = L->fail_ord;
	L->restarts++;
	clear_failure(L);
	return STEP_RESTART;
}

Step
finish_batch(Loader *L)
{
	if (!L->in_batch)
		return STEP_OK;
	if (!L->batch_failed)
	{
		if (!send_simple(L, Q_COMMIT, "COMMIT") || !send_sync(L) || !flush(L) || !absorb(L, true))
			return fatal_connection(L);
	}
	if (L->batch_failed)
		return handle_failure(L);
	L->in_batch = false;
	merge_counts(&L->total, &L->batch);
	memset(&L->batch, 0, sizeof(L->batch));
	L->batches_committed++;
	L->items_committed += L->batch_items;
	L->batch_items = 0;
	job_publish(L);
	return STEP_OK;
}

/* After a statement of the batch was sent: look at the answers so far, close a full batch. */
static Step
after_send(Loader *L, long ord)
{
	if (!flush(L) || !absorb(L, false))
		return fatal_connection(L);
	if (L->batch_failed)
		return handle_failure(L);
	L->batch_items++;
	if (L->batch_items >= L->opt.batch || ord <= L->one_by_one_until)
		return finish_batch(L);
	return STEP_OK;
}

/*
 * The input that made a batch fail, alone in its own (implicit) transaction; when the server
 * refuses it again, the client records the refusal in dlpg.rejects.
 */
static Step
careful_input(Loader *L, long ord, const char *source, const char *format, const char *data,
			  size_t len, bool in_archive)
{
	Step		s = finish_batch(L);

	if (s != STEP_OK)
		return s;
	L->careful_ord = 0;
	memset(&L->batch, 0, sizeof(L->batch));
	if (!send_input(L, ord, source, format, data, len, in_archive) || !send_sync(L) || !flush(L) ||
		!absorb(L, true))
		return fatal_connection(L);
	if (L->batch_failed)
	{
		char		detail[512];

		if (strncmp(L->fail_sqlstate, "40", 2) == 0 && L->restarts < 1000)
		{
			/* a deadlock or serialization failure: nothing wrong with the input, run it again */
			L->resume_from = ord;
			L->careful_ord = ord;
			L->restarts++;
			clear_failure(L);
			memset(&L->batch, 0, sizeof(L->batch));
			return STEP_RESTART;
		}
		if (!failure_is_about_input(L))
			return report_fatal_failure(L);
		/* it was read and sent: a file read, rejected */
		L->batch.files_read++;
		if (in_archive)
			L->batch.entries_read++;
		snprintf(detail, sizeof(detail), "the server refused the input before %s could read it",
				 kind_names[L->fail_kind]);
		if (!send_reject(L, ord, source, L->fail_message ? L->fail_message : "refused by the server",
						 detail, L->fail_sqlstate) ||
			!send_sync(L) || !flush(L))
			return fatal_connection(L);
		clear_failure(L);
		if (!absorb(L, true))
			return fatal_connection(L);
		if (L->batch_failed)
			return report_fatal_failure(L);
	}
	merge_counts(&L->total, &L->batch);
	memset(&L->batch, 0, sizeof(L->batch));
	L->batches_committed++;
	L->items_committed++;
	job_publish(L);
	return STEP_OK;
}

static void
bump_hwm(Loader *L, long ord)
{
	if (ord > L->hwm)
		L->hwm = ord;
}

Step
load_input(Loader *L, long ord, const char *source, const char *format, const char *data,
		   size_t len, bool in_archive)
{
	char	   *src = utf8_clean(source);
	Step		s;

	bump_hwm(L, ord);
	if (src == NULL)
	{
		msg(L, "out of memory");
		return STEP_FATAL;
	}
	if (ord == L->careful_ord)
		s = careful_input(L, ord, src, format, data, len, in_archive);
	else if ((s = begin_batch(L, ord)) == STEP_OK)
	{
		if (!send_input(L, ord, src, format, data, len, in_archive))
			s = fatal_connection(L);
		else
			s = after_send(L, ord);
	}
	free(src);
	return s;
}

Step
load_reject(Loader *L, long ord, const char *source, const ReadError *err)
{
	char	   *src = utf8_clean(source);
	char	   *reason = utf8_clean(err->reason);
	char	   *detail = utf8_clean(err->detail);
	Step		s;

	bump_hwm(L, ord);
	if (ord == L->careful_ord)
		L->careful_ord = 0;
	if (src == NULL || reason == NULL || detail == NULL)
	{
		msg(L, "out of memory");
		s = STEP_FATAL;
	}
	else if ((s = begin_batch(L, ord)) == STEP_OK)
	{
		if (!send_reject(L, ord, src, reason, detail[0] ? detail : NULL, err->sqlstate))
			s = fatal_connection(L);
		else
			s = after_send(L, ord);
	}
	free(src);
	free(reason);
	free(detail);
	return s;
}

/* Stop mid-batch (a fatal error): what was not committed is rolled back by the server. */
void
abandon_batch(Loader *L)
{
	while (L->npending > 0)
		pending_pop(L);
	L->in_batch = false;
	memset(&L->batch, 0, sizeof(L->batch));
}

void
session_free(Loader *L)
{
	abandon_batch(L);
	free(L->pending);
	L->pending = NULL;
	L->pending_cap = 0;
	clear_failure(L);
}
