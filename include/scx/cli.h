/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The command line every libscx scheduler shares: option parsing, the print
 * callback, counters while it runs, watching one already running, the exit
 * report and the exit status. A scheduler program's main() becomes:
 *
 *	int main(int argc, char **argv)
 *	{
 *		size_t size;
 *		const void *obj = minimal__elf_bytes(&size);  // skeleton
 *		SCX_OPTS(scx_cli_opts, opts, .name = "minimal", .summary = "...",
 *			 .obj_buf = obj, .obj_size = size);
 *
 *		return scx_cli__main(argc, argv, &opts);
 *	}
 *
 * Options every scheduler gets (and reserves: its own options must not reuse
 * the names, nor the letters h, i, t, v and V):
 *   -v, --verbose          libscx's debug messages too
 *   -i, --stats SECS       print the scheduler's counters every SECS (0.001 to
 *                          86400, decimals allowed) while it runs
 *       --stats-socket[=PATH]  serve the counters, restarts and the
 *                          kernel's events over sched-ext/scx's scx_stats
 *                          protocol (scx/stats_server.h) at PATH, default
 *                          /var/run/scx/root/stats
 *       --monitor SECS     load nothing: print the system's sched_ext state
 *                          and the kernel's event counters every SECS, for a
 *                          scheduler that is already running, until killed
 *   -t, --timeout-ms N     watchdog timeout, 0 to 30000 (scx_sched_opts)
 *       --exit-dump-len N  exit dump buffer size (scx_sched_opts)
 *       --partial          only tasks that ask for SCHED_EXT
 *       --set NAME=VALUE   set a global variable, VALUE read by its BTF type
 *                          (scx_sched__set_global_str()); repeatable
 *   -V, --version          the scheduler's and libscx's versions
 *   -h, --help             usage, with the scheduler's own options
 * Numbers are whole decimal numbers; anything else (a sign, a trailing
 * character, a value past the range or past 64 bits) is a usage error.
 *
 * Exit status (what scx_cli__main() and scx_cli__run() return): 0 after
 * SIGINT/SIGTERM or when the scheduler unregistered itself, and after --help
 * or --version; 1 when it could not be opened, loaded or attached, or the
 * kernel ejected it; 2 for a usage error, a refused --set included.
 *
 * Unlike the rest of libscx, this layer is the program's user interface: it
 * writes usage, errors, counters and the exit report to the streams of
 * scx_cli_opts (stdout and stderr by default) and, while scx_cli__run() runs,
 * installs its own print callbacks, libscx's and libbpf's (libbpf's warnings
 * always, its other messages with -v), restoring the previous ones at return;
 * it makes SIGINT and SIGTERM stop the scheduler. It
 * never calls exit(). It uses getopt_long(), whose state is global: one
 * parse at a time per process.
 */
#ifndef __SCX_CLI_H
#define __SCX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include <scx/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scx_cli;
struct scx_sched;
struct scx_user_opts;

/*
 * One option of the scheduler's own, in a table ended by an entry whose name
 * is NULL. This struct's layout is fixed for good (programs pass arrays of
 * it): a new kind of option would come as a new struct and a new member of
 * scx_cli_opts.
 */
struct scx_cli_option {
	const char *name;	/* long name, without "--": "slice-us" */
	int key;		/* a letter for -x too, or a value >= 256 for a long-only
				 * option; passed to option_fn; not 0 */
	const char *arg;	/* the value's name in --help ("US"); NULL for a flag;
				 * "[=US]" for an optional value, given only as
				 * --name=VALUE (option_fn gets NULL without one) */
	const char *help;	/* one line for --help */
};

struct scx_cli_opts {
	size_t sz;
	/* The program's name in --help, messages and the counters' lines; the
	 * scheduler's BPF name is a good choice. Required. */
	const char *name;
	/* What the scheduler does, for --help (lines ending in '\n'). */
	const char *summary;
	/* The scheduler's own version for --version; NULL prints libscx's only. */
	const char *version;
	/* The BPF object: in memory (a skeleton's NAME__elf_bytes(), copied at
	 * open) or a file path. Exactly one is required. */
	const void *obj_buf;
	size_t obj_size;
	const char *obj_path;
	/* The scheduler's own options, ended by { NULL }, and the function that
	 * receives them in command-line order, before anything is opened: arg is
	 * the value (NULL for a flag). It may call scx_cli__arg_u64(),
	 * scx_cli__set_global() and scx_cli__usage_error(); returning non-zero
	 * (a negative errno) ends the parse with a usage error. */
	const struct scx_cli_option *options;
	int (*option_fn)(struct scx_cli *cli, int key, const char *arg, void *ctx);
	/* Called after the scheduler is opened, before it is loaded and before
	 * the command line's globals are set (so that --set has the last
	 * word): set globals from the machine here. It runs again before
	 * every restart's load (CPU hotplug), followed by the command line's
	 * globals again. A non-zero return (a negative errno) ends the
	 * program with status 1; the function says why. */
	int (*prepare_fn)(struct scx_cli *cli, struct scx_sched *s, void *ctx);
	void *ctx;
	/* Where --help, --version, counters and the exit report go (default
	 * stdout), and usage errors and messages (default stderr). */
	FILE *out;
	FILE *err;
	/* A user-space scheduler (scx/user.h): the runtime is created with
	 * (a copy of) these options after open and prepare_fn, in the thread
	 * that called scx_cli__run(), and destroyed after the run; --stats
	 * lines add its counters. The program gets the runtime's options
	 * -s/--slice-us and -a/--all-tasks (direct_idle off), and its own may
	 * not use those names or letters. The object must include
	 * scx/user.bpf.h. */
	const struct scx_user_opts *user;
	size_t :0;
};
#define scx_cli_opts__last_field user

/* scx_cli__parse()'s return when --help or --version was printed. */
#define SCX_CLI_DONE 1

/* Exit statuses. */
#define SCX_CLI_EXIT_OK		0
#define SCX_CLI_EXIT_FAIL	1
#define SCX_CLI_EXIT_USAGE	2

/**
 * @brief A command line for one scheduler program.
 * @return a new handle, or NULL with errno EINVAL (no name, not exactly one
 *   of obj_buf/obj_path, an option table entry with key 0, a name or letter
 *   the common options use, options without option_fn, unknown opts members;
 *   the print callback says which) or ENOMEM.
 */
SCX_API struct scx_cli *scx_cli__new(const struct scx_cli_opts *opts);

/**
 * @brief Parse argv (argv[0] is the program). Usage errors are written to
 * the err stream with a hint to --help; --help and --version to out.
 * @return 0: go on with scx_cli__run(); SCX_CLI_DONE: --help or --version
 *   was printed, exit with SCX_CLI_EXIT_OK; -EINVAL: a usage error was
 *   printed, exit with SCX_CLI_EXIT_USAGE; -EALREADY: already parsed; -ENOMEM.
 */
SCX_API int scx_cli__parse(struct scx_cli *cli, int argc, char **argv);

/**
 * @brief Run what the parsed command line asks for: open the scheduler, call
 * prepare_fn, set the globals (--set and the option function's, in
 * command-line order), supervise it with scx_sched__run() (counters every --stats
 * interval; SIGINT and SIGTERM stop it) and print why it exited; or, with
 * --monitor, watch the running one.
 * @return the exit status (SCX_CLI_EXIT_*); never a negative errno.
 */
SCX_API int scx_cli__run(struct scx_cli *cli);

/** @brief Free the handle. NULL is a no-op. */
SCX_API void scx_cli__free(struct scx_cli *cli);

/**
 * @brief new + parse + run + free: a scheduler program's whole main().
 * @return the exit status (SCX_CLI_EXIT_*).
 */
SCX_API int scx_cli__main(int argc, char **argv, const struct scx_cli_opts *opts);

/**
 * @brief For option_fn: read arg as a whole decimal number from min to max.
 * On error writes "NAME: OPTION: ..." to the err stream.
 * @return 0 with *val set; -EINVAL not a number (empty, a sign, a letter,
 *   trailing characters); -ERANGE outside min..max or past 64 bits.
 */
SCX_API int scx_cli__arg_u64(struct scx_cli *cli, const char *arg, __u64 min, __u64 max,
			     __u64 *val);

/**
 * @brief For option_fn: set global NAME once the scheduler is opened, as
 * scx_sched__set_global() would (the value is copied now).
 * @return 0; -EINVAL bad arguments; -ENOMEM.
 */
SCX_API int scx_cli__set_global(struct scx_cli *cli, const char *name, const void *val,
				size_t size);

/**
 * @brief For option_fn: write "NAME: OPTION: MESSAGE" to the err stream.
 * @return -EINVAL, for option_fn to return.
 */
__attribute__((format(printf, 2, 3)))
SCX_API int scx_cli__usage_error(struct scx_cli *cli, const char *fmt, ...);

/** @brief Whether -v/--verbose was given. */
SCX_API bool scx_cli__verbose(const struct scx_cli *cli);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_CLI_H */
