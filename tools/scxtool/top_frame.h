/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * scxtool top: what one frame shows, and the frame drawn from it. Drawing is
 * a pure function of two samples (the rates are their difference) and the
 * terminal's size, so the unit tests check it from fixed inputs; top.c
 * collects the samples and runs the terminal.
 */
#ifndef __SCXTOOL_TOP_FRAME_H
#define __SCXTOOL_TOP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <scx/monitor.h>

/* One named value: a counter (is_u64) or anything else as text. */
struct top_value {
	char name[64];
	char text[64];
	bool is_u64;
	unsigned long long u64;
};

struct top_list {
	struct top_value *v;
	size_t nr, cap;
};

struct top_sample {
	double mono_s;			/* CLOCK_MONOTONIC when collected: rates */
	time_t wall;			/* the header's clock */
	char release[65];		/* uname -r */
	bool have_scx;			/* /sys/kernel/sched_ext was readable */
	struct scx_system_status st;
	struct top_list events;		/* the kernel's SCX_EV_* counters */

	bool have_stats;		/* the stats server answered */
	char stats_note[256];		/* otherwise why not */
	char sched[128];		/* its "sched", "" when it has none */
	bool have_uptime, have_restarts;
	unsigned long long uptime_ms, restarts;
	struct top_list counters;	/* its "counters" */
	struct top_list other;		/* the rest of its top struct, flattened */

	bool have_tasks;		/* /proc told the class of our own task */
	unsigned long nr_tasks, nr_scx, nr_running;
	int nr_cpus;			/* per_cpu's length */
	unsigned int *cpu_scx;		/* per CPU: sched_ext tasks that last ran there */
	unsigned int *cpu_running;	/* ... of them running or runnable */
};

/* How to draw: the terminal's size (0: unlimited) and whether escapes may
 * be used (bold section titles, reverse header, clear to end of line). */
struct top_view {
	int width;
	int height;
	bool ansi;
	bool keys;			/* the header says q quits */
	double interval_s;
	const char *socket;
};

/* Append a value (name and text cut to fit; text NULL: u64 in decimal);
 * -ENOMEM. */
int top_list_add(struct top_list *l, const char *name, const char *text, bool is_u64,
		 unsigned long long u64);
void top_list_free(struct top_list *l);
void top_sample_free(struct top_sample *s);

/*
 * The increase per second of counter v since the sample prev (taken dt
 * seconds earlier, its list of the same counters prev_list). False when
 * there is nothing to compare: no earlier sample, the counter is new, or it
 * went down (the scheduler or its server started again).
 */
bool top_rate(const struct top_list *prev_list, const struct top_value *v, double dt,
	      double *rate);

/*
 * Draw the frame of cur (prev the sample before it, or NULL) into buf, NUL
 * terminated, never more than size bytes, each line cut to view->width
 * columns and at most view->height lines (the last then says how many did
 * not fit). With view->ansi the frame starts at the top left corner and
 * clears what the previous frame left; without, it is plain lines. Returns
 * the length written.
 */
size_t top_render(const struct top_sample *cur, const struct top_sample *prev,
		  const struct top_view *view, char *buf, size_t size);

#endif /* __SCXTOOL_TOP_FRAME_H */
