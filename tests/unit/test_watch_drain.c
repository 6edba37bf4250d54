// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the exit watch's socket drain (scx__watch_drain) on a netlink
 * broadcast socket that overflowed. The uevent socket is one (the kernel
 * broadcasts to group 1 of NETLINK_KOBJECT_UEVENT); a NETLINK_USERSOCK socket
 * goes through the same kernel code (netlink_broadcast, netlink_overrun) and
 * any process may broadcast to it. When a broadcast finds the receive queue
 * full the message is dropped and the next recv() fails with ENOBUFS, before
 * any queued message: a drain that stopped at that error would neither read
 * what is queued nor tell the caller to look at sysfs, and a lost "scheduler
 * removed" uevent would go unnoticed.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "watch.h"

#define GROUP 1

/* A receiver in GROUP with the smallest receive buffer, and a sender. */
static void open_pair(int *rx, int *tx)
{
	struct sockaddr_nl grp = { .nl_family = AF_NETLINK, .nl_groups = GROUP };
	struct sockaddr_nl any = { .nl_family = AF_NETLINK };
	int one = 1;

	*rx = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);
	*tx = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);
	assert_true(*rx >= 0 && *tx >= 0);
	assert_int_equal(setsockopt(*rx, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)), 0);
	assert_int_equal(bind(*rx, (struct sockaddr *)&grp, sizeof(grp)), 0);
	assert_int_equal(bind(*tx, (struct sockaddr *)&any, sizeof(any)), 0);
}

/* Broadcast n messages of 4 KiB to GROUP. The kernel delivers to the group
 * and then reports that no process has port 0 (ECONNREFUSED): ignored. */
static void broadcast(int tx, int n)
{
	struct sockaddr_nl grp = { .nl_family = AF_NETLINK, .nl_groups = GROUP };
	static char buf[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;

	h->nlmsg_len = sizeof(buf);
	while (n--)
		sendto(tx, buf, sizeof(buf), 0, (struct sockaddr *)&grp, sizeof(grp));
}

static void overflow_is_seen_and_drained(void **state)
{
	char buf[8192];
	int rx, tx;

	(void)state;
	open_pair(&rx, &tx);
	/* the first fits (the queue was empty), the rest overflow */
	broadcast(tx, 4);
	assert_true(scx__watch_drain(rx));
	/* everything was read: nothing, not even the error, is left */
	assert_int_equal(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	close(rx);
	close(tx);
}

static void quiet_socket_is_not_news(void **state)
{
	int rx, tx;

	(void)state;
	open_pair(&rx, &tx);
	assert_false(scx__watch_drain(rx));
	broadcast(tx, 1);
	assert_true(scx__watch_drain(rx));
	assert_false(scx__watch_drain(rx));
	close(rx);
	close(tx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overflow_is_seen_and_drained),
		cmocka_unit_test(quiet_socket_is_not_news),
	};

	return cmocka_run_group_tests_name("watch_drain", tests, NULL, NULL);
}
