/*
 * jobs.c -- dlpg-load --jobs N: N processes, each with its own connection, share out the files.
 *
 * Why processes that each walk the same paths and claim file units from a shared counter:
 *
 * - Everything that makes one loader correct stays as it is, per job: the ordinals of walk.c,
 *   the restart of a failed batch from its first input, the careful replay of the input that
 *   failed it, deadlock retries, one file in memory at a time. A job is today's loader, with a
 *   connection of its own, that skips the files other jobs claimed. A queue of file names fed
 *   by the parent (a pipe) would have needed each job to keep its batch's names for a replay,
 *   and archive entries to be named, read and replayed elsewhere than where they are walked.
 * - Processes rather than libpq's asynchronous calls on N connections in one process: the
 *   loader reads and decompresses the files itself, so one process would be one core of
 *   reading and decompressing; processes also keep each job's libpq pipeline, buffers and
 *   error handling exactly those of --jobs 1.
 * - Claims rather than a fixed split (file i to job i % N): a job that is slowed down (a large
 *   archive, a lock wait, a retried batch) does not hold back files that another job could
 *   take. A job claims the next unclaimed file unit (an atomic fetch-and-add on a counter in
 *   shared memory) as soon as it has reached its previous claim, so it holds at most one claim
 *   ahead of its walk, and every unit below the counter is somebody's (see job_takes_file). It
 *   remembers its claims in a bitmap (one bit per file unit of the walk), so that a replay of its
 *   walk after a failed batch takes the same files again.
 * - An archive is one unit: its entries go to the job that claimed it (they are read in one
 *   stream from one compressed file; splitting it would make every job decompress all of it).
 *
 * Each benchmark is still stored once: the server's INSERT ... ON CONFLICT on dedup_key makes a
 * second copy of a benchmark, loaded by another job at the same time, wait for the first one's
 * transaction and then find it (a duplicate, a replace, or in error mode a reject, 23505), as
 * two loaders run at once always did. A deadlock between two jobs' batches is retried as it is
 * between two loaders.
 *
 * The parent connects first (so that a connection error or a missing extension is said once,
 * exit 2), counts the files for the progress total, closes its connection, forks the jobs,
 * draws the progress from the shared count of files done, and waits. Each job writes what it
 * committed to its slot of the shared memory after every commit; the parent adds the slots up
 * into the one summary. A job that stops (connection lost, a server error that is not about an
 * input, a signal) sets the shared stop flag: the others stop between two inputs, their batch
 * in progress rolled back, as one loader does, and the run exits 2 (128+N for signal N).
 * Messages are written whole in one write(2) (progress.c), so lines of jobs do not mix.
 *
 * The jobs must walk the same files: a folder that changes during the run can shift which unit
 * is whose. The parent compares the units each job walked and, if they differ, says so (run the
 * command again: what is stored is skipped as a duplicate).
 */
#include "dlpg_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ in a job */

/*
 * Is file unit file_no (the walk's units numbered 0, 1, ... in walk order) this job's? The walk
 * asks for each unit in order; units asked again (a replay after a failed batch) are answered
 * from the bitmap. A new unit: claim the next unclaimed one if this job holds no claim at or
 * beyond it. The counter is above the last unit this job claimed and reached, so a new claim is
 * never behind the walk: no unit is handed out and then passed over.
 */
bool
job_takes_file(Loader *L, long file_no)
{
	bool		mine;
	size_t		byte = (size_t) file_no / 8;

	if (L->shared == NULL)
		return true;
	if (file_no < L->decided)
		return (L->mine[byte] >> (file_no % 8)) & 1;
	if (L->claim < file_no)
		L->claim = __atomic_fetch_add(&L->shared->next_file, 1, __ATOMIC_RELAXED);
	mine = L->claim == file_no;
	if (byte >= L->mine_bytes)
	{
		size_t		n = L->mine_bytes ? L->mine_bytes * 2 : 1024;
		unsigned char *m;

		while (n <= byte)
			n *= 2;
		m = realloc(L->mine, n);
		if (m == NULL)
		{
			/* cannot remember it: do not take it (the run is told to stop, and says why) */
			msg(L, "out of memory");
			__atomic_store_n(&L->shared->stop, -1, __ATOMIC_RELAXED);
			return false;
		}
		memset(m + L->mine_bytes, 0, n - L->mine_bytes);
		L->mine = m;
		L->mine_bytes = n;
	}
	if (mine)
		L->mine[byte] |= (unsigned char) (1u << (file_no % 8));
	L->decided = file_no + 1;
	return mine;
}

/* another job stopped the run (or the parent was interrupted) */
bool
job_stop_requested(Loader *L)
{
	return L->shared != NULL && __atomic_load_n(&L->shared->stop, __ATOMIC_RELAXED) != 0;
}

/* a file unit finished for the first time: for the parent's progress */
void
job_file_done(Loader *L)
{
	if (L->shared)
		__atomic_add_fetch(&L->shared->files_done, 1, __ATOMIC_RELAXED);
}

/* what this job committed so far, for the parent's summary (after each commit) */
void
job_publish(Loader *L)
{
	JobSlot    *s;

	if (L->shared == NULL)
		return;
	s = &L->shared->slot[L->job];
	s->total = L->total;
	s->ignored = L->ignored;
	s->skipped = L->skipped;
	s->ml_unsupported = L->ml_unsupported;
	s->archives = L->archives;
	s->batches_committed = L->batches_committed;
	s->items_committed = L->items_committed;
	s->restarts = L->restarts;
}

static void
job_end(Loader *L, JobState state)
{
	JobSlot    *s = &L->shared->slot[L->job];

	job_publish(L);
	s->walked = L->walked;
	s->signo = (int) interrupted;
	__atomic_store_n(&s->state, (int) state, __ATOMIC_RELEASE);
	if (state == JOB_STOPPED)
		__atomic_store_n(&L->shared->stop, interrupted ? (int) interrupted : -1, __ATOMIC_RELAXED);
}

/* A job: today's loader on a connection of its own, over the units it claims. Returns the exit code. */
static int
job_main(Loader *L, char **paths, int npaths, pid_t parent)
{
	Step		s;

	/* the parent gone (killed), the job stops between inputs as for SIGTERM */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		interrupted = SIGTERM;
	L->conn = connect_db(&L->opt);
	if (L->conn == NULL || PQstatus(L->conn) != CONNECTION_OK)
	{
		const char *e = L->conn ? PQerrorMessage(L->conn) : "out of memory";
		size_t		n = strlen(e);

		while (n > 0 && e[n - 1] == '\n')
			n--;
		msg(L, "job %d of %d: cannot connect: %.*s", L->job + 1, L->opt.jobs, (int) n, e);
		job_end(L, JOB_STOPPED);
		return 2;
	}
	if (!check_statements(L))
	{
		job_end(L, JOB_STOPPED);
		return 2;
	}
	do
		s = walk_all(L, paths, npaths);
	while (s == STEP_RESTART);
	if (s == STEP_FATAL)
		abandon_batch(L);
	job_end(L, s == STEP_FATAL ? JOB_STOPPED : JOB_DONE);
	return s == STEP_FATAL ? 2 : 0;
}

/* ------------------------------------------------------------------ the parent */

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);		/* a signal ends it early: fine */
}

/*
 * Run L->opt.jobs jobs over the paths (L's connection is closed: each job opens its own), add
 * their slots up into L's totals. *stopped: some job did not finish its walk. Returns the
 * signal that stopped the run, else 0.
 */
int
run_jobs(Loader *L, char **paths, int npaths, bool *stopped)
{
	int			njobs = L->opt.jobs;
	pid_t		parent = getpid();
	JobShared  *sh;
	pid_t		pids[DLPG_MAX_JOBS];
	bool		running[DLPG_MAX_JOBS];
	int			alive = 0;
	int			i;
	int			signo = 0;
	long		walked = -1;
	bool		walks_differ = false;

	*stopped = false;
	if (interrupted)
	{
		/* while counting the files: no job to start */
		msg(L, "interrupted by signal %d", (int) interrupted);
		*stopped = true;
		return (int) interrupted;
	}
	sh = mmap(NULL, sizeof(JobShared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
	{
		msg(L, "cannot share memory with the jobs: %s", strerror(errno));
		*stopped = true;
		return 0;
	}
	memset(sh, 0, sizeof(*sh));
	fflush(NULL);				/* nothing buffered is written again by a job */
	for (i = 0; i < njobs; i++)
	{
		pid_t		pid = fork();

		running[i] = false;
		if (pid == 0)
		{
			int			rc;

			L->shared = sh;
			L->job = i;
			L->claim = -1;
			rc = job_main(L, paths, npaths, parent);
			session_free(L);
			if (L->conn)
				PQfinish(L->conn);
			buf_free(&L->raw);
			buf_free(&L->text);
			free(L->mine);
			free(L);
			exit(rc);
		}
		if (pid < 0)
		{
			msg(L, "cannot start job %d of %d: %s", i + 1, njobs, strerror(errno));
			__atomic_store_n(&sh->stop, -1, __ATOMIC_RELAXED);
			*stopped = true;
			break;
		}
		pids[i] = pid;
		running[i] = true;
		alive++;
	}

	while (alive > 0)
	{
		int			status;
		pid_t		pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0)
		{
			for (i = 0; i < njobs; i++)
				if (running[i] && pids[i] == pid)
					break;
			if (i == njobs)
				continue;
			running[i] = false;
			alive--;
			if (__atomic_load_n(&sh->slot[i].state, __ATOMIC_ACQUIRE) != JOB_DONE)
			{
				*stopped = true;
				/* killed, or a crash: it could not say so itself */
				if (sh->slot[i].state == JOB_RUNNING)
				{
					if (WIFSIGNALED(status))
						msg(L, "job %d of %d ended by signal %d", i + 1, njobs, WTERMSIG(status));
					else
						msg(L, "job %d of %d ended without finishing (exit status %d)", i + 1, njobs,
							WIFEXITED(status) ? WEXITSTATUS(status) : -1);
				}
				__atomic_store_n(&sh->stop, -1, __ATOMIC_RELAXED);
			}
			continue;
		}
		if (pid < 0 && errno != EINTR)
		{
			msg(L, "waiting for the jobs: %s", strerror(errno));
			*stopped = true;
			break;
		}
		if (interrupted && signo == 0)
		{
			/* Ctrl-C reaches the jobs too (one process group); a kill of the parent only through this */
			signo = (int) interrupted;
			msg(L, "interrupted by signal %d", signo);
			__atomic_store_n(&sh->stop, signo, __ATOMIC_RELAXED);
		}
		L->top_hwm = __atomic_load_n(&sh->files_done, __ATOMIC_RELAXED);
		progress_update(L, false);
		if (pid == 0)
			sleep_ms(50);
	}
	/* the last count: jobs that end between two ticks are not left out of the progress lines */
	L->top_hwm = sh->files_done;
	progress_update(L, false);

	for (i = 0; i < njobs; i++)
	{
		const JobSlot *s = &sh->slot[i];

		merge_counts(&L->total, &s->total);
		L->ignored += s->ignored;
		L->skipped += s->skipped;
		L->ml_unsupported += s->ml_unsupported;
		L->archives += s->archives;
		L->batches_committed += s->batches_committed;
		L->items_committed += s->items_committed;
		L->restarts += s->restarts;
		if (s->state == JOB_DONE)
		{
			if (walked >= 0 && s->walked != walked)
				walks_differ = true;
			walked = s->walked;
		}
		if (signo == 0 && s->signo != 0)
		{
			/* a job alone got the signal */
			signo = s->signo;
			msg(L, "interrupted by signal %d", signo);
		}
	}
	if (walks_differ)
		msg(L, "the files changed while the jobs walked them: some may have been loaded twice "
			"(duplicates) or not at all; run the same command again to load what is missing");
	munmap(sh, sizeof(JobShared));
	return signo;
}
