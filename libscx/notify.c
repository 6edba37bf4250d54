// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Telling systemd how the scheduler is doing (see notify.h): readiness once
 * it is attached, a status line, stopping, and the watchdog keep-alive.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"
#include "notify.h"

_Static_assert(sizeof(((struct scx_notify *)0)->addr) >= sizeof(struct sockaddr_un),
	       "struct scx_notify holds a sockaddr_un");

/* The socket's address from $NOTIFY_SOCKET; false when it names none we
 * can use (unset, empty, too long, or a kind we do not speak, such as
 * systemd 254's "vsock:"). */
static bool notify_addr(const char *env, struct sockaddr_un *sa, unsigned int *len)
{
	size_t n;

	if (!env || !*env)
		return false;
	n = strlen(env);
	if ((env[0] != '/' && env[0] != '@') || n >= sizeof(sa->sun_path)) {
		pr_debug("notify: NOTIFY_SOCKET=%s is not a socket path or abstract name; "
			 "not notifying\n", env);
		return false;
	}
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, env, n);
	/* an abstract name is the bytes after a leading NUL, its length
	 * counted exactly; a path is NUL-terminated */
	if (env[0] == '@') {
		sa->sun_path[0] = '\0';
		*len = offsetof(struct sockaddr_un, sun_path) + n;
	} else {
		*len = offsetof(struct sockaddr_un, sun_path) + n + 1;
	}
	return true;
}

/* $WATCHDOG_USEC, in milliseconds, when it is meant for this process. */
static long long watchdog_ms(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	unsigned long long us;
	char *end;

	if (!usec || !*usec)
		return 0;
	/* a manager that names another process (we are its child) did not
	 * ask us */
	if (pid && *pid) {
		errno = 0;
		if (strtoll(pid, &end, 10) != getpid() || *end || errno)
			return 0;
	}
	errno = 0;
	us = strtoull(usec, &end, 10);
	if (*end || errno || !us)
		return 0;
	/* ping at half the interval, as sd_watchdog_enabled(3) advises */
	return us / 2000 ? (long long)(us / 2000) : 1;
}

void scx__notify_open(struct scx_notify *n)
{
	struct sockaddr_un sa;
	unsigned int len;

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	if (!notify_addr(getenv("NOTIFY_SOCKET"), &sa, &len))
		return;
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (n->fd < 0) {
		pr_debug("notify: socket: %s\n", strerror(errno));
		return;
	}
	memcpy(n->addr, &sa, sizeof(sa));
	n->addr_len = len;
	n->watchdog_ms = watchdog_ms();
	n->watchdog_next = n->watchdog_ms ? scx__now_ms() + n->watchdog_ms : 0;
}

void scx__notify_close(struct scx_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

int scx__notify(struct scx_notify *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int len;

	if (n->fd < 0)
		return 0;
	va_start(ap, fmt);
	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (len < 0)
		return -EINVAL;
	/* a status cut short is still a status */
	if ((size_t)len >= sizeof(msg))
		len = sizeof(msg) - 1;
	if (sendto(n->fd, msg, len, MSG_NOSIGNAL, (const struct sockaddr *)n->addr,
		   n->addr_len) < 0) {
		int err = -errno;

		pr_debug("notify: cannot tell the service manager \"%.*s\": %s\n",
			 (int)strcspn(msg, "\n"), msg, strerror(-err));
		return err;
	}
	return 0;
}

void scx__notify_watchdog(struct scx_notify *n, long long now_ms)
{
	if (n->fd < 0 || !n->watchdog_ms || now_ms < n->watchdog_next)
		return;
	scx__notify(n, "WATCHDOG=1");
	n->watchdog_next = now_ms + n->watchdog_ms;
}

int scx__notify_wait_ms(const struct scx_notify *n, long long now_ms)
{
	long long left;

	if (n->fd < 0 || !n->watchdog_ms)
		return -1;
	left = n->watchdog_next - now_ms;
	return left < 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}
