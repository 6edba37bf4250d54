/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
#ifndef __SCX_LOAD_LOG_H
#define __SCX_LOAD_LOG_H

struct bpf_object;
struct scx_load_log;

/* Per program: the kernel keeps the tail of a longer log (and the load then
 * fails with ENOSPC rather than the verifier's own error). */
#define SCX_LOAD_LOG_SIZE (1u << 20)

/* Give each program of obj that has none a verifier log buffer; call before
 * bpf_object__load(), free after bpf_object__close(). NULL: no memory. */
struct scx_load_log *scx__load_log_new(struct bpf_object *obj);
/* After a failed load: the log of the program the kernel refused and its
 * name, or NULL when no program logged anything. */
const char *scx__load_log_failed(const struct scx_load_log *l, const char **prog_name);
void scx__load_log_free(struct scx_load_log *l);

#endif
