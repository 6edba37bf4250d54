// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * percpu: run the per-CPU scheduler of percpu.bpf.c through libscx's command
 * line (scx/cli.h). Which CPUs share an LLC and a node reaches it without a
 * line here: libscx fills its topology maps when it loads it. Its own
 * options: -s (slice) and -S (how far an idle CPU may steal).
 */
#include <string.h>

#include <scx/scx.h>

#include "percpu.skel.h"

static const struct scx_cli_option options[] = {
	{ "slice-us", 's', "US", "time slice in microseconds (default: the kernel's, 20 ms)" },
	{ "steal", 'S', "SCOPE", "where an idle CPU may steal: cpu, llc, node, all (default)" },
	{ NULL },
};

static int on_option(struct scx_cli *cli, int key, const char *arg, void *ctx)
{
	/* enum scx_steal_scope in dsq.bpf.h */
	static const char *const scopes[] = { "cpu", "llc", "node", "all" };
	__u64 ns = 0;
	__u32 v;
	int ret;

	if (key == 's') {
		ret = scx_cli__arg_u64(cli, arg, 1, 1000000, &ns);
		ns *= 1000;
		return ret ?: scx_cli__set_global(cli, "slice_ns", &ns, sizeof(ns));
	}
	for (v = 0; v < 4 && strcmp(arg, scopes[v]); v++)
		;
	if (v == 4)
		return scx_cli__usage_error(cli, "'%s' is not cpu, llc, node or all", arg);
	return scx_cli__set_global(cli, "steal_scope", &v, sizeof(v));
}

int main(int argc, char **argv)
{
	size_t size;
	const void *obj = percpu__elf_bytes(&size);	/* embedded by the skeleton */
	SCX_OPTS(scx_cli_opts, opts, .name = "percpu", .obj_buf = obj, .obj_size = size,
		 .summary = "Run a per-CPU-queue sched_ext scheduler until SIGINT/SIGTERM.\n",
		 .options = options, .option_fn = on_option);

	return scx_cli__main(argc, argv, &opts);
}
