/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Global variables from strings, typed by BTF (globals_str.c); not installed. */
#ifndef __SCX_GLOBALS_STR_H
#define __SCX_GLOBALS_STR_H

#include <stddef.h>

struct btf;

/*
 * Read val as the value of global variable name of btf (an object's BTF):
 * integers of 1, 2, 4 or 8 bytes take decimal, 0x hex or 0 octal numbers
 * within the type's range; booleans take true, false, 1 or 0; char arrays a
 * string shorter than the array; enums an enumerator name or a number.
 * Returns 0 with *buf (malloc'ed, the variable's new contents) and *size set;
 * on error *buf is NULL, err holds a message and the return is -EINVAL (bad
 * value), -ENOENT (no such variable, or no BTF), -ERANGE (number out of
 * range, string too long), -EOPNOTSUPP (a type that cannot be written from a
 * string: struct, pointer, array of non-chars, ...) or -ENOMEM.
 * scx_sched__set_global_str() is this plus scx_sched__set_global().
 */
int scx__global_parse_str(const struct btf *btf, const char *name, const char *val,
			 void **buf, size_t *size, char *err, size_t err_size);

#endif /* __SCX_GLOBALS_STR_H */
