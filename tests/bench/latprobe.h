/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The measuring part of latprobe, separate so that a unit test can drive it
 * with a fake clock: a periodic task asks to wake at start + k * period and
 * records how late it actually woke (now - intended), in nanoseconds.
 */
#ifndef __BENCH_LATPROBE_H
#define __BENCH_LATPROBE_H

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct lp_clock {
	long long (*now)(void *ctx);			/* CLOCK_MONOTONIC, ns */
	void (*sleep_until)(long long when, void *ctx);	/* absolute, ns */
	void *ctx;
};

static inline long long lp_real_now(void *ctx)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void lp_real_sleep_until(long long when, void *ctx)
{
	struct timespec ts = { .tv_sec = when / 1000000000LL, .tv_nsec = when % 1000000000LL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static const struct lp_clock lp_real_clock = { lp_real_now, lp_real_sleep_until, NULL };

/*
 * Take n samples, one per period: lat[i] is how late wakeup i was. The
 * schedule is absolute, so one late wakeup does not shift the next ones;
 * when a wakeup is later than a whole period, the missed slots are skipped.
 */
static inline void lp_measure(const struct lp_clock *c, long long period_ns, int n, long long *lat)
{
	long long next = c->now(c->ctx) + period_ns, now;

	for (int i = 0; i < n; i++) {
		c->sleep_until(next, c->ctx);
		now = c->now(c->ctx);
		lat[i] = now > next ? now - next : 0;
		next += period_ns;
		while (next <= now)
			next += period_ns;
	}
}

static inline int lp_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* pct (0..100) of sorted[0..n-1], nearest rank. */
static inline long long lp_percentile(const long long *sorted, int n, double pct)
{
	int rank;

	if (n <= 0)
		return 0;
	rank = (int)(pct / 100.0 * n + 0.999999);	/* ceil */
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

struct lp_summary {
	long long p50, p99, max;	/* ns */
	long long cdf[101];		/* cdf[k]: the k-th percentile, ns */
};

/* Sorts lat in place. */
static inline void lp_summarize(long long *lat, int n, struct lp_summary *s)
{
	qsort(lat, n, sizeof(*lat), lp_cmp);
	s->p50 = lp_percentile(lat, n, 50);
	s->p99 = lp_percentile(lat, n, 99);
	s->max = n ? lat[n - 1] : 0;
	for (int k = 0; k <= 100; k++)
		s->cdf[k] = k ? lp_percentile(lat, n, k) : (n ? lat[0] : 0);
}

#endif /* __BENCH_LATPROBE_H */
