/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* scxtool: the subcommand table shared by main.c and each subcommand's file. */
#ifndef __SCXTOOL_H
#define __SCXTOOL_H

#include <stdbool.h>

struct scxtool_cmd {
	const char *name;
	const char *summary;		/* one line for `scxtool -h` */
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
};

/* One entry per subcommand, each defined in its own file. */
int cmd_features(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_tasks(int argc, char **argv);
int cmd_topology(int argc, char **argv);
int cmd_top(int argc, char **argv);

/* Exit statuses: 0 success, 1 failure, 2 a usage error. */
#define SCXTOOL_EXIT_FAIL	1
#define SCXTOOL_EXIT_USAGE	2

/*
 * True when the running kernel has sched_ext. Otherwise prints, for command
 * cmd, that it needs sched_ext (CONFIG_SCHED_CLASS_EXT) and how to try a
 * scheduler in a VM with tools/scx-vm, and returns false.
 */
bool scxtool_need_sched_ext(const char *cmd);

/* Route libscx's messages to stderr, debug ones only when verbose. */
void scxtool_set_verbose(bool verbose);

/*
 * Options of a subcommand that takes only --json and --help. Returns -1 to go
 * on (with *json set), or the exit status to return at once.
 */
int scxtool_json_only_opts(const char *cmd, int argc, char **argv,
			   void (*usage)(FILE *), bool *json);

/* An interval option's seconds: a finite number above 0, at most a day. */
bool scxtool_parse_seconds(const char *arg, double *s);

/* Sleep s seconds, or less when a signal arrives. */
void scxtool_sleep_s(double s);

#endif /* __SCXTOOL_H */
