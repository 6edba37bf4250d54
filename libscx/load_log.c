// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The verifier log of one load, kept per program.
 *
 * libbpf prints a rejected program's verifier log through its process-wide
 * print callback, which belongs to the application. Instead, each program
 * of the object gets a log buffer of its own (bpf_program__set_log_buf()):
 * libbpf then asks the kernel for a log only when a program fails, writes it
 * there rather than printing it, and keeps sending every other message to the
 * application's callback. Because each program has its own buffer, the one
 * holding text after a failed load names the program the verifier refused.
 *
 * The buffers live in one anonymous mapping reserved but not committed: only
 * the pages the kernel writes into (one program's log, after a failure) cost
 * memory. libbpf keeps pointing at them, so they live as long as the object.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <bpf/libbpf.h>

#include "internal.h"
#include "load_log.h"

struct scx_load_log {
	char *area;
	size_t area_size;
	struct bpf_program **progs;	/* progs[i] logs into slice i */
	int nr;
};

struct scx_load_log *scx__load_log_new(struct bpf_object *obj)
{
	struct scx_load_log *l = calloc(1, sizeof(*l));
	struct bpf_program *prog;
	int nr = 0, i = 0;

	if (!l)
		return NULL;
	bpf_object__for_each_program(prog, obj)
		nr++;
	l->progs = calloc(nr ? nr : 1, sizeof(*l->progs));
	if (!l->progs)
		goto fail;
	/* A caller who gave a program its own buffer or log level keeps it. */
	bpf_object__for_each_program(prog, obj) {
		size_t size;

		if (bpf_program__autoload(prog) && !bpf_program__log_buf(prog, &size) &&
		    !bpf_program__log_level(prog))
			l->progs[l->nr++] = prog;
	}
	if (!l->nr)
		return l;
	l->area_size = (size_t)l->nr * SCX_LOAD_LOG_SIZE;
	l->area = mmap(NULL, l->area_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (l->area == MAP_FAILED) {
		l->area = NULL;
		goto fail;
	}
	for (i = 0; i < l->nr; i++)
		if (bpf_program__set_log_buf(l->progs[i], l->area + (size_t)i * SCX_LOAD_LOG_SIZE,
					     SCX_LOAD_LOG_SIZE))
			goto fail;
	return l;
fail:
	/* programs given a buffer before the failure must not keep it */
	while (i-- > 0)
		bpf_program__set_log_buf(l->progs[i], NULL, 0);
	scx__load_log_free(l);
	return NULL;
}

const char *scx__load_log_failed(const struct scx_load_log *l, const char **prog_name)
{
	int i;

	for (i = 0; l && i < l->nr; i++) {
		char *text = l->area + (size_t)i * SCX_LOAD_LOG_SIZE;

		if (!*text)
			continue;
		text[SCX_LOAD_LOG_SIZE - 1] = '\0';
		*prog_name = bpf_program__name(l->progs[i]);
		return text;
	}
	return NULL;
}

void scx__load_log_free(struct scx_load_log *l)
{
	if (!l)
		return;
	if (l->area)
		munmap(l->area, l->area_size);
	free(l->progs);
	free(l);
}
