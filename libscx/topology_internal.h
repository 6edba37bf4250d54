/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Parsers behind the topology model, shared with the fuzz target; not installed. */
#ifndef __SCX_TOPOLOGY_INTERNAL_H
#define __SCX_TOPOLOGY_INTERNAL_H

#include <stddef.h>

/* Largest sysfs file the topology reader accepts: a list of 4096 separate
 * CPU ids is about 20 KiB, so anything bigger is not a real topology file. */
#define SCX_TOPO_FILE_MAX	(64 * 1024)

/* Read a whole file into buf (NUL-terminated, trailing whitespace removed).
 * Returns its length, -ENOENT when missing, -EFBIG when it does not fit. */
int scx_topo_read_file(const char *path, char *buf, size_t size);

/* Parse a decimal integer with optional leading '-' and trailing newline
 * ("-1" is what some architectures report for unknown ids). */
int scx_topo_parse_int(const char *str, int *val);

/* Parse a space-separated list of unsigned integers (nodeN/distance).
 * Returns how many were parsed, or -EINVAL when there are more than max or
 * the text is malformed. */
int scx_topo_parse_uint_list(const char *str, unsigned int *vals, size_t max);

#endif /* __SCX_TOPOLOGY_INTERNAL_H */
