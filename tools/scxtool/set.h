/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * scxtool: `--set NAME=VALUE` for a scheduler's global variables, with VALUE
 * parsed according to the variable's BTF type.
 */
#ifndef __SCXTOOL_SET_H
#define __SCXTOOL_SET_H

#include <stddef.h>

struct bpf_object;

struct scxtool_set {
	char name[128];
	unsigned char *val;	/* malloc'ed, size bytes: the variable's new contents */
	size_t size;
};

/*
 * Parse "NAME=VALUE" against the global variables of obj (an opened, not
 * necessarily loaded, object). Integers of 1, 2, 4 or 8 bytes take decimal,
 * 0x hex or 0 octal numbers within the type's range; booleans take true,
 * false, 1 or 0; char arrays take a string shorter than the array; enums
 * take an enumerator name or a number.
 * @return 0 with *set filled (free with scxtool_set__free()); on error a
 *   message in err and -EINVAL (syntax, bad value), -ENOENT (no such
 *   variable), -ERANGE (number out of range, string too long) or -EOPNOTSUPP
 *   (a type --set cannot write: struct, pointer, array of non-chars, ...).
 */
int scxtool_parse_set(struct bpf_object *obj, const char *arg, struct scxtool_set *set,
		      char *err, size_t err_size);

void scxtool_set__free(struct scxtool_set *set);

#endif /* __SCXTOOL_SET_H */
