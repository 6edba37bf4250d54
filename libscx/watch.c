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
 *
 * Uevents reach sockets in network namespaces owned by the initial user
 * namespace only (not those of containers with their own), and a full
 * socket drops them (ENOBUFS, which we treat as "look at sysfs"). So what the
 * application polls is an epoll set of that socket and a timer: where the
 * uevents cannot be trusted, and while an exit is being completed, the timer
 * ticks and the caller looks at sysfs again; once the exit is complete an
 * eventfd in the set is written, so that the fd stays readable.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
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

static int open_socket(void)
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
bool scx__watch_drain(int fd)
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

/*
 * Is our network namespace owned by the initial user namespace? Uevents reach
 * every such namespace. Asked of our own namespace files only, which needs no
 * privilege: we are in the initial user namespace (its uid_map maps all of
 * them to themselves) and it owns our network namespace.
 */
static bool netns_owned_by_init_userns(void)
{
	struct stat owner, user;
	char map[128];
	unsigned long a, b, n;
	int net, uns;
	bool ret;

	if (scx__read_file("/proc/self/uid_map", map, sizeof(map)) < 0 ||
	    sscanf(map, "%lu %lu %lu", &a, &b, &n) != 3 || a || b || n != 4294967295UL ||
	    stat("/proc/self/ns/user", &user))
		return false;
	net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (net < 0)
		return false;
	uns = ioctl(net, NS_GET_USERNS);
	close(net);
	if (uns < 0)
		return false;
	ret = !fstat(uns, &owner) && owner.st_ino == user.st_ino && owner.st_dev == user.st_dev;
	close(uns);
	return ret;
}

/*
 * Are we in the initial network namespace, where uevents surely arrive?
 * (They also reach other namespaces owned by the initial user namespace;
 * treating those as foreign only costs a 100 ms timer.) Kernel threads
 * always are in it, and kthreadd is pid 2 where we can see it (in another
 * pid namespace we cannot tell, and answer no). Looking at kthreadd's
 * namespace needs ptrace access to it, which a process with fewer
 * capabilities than kthreadd lacks (systemd's CapabilityBoundingSet=, as in
 * scx.service): then ask who owns our own namespace instead.
 */
static bool in_init_netns(void)
{
	struct stat self, kthreadd;
	char comm[32];

	if (scx__read_file("/proc/2/comm", comm, sizeof(comm)) < 0 || strcmp(comm, "kthreadd") ||
	    stat("/proc/self/ns/net", &self))
		return false;
	if (stat("/proc/2/ns/net", &kthreadd))
		return (errno == EACCES || errno == EPERM) && netns_owned_by_init_userns();
	return self.st_ino == kthreadd.st_ino && self.st_dev == kthreadd.st_dev;
}

int scx__watch_init(struct scx_watch *w)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int err;

	w->sock = -1;
	w->timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	w->done = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	if (w->timer < 0 || w->done < 0 || w->ep < 0 ||
	    epoll_ctl(w->ep, EPOLL_CTL_ADD, w->timer, &ev) ||
	    epoll_ctl(w->ep, EPOLL_CTL_ADD, w->done, &ev)) {
		err = -errno;
		scx__watch_close(w);
		return err;
	}
	w->sock = open_socket();
	if (w->sock >= 0 && epoll_ctl(w->ep, EPOLL_CTL_ADD, w->sock, &ev)) {
		close(w->sock);
		w->sock = -1;
	}
	w->trust_uevents = w->sock >= 0 && in_init_netns();
	if (w->sock >= 0 && !w->trust_uevents)
		pr_info("watch: not in the initial network namespace, where uevents go; "
			"looking at sysfs every %d ms instead\n", SCX_WATCH_POLL_MS);
	return 0;
}

void scx__watch_close(struct scx_watch *w)
{
	if (w->sock >= 0)
		close(w->sock);
	if (w->timer >= 0)
		close(w->timer);
	if (w->done >= 0)
		close(w->done);
	if (w->ep >= 0)
		close(w->ep);
	w->sock = w->timer = w->done = w->ep = -1;
}

/* A first expiry after ms, then every ms (0: disarm). */
void scx__watch_tick(struct scx_watch *w, int ms)
{
	struct itimerspec its = {
		.it_value = { ms / 1000, (ms % 1000) * 1000000L },
		.it_interval = { ms / 1000, (ms % 1000) * 1000000L },
	};

	if (w->timer >= 0)
		timerfd_settime(w->timer, 0, &its, NULL);
}

/* The exit is complete: stop ticking, and be readable from now on. */
void scx__watch_signal(struct scx_watch *w)
{
	uint64_t one = 1;

	scx__watch_tick(w, 0);
	if (w->done >= 0)
		(void)!write(w->done, &one, sizeof(one));
}

/* A new attach: not readable until the next exit. */
void scx__watch_rearm(struct scx_watch *w)
{
	uint64_t n;

	scx__watch_consume(w);
	if (w->done >= 0)
		(void)!read(w->done, &n, sizeof(n));
	scx__watch_tick(w, w->trust_uevents ? 0 : SCX_WATCH_POLL_MS);
}

/* Empty the socket and the timer; true when a sched_ext removal (or a lost
 * event) came in, or the timer ticked: either way, look at sysfs. */
bool scx__watch_consume(struct scx_watch *w)
{
	uint64_t expirations;
	bool seen = w->sock >= 0 && scx__watch_drain(w->sock);

	if (w->timer >= 0 && read(w->timer, &expirations, sizeof(expirations)) > 0)
		seen = true;
	return seen;
}
