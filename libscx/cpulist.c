// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The kernel's CPU-list text format. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <scx/topology.h>

#include "bitmap.h"
#include "internal.h"

/* Digits only: sysfs never writes signs, spaces or hex in a CPU list, and
 * refusing them keeps the grammar small enough to fuzz exhaustively. */
static int parse_num(const char **s, unsigned long limit, unsigned long *out)
{
	const char *p = *s;
	unsigned long v = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned long)(*p - '0');
		/* Stop before overflow; anything past limit is an error anyway. */
		if (v > limit)
			return -EINVAL;
		p++;
	}
	*s = p;
	*out = v;
	return 0;
}

SCX_API int scx_cpulist_parse(const char *str, unsigned long long *mask, size_t nr_bits)
{
	const char *p = str;
	size_t nr_words;

	if (!str || !mask || !nr_bits || nr_bits % 64 || nr_bits > INT_MAX)
		return scx_err(-EINVAL);
	nr_words = nr_bits / 64;
	memset(mask, 0, nr_words * sizeof(*mask));

	/* An empty list is valid: e.g. "offline" when every CPU is online. */
	if (*p == '\n' && !p[1])
		return 0;
	if (!*p)
		return 0;

	for (;;) {
		unsigned long first, last, used = 1, group = 1, cpu;

		if (parse_num(&p, nr_bits - 1, &first))
			return scx_err(-EINVAL);
		last = first;
		if (*p == '-') {
			p++;
			if (parse_num(&p, nr_bits - 1, &last) || last < first)
				return scx_err(-EINVAL);
			if (*p == ':') {
				p++;
				if (parse_num(&p, nr_bits, &used) || *p != '/')
					return scx_err(-EINVAL);
				p++;
				if (parse_num(&p, nr_bits, &group) || !used || !group || used > group)
					return scx_err(-EINVAL);
			}
		}
		for (cpu = first; cpu <= last; cpu++)
			if ((cpu - first) % group < used)
				scx_bitmap_set(mask, cpu);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n')
			p++;
		if (*p)
			return scx_err(-EINVAL);
		break;
	}
	return scx_bitmap_weight(mask, nr_words);
}

SCX_API int scx_cpulist_format(char *buf, size_t size, const unsigned long long *mask,
			       size_t nr_bits)
{
	size_t len = 0, bit = 0;

	if (!mask || (!buf && size))
		return scx_err(-EINVAL);
	if (size)
		buf[0] = '\0';
	while (bit < nr_bits) {
		size_t first, last;
		char tmp[48];
		int n;

		if (!scx_bitmap_test(mask, bit)) {
			bit++;
			continue;
		}
		first = bit;
		while (bit + 1 < nr_bits && scx_bitmap_test(mask, bit + 1))
			bit++;
		last = bit++;
		if (first == last)
			n = snprintf(tmp, sizeof(tmp), "%s%zu", len ? "," : "", first);
		else
			n = snprintf(tmp, sizeof(tmp), "%s%zu-%zu", len ? "," : "", first, last);
		if (len + n < size)
			memcpy(buf + len, tmp, n + 1);
		else if (size && len < size)
			buf[len] = '\0';
		len += n;
	}
	return len > INT_MAX ? INT_MAX : (int)len;
}
