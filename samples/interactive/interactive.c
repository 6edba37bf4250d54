// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * interactive: run the deadline scheduler of interactive.bpf.c through
 * libscx's command line (scx/cli.h), turning its cpufreq targets off where
 * the machine has no cpufreq driver. Its own options set globals of the BPF
 * side: -s (slice), -I (interactive burst), -P (no preemption), and -C keeps
 * cpufreq targets on without a driver.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>

#include "interactive.skel.h"

static const struct scx_cli_option options[] = {
	{ "slice-us", 's', "US", "time slice in microseconds (default: the kernel's, 20 ms)" },
	{ "burst-us", 'I', "US", "tasks running less than this per wakeup are interactive "
	  "(default 1000)" },
	{ "no-preempt", 'P', NULL, "interactive wakeups never preempt a running task" },
	{ "force-cpufreq", 'C', NULL, "set cpufreq targets even without a cpufreq driver (for "
	  "testing: the kernel still checks every set; nothing acts on it)" },
	{ NULL },
};

static bool force_cpufreq;

static int on_option(struct scx_cli *cli, int key, const char *arg, void *ctx)
{
	bool no = false;
	__u64 ns = 0;
	int ret;

	switch (key) {
	case 'P':
		return scx_cli__set_global(cli, "preempt", &no, sizeof(no));
	case 'C':
		force_cpufreq = true;
		return 0;
	}
	ret = scx_cli__arg_u64(cli, arg, 1, 1000000, &ns);
	ns *= 1000;
	return ret ?: scx_cli__set_global(cli, key == 's' ? "slice_ns" : "interactive_ns", &ns,
					  sizeof(ns));
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

static int prepare(struct scx_cli *cli, struct scx_sched *s, void *ctx)
{
	bool off = false;

	if (force_cpufreq || have_cpufreq()) {
		printf("cpufreq: performance targets follow utilization (at most one change per "
		       "CPU every 10 ms)\n");
		return 0;
	}
	printf("cpufreq: not available on this machine, performance targets disabled\n");
	return scx_sched__set_global(s, "scx_cpufreq_enabled", &off, sizeof(off));
}

int main(int argc, char **argv)
{
	size_t size;
	const void *obj = interactive__elf_bytes(&size);	/* embedded by the skeleton */
	SCX_OPTS(scx_cli_opts, opts, .name = "interactive", .obj_buf = obj, .obj_size = size,
		 .summary = "Run a latency-oriented deadline sched_ext scheduler until "
			    "SIGINT/SIGTERM.\n",
		 .options = options, .option_fn = on_option, .prepare_fn = prepare);

	return scx_cli__main(argc, argv, &opts);
}
