/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The scheduler handle. Its files, each calling only those below it:
 *
 *   run.c           scx_sched__run(): start, supervise, restart, stop
 *   attach.c        attach, the exit fd, wait, detach, destroy
 *   exit_collect.c  why it exited: the exit record, the kernel log
 *   load.c          load, and why the kernel refused it (with load_log.c)
 *   open.c          open, globals and map sizes before load, reopen, free
 *   ops_config.c    the ops map, global variables, options applied at open
 *   sysfs.c         the files under kernel/sched_ext
 *
 * stats.c reads the object's counters through the handle and writes nothing.
 *
 * Which file owns (writes) which members of struct scx_sched:
 *
 *   open.c          label, opts, *_copy, ops_map_name, sysfs_root, elf,
 *                   elf_size, obj, borrowed_obj, feat, own_feat, globals,
 *                   sizes; sets every fd to -1 in the new handle; its
 *                   close_object() also frees load_log and resets ops and
 *                   loaded with the object they belong to, and reopening
 *                   clears load_failed
 *   ops_config.c    ops, name, has_record, live_maps
 *   load.c          loaded, load_failed, load_log
 *   attach.c        link, exited, gone_ms, detached_by_us, have_hotplug_seq,
 *                   hotplug_seq, enable_seq, watch; resets ei and
 *                   kmsg_found at attach
 *   exit_collect.c  ei, kmsg_fd, kmsg_found
 *   run.c           stop, stop_fd, restarts
 *   user.c          user (scx_user__new() sets it, scx_user__destroy()
 *                   clears it); load.c counts load_seq
 */
#ifndef __SCX_SCHED_PRIV_H
#define __SCX_SCHED_PRIV_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>

#include <scx/sched.h>
#include "exit_priv.h"
#include "watch.h"

struct bpf_map;
struct bpf_link;

/* A setting made before load (a global's value, a map's size), kept so
 * that a reopen for a restart makes it again. */
struct saved_setting {
	char *name;
	void *val;
	size_t size;
};

struct live_map {
	struct bpf_map *map;
	void *mem;
	size_t size;
};

struct scx_sched {
	char label[256];		/* path or object name, for messages */
	char name[128];			/* ops.name */
	struct scx_sched_opts opts;	/* a private copy */
	char *ops_map_copy, *name_copy, *btf_path_copy, *sysfs_root_copy;
	const char *ops_map_name;
	char sysfs_root[PATH_MAX - 64];

	void *elf;			/* the object's bytes, for reopening */
	size_t elf_size;
	struct bpf_object *obj;
	bool borrowed_obj;		/* from scx_sched__from_object() */
	struct bpf_map *ops;
	struct bpf_link *link;

	const struct scx_features *feat;
	struct scx_features *own_feat;	/* when opts.btf_path was given */

	struct saved_setting *globals;	/* set_global() values, for reopening */
	int nr_globals;
	struct saved_setting *sizes;	/* resize_map() sizes (__u32), for reopening */
	int nr_sizes;
	struct scx_load_log *load_log;	/* verifier logs, see load_log.c */
	struct live_map *live_maps;	/* global sections mapped by us, see */
	int nr_live_maps;		/* scx__map_globals() */

	bool loaded;
	bool load_failed;		/* libbpf cannot retry a load */
	bool has_record;		/* the object has a "uei" exit record */
	bool exited;			/* the exit is complete, s->ei filled */
	long long gone_ms;		/* when the exit was first seen (0: not yet) */
	bool detached_by_us;
	bool kmsg_found;		/* s->ei has the kernel log's reason */
	bool have_hotplug_seq;
	unsigned long long hotplug_seq;	/* the kernel's hotplug_seq when opened (ops.hotplug_seq) */
	unsigned long long enable_seq;	/* the kernel's enable_seq after our attach */
	struct scx_watch watch;		/* what scx_sched__fd() hands out */
	int kmsg_fd;			/* /dev/kmsg, positioned at our attach */
	int stop_fd;			/* eventfd: scx_sched__stop() */
	volatile sig_atomic_t stop;
	unsigned int restarts;
	unsigned int load_seq;		/* successful loads: 1 after the first */
	struct scx_user *user;		/* the user-space scheduling runtime */
	struct scx_exit_info ei;
};

/* open.c */
/* Frees what open owns (the object included) and s; see scx_sched__destroy() */
void scx__sched_free(struct scx_sched *s);
/* before load: every map the object left for its own loader to size is sized */
int scx__check_map_sizes(struct scx_sched *s);
bool scx__can_reopen(const struct scx_sched *s);
/* the caller detaches first */
int scx__reopen(struct scx_sched *s);

/* sysfs.c: a file under the handle's kernel/sched_ext directory */
int scx__read_sysfs(const struct scx_sched *s, const char *file, char *buf, size_t size);
int scx__read_sysfs_u64(const struct scx_sched *s, const char *file, unsigned long long *val);

/* ops_config.c */
/* A global variable: its map, offset and size, and where it is now. */
struct var_loc {
	struct bpf_map *map;
	size_t off, size;
	void *data;		/* NULL when its section is missing or too short */
	bool readonly;		/* in a section mapped read-only (loaded .rodata) */
	const char *label, *name;	/* for messages */
};

int scx__find_ops_map(struct scx_sched *s);
int scx__configure(struct scx_sched *s);
int scx__find_var(const struct scx_sched *s, const char *name, struct var_loc *loc);
/* its memory, to read; NULL when there is none */
void *scx__var_data(const struct var_loc *loc);
/* its memory, to write; also NULL, with a warning, when it is read-only */
void *scx__var_data_rw(const struct var_loc *loc);
/* after load: map the global sections where libbpf does not (before 1.5) */
int scx__map_globals(struct scx_sched *s);
void scx__unmap_globals(struct scx_sched *s);

/* exit_collect.c */
bool scx__read_record(struct scx_sched *s);
int scx__record_kind(const struct scx_sched *s);
void scx__clear_record(struct scx_sched *s);
void scx__kmsg_open(struct scx_sched *s);
bool scx__exit_reason_known(struct scx_sched *s);
void scx__collect_exit(struct scx_sched *s, char *why, size_t why_size);

#endif
