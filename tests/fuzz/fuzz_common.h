/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the libFuzzer targets: silencing libscx and libbpf, and a
 * scheduler handle opened from bytes with a given feature set, the way
 * scx_sched__open_mem() prepares one before load, minus the kernel probe (so
 * kernel BTF is parsed once per process, not once per input, and nothing
 * needs a sched_ext kernel: nothing is ever loaded).
 */
#ifndef __SCX_FUZZ_COMMON_H
#define __SCX_FUZZ_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include <scx/common.h>
#include <scx/features.h>
#include <scx/sched.h>

#include "internal.h"
#include "sched_priv.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline int fuzz_silent(enum scx_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static inline int fuzz_silent_bpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static inline void fuzz_quiet(void)
{
	scx_set_print(fuzz_silent);
	libbpf_set_print(fuzz_silent_bpf);
}

/* The feature sets to configure against: every recorded kernel BTF in
 * $SCX_TEST_BTF_DIR (tests/unit/prepare-btf.sh), and always the BTF of a
 * built scheduler object, which holds the whole sched_ext_ops of the
 * vmlinux.h it was built with (no network or kernel cache needed). */
#define FUZZ_MAX_FEATS 8
static struct scx_features *fuzz_feats[FUZZ_MAX_FEATS];
static int fuzz_nr_feats;

static inline void fuzz_open_features(const char *fallback_obj)
{
	const char *dir = getenv("SCX_TEST_BTF_DIR");
	struct dirent *e;
	char path[4096];
	DIR *d;

	if (dir && (d = opendir(dir))) {
		while ((e = readdir(d)) && fuzz_nr_feats < FUZZ_MAX_FEATS - 1) {
			size_t n = strlen(e->d_name);
			struct scx_features *f;

			if (n < 8 || strcmp(e->d_name + n - 8, ".vmlinux"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			f = scx_features__open(path);
			if (f)
				fuzz_feats[fuzz_nr_feats++] = f;
		}
		closedir(d);
	}
	fuzz_feats[fuzz_nr_feats] = scx_features__open(fallback_obj);
	if (!fuzz_feats[fuzz_nr_feats]) {
		fprintf(stderr, "fuzz: cannot read BTF from %s (make tests-build first)\n",
			fallback_obj);
		exit(1);
	}
	fuzz_nr_feats++;
}

/* A handle as sched_new() makes one; options are the caller's to fill. */
static inline struct scx_sched *fuzz_sched_new(void)
{
	struct scx_sched *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->watch = (struct scx_watch){ .ep = -1, .sock = -1, .timer = -1, .done = -1 };
	s->kmsg_fd = s->stop_fd = -1;
	snprintf(s->label, sizeof(s->label), "fuzz");
	s->opts.sz = sizeof(s->opts);
	/* no hotplug_seq to read: the host's /sys must not matter */
	snprintf(s->sysfs_root, sizeof(s->sysfs_root), "/nonexistent-libscx-fuzz");
	return s;
}

/* Open the object in buf and prepare it as open_object() does; 0 or -errno.
 * s stays the caller's to free with scx_sched__destroy(). */
static inline int fuzz_sched_open(const void *buf, size_t size, const struct scx_features *feat,
				  struct scx_sched *s)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "fuzz");
	int err;

	s->obj = bpf_object__open_mem(buf, size, &oo);
	err = libbpf_get_error(s->obj);
	if (err) {
		s->obj = NULL;
		return err;
	}
	err = scx__find_ops_map(s);
	if (err)
		return err;
	s->feat = feat;
	return scx__configure(s);
}

static inline void *fuzz_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n > 0 ? n : 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

#endif
