/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* The small readers and parsers of sysfs and procfs files (sysfs.c), written
 * once for the whole library; not installed. */
#ifndef __SCX_SYSFS_H
#define __SCX_SYSFS_H

#include <stddef.h>

/*
 * Read a whole regular file into buf, NUL-terminated, with trailing newlines
 * and spaces removed. Returns its length, or:
 *   -ENOENT  it is missing;
 *   -EFBIG   it does not fit in size - 1 bytes (trailing whitespace aside);
 *   -EINVAL  it is not a regular file (a FIFO would block, a device may never
 *            end), or it contains a NUL byte (it is not the text we expect);
 *   -errno   open() or read() failed.
 * buf is "" after any error, so a caller that ignores the error reads nothing.
 */
int scx__read_file(const char *path, char *buf, size_t size);

/* A file holding one unsigned number (decimal, or hex with 0x): 0, or
 * -EINVAL when it is not one, or an error of scx__read_file(). */
int scx__read_u64(const char *path, unsigned long long *val);

/* A decimal int with an optional leading '-' ("-1" is what some architectures
 * report for unknown ids) and an optional trailing newline: 0 or -EINVAL. */
int scx__parse_int(const char *str, int *val);

/* A space-separated list of unsigned ints (nodeN/distance). Returns how many
 * were parsed, or -EINVAL when there are more than max or the text is
 * malformed. */
int scx__parse_uint_list(const char *str, unsigned int *vals, size_t max);

#endif /* __SCX_SYSFS_H */
