// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Capturing libbpf's output while an object loads.
 *
 * libbpf prints the verifier log through its process-wide print callback, in
 * one message that can be far longer than a line. While scx_sched__load()
 * runs, that callback is ours: messages are kept (the newest LOG_CAP bytes,
 * since the verifier states its verdict at the end) so that a rejection can
 * be reported in one piece through libscx's own callback. Loads are
 * serialized, as the callback is global.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "internal.h"
#include "load_log.h"

#define LOG_CAP (256 * 1024)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static libbpf_print_fn_t saved;
static char *buf;
static size_t len;

static void append(const char *text, size_t n)
{
	if (n > LOG_CAP) {
		text += n - LOG_CAP;
		n = LOG_CAP;
	}
	if (len + n > LOG_CAP) {
		size_t drop = len + n - LOG_CAP;

		memmove(buf, buf + drop, len - drop);
		len -= drop;
	}
	memcpy(buf + len, text, n);
	len += n;
	buf[len] = '\0';
}

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *text = NULL;
	int n;

	n = vasprintf(&text, fmt, ap);
	if (n < 0)
		return n;
	if (level == LIBBPF_DEBUG)
		pr_debug("libbpf: %s", text);
	else if (buf)
		append(text, n);
	free(text);
	return n;
}

void scx_load_log__begin(void)
{
	pthread_mutex_lock(&lock);
	len = 0;
	buf = malloc(LOG_CAP + 1);
	if (buf)
		buf[0] = '\0';
	saved = libbpf_set_print(capture);
}

const char *scx_load_log__end(void)
{
	libbpf_set_print(saved);
	return buf ? buf : "";
}

void scx_load_log__release(void)
{
	free(buf);
	buf = NULL;
	pthread_mutex_unlock(&lock);
}
