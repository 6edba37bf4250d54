// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool status: the system's sched_ext state and the kernel's event counters. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <scx/monitor.h>

#include "json.h"
#include "scxtool.h"

static void status_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool status [--json]\n\n"
		"Show the system's sched_ext state (disabled, enabling, enabled, disabling), the\n"
		"attached scheduler's name, whether it switched all tasks, the sequence counters\n"
		"(schedulers enabled, hotplug events since boot), the tasks that refused to join,\n"
		"and the kernel's event counters (SCX_EV_*, kernel 6.15 and later).\n\n"
		"  --json      one JSON object: state, ops (null when none), enable_seq,\n"
		"              nr_rejected, hotplug_seq, switch_all, events (an object)\n"
		"  -h, --help  this text\n");
}

static int print_event(const char *name, __u64 value, void *ctx)
{
	struct json *j = ctx;

	if (j)
		json_member_u64(j, name, value);
	else
		printf("  %-32s %llu\n", name, (unsigned long long)value);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	struct scx_system_status st = { .sz = sizeof(st) };
	bool json = false;
	int opt, ret;

	opt = scxtool_json_only_opts("status", argc, argv, status_usage, &json);
	if (opt >= 0)
		return opt;
	scxtool_set_verbose(false);
	ret = scx_system__status(&st, NULL);
	if (ret == -EOPNOTSUPP) {
		scxtool_need_sched_ext("status");
		return SCXTOOL_EXIT_FAIL;
	}
	if (ret < 0) {
		fprintf(stderr, "scxtool status: cannot read /sys/kernel/sched_ext: %s\n",
			strerror(-ret));
		return SCXTOOL_EXIT_FAIL;
	}
	if (json) {
		struct json j;

		json_init(&j, stdout);
		json_begin_object(&j);
		json_member_string(&j, "state", st.state);
		json_key(&j, "ops");
		if (*st.ops)
			json_string(&j, st.ops);
		else
			json_null(&j);
		json_member_u64(&j, "enable_seq", st.enable_seq);
		json_member_u64(&j, "nr_rejected", st.nr_rejected);
		json_member_u64(&j, "hotplug_seq", st.hotplug_seq);
		json_member_bool(&j, "switch_all", st.switch_all);
		json_key(&j, "events");
		json_begin_object(&j);
		/* -ENOENT: nothing attached, or a kernel without event counters */
		scx_system__for_each_event(print_event, &j, NULL);
		json_end_object(&j);
		json_end_object(&j);
		putchar('\n');
		return 0;
	}
	printf("state:       %s\n", st.state);
	printf("ops:         %s\n", *st.ops ? st.ops : "(none)");
	printf("switch_all:  %s\n", st.switch_all ? "yes" : "no");
	printf("enable_seq:  %llu\n", (unsigned long long)st.enable_seq);
	printf("nr_rejected: %llu\n", (unsigned long long)st.nr_rejected);
	printf("hotplug_seq: %llu\n", (unsigned long long)st.hotplug_seq);
	fflush(stdout);
	if (*st.ops)
		printf("events:\n");
	ret = scx_system__for_each_event(print_event, NULL, NULL);
	if (ret == -ENOENT)
		printf("events:      %s\n", *st.ops ? "(this kernel has no event counters)" :
		       "(none: no scheduler is attached)");
	return 0;
}
