// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * minimal: run the global FIFO scheduler of minimal.bpf.c. The template for a
 * new scheduler program: libscx's command line (scx/cli.h) gives it -v,
 * --stats, --set, --timeout-ms, --help and the rest, loads the scheduler,
 * prints its counters and reports why it exited; the program adds its own
 * option, -s, which sets a global of the BPF side.
 */
#include <scx/scx.h>

#include "minimal.skel.h"

static const struct scx_cli_option options[] = {
	{ "slice-us", 's', "US", "time slice in microseconds (default: the kernel's, 20 ms)" },
	{ NULL },
};

static int on_option(struct scx_cli *cli, int key, const char *arg, void *ctx)
{
	__u64 ns = 0;	/* -s is the only option */
	int ret = scx_cli__arg_u64(cli, arg, 1, 1000000, &ns);

	ns *= 1000;
	return ret ?: scx_cli__set_global(cli, "slice_ns", &ns, sizeof(ns));
}

int main(int argc, char **argv)
{
	size_t size;
	const void *obj = minimal__elf_bytes(&size);	/* embedded by the skeleton */
	SCX_OPTS(scx_cli_opts, opts, .name = "minimal", .obj_buf = obj, .obj_size = size,
		 .summary = "Run a global FIFO sched_ext scheduler until SIGINT/SIGTERM.\n",
		 .options = options, .option_fn = on_option);

	return scx_cli__main(argc, argv, &opts);
}
