// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * latprobe: wakeup latency of a periodic task next to CPU-bound hogs. Forks
 * HOGS busy loops (default: twice the online CPUs), then sleeps for PERIOD
 * again and again and records how late each wakeup was (clock_gettime
 * CLOCK_MONOTONIC against the intended time). Prints one line:
 *	latprobe n=N p50_us=.. p99_us=.. max_us=.. cdf_us=c0,c1,..,c100
 * (cdf_us[k] is the k-th percentile). With -F, the probe is a SCHED_FIFO
 * task, which any normal task yields to at once: its latency is the machine's
 * own share. Built static: the bench guest is busybox only.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "latprobe.h"

static void usage(FILE *f)
{
	fputs("usage: latprobe [-p PERIOD_US] [-n SAMPLES] [-H HOGS] [-w WARMUP_MS] [-F PRIO]\n"
	      "  defaults: period 5000 us, 400 samples, 2 x online CPUs hogs, 300 ms warmup\n"
	      "  -F PRIO: measure as a SCHED_FIFO task of priority PRIO (the hogs stay normal)\n", f);
}

int main(int argc, char **argv)
{
	long long period_us = 5000, warmup_ms = 300, *lat;
	int n = 400, hogs = -1, fifo = 0, opt;
	struct lp_summary s;
	pid_t *pids;

	while ((opt = getopt(argc, argv, "p:n:H:w:F:h")) != -1) {
		switch (opt) {
		case 'p': period_us = atoll(optarg); break;
		case 'n': n = atoi(optarg); break;
		case 'H': hogs = atoi(optarg); break;
		case 'w': warmup_ms = atoll(optarg); break;
		case 'F': fifo = atoi(optarg); break;
		default: usage(opt == 'h' ? stdout : stderr); return opt == 'h' ? 0 : 2;
		}
	}
	if (hogs < 0)
		hogs = 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 0 || period_us <= 0) {
		usage(stderr);
		return 2;
	}
	lat = calloc(n, sizeof(*lat));
	pids = calloc(hogs + 1, sizeof(*pids));
	if (!lat || !pids)
		return 1;
	for (int i = 0; i < hogs; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			for (volatile unsigned long x = 0;; x++)
				;
	}
	if (fifo > 0) {
		struct sched_param sp = { .sched_priority = fifo };

		if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
			perror("latprobe: SCHED_FIFO");
			return 1;
		}
	}
	/* let the hogs settle and the scheduler learn who is who */
	usleep(warmup_ms * 1000);
	lp_measure(&lp_real_clock, period_us * 1000, n, lat);
	for (int i = 0; i < hogs; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (int i = 0; i < hogs; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);

	lp_summarize(lat, n, &s);
	printf("latprobe n=%d p50_us=%.1f p99_us=%.1f max_us=%.1f cdf_us=", n, s.p50 / 1e3,
	       s.p99 / 1e3, s.max / 1e3);
	for (int k = 0; k <= 100; k++)
		printf("%s%.1f", k ? "," : "", s.cdf[k] / 1e3);
	printf("\n");
	return 0;
}
