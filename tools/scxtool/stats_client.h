/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * scxtool: the client side of the scx_stats protocol, shared by `scxtool
 * stats` and `scxtool metrics`: connect to a server's socket, send one
 * request line, read its one reply line.
 */
#ifndef __SCXTOOL_STATS_CLIENT_H
#define __SCXTOOL_STATS_CLIENT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* How long a reply may take before the peer is taken for something else. */
#define STATS_REPLY_TIMEOUT_S	5

/*
 * A connected socket to the server at path, or -1. Unless quiet, why not is
 * printed on stderr after "scxtool CMD: ". *absent is set when nothing
 * serves there at all (no socket, or a stale one), so that a caller for
 * whom a server is optional can tell that from a broken one.
 */
int stats_client_connect(const char *cmd, const char *path, bool quiet, bool *absent);

/*
 * Send req (a request line ending in '\n') and read the reply line into
 * *buf (grown as needed, NUL-terminated, without the '\n'). 0 or -1 with
 * the reason printed, unless *stop became set meanwhile (a signal ended
 * the wait: not worth a message).
 */
int stats_client_ask(int fd, const char *cmd, const char *path, const char *req,
		     char **buf, size_t *cap, volatile sig_atomic_t *stop);

#endif /* __SCXTOOL_STATS_CLIENT_H */
