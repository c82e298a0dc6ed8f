/*
 * progress.c -- what dlpg-load says on stderr while it runs: a progress bar redrawn in place
 * when stderr is a terminal, else a plain line every 1000 files or 10 seconds; messages (which
 * clear the bar first); the clock and the peak RSS for --stats.
 */
#include "dlpg_load.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 28
#define MAX_REJECT_LINES 100

double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/*
 * peak resident set size in kB (Linux: ru_maxrss is in kB); with --jobs, of the largest
 * process: this one or a job it waited for
 */
long
peak_rss_kb(void)
{
	struct rusage ru;
	struct rusage children;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	if (getrusage(RUSAGE_CHILDREN, &children) == 0 && children.ru_maxrss > ru.ru_maxrss)
		return children.ru_maxrss;
	return ru.ru_maxrss;
}

static void
format_duration(char *out, size_t size, double s)
{
	long		t = (long) (s + 0.5);

	if (s < 0 || s > 1e8)
		snprintf(out, size, "?");
	else if (t >= 3600)
		snprintf(out, size, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
	else
		snprintf(out, size, "%ld:%02ld", t / 60, t % 60);
}

static void
draw(Loader *L, double now, bool line)
{
	long		done = L->top_hwm;
	long		total = L->total_files;
	double		elapsed = now - L->t_start;
	double		rate = elapsed > 0 ? (double) done / elapsed : 0;
	char		eta[32] = "?";

	if (total > 0 && done < total && rate > 0)
		format_duration(eta, sizeof(eta), (double) (total - done) / rate);
	else if (total >= 0 && done >= total)
		snprintf(eta, sizeof(eta), "0:00");
	if (line)
	{
		if (total >= 0)
			fprintf(stderr, "dlpg-load: %ld/%ld files (%.0f%%), %.0f files/s, ETA %s\n", done, total,
					total > 0 ? 100.0 * (double) done / (double) total : 100.0, rate, eta);
		else
			fprintf(stderr, "dlpg-load: %ld files, %.0f files/s\n", done, rate);
	}
	else
	{
		char		bar[BAR_WIDTH + 1];
		int			fill = total > 0 ? (int) ((double) BAR_WIDTH * (double) done / (double) total) : 0;

		if (fill > BAR_WIDTH)
			fill = BAR_WIDTH;
		memset(bar, ' ', BAR_WIDTH);
		memset(bar, '=', (size_t) fill);
		if (fill < BAR_WIDTH && fill > 0)
			bar[fill - 1] = '>';
		bar[BAR_WIDTH] = '\0';
		fprintf(stderr, "\r[%s] %ld/%ld files  %.0f files/s  ETA %s\033[K", bar, done,
				total >= 0 ? total : 0, rate, eta);
		L->bar_shown = true;
	}
	fflush(stderr);
}

void
progress_update(Loader *L, bool force)
{
	double		now;

	/* with --jobs only the parent draws progress (a job has shared set) */
	if (L->opt.quiet || L->shared)
		return;
	now = now_seconds();
	if (L->stderr_tty)
	{
		if (force || now - L->t_last_draw >= 0.1)
		{
			draw(L, now, false);
			L->t_last_draw = now;
		}
		return;
	}
	if (L->top_hwm > L->last_line_done &&
		(force || L->top_hwm - L->last_line_done >= 1000 || now - L->t_last_draw >= 10.0))
	{
		draw(L, now, true);
		L->t_last_draw = now;
		L->last_line_done = L->top_hwm;
	}
}

void
progress_clear(Loader *L)
{
	if (L->bar_shown)
	{
		fputs("\r\033[K", stderr);
		L->bar_shown = false;
	}
}

/* The end: the bar at its last state, on its own line. */
void
progress_done(Loader *L)
{
	if (L->opt.quiet || L->shared || !L->stderr_tty)
		return;
	draw(L, now_seconds(), false);
	fputc('\n', stderr);
	L->bar_shown = false;
}

/*
 * A line on stderr, in one write(2): with --jobs, several processes write to the same stderr,
 * and a line must not be cut by another's. A job on a terminal first clears the line, where
 * the parent may have drawn the bar (it draws it again at its next tick).
 */
void
msg(Loader *L, const char *fmt,...)
{
	va_list		ap;
	char		small[1024];
	char	   *line = small;
	const char *head = L->shared && L->stderr_tty ? "\r\033[Kdlpg-load: " : "dlpg-load: ";
	size_t		hlen = strlen(head);
	int			n;

	progress_clear(L);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (hlen + (size_t) n + 2 > sizeof(small) && (line = malloc(hlen + (size_t) n + 2)) == NULL)
	{
		/* out of memory: the message cut to fit */
		line = small;
		n = (int) (sizeof(small) - hlen - 2);
	}
	memcpy(line, head, hlen);
	va_start(ap, fmt);
	vsnprintf(line + hlen, (size_t) n + 1, fmt, ap);
	va_end(ap);
	line[hlen + (size_t) n] = '\n';
	fflush(stderr);
	if (write(STDERR_FILENO, line, hlen + (size_t) n + 1) < 0)
	{
		/* nowhere to say it */
	}
	if (line != small)
		free(line);
}

/* One line per rejected input (the first MAX_REJECT_LINES of them), never twice for one. */
void
note_reject(Loader *L, long ord, const char *source, const char *reason)
{
	long		n;

	if (L->opt.quiet || ord <= L->printed_hwm)
		return;
	L->printed_hwm = ord;
	/* with --jobs, the first MAX_REJECT_LINES of all the jobs together */
	n = L->shared ? __atomic_add_fetch(&L->shared->reject_lines, 1, __ATOMIC_RELAXED) : ++L->reject_lines;
	if (n <= MAX_REJECT_LINES)
		msg(L, "rejected %s: %s", source ? source : "?", reason ? reason : "?");
	else if (n == MAX_REJECT_LINES + 1)
		msg(L, "more rejected inputs are not listed here (see dlpg.rejects)");
}
