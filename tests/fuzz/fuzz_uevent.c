// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for the uevent filter of libscx/watch.c: the classic BPF
 * program attach_filter() builds runs in the host kernel's own interpreter,
 * attached to one end of an AF_UNIX datagram socketpair, and each input is
 * one netlink-like uevent payload ("ACTION@DEVPATH\0KEY=VALUE\0..."). It
 * must pass exactly the payloads that start with "remove@/kernel/sched_ext"
 * (a scheduler's sysfs directory going away) and drop everything else: other
 * actions and paths, libudev's re-broadcasts, truncated and empty packets;
 * and scx__watch_drain() must report exactly what passed.
 */
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../libscx/watch.c"
#include "fuzz_common.h"

static int fds[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int err;

	fuzz_quiet();
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, fds))
		abort();
	err = attach_filter(fds[1]);
	if (err) {
		fprintf(stderr, "fuzz_uevent: cannot attach the filter: %s\n", strerror(-err));
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char prefix[] = UEVENT_PREFIX;
	bool want = size >= sizeof(prefix) - 1 && !memcmp(data, prefix, sizeof(prefix) - 1);
	bool got;

	/* a uevent fits the 2048 bytes drain() reads; longer ones are not sent */
	if (size > 2048)
		return 0;
	if (send(fds[0], data, size, 0) != (ssize_t)size)
		abort();
	got = scx__watch_drain(fds[1]);
	if (got != want) {
		fprintf(stderr, "fuzz_uevent: the filter %s a %zu-byte payload it should %s\n",
			got ? "passed" : "dropped", size, want ? "pass" : "drop");
		abort();
	}
	return 0;
}
