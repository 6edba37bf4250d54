/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the cmocka unit tests: libscx's messages captured for assertions,
 * the test BPF objects built under TEST_BUILDDIR, and recorded BTF of
 * sched_ext kernels (SCX_TEST_BTF_DIR, made by tests/unit/prepare-btf.sh).
 */
#ifndef __SCX_UNIT_UTIL_H
#define __SCX_UNIT_UTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scx/common.h>

#define U_UNUSED __attribute__((unused))

#define U_BTF_HOWTO "set SCX_TEST_BTF_DIR to the directory that tests/unit/prepare-btf.sh BUILDDIR prints " \
	"(e.g. SCX_TEST_BTF_DIR=$(tests/unit/prepare-btf.sh build) make check-unit)"

/* Every libscx message since the last u_log_clear(), all levels. */
static char u_log[65536];
static size_t u_log_len;

static int u_capture(enum scx_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (u_log_len >= sizeof(u_log) - 1)
		return 0;
	n = vsnprintf(u_log + u_log_len, sizeof(u_log) - u_log_len, fmt, ap);
	if (n > 0)
		u_log_len += (size_t)n < sizeof(u_log) - u_log_len ? (size_t)n : sizeof(u_log) - 1 - u_log_len;
	return n;
}

static U_UNUSED void u_log_clear(void)
{
	u_log[0] = '\0';
	u_log_len = 0;
}

/* Route libscx's messages into u_log (a cmocka group setup). */
static U_UNUSED int u_setup_log(void **state)
{
	scx_set_print(u_capture);
	u_log_clear();
	return 0;
}

static U_UNUSED int u_log_has(const char *needle)
{
	return strstr(u_log, needle) != NULL;
}

/* TEST_BUILDDIR/tests/vm/NAME, in one of four static buffers. */
static U_UNUSED const char *u_obj(const char *name)
{
	static char buf[4][4096];
	static int slot;
	char *p = buf[slot++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/tests/vm/%s", TEST_BUILDDIR, name);
	return p;
}

/* Compare dotted versions numerically ("6.16.3" < "7.3.4" < "7.10.1"). */
static U_UNUSED int u_vercmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*ea != '.' || *eb != '.')
			return (*ea == '.') - (*eb == '.');
		a = ea + 1;
		b = eb + 1;
	}
	return 0;
}

/*
 * Recorded BTF in SCX_TEST_BTF_DIR: the file <release>.vmlinux whose version
 * is at least MIN and below BELOW (NULL: no bound), the newest such when
 * NEWEST, else the oldest. NULL when there is none (the caller skips).
 */
static U_UNUSED const char *u_btf(const char *min, const char *below, int newest)
{
	static char buf[4][4096];
	static int slot;
	const char *dir = getenv("SCX_TEST_BTF_DIR");
	char best[256] = "";
	struct dirent *d;
	DIR *dp;

	if (!dir || !*dir || !(dp = opendir(dir)))
		return NULL;
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name);

		if (len < 9 || len >= sizeof(best) || strcmp(d->d_name + len - 8, ".vmlinux") ||
		    d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		if (min && u_vercmp(d->d_name, min) < 0)
			continue;
		if (below && u_vercmp(d->d_name, below) >= 0)
			continue;
		if (!*best || (u_vercmp(d->d_name, best) > 0) == !!newest)
			snprintf(best, sizeof(best), "%s", d->d_name);
	}
	closedir(dp);
	if (!*best)
		return NULL;
	{
		char *p = buf[slot++ % 4];

		snprintf(p, sizeof(buf[0]), "%s/%s", dir, best);
		return p;
	}
}

/* Any recorded sched_ext BTF (the newest), or skip the test. */
#define U_REQUIRE_BTF(var)								\
	do {										\
		(var) = u_btf(NULL, NULL, 1);						\
		if (!(var)) {								\
			print_message("# no recorded sched_ext BTF; " U_BTF_HOWTO "\n");	\
			skip();								\
		}									\
	} while (0)

#endif
