// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool: helpers shared by the subcommands. */
#include <stdarg.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <scx/common.h>
#include <scx/features.h>

#include "scxtool.h"

bool scxtool_need_sched_ext(const char *cmd)
{
	const struct scx_features *f = scx_features__running();

	/* Without BTF there is no sched_ext either (it depends on
	 * CONFIG_DEBUG_INFO_BTF); sysfs decides in case the probe failed
	 * for another reason. */
	if (f ? scx_features__has_sched_ext(f) : !access("/sys/kernel/sched_ext", F_OK))
		return true;
	fprintf(stderr,
		"scxtool %s: this kernel has no sched_ext (it was built without "
		"CONFIG_SCHED_CLASS_EXT).\n"
		"To try a scheduler, run it in a VM with a sched_ext kernel (tools/scx-vm in the\n"
		"libscx tree, installed as scx-vm), e.g.\n"
		"  tools/scx-vm --add build/tools/scxtool/scxtool --add sched.bpf.o -- "
		"/scxtool run /sched.bpf.o\n", cmd);
	return false;
}

static bool verbose_msgs;

static int print_fn(enum scx_print_level level, const char *fmt, va_list args)
{
	if (level == SCX_DEBUG && !verbose_msgs)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* libbpf's own messages: warnings always, the rest (one info line per ops
 * member the kernel lacks, on every load) with -v */
static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_WARN && !verbose_msgs)
		return 0;
	return vfprintf(stderr, fmt, args);
}

void scxtool_set_verbose(bool verbose)
{
	verbose_msgs = verbose;
	scx_set_print(print_fn);
	libbpf_set_print(libbpf_print_fn);
}

int scxtool_json_only_opts(const char *cmd, int argc, char **argv,
			   void (*usage)(FILE *), bool *json)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int opt;

	*json = false;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			*json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return SCXTOOL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scxtool %s: unexpected argument '%s'\n", cmd, argv[optind]);
		usage(stderr);
		return SCXTOOL_EXIT_USAGE;
	}
	return -1;
}

bool scxtool_parse_seconds(const char *arg, double *s)
{
	char *end;

	*s = strtod(arg, &end);
	return end != arg && !*end && isfinite(*s) && *s > 0 && *s <= 86400;
}

void scxtool_sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9) };

	/* a signal ends the wait: it is how the callers' loops stop */
	nanosleep(&ts, NULL);
}
