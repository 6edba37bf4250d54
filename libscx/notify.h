/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * systemd's service notification protocol (sd_notify(3)), written from its
 * description so that libscx needs no libsystemd: one datagram of
 * "KEY=VALUE\n" lines to the AF_UNIX socket named by $NOTIFY_SOCKET (a path,
 * or an abstract name spelled with a leading '@'), and the watchdog keep-alive
 * when $WATCHDOG_USEC asks for one. Not installed.
 *
 * Everything is best effort: a process not started by systemd has no
 * $NOTIFY_SOCKET and nothing is sent; a send that fails is logged at debug
 * level and forgotten, as a supervisor must not stop over its manager.
 */
#ifndef __SCX_NOTIFY_H
#define __SCX_NOTIFY_H

#include <stdbool.h>

struct scx_notify {
	int fd;				/* -1: nobody to tell */
	unsigned int addr_len;
	char addr[112];			/* a struct sockaddr_un */
	long long watchdog_ms;		/* the keep-alive interval, 0: none */
	long long watchdog_next;	/* when the next one is due */
};

/* Read $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID. Never fails: with
 * nothing to notify, n->fd is -1 and every call below does nothing. */
void scx__notify_open(struct scx_notify *n);
void scx__notify_close(struct scx_notify *n);

/* Send one message, printf-style: "READY=1\nSTATUS=...". 0 when sent (or
 * nobody listens), a negative errno otherwise. */
__attribute__((format(printf, 2, 3)))
int scx__notify(struct scx_notify *n, const char *fmt, ...);

/* WATCHDOG=1 when one is due at now_ms; call it at least as often as
 * scx__notify_wait_ms() says. */
void scx__notify_watchdog(struct scx_notify *n, long long now_ms);
/* How long the caller may sleep before the next keep-alive is due: -1 for no
 * limit (no watchdog). */
int scx__notify_wait_ms(const struct scx_notify *n, long long now_ms);

#endif /* __SCX_NOTIFY_H */
