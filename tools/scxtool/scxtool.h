/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* scxtool: the subcommand table shared by main.c and each subcommand's file. */
#ifndef __SCXTOOL_H
#define __SCXTOOL_H

struct scxtool_cmd {
	const char *name;
	const char *summary;		/* one line for `scxtool -h` */
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
};

/* One entry per subcommand, each defined in its own file. */
int cmd_topology(int argc, char **argv);

#endif /* __SCXTOOL_H */
