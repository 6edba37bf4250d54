// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Reading small sysfs and procfs files, and the number formats they hold. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sched_priv.h"
#include "sysfs.h"

static bool is_space(char c)
{
	return c == '\n' || c == ' ';
}

/* Past a full buffer the file may only hold what would be trimmed anyway
 * ("<127-char name>\n" in a 128-byte buffer). 0, -EFBIG or -errno. */
static int read_tail(int fd)
{
	char tail[16];
	ssize_t n, i;

	for (;;) {
		n = read(fd, tail, sizeof(tail));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (i = 0; i < n; i++)
			if (!is_space(tail[i]))
				return -EFBIG;
	}
}

static int read_fd(int fd, char *buf, size_t size)
{
	size_t len = 0;
	struct stat st;
	int err;

	/* O_NONBLOCK lets a FIFO open without a writer; refuse it here. */
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += n;
	}
	if (len == size - 1) {
		err = read_tail(fd);
		if (err)
			return err;
	}
	buf[len] = '\0';
	if (strlen(buf) != len)
		return -EINVAL;
	while (len && is_space(buf[len - 1]))
		buf[--len] = '\0';
	return (int)len;
}

int scx__read_file(const char *path, char *buf, size_t size)
{
	int fd, n;

	if (!size || size > INT_MAX)
		return -EINVAL;
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	n = read_fd(fd, buf, size);
	close(fd);
	if (n < 0)
		buf[0] = '\0';
	return n;
}

int scx__read_u64(const char *path, unsigned long long *val)
{
	char buf[64], *end;
	int n;

	n = scx__read_file(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (n == 0 || errno || *end)
		return -EINVAL;
	return 0;
}

int scx__parse_int(const char *str, int *val)
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

int scx__parse_uint_list(const char *str, unsigned int *vals, size_t max)
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

/* ---- the handle's kernel/sched_ext directory, under opts.sysfs_root ------- */

static void sysfs_path(const struct scx_sched *s, char *buf, size_t size, const char *file)
{
	snprintf(buf, size, "%s/kernel/sched_ext/%s", s->sysfs_root, file);
}

int scx__read_sysfs(const struct scx_sched *s, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX + 64];

	sysfs_path(s, path, sizeof(path), file);
	return scx__read_file(path, buf, size);
}

int scx__read_sysfs_u64(const struct scx_sched *s, const char *file, unsigned long long *val)
{
	char path[PATH_MAX + 64];

	sysfs_path(s, path, sizeof(path), file);
	return scx__read_u64(path, val);
}
