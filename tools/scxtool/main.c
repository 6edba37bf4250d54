// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * scxtool: command-line front end of libscx. `scxtool COMMAND [ARGS]`; each
 * command takes --help. Adding one: write cmd_NAME() in NAME.c, declare it in
 * scxtool.h and add a row to the table below.
 */
#include <stdio.h>
#include <string.h>

#include <scx/common.h>

#include "scxtool.h"

static const struct scxtool_cmd commands[] = {
	{ "run", "run a sched_ext scheduler object until stopped or ejected", cmd_run },
	{ "status", "show whether a scheduler is attached, which, and its event counters", cmd_status },
	{ "stats", "print the statistics a scx_stats server (a scheduler's stats socket) serves", cmd_stats },
	{ "metrics", "print the sched_ext state and the scheduler's statistics for Prometheus", cmd_metrics },
	{ "features", "show what the running kernel's sched_ext offers", cmd_features },
	{ "tasks", "list the tasks on the sched_ext class", cmd_tasks },
	{ "topology", "show CPUs, cores, LLCs, NUMA nodes and packages", cmd_topology },
	{ "top", "a live view of the attached scheduler: state, events, counters, tasks per CPU", cmd_top },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: scxtool [-h] [--version] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n`scxtool COMMAND --help` describes a command's options.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("scxtool (libscx %s)\n", libscx_version_string());
		return 0;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "scxtool: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
