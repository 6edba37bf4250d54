// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * minimal: load the global FIFO scheduler of minimal.bpf.c, print its
 * counters every -i seconds, and report why it exited. The template for a new
 * scheduler program: everything goes through the public libscx API.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>

#include "minimal.skel.h"

static const char usage[] =
	"usage: minimal [-v] [-i SECONDS] [-s SLICE_US] [-t TIMEOUT_MS]\n"
	"  Run a global FIFO sched_ext scheduler until SIGINT/SIGTERM.\n"
	"  -v             verbose: libscx debug messages\n"
	"  -i SECONDS     print the scheduler's counters every SECONDS\n"
	"  -s SLICE_US    time slice in microseconds (default: the kernel's, 20 ms)\n"
	"  -t TIMEOUT_MS  watchdog: eject a task stalled this long (max 30000)\n"
	"  -h             this text\n";

static bool verbose;

static int print_fn(enum scx_print_level level, const char *fmt, va_list args)
{
	if (level == SCX_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int print_counter(const char *name, __u64 value, void *ctx)
{
	printf(" %s=%llu", name, (unsigned long long)value);
	return 0;
}

static int print_stats(struct scx_sched *s, void *ctx)
{
	printf("minimal:");
	scx_sched__for_each_counter(s, print_counter, NULL);
	printf("\n");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	SCX_OPTS(scx_sched_opts, opts);
	SCX_OPTS(scx_run_opts, run, .handle_signals = true);
	const struct scx_exit_info *ei;
	unsigned long long slice_us = 0;
	struct scx_sched *s;
	const void *obj;
	size_t obj_sz;
	int opt, ret;

	while ((opt = getopt(argc, argv, "vi:s:t:h")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'i':
			run.stats_interval_ms = strtoul(optarg, NULL, 0) * 1000;
			break;
		case 's':
			slice_us = strtoull(optarg, NULL, 0);
			break;
		case 't':
			opts.timeout_ms = strtoul(optarg, NULL, 0);
			break;
		default:
			fputs(usage, opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	scx_set_print(print_fn);

	/* The BPF object is embedded in the binary by the skeleton. */
	obj = minimal__elf_bytes(&obj_sz);
	s = scx_sched__open_mem(obj, obj_sz, &opts);
	if (!s) {
		fprintf(stderr, "minimal: cannot open the scheduler: %s\n", strerror(errno));
		return 1;
	}
	if (slice_us) {
		__u64 slice_ns = slice_us * 1000;

		ret = scx_sched__set_global(s, "slice_ns", &slice_ns, sizeof(slice_ns));
		if (ret) {
			fprintf(stderr, "minimal: slice_ns: %s\n", strerror(-ret));
			scx_sched__destroy(s);
			return 1;
		}
	}
	if (run.stats_interval_ms)
		run.stats_fn = print_stats;

	/* Attaches, waits for a signal or an ejection, detaches. */
	ret = scx_sched__run(s, &run);
	if (ret < 0) {
		fprintf(stderr, "minimal: %s\n", strerror(-ret));
		scx_sched__destroy(s);
		return 1;
	}
	ei = scx_sched__exit_info(s);
	printf("minimal: exited: %s (%s)%s%s\n", scx_exit_kind__str(scx_exit_info__kind(ei)),
	       scx_exit_info__reason(ei), *scx_exit_info__msg(ei) ? ": " : "",
	       scx_exit_info__msg(ei));
	ret = scx_exit_kind__is_error(scx_exit_info__kind(ei)) ? 1 : 0;
	scx_sched__destroy(s);
	return ret;
}
