// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a program outside the tree, built only with
 * `pkg-config --cflags --libs libscx` against an installed libscx, runs a
 * scheduler: the public headers and the shared library are all it needs.
 * Built by tests/tests.mk into build/tests/vm/test_consumer.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>

int main(void)
{
	char obj[PATH_MAX], *slash;
	const struct scx_exit_info *ei;
	struct scx_sched *s;
	ssize_t n;

	if (access("/sys/kernel/sched_ext", F_OK)) {
		printf("no sched_ext here\n");
		return 77;
	}
	n = readlink("/proc/self/exe", obj, sizeof(obj) - 32);
	if (n <= 0)
		return 1;
	obj[n] = '\0';
	slash = strrchr(obj, '/');
	strcpy(slash + 1, "raw_fifo.bpf.o");

	printf("libscx %s (built against %d.%d)\n", libscx_version_string(),
	       LIBSCX_MAJOR_VERSION, LIBSCX_MINOR_VERSION);
	if (libscx_major_version() != LIBSCX_MAJOR_VERSION)
		return 1;
	s = scx_sched__open_file(obj, NULL);
	if (!s || scx_sched__load(s) || scx_sched__attach(s)) {
		printf("cannot start %s: %s\n", obj, strerror(errno));
		return 1;
	}
	sleep(1);
	scx_sched__detach(s);
	ei = scx_sched__exit_info(s);
	printf("exit: %s\n", scx_exit_kind__str(scx_exit_info__kind(ei)));
	if (scx_exit_info__kind(ei) != SCX_EXIT_UNREG)
		return 1;
	scx_sched__destroy(s);
	return 0;
}
