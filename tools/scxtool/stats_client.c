// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool: the scx_stats client of stats_client.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "stats_client.h"

#define MAX_REPLY	(16 << 20)

int stats_client_connect(const char *cmd, const char *path, bool quiet, bool *absent)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = STATS_REPLY_TIMEOUT_S };
	int fd, err;

	*absent = false;
	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "scxtool %s: socket path too long: %s\n", cmd, path);
		return -1;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "scxtool %s: socket: %s\n", cmd, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return fd;
	err = errno;
	close(fd);
	*absent = err == ENOENT || err == ECONNREFUSED;
	if (quiet)
		return -1;
	if (err == ENOENT)
		fprintf(stderr, "scxtool %s: no scx_stats server at %s (no such socket: is a "
			"scheduler running with its stats server? --socket PATH names another)\n",
			cmd, path);
	else if (err == ECONNREFUSED)
		fprintf(stderr, "scxtool %s: nothing is listening at %s (a stale socket, or "
			"not a socket)\n", cmd, path);
	else
		fprintf(stderr, "scxtool %s: cannot connect to %s: %s\n", cmd, path, strerror(err));
	return -1;
}

/* One reply line into *buf (NUL-terminated, without the '\n'). */
static int read_reply(int fd, const char *cmd, const char *path, char **buf, size_t *cap,
		      volatile sig_atomic_t *stop)
{
	size_t len = 0;

	for (;;) {
		char *nl;
		ssize_t n;

		if (len + 4096 + 1 > *cap) {
			char *p = *cap < MAX_REPLY ? realloc(*buf, *cap * 2 + 4096 + 1) : NULL;

			if (!p) {
				fprintf(stderr, "scxtool %s: a reply from %s longer than %d bytes\n",
					cmd, path, MAX_REPLY);
				return -1;
			}
			*buf = p;
			*cap = *cap * 2 + 4096 + 1;
		}
		n = read(fd, *buf + len, 4096);
		if (n < 0 && errno == EINTR && !*stop)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			fprintf(stderr, "scxtool %s: no reply from %s within %d s: not a scx_stats "
				"server?\n", cmd, path, STATS_REPLY_TIMEOUT_S);
			return -1;
		}
		if (n < 0) {
			if (!*stop)
				fprintf(stderr, "scxtool %s: reading from %s: %s\n", cmd, path,
					strerror(errno));
			return -1;
		}
		if (n == 0) {
			fprintf(stderr, "scxtool %s: %s closed the connection without a reply: not a "
				"scx_stats server?\n", cmd, path);
			return -1;
		}
		nl = memchr(*buf + len, '\n', n);
		len += n;
		if (nl) {
			/* one request, one reply: nothing can follow it */
			*nl = '\0';
			return 0;
		}
	}
}

int stats_client_ask(int fd, const char *cmd, const char *path, const char *req,
		     char **buf, size_t *cap, volatile sig_atomic_t *stop)
{
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
		if (!*stop)
			fprintf(stderr, "scxtool %s: writing to %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	return read_reply(fd, cmd, path, buf, cap, stop);
}
