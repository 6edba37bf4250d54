// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: `scxtool top`'s frame drawn from fixed samples
 * (tools/scxtool/top_frame.c, compiled in): the whole plain frame, rates
 * from two samples (and none across a new scheduler, a restarted server or
 * a counter that went down), lines cut to the terminal's width counting a
 * UTF-8 character once, control bytes made harmless, the height limit with
 * its "more lines" line, the escapes of a live frame, and a small buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/scxtool/top_frame.c"

static char buf[65536];

/* 2024-01-02 03:04:05 UTC */
#define WALL 1704164645

/* A scheduler "minimal" with two events, a stats server with two counters
 * and one other value, three tasks on sched_ext over two CPUs. */
static void sample(struct top_sample *s, double t, unsigned long long base)
{
	memset(s, 0, sizeof(*s));
	s->mono_s = t;
	s->wall = WALL;
	strcpy(s->release, "6.16.3");
	s->have_scx = true;
	s->st.sz = sizeof(s->st);
	strcpy(s->st.state, "enabled");
	strcpy(s->st.ops, "minimal");
	s->st.switch_all = true;
	s->st.enable_seq = 4;
	s->st.hotplug_seq = 1;
	assert_int_equal(top_list_add(&s->events, "SCX_EV_SELECT_CPU_FALLBACK", NULL, true, base), 0);
	assert_int_equal(top_list_add(&s->events, "SCX_EV_DISPATCH_KEEP_LAST", NULL, true, 2 * base), 0);
	s->have_stats = true;
	strcpy(s->sched, "minimal");
	s->have_uptime = s->have_restarts = true;
	s->uptime_ms = 65400 + (unsigned long long)(t * 1000);
	assert_int_equal(top_list_add(&s->counters, "nr_dispatched", NULL, true, 10 * base), 0);
	assert_int_equal(top_list_add(&s->counters, "nr_enqueued", NULL, true, 10 * base + 1), 0);
	assert_int_equal(top_list_add(&s->other, "mode", "fifo", false, 0), 0);
	s->have_tasks = true;
	s->nr_tasks = 90;
	s->nr_scx = 3;
	s->nr_running = 2;
	s->nr_cpus = 2;
	s->cpu_scx = calloc(2, sizeof(unsigned int));
	s->cpu_running = calloc(2, sizeof(unsigned int));
	assert_non_null(s->cpu_scx);
	assert_non_null(s->cpu_running);
	s->cpu_scx[0] = 1;
	s->cpu_scx[1] = 2;
	s->cpu_running[1] = 2;
}

static const struct top_view plain = { .interval_s = 1, .socket = "/run/s" };

static int setup(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void whole_frame(void **state)
{
	struct top_sample a, b;
	size_t n;

	sample(&a, 10, 100);
	sample(&b, 12, 150);
	n = top_render(&b, &a, &plain, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf,
		"scxtool top  2024-01-02 03:04:05  kernel 6.16.3  every 1s\n"
		"state enabled  ops minimal  switch_all yes  enable_seq 4  hotplug_seq 1  nr_rejected 0\n"
		"stats server /run/s: sched minimal  uptime 1m17s  restarts 0\n"
		"\n"
		"kernel events                           total           /s\n"
		"  SCX_EV_SELECT_CPU_FALLBACK              150         25.0\n"
		"  SCX_EV_DISPATCH_KEEP_LAST               300         50.0\n"
		"\n"
		"scheduler counters                      total           /s\n"
		"  nr_dispatched                          1500        250.0\n"
		"  nr_enqueued                            1501        250.0\n"
		"\n"
		"scheduler statistics\n"
		"  mode                                   fifo\n"
		"\n"
		"tasks on sched_ext\n"
		"  3 of 90 tasks, 2 running or runnable\n"
		"  per CPU (the CPU each last ran on): tasks/running\n"
		"  cpu0      1/0    cpu1      2/2\n");
	top_sample_free(&a);
	top_sample_free(&b);
}

static void rate(void **state)
{
	struct top_list prev = {}, cur = {};
	double r = -1;

	assert_int_equal(top_list_add(&prev, "a", NULL, true, 100), 0);
	assert_int_equal(top_list_add(&prev, "b", NULL, true, 100), 0);
	assert_int_equal(top_list_add(&prev, "s", "x", false, 0), 0);
	assert_int_equal(top_list_add(&cur, "b", NULL, true, 100), 0);	/* order may differ */
	assert_int_equal(top_list_add(&cur, "a", NULL, true, 400), 0);
	assert_int_equal(top_list_add(&cur, "new", NULL, true, 5), 0);
	assert_int_equal(top_list_add(&cur, "s", NULL, true, 5), 0);

	assert_true(top_rate(&prev, &cur.v[1], 0.5, &r));
	assert_true(r == 600.0);
	assert_true(top_rate(&prev, &cur.v[0], 2, &r));
	assert_true(r == 0.0);
	assert_false(top_rate(&prev, &cur.v[2], 1, &r));	/* not in prev */
	assert_false(top_rate(&prev, &cur.v[3], 1, &r));	/* was not a number */
	assert_false(top_rate(NULL, &cur.v[1], 1, &r));	/* first frame */
	assert_false(top_rate(&prev, &cur.v[1], 0, &r));	/* no time passed */
	/* a counter that went down started again: no rate, not a huge one */
	assert_false(top_rate(&cur, &prev.v[0], 1, &r));
	top_list_free(&prev);
	top_list_free(&cur);
}

/* The rate column of the row naming name in buf. */
static const char *rate_of(const char *name)
{
	static char r[32];
	const char *p = strstr(buf, name);

	assert_non_null(p);
	assert_int_equal(sscanf(p, "%*s %*s %31s", r), 1);
	return r;
}

static void no_rates_across_restarts(void **state)
{
	struct top_sample a, b;

	sample(&a, 10, 100);
	sample(&b, 11, 150);
	top_render(&b, NULL, &plain, buf, sizeof(buf));
	assert_string_equal(rate_of("SCX_EV_DISPATCH_KEEP_LAST"), "-");
	assert_string_equal(rate_of("nr_dispatched"), "-");

	/* another scheduler was enabled between the samples */
	b.st.enable_seq++;
	top_render(&b, &a, &plain, buf, sizeof(buf));
	assert_string_equal(rate_of("SCX_EV_DISPATCH_KEEP_LAST"), "-");
	assert_string_equal(rate_of("nr_dispatched"), "500.0");

	/* the server started again (its uptime went back), or restarted the scheduler */
	b.uptime_ms = 10;
	top_render(&b, &a, &plain, buf, sizeof(buf));
	assert_string_equal(rate_of("nr_dispatched"), "-");
	b.uptime_ms = a.uptime_ms + 1000;
	b.restarts = 1;
	top_render(&b, &a, &plain, buf, sizeof(buf));
	assert_string_equal(rate_of("nr_dispatched"), "-");
	top_sample_free(&a);
	top_sample_free(&b);
}

/* Columns of each line of buf (a UTF-8 character counts once); none may
 * hold a control byte but the newline. */
static int widest_line(int *lines)
{
	int w = 0, cols = 0;
	const unsigned char *p;

	*lines = 1;
	for (p = (const unsigned char *)buf; *p; p++) {
		if (*p == '\n') {
			(*lines)++;
			cols = 0;
			continue;
		}
		assert_false(*p < 0x20 || *p == 0x7f);
		if ((*p & 0xc0) != 0x80 && ++cols > w)
			w = cols;
	}
	if (p > (const unsigned char *)buf && p[-1] == '\n')
		(*lines)--;
	return w;
}

static void cut_to_width(void **state)
{
	struct top_view v = plain;
	struct top_sample s;
	int w, lines, all;

	sample(&s, 1, 1);
	/* a name with an escape sequence and UTF-8 in it */
	snprintf(s.st.ops, sizeof(s.st.ops), "\033[2Jévil\x7f");
	top_render(&s, NULL, &v, buf, sizeof(buf));
	assert_non_null(strstr(buf, "ops ?[2Jévil? "));
	w = widest_line(&all);
	assert_true(w > 40);
	for (v.width = 1; v.width <= 41; v.width += 4) {
		top_render(&s, NULL, &v, buf, sizeof(buf));
		assert_int_equal(widest_line(&lines), v.width);
		/* nothing is left out (narrow, the CPU cells take a line each) */
		assert_int_equal(lines, all + (v.width < 34));
	}
	/* é is two bytes and one column: the line keeps 33 columns */
	v.width = 33;
	top_render(&s, NULL, &v, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nstate enabled  ops ?[2Jévil?  swi\n"));
	/* the per-CPU cells: as many as fit */
	v.width = 20;
	top_render(&s, NULL, &v, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\n  cpu0      1/0\n  cpu1      2/2\n"));
	top_sample_free(&s);
}

static void cut_to_height(void **state)
{
	struct top_view v = plain;
	struct top_sample s;
	int lines, all;

	sample(&s, 1, 1);
	top_render(&s, NULL, &v, buf, sizeof(buf));
	widest_line(&all);
	v.height = 5;
	top_render(&s, NULL, &v, buf, sizeof(buf));
	widest_line(&lines);
	assert_int_equal(lines, 5);
	assert_non_null(strstr(buf, "\nstats server"));
	/* the fifth line says how many did not fit, itself included */
	assert_non_null(strstr(buf, "\n\n"));
	assert_non_null(strstr(buf, "\n... "));
	assert_int_equal(atoi(strstr(buf, "\n... ") + 5), all - 4);
	v.height = all;
	top_render(&s, NULL, &v, buf, sizeof(buf));
	assert_null(strstr(buf, "more lines"));
	top_sample_free(&s);
}

static void live_escapes(void **state)
{
	struct top_view v = { .width = 60, .height = 10, .ansi = true, .keys = true,
			      .interval_s = 0.5, .socket = "/run/s" };
	struct top_sample s;
	size_t n;
	int nl = 0;
	char *p;

	sample(&s, 1, 1);
	n = top_render(&s, NULL, &v, buf, sizeof(buf));
	/* from the top left corner; the last line ends without a newline (no
	 * scrolling) and the rest of the screen is cleared */
	assert_memory_equal(buf, "\033[H\033[7mscxtool top (q quits)  2024-01-02", 40);
	assert_true(n > 6 && !strcmp(buf + n - 6, "\033[K\033[J"));
	for (p = buf; (p = strchr(p, '\n')); p++, nl++)
		assert_memory_equal(p - 3, "\033[K", 3);
	assert_int_equal(nl, 9);
	/* the header bar spans the width: 60 columns between its escapes */
	p = strstr(buf, "\033[0m");
	assert_non_null(p);
	assert_int_equal(p - (buf + strlen("\033[H\033[7m")), 60);
	assert_non_null(strstr(buf, "\033[1mkernel events"));
	top_sample_free(&s);
}

static void small_buffer(void **state)
{
	struct top_sample s;
	char small[16];
	size_t n;

	sample(&s, 1, 1);
	memset(small, 'x', sizeof(small));
	n = top_render(&s, NULL, &plain, small, 10);
	assert_int_equal(n, 9);
	assert_string_equal(small, "scxtool t");
	assert_int_equal(small[10], 'x');
	assert_int_equal(top_render(&s, NULL, &plain, small, 0), 0);
	top_sample_free(&s);
}

static void nothing_attached(void **state)
{
	struct top_sample s = { .wall = WALL, .have_scx = true };

	strcpy(s.st.state, "disabled");
	snprintf(s.stats_note, sizeof(s.stats_note), "no scx_stats server at /run/s");
	top_render(&s, NULL, &plain, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nstate disabled  ops (none)  switch_all no"));
	assert_non_null(strstr(buf, "\nstats: no scx_stats server at /run/s\n"));
	assert_non_null(strstr(buf, "\n  (none: no scheduler is attached)\n"));
	assert_null(strstr(buf, "scheduler counters"));
	assert_non_null(strstr(buf, "\n  (unknown: /proc/PID/sched has no ext.enabled"));
	s.have_scx = false;
	top_render(&s, NULL, &plain, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nsched_ext: not in this kernel"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_frame),
		cmocka_unit_test(rate),
		cmocka_unit_test(no_rates_across_restarts),
		cmocka_unit_test(cut_to_width),
		cmocka_unit_test(cut_to_height),
		cmocka_unit_test(live_escapes),
		cmocka_unit_test(small_buffer),
		cmocka_unit_test(nothing_attached),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
