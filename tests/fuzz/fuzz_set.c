// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for the library's globals from strings
 * (libscx/globals_str.c: what `--set NAME=VALUE` of scxtool and of every
 * scheduler's command line does) against the BTF types of
 * tests/vm/scxtool_vars.bpf.o (opened once, never loaded): integers of every
 * width and sign, booleans, enums (signed, 64-bit), char arrays and types it
 * refuses. The input is split at its first '=' (no '=': all of it is the
 * name). Any input gives 0 with a value of the variable's size, or a
 * documented negative errno with a terminated message and nothing to free.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "globals_str.h"
#include "fuzz_common.h"

static struct bpf_object *obj;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = FUZZ_BUILDDIR "/tests/vm/scxtool_vars.bpf.o";

	fuzz_quiet();
	obj = bpf_object__open_file(path, NULL);
	if (libbpf_get_error(obj)) {
		fprintf(stderr, "fuzz_set: cannot open %s (make tests-build first)\n", path);
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], *arg, *val;
	unsigned char *buf = (unsigned char *)1;
	size_t len = 1;
	int ret;

	arg = malloc(size + 1);
	if (!arg)
		return 0;
	memcpy(arg, data, size);
	arg[size] = '\0';
	val = strchr(arg, '=');
	if (val)
		*val++ = '\0';
	err[0] = '\0';
	ret = scx__global_parse_str(bpf_object__btf(obj), arg, val ? val : "", (void **)&buf, &len,
				   err, sizeof(err));
	if (ret == 0) {
		if (!buf || !len || len > 4096)
			abort();
		/* the value is read back in full, as the loader copies it */
		for (size_t i = 0; i < len; i++)
			err[i % sizeof(err)] ^= buf[i];
		free(buf);
	} else {
		if (ret != -EINVAL && ret != -ENOENT && ret != -ERANGE && ret != -EOPNOTSUPP &&
		    ret != -ENOMEM)
			abort();
		if (buf || len || strnlen(err, sizeof(err)) >= sizeof(err) || !*err)
			abort();
	}
	free(arg);
	return 0;
}
