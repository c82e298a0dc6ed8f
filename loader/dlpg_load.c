/*
 * dlpg-load -- load DLBS logs and JSON files and MLPerf result trees into a dlpg database.
 *
 *   dlpg-load [connection options] [--source-prefix P] [--on-conflict skip|replace|error]
 *             [--batch N] [--jobs N] [--quiet] [--stats] PATH...
 *
 * Exit status: 0 everything went in (duplicates included), 1 some inputs were rejected (they
 * are rows of dlpg.rejects), 2 usage or connection error, or the run stopped (connection lost,
 * a server error that is not about one input: lock timeout, cancel, out of memory...; a
 * deadlock or serialization failure is retried instead), 128+N stopped by signal N: what was
 * committed stays, and running the same command again completes the load, since ingestion
 * skips what is already stored.
 */
#include "dlpg_load.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile sig_atomic_t interrupted = 0;
static Loader *the_loader;

static void
on_signal(int signo)
{
	interrupted = signo;
	/* a second one is not caught: it ends the process at once */
	signal(signo, SIG_DFL);
}

enum
{
	OPT_SOURCE_PREFIX = 1000,
	OPT_ON_CONFLICT,
	OPT_BATCH,
	OPT_STATS,
	OPT_HELP
};

static void
usage(FILE *f)
{
	fprintf(f,
			"dlpg-load loads DLBS benchmark logs and JSON files, and MLPerf result trees, into a\n"
			"dlpg database.\n"
			"\n"
			"Usage:\n"
			"  dlpg-load [OPTION]... PATH...\n"
			"\n"
			"PATH is a file or a folder, searched recursively in sorted order. Read: *.log, *.log.gz,\n"
			"*.json, *.json.gz, and *.tar.gz / *.tgz archives (their *.log, *.json, *.log.gz and\n"
			"*.json.gz entries). Other files in folders are ignored; named on the command line, they\n"
			"are rejected. Every input goes to dlpg.load as format dlbs_log or dlbs_json (on servers\n"
			"before 0.4.0 to dlpg.load_log / load_json); what cannot be ingested becomes a row of\n"
			"dlpg.rejects and the run goes on. In folders,\n"
			"what is named like an input but cannot be read (a device, a FIFO, a path too long)\n"
			"and a folder that cannot be entered (nested too deep) are rejected too.\n"
			"\n"
			"MLPerf: a folder with results/ and systems/ is a submitter folder, wherever it is met\n"
			"(in a folder, an archive, or above a PATH). Its results/<system>/<benchmark>/result_*.txt\n"
			"go as format mlperf_training, its .../<scenario>/performance/run_1/ folders as\n"
			"mlperf_inference, each a JSON object with the system description; its other files are\n"
			"skipped. A server without those formats (dlpg.sources()) gets the DLBS files only.\n"
			"DLPG_LOAD_DUMP_INPUTS=DIR also writes every input to DIR (a debugging aid).\n"
			"\n"
			"Options:\n"
			"  --source-prefix=P      prepend P to every source name (default: the path as walked)\n"
			"  --on-conflict=MODE     a benchmark already stored: skip (default), replace (same id),\n"
			"                         or error (the input is rejected)\n"
			"  --batch=N              inputs per transaction (default 200)\n"
			"  -j, --jobs=N           load with N connections at once (1 to %d, default 1), the\n"
			"                         files shared out among them (an archive goes to one)\n"
			"  -q, --quiet            no progress and no per-file messages (the summary stays)\n"
			"  --stats                also print elapsed time and peak memory (RSS)\n"
			"  -V, --version          print the version and exit\n"
			"  --help                 print this help and exit\n"
			"\n"
			"Connection options (the rest from the PG* environment variables, as for psql):\n"
			"  -d, --dbname=CONNINFO  database name, connection string or URI\n"
			"  -h, --host=HOST        server host or socket directory\n"
			"  -p, --port=PORT        server port\n"
			"  -U, --username=USER    user name\n"
			"\n"
			"Exit status:\n"
			"  0    all loaded (duplicates count as loaded)\n"
			"  1    some inputs rejected: bad input, or named like an input and unreadable\n"
			"       (see dlpg.rejects); the rest is loaded\n"
			"  2    usage or connection error, or the run stopped: connection lost, or a server\n"
			"       error that is not about the input (lock timeout, cancel, out of memory, ...;\n"
			"       the message names the file and the SQLSTATE); nothing is recorded as rejected\n"
			"       for it, what was committed stays, and the same command run again completes\n"
			"       the load (deadlocks and serialization failures are retried, not reported)\n"
			"  130  interrupted (Ctrl-C; 128+N for signal N), as for 2\n", DLPG_MAX_JOBS);
}

static void usage_error(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt,...)
{
	va_list		ap;

	fputs("dlpg-load: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry \"dlpg-load --help\" for more information.\n", stderr);
	exit(2);
}

/* a count option (--batch, --jobs): an integer from 1 to max, else a usage error */
static long
parse_count(const char *option, const char *s, long max)
{
	char	   *end;
	long		v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > max)
		usage_error("invalid %s \"%s\": must be an integer from 1 to %ld", option, s, max);
	return v;
}

static void
print_summary(Loader *L, bool stopped)
{
	const Counts *t = &L->total;
	long		ingested = t->inserted + t->replaced;
	double		elapsed = now_seconds() - L->t_start;

	progress_clear(L);
	fprintf(stderr, "dlpg-load: %s\n", stopped ? "stopped; committed so far:" : "summary");
	fprintf(stderr, "  files read:          %ld", t->files_read);
	if (t->entries_read > 0 || L->archives > 0)
		fprintf(stderr, " (%ld of them entries of %ld archive%s)", t->entries_read, L->archives,
				L->archives == 1 ? "" : "s");
	fputc('\n', stderr);
	fprintf(stderr, "  benchmarks ingested: %ld (%ld inserted, %ld replaced)\n", ingested, t->inserted,
			t->replaced);
	fprintf(stderr, "  failed benchmarks:   %ld (status failed, among those ingested)\n", t->failed);
	fprintf(stderr, "  duplicates:          %ld (already stored)\n", t->duplicates);
	fprintf(stderr, "  rejected:            %ld%s\n", t->rejected,
			t->rejected > 0 ? " (rows added to dlpg.rejects)" : "");
	fprintf(stderr, "  ignored:             %ld%s\n", L->ignored,
			L->ignored > 0 ? " (files with other extensions)" : "");
	if (L->skipped > 0)
	{
		fprintf(stderr, "  skipped:             %ld (files of MLPerf trees that are not results", L->skipped);
		if (L->ml_unsupported > 0)
			fprintf(stderr, "; %ld MLPerf result%s: the server has no format for %s", L->ml_unsupported,
					L->ml_unsupported == 1 ? "" : "s", L->ml_unsupported == 1 ? "it" : "them");
		fputs(")\n", stderr);
	}
	if (L->opt.stats)
	{
		long		rss = peak_rss_kb();

		fprintf(stderr, "  elapsed:             %.3f s (%.1f files/s)\n", elapsed,
				elapsed > 0 ? (double) t->files_read / elapsed : 0.0);
		fprintf(stderr, "  peak RSS:            %ld kB (%.1f MB)\n", rss, (double) rss / 1024.0);
		if (L->restarts > 0)
			fprintf(stderr, "  batches retried:     %ld\n", L->restarts);
	}
	if (!stopped && ingested == 0)
		fprintf(stderr, "dlpg-load: nothing new: %ld duplicate%s\n", t->duplicates,
				t->duplicates == 1 ? "" : "s");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"host", required_argument, NULL, 'h'},
		{"port", required_argument, NULL, 'p'},
		{"username", required_argument, NULL, 'U'},
		{"source-prefix", required_argument, NULL, OPT_SOURCE_PREFIX},
		{"on-conflict", required_argument, NULL, OPT_ON_CONFLICT},
		{"batch", required_argument, NULL, OPT_BATCH},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"stats", no_argument, NULL, OPT_STATS},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0}
	};
	Loader	   *L;
	int			c;
	char	  **paths;
	int			npaths;
	Step		s;
	int			rc;
	bool		stopped;
	int			signo;

	/* a global root too, so a leak checker never counts it when exit() ends a usage error */
	L = the_loader = calloc(1, sizeof(Loader));
	if (L == NULL)
	{
		fputs("dlpg-load: out of memory\n", stderr);
		return 2;
	}
	L->opt.source_prefix = "";
	L->opt.on_conflict = "skip";
	L->opt.batch = 200;
	L->opt.jobs = 1;
	L->total_files = -1;
	/* a debugging aid (docs/dlpg-load.md): every input also written to this folder */
	L->dump_dir = getenv("DLPG_LOAD_DUMP_INPUTS");
	if (L->dump_dir && L->dump_dir[0] == '\0')
		L->dump_dir = NULL;

	opterr = 0;					/* our own messages, with our name */
	while ((c = getopt_long(argc, argv, ":d:h:p:U:j:qV", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				L->opt.dbname = optarg;
				break;
			case 'h':
				L->opt.host = optarg;
				break;
			case 'p':
				L->opt.port = optarg;
				break;
			case 'U':
				L->opt.username = optarg;
				break;
			case OPT_SOURCE_PREFIX:
				L->opt.source_prefix = optarg;
				break;
			case OPT_ON_CONFLICT:
				if (strcmp(optarg, "skip") != 0 && strcmp(optarg, "replace") != 0 &&
					strcmp(optarg, "error") != 0)
					usage_error("invalid --on-conflict \"%s\": use skip, replace or error", optarg);
				L->opt.on_conflict = optarg;
				break;
			case OPT_BATCH:
				L->opt.batch = parse_count("--batch", optarg, 1000000);
				break;
			case 'j':
				/* each job is a process and a connection */
				L->opt.jobs = (int) parse_count("--jobs", optarg, DLPG_MAX_JOBS);
				break;
			case 'q':
				L->opt.quiet = true;
				break;
			case OPT_STATS:
				L->opt.stats = true;
				break;
			case 'V':
				printf("dlpg-load (dlpg) %s\n", DLPG_LOAD_VERSION);
				free(L);
				return 0;
			case OPT_HELP:
				usage(stdout);
				free(L);
				return 0;
			case ':':
				free(L);
				if (optopt != 0 && optopt < OPT_SOURCE_PREFIX)
					fprintf(stderr, "dlpg-load: option -%c needs a value\n", optopt);
				else
					fprintf(stderr, "dlpg-load: option %s needs a value\n", argv[optind - 1]);
				fputs("Try \"dlpg-load --help\" for more information.\n", stderr);
				return 2;
			default:
				free(L);
				if (optopt != 0)
					fprintf(stderr, "dlpg-load: unknown option -%c\n", optopt);
				else
					fprintf(stderr, "dlpg-load: unknown option %s\n", argv[optind - 1]);
				fputs("Try \"dlpg-load --help\" for more information.\n", stderr);
				return 2;
		}
	}
	paths = argv + optind;
	npaths = argc - optind;
	if (npaths == 0)
	{
		free(L);
		usage_error("no PATH given: name the files or folders to load");
	}
	L->stderr_tty = isatty(STDERR_FILENO) == 1;

	L->conn = connect_db(&L->opt);
	if (L->conn == NULL)
	{
		fputs("dlpg-load: out of memory\n", stderr);
		free(L);
		return 2;
	}
	if (PQstatus(L->conn) != CONNECTION_OK)
	{
		const char *e = PQerrorMessage(L->conn);
		size_t		n = strlen(e);

		while (n > 0 && e[n - 1] == '\n')
			n--;
		fprintf(stderr, "dlpg-load: cannot connect: %.*s\n", (int) n, e);
		PQfinish(L->conn);
		free(L);
		return 2;
	}
	if (!check_statements(L))
	{
		PQfinish(L->conn);
		free(L);
		return 2;
	}

	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	L->t_start = L->t_last_draw = now_seconds();
	if (!L->opt.quiet)
		L->total_files = count_inputs(L, paths, npaths);

	if (L->opt.jobs > 1)
	{
		/* each job opens a connection of its own (jobs.c) */
		PQfinish(L->conn);
		L->conn = NULL;
		signo = run_jobs(L, paths, npaths, &stopped);
	}
	else
	{
		for (;;)
		{
			s = walk_all(L, paths, npaths);
			if (s != STEP_RESTART)
				break;
			/* a batch failed on one input: again from the batch's first input (see session.c) */
		}
		stopped = s == STEP_FATAL;
		signo = (int) interrupted;
		/* the server rolls back the batch in progress when the connection closes */
		if (stopped)
			abandon_batch(L);
	}

	if (stopped)
	{
		print_summary(L, true);
		fprintf(stderr,
				"dlpg-load: %ld batch%s committed (%ld input%s); %s\n"
				"dlpg-load: run the same command again to complete the load: what is already stored is "
				"skipped as a duplicate.\n",
				L->batches_committed, L->batches_committed == 1 ? "" : "es", L->items_committed,
				L->items_committed == 1 ? "" : "s",
				L->opt.jobs > 1 ? "the jobs' batches in progress, if any, were rolled back."
				: "the batch in progress, if any, was rolled back.");
		rc = signo ? 128 + signo : 2;
	}
	else
	{
		progress_done(L);
		print_summary(L, false);
		rc = L->total.rejected > 0 ? 1 : 0;
	}
	session_free(L);
	if (L->conn)
		PQfinish(L->conn);
	buf_free(&L->raw);
	buf_free(&L->text);
	free(L);
	return rc;
}
