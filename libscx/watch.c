// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Noticing that a scheduler exited.
 *
 * The struct_ops link's fd does not signal when the kernel ejects a
 * scheduler (measured on 6.16: no POLLHUP after scx_bpf_error() or a stall),
 * and an object written without libscx has no BPF code of ours to tell us.
 * What every sched_ext kernel does on any exit is remove the scheduler's
 * sysfs directory /sys/kernel/sched_ext/root, which the driver core announces
 * as a "remove@/kernel/sched_ext/root" kobject uevent. We listen for those on a
 * NETLINK_KOBJECT_UEVENT socket whose classic-BPF filter drops every other
 * uevent, so the socket becomes readable exactly when a sched_ext scheduler
 * went away. The caller confirms against sysfs state before believing it.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "watch.h"

#define UEVENT_PREFIX "remove@/kernel/sched_ext"

/*
 * A classic BPF filter accepting packets that start with UEVENT_PREFIX: for
 * each 4-byte word, load it (network byte order) and jump to "drop" on a
 * mismatch. Built from the string so the prefix lives in one place.
 */
static int attach_filter(int fd)
{
	const char *p = UEVENT_PREFIX;
	const size_t nr_words = (sizeof(UEVENT_PREFIX) - 1) / 4;
	struct sock_filter insns[2 * nr_words + 2];
	struct sock_fprog prog = { .len = 2 * nr_words + 2, .filter = insns };
	size_t i, n = 0;

	for (i = 0; i < nr_words; i++) {
		const unsigned char *w = (const unsigned char *)p + 4 * i;
		__u32 want = (__u32)w[0] << 24 | w[1] << 16 | w[2] << 8 | w[3];

		insns[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4 * i);
		/* from here, "drop" is 2 * (nr_words - i) - 1 insns ahead */
		insns[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, want, 0,
							  2 * (nr_words - i) - 1);
	}
	insns[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffff);
	insns[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ? -errno : 0;
}

_Static_assert((sizeof(UEVENT_PREFIX) - 1) % 4 == 0, "the uevent filter compares whole words");

int scx_watch__open(void)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,		/* the kernel's own broadcast group */
	};
	int fd, err, size = 64 * 1024;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	err = attach_filter(fd);
	if (err) {
		pr_warn("watch: cannot filter the uevent socket: %s\n", strerror(-err));
		close(fd);
		return err;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		pr_warn("watch: cannot listen to kernel uevents: %s\n", strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

/* Read everything queued; true when at least one sched_ext removal came in. */
bool scx_watch__drain(int fd)
{
	char buf[2048];
	bool seen = false;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0) {
			seen = true;
			continue;
		}
		/* ENOBUFS: events were lost; whatever they were, have the
		 * caller look at sysfs. */
		if (n < 0 && errno == ENOBUFS) {
			seen = true;
			continue;
		}
		break;
	}
	return seen;
}
