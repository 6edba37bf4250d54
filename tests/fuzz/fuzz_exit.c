// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for exit information decoding: whatever a scheduler left
 * in its exit record ("uei": kind, code, reason and message, none of them
 * trusted to be terminated) and exit dump, and whatever the kernel log
 * holds when there is no record (the "sched_ext: BPF scheduler ... disabled
 * (REASON)" line and the message after it, read here from a pipe standing in
 * for /dev/kmsg), through scx__collect_exit() and every exit getter
 * and exit-code decoder. The scheduler is a real built object, opened once.
 *
 * Input: byte 0 flags (record present, detached by us, kmsg present), then
 * the record's bytes, the dump's first bytes, and the rest as kernel log
 * records separated by '\0'.
 */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include <scx/exit.h>
#include <scx/exit_layout.h>

#include "fuzz_common.h"

static struct scx_sched *s;
static struct var_loc rec_loc, dump_loc;
static bool have_dump;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = FUZZ_BUILDDIR "/tests/vm/sample_minimal.bpf.o";
	size_t size;
	void *buf;

	fuzz_quiet();
	fuzz_open_features(path);
	buf = fuzz_read_file(path, &size);
	s = fuzz_sched_new();
	if (!buf || fuzz_sched_open(buf, size, fuzz_feats[fuzz_nr_feats - 1], s) ||
	    scx__find_var(s, SCX_EXIT_RECORD_VAR, &rec_loc) ||
	    rec_loc.size < sizeof(struct scx_exit_record)) {
		fprintf(stderr, "fuzz_exit: %s has no usable exit record\n", path);
		exit(1);
	}
	have_dump = !scx__find_var(s, SCX_EXIT_DUMP_VAR, &dump_loc) &&
		    scx__var_data(&dump_loc);
	free(buf);
	return 0;
}

static void check_str(const char *str, size_t max)
{
	if (!str || strnlen(str, max) >= max)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct scx_exit_info *ei;
	char why[1024], *rec;
	size_t n, off = 1;
	int fds[2] = { -1, -1 };
	uint8_t flags;
	__s64 code;

	if (size < 1)
		return 0;
	flags = data[0];
	rec = scx__var_data(&rec_loc);
	if (!rec)
		abort();
	memset(rec, 0, rec_loc.size);
	n = size - off < rec_loc.size ? size - off : rec_loc.size;
	if (flags & 1) {
		memcpy(rec, data + off, n);
		off += n;
	}
	if (have_dump) {
		char *dump = scx__var_data(&dump_loc);

		memset(dump, 0, dump_loc.size);
		n = size - off < 64 ? size - off : 64;
		if (n > dump_loc.size)
			n = dump_loc.size;
		if (flags & 2) {
			/* fill to the end: the dump may be unterminated */
			for (size_t i = 0; n && i < dump_loc.size; i++)
				dump[i] = data[off + i % n];
			off += n;
		}
	}
	s->has_record = flags & 4;
	s->detached_by_us = flags & 8;
	scx__exit_info_reset(&s->ei);
	if ((flags & 16) && !pipe2(fds, O_NONBLOCK | O_CLOEXEC)) {
		/* one read() per record, as /dev/kmsg gives them */
		const uint8_t *p = data + off, *end = data + size;

		fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
		while (p < end) {
			const uint8_t *z = memchr(p, '\0', end - p);
			size_t len = z ? (size_t)(z - p) : (size_t)(end - p);

			if (len && write(fds[1], p, len) != (ssize_t)len)
				break;
			p += len + 1;
		}
		close(fds[1]);
		s->kmsg_fd = fds[0];
	}
	s->kmsg_found = false;
	/* as an exit completes: is the reason known, then fill it in */
	scx__exit_reason_known(s);
	scx__collect_exit(s, why, sizeof(why));
	if (s->kmsg_fd >= 0) {
		close(s->kmsg_fd);
		s->kmsg_fd = -1;
	}
	check_str(why, sizeof(why));
	ei = &s->ei;
	check_str(scx_exit_info__reason(ei), SCX_EXIT_REASON_LEN);
	check_str(scx_exit_info__msg(ei), SCX_EXIT_MSG_LEN);
	check_str(scx_exit_info__dump(ei), have_dump ? dump_loc.size + 1 : 1);
	check_str(scx_exit_kind__str(scx_exit_info__kind(ei)), 32);
	scx_exit_kind__is_error(scx_exit_info__kind(ei));
	scx_exit_info__from_record(ei);
	code = scx_exit_info__code(ei);
	if (scx_exit_code__restart(code) != (scx_exit_code__action(code) == SCX_EXIT_ACTION_RESTART >> SCX_EXIT_CODE_ACTION_SHIFT))
		abort();
	if (((__u64)scx_exit_code__user(code) | (__u64)scx_exit_code__reason(code) << 32 |
	     (__u64)scx_exit_code__action(code) << 48) != (__u64)code)
		abort();
	return 0;
}
