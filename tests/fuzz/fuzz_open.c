// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for opening a scheduler from untrusted object bytes:
 * libbpf's ELF parsing (not instrumented: it is the pinned static build),
 * then everything of ours that runs before load on what the object holds:
 * finding the sched_ext_ops map, applying options, dropping ops members the
 * kernel lacks, filling __SCX_* enum globals, sizing the exit dump, reading
 * the name (scx__find_ops_map() and scx__configure(), what
 * scx_sched__open_mem() runs after its kernel probe), then the globals and
 * counters API on the result. Seeds are the built scheduler objects.
 *
 * The last input byte picks the options and the kernel BTF to configure
 * against; mutating it rarely changes the ELF's meaning.
 */
#include <stdint.h>

#include <scx/stats.h>

#include "fuzz_common.h"

static const char *const names[] = { NULL, "fuzz_sched", "", "bad name!",
	"a_name_that_is_far_longer_than_the_kernel_allows_for_ops_name_x" };

static int count(const char *name, __u64 v, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet();
	fuzz_open_features(FUZZ_BUILDDIR "/tests/vm/sample_minimal.bpf.o");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scx_sched *s;
	uint8_t sel;
	int err, n = 0;
	__u64 v;

	if (size < 2)
		return 0;
	sel = data[size - 1];
	s = fuzz_sched_new();
	s->opts.name = names[sel % 5];
	s->opts.partial = sel & 0x08;
	s->opts.timeout_ms = sel & 0x10 ? 40000 : sel & 0x20 ? 5000 : 0;
	s->opts.exit_dump_len = sel & 0x40 ? 4096 : 0;
	err = fuzz_sched_open(data, size, fuzz_feats[(sel >> 7) % fuzz_nr_feats], s);
	if (!err) {
		/* the name read back must be a C string within its buffer */
		if (strlen(scx_sched__name(s)) >= sizeof(s->name))
			abort();
		scx__read_record(s);
		scx_sched__get_global(s, "uei_dump_len", &v, 4);
		scx_sched__set_global(s, "nr_cpus", &v, 4);
		scx_sched__read_counter(s, "nr_enqueued", &v);
		scx_sched__for_each_counter(s, count, &n);
	} else if (err > 0) {
		abort();	/* errors are negative errnos */
	}
	scx_sched__destroy(s);
	return 0;
}
