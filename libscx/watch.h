/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
#ifndef __SCX_WATCH_H
#define __SCX_WATCH_H

#include <stdbool.h>

/* How often sysfs is looked at when uevents cannot be trusted. */
#define SCX_WATCH_POLL_MS	100

/*
 * What the application polls to learn that a scheduler exited: an epoll set
 * of a uevent socket (readable when a sched_ext scheduler is removed) and a
 * timer (see watch.c).
 */
struct scx_watch {
	int ep;			/* the fd handed out; -1 when there is none */
	int sock;		/* the uevent socket, -1 when it could not be made */
	int timer;		/* timerfd: ticks */
	int done;		/* eventfd: written once the exit is complete */
	bool trust_uevents;	/* the socket sees this system's uevents */
};

int scx__watch_init(struct scx_watch *w);
void scx__watch_close(struct scx_watch *w);
void scx__watch_tick(struct scx_watch *w, int ms);
void scx__watch_signal(struct scx_watch *w);
void scx__watch_rearm(struct scx_watch *w);
bool scx__watch_consume(struct scx_watch *w);
bool scx__watch_drain(int sock);

#endif
