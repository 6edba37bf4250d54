/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the tests that run the scxtool binary (test_scxtool_*.c): where
 * it is, skipping when it is not built, and running it with its output
 * captured.
 */
#ifndef __SCX_SCXTOOL_RUN_H
#define __SCX_SCXTOOL_RUN_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCXTOOL TEST_BUILDDIR "/tools/scxtool/scxtool"

#define REQUIRE_SCXTOOL()							\
	do {									\
		if (access(SCXTOOL, X_OK)) {					\
			print_message("# %s not built\n", SCXTOOL);		\
			skip();							\
		}								\
	} while (0)

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Run `prefix scxtool args` through sh, with stdout in out and stderr in
 * err (each NUL-terminated, cut to its size); return the exit status. */
static __attribute__((unused)) int scxtool_run(const char *prefix, const char *args,
					       char *out, size_t out_size,
					       char *err, size_t err_size)
{
	char cmd[8192], ofile[] = "/tmp/scxtool-out-XXXXXX", efile[] = "/tmp/scxtool-err-XXXXXX";
	int ofd = mkstemp(ofile), efd = mkstemp(efile), st;

	assert_true(ofd >= 0 && efd >= 0);
	close(ofd);
	close(efd);
	snprintf(cmd, sizeof(cmd), "%s %s %s >%s 2>%s </dev/null", prefix, SCXTOOL, args,
		 ofile, efile);
	st = system(cmd);
	slurp(ofile, out, out_size);
	slurp(efile, err, err_size);
	unlink(ofile);
	unlink(efile);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif /* __SCX_SCXTOOL_RUN_H */
