// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool: the scx_stats protocol client of stats_client.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "json.h"
#include "stats_client.h"

#define MAX_REPLY	(16 << 20)

int scxtool_stats_connect(const char *path, int timeout_s, char *err, size_t err_size)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_s };
	int fd, e;

	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, err_size, "socket path too long: %s", path);
		return -1;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, err_size, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return fd;
	e = errno;
	close(fd);
	if (e == ENOENT)
		snprintf(err, err_size, "no scx_stats server at %s (no such socket: is a scheduler "
			 "running with its stats server? --socket PATH names another)", path);
	else if (e == ECONNREFUSED)
		snprintf(err, err_size, "nothing is listening at %s (a stale socket, or not a socket)",
			 path);
	else
		snprintf(err, err_size, "cannot connect to %s: %s", path, strerror(e));
	return -1;
}

char *scxtool_stats_request_line(const char *target)
{
	char *req = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&req, &size);

	if (!f)
		return NULL;
	fputs("{\"req\":\"stats\",\"args\":{\"target\":", f);
	json_quote(f, target);
	fputs("}}\n", f);
	if (fclose(f)) {
		free(req);
		return NULL;
	}
	return req;
}

/* One reply line into *buf (NUL-terminated, without the '\n'). */
static int read_reply(int fd, const char *path, volatile sig_atomic_t *stop, char **buf,
		      size_t *cap, char *err, size_t err_size)
{
	size_t len = 0;

	for (;;) {
		char *nl;
		ssize_t n;

		if (len + 4096 + 1 > *cap) {
			char *p = *cap < MAX_REPLY ? realloc(*buf, *cap * 2 + 4096 + 1) : NULL;

			if (!p) {
				snprintf(err, err_size, "a reply from %s longer than %d bytes", path,
					 MAX_REPLY);
				return -1;
			}
			*buf = p;
			*cap = *cap * 2 + 4096 + 1;
		}
		n = read(fd, *buf + len, 4096);
		if (n < 0 && errno == EINTR && !(stop && *stop))
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct timeval tv = {};
			socklen_t tl = sizeof(tv);

			getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &tl);
			snprintf(err, err_size, "no reply from %s within %ld s: not a scx_stats server?",
				 path, (long)tv.tv_sec);
			return -1;
		}
		if (n < 0) {
			if (stop && *stop)
				*err = '\0';
			else
				snprintf(err, err_size, "reading from %s: %s", path, strerror(errno));
			return -1;
		}
		if (n == 0) {
			snprintf(err, err_size, "%s closed the connection without a reply: not a "
				 "scx_stats server?", path);
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

int scxtool_stats_exchange(int fd, const char *path, const char *req, volatile sig_atomic_t *stop,
			   char **buf, size_t *cap, char *err, size_t err_size)
{
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
		if (stop && *stop)
			*err = '\0';
		else
			snprintf(err, err_size, "writing to %s: %s", path, strerror(errno));
		return -1;
	}
	return read_reply(fd, path, stop, buf, cap, err, err_size);
}

const struct jv *scxtool_stats_resp(const char *line, const char *path, struct jv **tree,
				    char *err, size_t err_size)
{
	const struct jv *eno, *resp;
	char perr[128];

	*tree = jv_parse(line, strlen(line), perr, sizeof(perr));
	eno = jv_get(*tree, "errno");
	resp = jv_get(jv_get(*tree, "args"), "resp");
	if (!*tree || !eno || eno->type != JV_NUM || !resp) {
		snprintf(err, err_size, "%s is not a scx_stats server: its reply %s: %.80s%s", path,
			 *tree ? "lacks errno or args.resp" : perr, line, strlen(line) > 80 ? "..." : "");
		return NULL;
	}
	if (strcmp(eno->text, "0")) {
		snprintf(err, err_size, "the server refused the request (errno %s): %s", eno->text,
			 resp->type == JV_STR ? resp->text : "(no description)");
		return NULL;
	}
	return resp;
}
