// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * interactive: load the deadline scheduler of interactive.bpf.c, turn its
 * cpufreq targets off where the machine has no cpufreq driver, print its
 * counters every -i seconds, and report why it exited. Only the public libscx
 * API is used.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>

#include "interactive.skel.h"

static const char usage[] =
	"usage: interactive [-v] [-i SECONDS] [-s SLICE_US] [-t TIMEOUT_MS] [-I BURST_US] [-P] [-C]\n"
	"  Run a latency-oriented deadline sched_ext scheduler until SIGINT/SIGTERM.\n"
	"  -v             verbose: libscx debug messages\n"
	"  -i SECONDS     print the scheduler's counters every SECONDS\n"
	"  -s SLICE_US    time slice in microseconds (default: the kernel's, 20 ms)\n"
	"  -t TIMEOUT_MS  watchdog: eject a task stalled this long (max 30000)\n"
	"  -I BURST_US    tasks running less than this per wakeup are interactive (default 1000)\n"
	"  -P             interactive wakeups never preempt a running task\n"
	"  -C             set cpufreq targets even without a cpufreq driver (for testing:\n"
	"                 the kernel still checks every set; nothing acts on it)\n"
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
	printf("interactive:");
	scx_sched__for_each_counter(s, print_counter, NULL);
	printf("\n");
	fflush(stdout);
	return 0;
}

/*
 * Does this machine have a cpufreq driver? Without one (QEMU guests, many
 * VMs) the kernel accepts performance targets and does nothing with them.
 */
static bool have_cpufreq(void)
{
	DIR *d = opendir("/sys/devices/system/cpu/cpufreq");
	struct dirent *e;
	bool found = false;

	if (d) {
		while (!found && (e = readdir(d)))
			found = !strncmp(e->d_name, "policy", 6);
		closedir(d);
	}
	return found || access("/sys/devices/system/cpu/cpu0/cpufreq", F_OK) == 0;
}

static int set_u64(struct scx_sched *s, const char *name, __u64 v)
{
	int ret = scx_sched__set_global(s, name, &v, sizeof(v));

	if (ret)
		fprintf(stderr, "interactive: %s: %s\n", name, strerror(-ret));
	return ret;
}

int main(int argc, char **argv)
{
	SCX_OPTS(scx_sched_opts, opts);
	SCX_OPTS(scx_run_opts, run, .handle_signals = true);
	unsigned long long slice_us = 0, burst_us = 0;
	const struct scx_exit_info *ei;
	bool no_preempt = false, force_cpufreq = false, cpufreq;
	struct scx_sched *s;
	const void *obj;
	size_t obj_sz;
	int opt, ret;

	while ((opt = getopt(argc, argv, "vi:s:t:I:PCh")) != -1) {
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
		case 'I':
			burst_us = strtoull(optarg, NULL, 0);
			break;
		case 'P':
			no_preempt = true;
			break;
		case 'C':
			force_cpufreq = true;
			break;
		default:
			fputs(usage, opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	scx_set_print(print_fn);

	/* The BPF object is embedded in the binary by the skeleton. */
	obj = interactive__elf_bytes(&obj_sz);
	s = scx_sched__open_mem(obj, obj_sz, &opts);
	if (!s) {
		fprintf(stderr, "interactive: cannot open the scheduler: %s\n", strerror(errno));
		return 1;
	}
	ret = 0;
	if (slice_us)
		ret = ret ?: set_u64(s, "slice_ns", slice_us * 1000);
	if (burst_us)
		ret = ret ?: set_u64(s, "interactive_ns", burst_us * 1000);
	if (no_preempt) {
		bool f = false;

		ret = ret ?: scx_sched__set_global(s, "preempt", &f, sizeof(f));
	}
	cpufreq = force_cpufreq || have_cpufreq();
	if (!ret && !cpufreq) {
		bool f = false;

		ret = scx_sched__set_global(s, "scx_cpufreq_enabled", &f, sizeof(f));
		printf("cpufreq: not available on this machine, performance targets disabled\n");
	} else if (!ret) {
		printf("cpufreq: performance targets follow utilization (at most one change per CPU every 10 ms)\n");
	}
	fflush(stdout);
	if (ret) {
		scx_sched__destroy(s);
		return 1;
	}
	if (run.stats_interval_ms)
		run.stats_fn = print_stats;

	/* Attaches, waits for a signal or an ejection, detaches. */
	ret = scx_sched__run(s, &run);
	if (ret < 0) {
		fprintf(stderr, "interactive: %s\n", strerror(-ret));
		scx_sched__destroy(s);
		return 1;
	}
	ei = scx_sched__exit_info(s);
	printf("interactive: exited: %s (%s)%s%s\n", scx_exit_kind__str(scx_exit_info__kind(ei)),
	       scx_exit_info__reason(ei), *scx_exit_info__msg(ei) ? ": " : "",
	       scx_exit_info__msg(ei));
	ret = scx_exit_kind__is_error(scx_exit_info__kind(ei)) ? 1 : 0;
	scx_sched__destroy(s);
	return ret;
}
