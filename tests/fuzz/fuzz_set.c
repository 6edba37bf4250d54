// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for scxtool's `--set NAME=VALUE` parser against the BTF
 * types of tests/vm/scxtool_vars.bpf.o (opened once, never loaded): integers
 * of every width and sign, booleans, enums (signed, 64-bit), char arrays and
 * types it refuses. Any input gives 0 with a value of the variable's size, or
 * a documented negative errno with a terminated message and nothing to free.
 * Compiles tools/scxtool/set.c in.
 */
#include <stdint.h>

#include "../../tools/scxtool/set.c"
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
	struct scxtool_set set;
	char err[256], *arg;
	int ret;

	arg = malloc(size + 1);
	if (!arg)
		return 0;
	memcpy(arg, data, size);
	arg[size] = '\0';
	err[0] = '\0';
	ret = scxtool_parse_set(obj, arg, &set, err, sizeof(err));
	if (ret == 0) {
		if (!set.val || !set.size || set.size > 4096 || strnlen(set.name, sizeof(set.name)) >= sizeof(set.name))
			abort();
		/* the value is read back in full, as the loader copies it */
		for (size_t i = 0; i < set.size; i++)
			err[i % sizeof(err)] ^= set.val[i];
		scxtool_set__free(&set);
	} else {
		if (ret != -EINVAL && ret != -ENOENT && ret != -ERANGE && ret != -EOPNOTSUPP &&
		    ret != -ENOMEM)
			abort();
		if (set.val || strnlen(err, sizeof(err)) >= sizeof(err) || !*err)
			abort();
	}
	free(arg);
	return 0;
}
