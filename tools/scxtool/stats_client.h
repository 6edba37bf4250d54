/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * scxtool: the client side of the scx_stats protocol (one request line out,
 * one reply line back on a UNIX stream socket), shared by `scxtool stats`
 * and `scxtool top`. Failures are described in a caller's buffer, not
 * printed: `stats` prints them, `top` shows them in its frame.
 */
#ifndef __SCXTOOL_STATS_CLIENT_H
#define __SCXTOOL_STATS_CLIENT_H

#include <signal.h>
#include <stddef.h>

#include "json_parse.h"

/*
 * Connect to the server at path; replies must come within timeout_s seconds.
 * Returns the socket, or -1 with why in err.
 */
int scxtool_stats_connect(const char *path, int timeout_s, char *err, size_t err_size);

/* {"req":"stats","args":{"target":target}} and its newline, malloc'ed; NULL
 * when out of memory. */
char *scxtool_stats_request_line(const char *target);

/*
 * Send req on fd and read the reply line into *buf (grown as needed, *cap
 * its size; NUL-terminated, without the newline). A signal interrupts the
 * read only once *stop is set (stop may be NULL). Returns 0, or -1 with why
 * in err ("" when *stop was set: nothing went wrong).
 */
int scxtool_stats_exchange(int fd, const char *path, const char *req, volatile sig_atomic_t *stop,
			   char **buf, size_t *cap, char *err, size_t err_size);

/*
 * Parse a reply line and check its shape. Returns its args.resp, which lives
 * in *tree (jv_free() it, also on failure), or NULL with why in err.
 */
const struct jv *scxtool_stats_resp(const char *line, const char *path, struct jv **tree,
				    char *err, size_t err_size);

#endif /* __SCXTOOL_STATS_CLIENT_H */
