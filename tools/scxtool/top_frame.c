// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool top: the frame of top_frame.h, drawn from two samples. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "top_frame.h"

/* a line's attribute: compared by address, so arrays rather than macros */
static const char BOLD[] = "\033[1m";
static const char REVERSE[] = "\033[7m";
#define NORMAL	"\033[0m"
#define CLEAR_EOL	"\033[K"
#define HOME	"\033[H"
#define CLEAR_EOS	"\033[J"

/* the widest line drawn; wider terminals get it whole */
#define LINE_MAX_BYTES	1024

int top_list_add(struct top_list *l, const char *name, const char *text, bool is_u64,
		 unsigned long long u64)
{
	struct top_value *v;

	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;

		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	v = &l->v[l->nr++];
	snprintf(v->name, sizeof(v->name), "%s", name);
	if (text)
		snprintf(v->text, sizeof(v->text), "%s", text);
	else
		snprintf(v->text, sizeof(v->text), "%llu", is_u64 ? u64 : 0ULL);
	v->is_u64 = is_u64;
	v->u64 = u64;
	return 0;
}

void top_list_free(struct top_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void top_sample_free(struct top_sample *s)
{
	top_list_free(&s->events);
	top_list_free(&s->counters);
	top_list_free(&s->other);
	free(s->cpu_scx);
	free(s->cpu_running);
	s->cpu_scx = s->cpu_running = NULL;
	s->nr_cpus = 0;
}

bool top_rate(const struct top_list *prev_list, const struct top_value *v, double dt,
	      double *rate)
{
	size_t i;

	if (!prev_list || !v->is_u64 || dt <= 0)
		return false;
	for (i = 0; i < prev_list->nr; i++) {
		const struct top_value *p = &prev_list->v[i];

		if (strcmp(p->name, v->name))
			continue;
		if (!p->is_u64 || v->u64 < p->u64)
			return false;
		*rate = (double)(v->u64 - p->u64) / dt;
		return true;
	}
	return false;
}

/* The frame being written: at most size - 1 bytes, then a NUL. */
struct out {
	char *buf;
	size_t size, len;
	const struct top_view *view;
	int lines;		/* lines written */
	int dropped;		/* lines that did not fit in view->height */
	size_t last;		/* where the last line written starts */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 >= o->size)
		return;
	if (n > o->size - 1 - o->len)
		n = o->size - 1 - o->len;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/*
 * Cut line to at most width columns (0: no limit), in place: a column is one
 * character, a UTF-8 sequence counting once. Control bytes (a name read from
 * a server may hold an escape sequence) become '?'. Returns the columns left.
 */
static int fit(char *line, int width)
{
	unsigned char *p = (unsigned char *)line;
	int cols = 0;

	for (; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;	/* a continuation: same column */
		if (width && cols == width) {
			*p = '\0';
			break;
		}
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		cols++;
	}
	/* cells padded to line up leave blanks at the end */
	for (p = (unsigned char *)line + strlen(line); p > (unsigned char *)line && p[-1] == ' '; cols--)
		*--p = '\0';
	return cols;
}

/* One line of the frame, with attr (BOLD, REVERSE or NULL) when escapes are
 * on. Past view->height lines are only counted. */
static void __attribute__((format(printf, 3, 4))) line(struct out *o, const char *attr,
						      const char *fmt, ...)
{
	const struct top_view *v = o->view;
	char text[LINE_MAX_BYTES];
	va_list ap;
	int cols;

	if (v->height && o->lines >= v->height) {
		o->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cols = fit(text, v->width);
	if (o->lines)
		puts_(o, v->ansi ? CLEAR_EOL "\n" : "\n");
	o->last = o->len;
	o->lines++;
	if (!v->ansi || !attr) {
		puts_(o, text);
		return;
	}
	puts_(o, attr);
	puts_(o, text);
	/* a reverse bar spans the terminal */
	for (; attr == REVERSE && cols < v->width; cols++)
		puts_(o, " ");
	puts_(o, NORMAL);
}

/* "1h02m03s", "4m05s", "6.7s" */
static void fmt_ms(char *buf, size_t size, unsigned long long ms)
{
	unsigned long long s = ms / 1000;

	if (s >= 3600)
		snprintf(buf, size, "%lluh%02llum%02llus", s / 3600, s / 60 % 60, s % 60);
	else if (s >= 60)
		snprintf(buf, size, "%llum%02llus", s / 60, s % 60);
	else
		snprintf(buf, size, "%llu.%llus", s, ms % 1000 / 100);
}

static size_t name_width(const struct top_list *a, const struct top_list *b)
{
	size_t i, w = 24;

	for (i = 0; a && i < a->nr; i++)
		if (strlen(a->v[i].name) > w)
			w = strlen(a->v[i].name);
	for (i = 0; b && i < b->nr; i++)
		if (strlen(b->v[i].name) > w)
			w = strlen(b->v[i].name);
	return w;
}

/* Rows of values; with rates, counters get their rate when prev (dt seconds
 * ago) has them. */
static void value_rows(struct out *o, const struct top_list *l, bool rates,
		       const struct top_list *prev, double dt, int nw)
{
	char rate[32];
	size_t i;
	double r;

	for (i = 0; i < l->nr; i++) {
		const struct top_value *v = &l->v[i];

		if (!rates || !v->is_u64) {
			line(o, NULL, "  %-*s %16s", nw, v->name, v->text);
			continue;
		}
		if (top_rate(prev, v, dt, &r))
			snprintf(rate, sizeof(rate), "%.1f", r);
		else
			snprintf(rate, sizeof(rate), "-");
		line(o, NULL, "  %-*s %16llu %12s", nw, v->name, v->u64, rate);
	}
}

static void header(struct out *o, const struct top_sample *c)
{
	const struct top_view *v = o->view;
	char clock[32] = "", up[32];
	struct tm tm;

	if (localtime_r(&c->wall, &tm))
		strftime(clock, sizeof(clock), "%Y-%m-%d %H:%M:%S", &tm);
	line(o, REVERSE, "scxtool top%s  %s  kernel %s  every %gs", v->keys ? " (q quits)" : "",
	     clock, c->release, v->interval_s);
	if (!c->have_scx)
		line(o, NULL, "sched_ext: not in this kernel (no /sys/kernel/sched_ext)");
	else
		line(o, NULL, "state %s  ops %s  switch_all %s  enable_seq %llu  hotplug_seq %llu  "
		     "nr_rejected %llu", c->st.state, *c->st.ops ? c->st.ops : "(none)",
		     c->st.switch_all ? "yes" : "no", (unsigned long long)c->st.enable_seq,
		     (unsigned long long)c->st.hotplug_seq, (unsigned long long)c->st.nr_rejected);
	if (!c->have_stats) {
		line(o, NULL, "stats: %s", c->stats_note);
		return;
	}
	if (c->have_uptime)
		fmt_ms(up, sizeof(up), c->uptime_ms);
	line(o, NULL, "stats server %s: sched %s%s%s%s%llu", v->socket ? v->socket : "",
	     *c->sched ? c->sched : "(unnamed)", c->have_uptime ? "  uptime " : "",
	     c->have_uptime ? up : "", c->have_restarts ? "  restarts " : "",
	     c->have_restarts ? c->restarts : 0ULL);
}

/* The counters of the server's scheduler compare with prev's when it is the
 * same one, not restarted: otherwise they started again from zero. */
static bool same_server(const struct top_sample *c, const struct top_sample *p)
{
	return p && p->have_stats && !strcmp(p->sched, c->sched) &&
	       (!c->have_uptime || !p->have_uptime || c->uptime_ms >= p->uptime_ms) &&
	       (!c->have_restarts || !p->have_restarts || c->restarts == p->restarts);
}

static void tasks(struct out *o, const struct top_sample *c)
{
	const struct top_view *v = o->view;
	int per_line, cpu, n = 0;
	char cells[LINE_MAX_BYTES];
	size_t len = 0;

	line(o, BOLD, "tasks on sched_ext");
	if (!c->have_tasks) {
		line(o, NULL, "  (unknown: /proc/PID/sched has no ext.enabled, it needs CONFIG_SCHED_DEBUG)");
		return;
	}
	line(o, NULL, "  %lu of %lu tasks, %lu running or runnable", c->nr_scx, c->nr_tasks,
	     c->nr_running);
	if (!c->nr_cpus)
		return;
	line(o, NULL, "  per CPU (the CPU each last ran on): tasks/running");
	/* cells of 16 columns, as many as fit in a line (8 when unlimited) */
	per_line = v->width ? (v->width - 2) / 16 : 8;
	if (per_line < 1)
		per_line = 1;
	for (cpu = 0; cpu < c->nr_cpus; cpu++) {
		len += snprintf(cells + len, sizeof(cells) - len, "  cpu%-4d %3u/%-3u", cpu,
				c->cpu_scx[cpu], c->cpu_running[cpu]);
		if (++n == per_line || cpu == c->nr_cpus - 1 || len + 32 > sizeof(cells)) {
			line(o, NULL, "%s", cells);
			len = 0;
			n = 0;
		}
	}
}

size_t top_render(const struct top_sample *cur, const struct top_sample *prev,
		  const struct top_view *view, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size, .view = view };
	double dt = prev ? cur->mono_s - prev->mono_s : 0;
	int nw = (int)name_width(&cur->events, &cur->counters);

	if (!size)
		return 0;
	buf[0] = '\0';
	if (view->ansi)
		puts_(&o, HOME);
	header(&o, cur);

	line(&o, NULL, "%s", "");
	line(&o, BOLD, "%-*s %16s %12s", nw + 2, "kernel events", "total", "/s");
	if (cur->events.nr)
		/* a new scheduler's events start from zero */
		value_rows(&o, &cur->events, true,
			   prev && prev->st.enable_seq == cur->st.enable_seq ? &prev->events : NULL,
			   dt, nw);
	else if (!cur->have_scx || !*cur->st.ops)
		line(&o, NULL, "  (none: no scheduler is attached)");
	else
		line(&o, NULL, "  (this kernel has no event counters: they came in 6.15)");

	if (cur->have_stats) {
		line(&o, NULL, "%s", "");
		line(&o, BOLD, "%-*s %16s %12s", nw + 2, "scheduler counters", "total", "/s");
		if (!cur->counters.nr)
			line(&o, NULL, "  (none served)");
		value_rows(&o, &cur->counters, true, same_server(cur, prev) ? &prev->counters : NULL,
			   dt, nw);
		if (cur->other.nr) {
			line(&o, NULL, "%s", "");
			line(&o, BOLD, "scheduler statistics");
			value_rows(&o, &cur->other, false, NULL, 0, nw);
		}
	}

	line(&o, NULL, "%s", "");
	tasks(&o, cur);

	if (o.dropped) {
		/* the last line that fit says what did not */
		char more[64];

		o.len = o.last;
		o.buf[o.len] = '\0';
		snprintf(more, sizeof(more), "... %d more lines", o.dropped + 1);
		fit(more, view->width);
		puts_(&o, more);
	}
	puts_(&o, view->ansi ? CLEAR_EOL CLEAR_EOS : "\n");
	return o.len;
}
