/*
 * progress.c -- what dlpg-load says on stderr while it runs: a progress bar redrawn in place
 * when stderr is a terminal, else a plain line every 1000 files or 10 seconds; messages (which
 * clear the bar first); the clock and the peak RSS for --stats.
 */
#include "dlpg_load.h"

#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define BAR_WIDTH 28
#define MAX_REJECT_LINES 100

double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* peak resident set size in kB (Linux: ru_maxrss is in kB) */
long
peak_rss_kb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
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

	if (L->opt.quiet)
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
	if (L->opt.quiet || !L->stderr_tty)
		return;
	draw(L, now_seconds(), false);
	fputc('\n', stderr);
	L->bar_shown = false;
}

void
msg(Loader *L, const char *fmt,...)
{
	va_list		ap;

	progress_clear(L);
	fputs("dlpg-load: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* One line per rejected input (the first MAX_REJECT_LINES of them), never twice for one. */
void
note_reject(Loader *L, long ord, const char *source, const char *reason)
{
	if (L->opt.quiet || ord <= L->printed_hwm)
		return;
	L->printed_hwm = ord;
	L->reject_lines++;
	if (L->reject_lines <= MAX_REJECT_LINES)
		msg(L, "rejected %s: %s", source ? source : "?", reason ? reason : "?");
	else if (L->reject_lines == MAX_REJECT_LINES + 1)
		msg(L, "more rejected inputs are not listed here (see dlpg.rejects)");
}
