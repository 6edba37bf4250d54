/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What msgbench and msgpat both need: a monotonic clock in seconds and a
 * read or write that moves the whole buffer (a pipe or a stream socket may
 * move part of it; a signal may interrupt it).
 */
#ifndef __BENCH_BENCHIO_H
#define __BENCH_BENCHIO_H

#include <errno.h>
#include <time.h>
#include <unistd.h>

static inline double bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 0 once all len bytes moved; -1 on an error or end of file. */
static inline int bench_io(int fd, void *buf, size_t len, int wr)
{
	while (len) {
		ssize_t r = wr ? write(fd, buf, len) : read(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf = (char *)buf + r;
		len -= r;
	}
	return 0;
}

#endif /* __BENCH_BENCHIO_H */
