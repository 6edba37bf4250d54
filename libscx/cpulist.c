// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The kernel's CPU-list text format, and the small sysfs number parsers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <scx/topology.h>

#include "internal.h"
#include "topology_internal.h"

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

static void set_bit_ull(unsigned long long *mask, unsigned long bit)
{
	mask[bit / 64] |= 1ULL << (bit % 64);
}

SCX_API int scx_cpulist_parse(const char *str, unsigned long long *mask, size_t nr_bits)
{
	const char *p = str;
	size_t nr_words, i;
	int count = 0;

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
				set_bit_ull(mask, cpu);
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
	for (i = 0; i < nr_words; i++)
		count += __builtin_popcountll(mask[i]);
	return count;
}

static int test_bit_ull(const unsigned long long *mask, size_t bit)
{
	return (mask[bit / 64] >> (bit % 64)) & 1;
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

		if (!test_bit_ull(mask, bit)) {
			bit++;
			continue;
		}
		first = bit;
		while (bit + 1 < nr_bits && test_bit_ull(mask, bit + 1))
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

int scx_topo_read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (len == size - 1) {
			char extra;

			/* Full buffer: only fine if the file ends exactly here. */
			n = read(fd, &extra, 1);
			if (n < 0)
				goto err;
			if (n > 0) {
				close(fd);
				return -EFBIG;
			}
			break;
		}
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto err;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	/* A NUL inside a text file means it is not the file we expect. */
	if (strlen(buf) != len)
		return -EINVAL;
	return len;
err:
	err = -errno;
	close(fd);
	return err;
}

int scx_topo_parse_int(const char *str, int *val)
{
	const char *p = str;
	long long v = 0;
	bool neg = false;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -EINVAL;
		p++;
	}
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*val = neg ? (int)-v : (int)v;
	return 0;
}

int scx_topo_parse_uint_list(const char *str, unsigned int *vals, size_t max)
{
	const char *p = str;
	size_t n = 0;

	while (*p == ' ')
		p++;
	while (*p && *p != '\n') {
		unsigned long long v = 0;

		if (*p < '0' || *p > '9' || n == max)
			return -EINVAL;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (unsigned long long)(*p - '0');
			if (v > UINT_MAX)
				return -EINVAL;
			p++;
		}
		vals[n++] = (unsigned int)v;
		if (*p && *p != ' ' && *p != '\n')
			return -EINVAL;
		while (*p == ' ')
			p++;
	}
	if (*p == '\n' && p[1])
		return -EINVAL;
	return (int)n;
}
