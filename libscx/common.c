// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Versions, logging and options validation. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)

SCX_API unsigned int libscx_major_version(void)
{
	return LIBSCX_MAJOR_VERSION;
}

SCX_API unsigned int libscx_minor_version(void)
{
	return LIBSCX_MINOR_VERSION;
}

SCX_API const char *libscx_version_string(void)
{
	return STR(LIBSCX_MAJOR_VERSION) "." STR(LIBSCX_MINOR_VERSION) "." STR(LIBSCX_PATCH_VERSION);
}

static int default_print(enum scx_print_level level, const char *fmt, va_list ap)
{
	if (level == SCX_DEBUG && !getenv("LIBSCX_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static scx_print_fn_t print_fn = default_print;

SCX_API scx_print_fn_t scx_set_print(scx_print_fn_t fn)
{
	/* atomic: another thread may be printing through the old one */
	return __atomic_exchange_n(&print_fn, fn, __ATOMIC_ACQ_REL);
}

void scx__print(enum scx_print_level level, const char *fmt, ...)
{
	scx_print_fn_t fn = __atomic_load_n(&print_fn, __ATOMIC_ACQUIRE);
	int saved = errno;
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	fn(level, fmt, ap);
	va_end(ap);
	errno = saved;
}

bool scx__opts_valid(const void *opts, size_t opts_sz, size_t known_sz, const char *type_name)
{
	const char *p = opts;
	size_t i;

	if (!opts)
		return true;
	if (opts_sz < sizeof(size_t)) {
		pr_warn("%s: sz %zu is too small; declare options with SCX_OPTS()\n",
			type_name, opts_sz);
		return false;
	}
	for (i = known_sz; i < opts_sz; i++) {
		if (p[i]) {
			pr_warn("%s: unknown non-zero option at byte %zu (caller built against a newer libscx?)\n",
				type_name, i);
			return false;
		}
	}
	return true;
}
