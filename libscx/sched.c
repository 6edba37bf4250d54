// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The scheduler lifecycle: open, configure, load, attach, watch, detach and
 * destroy any BPF object with a sched_ext_ops struct_ops map.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/sched.h>
#include "internal.h"
#include "exit_priv.h"
#include "features_priv.h"
#include "load_log.h"
#include "sched_priv.h"
#include "watch.h"

/* libbpf reports ELF and object errors with its own codes above 4000. */
static int libbpf_errno(int err)
{
	if (err <= -4000)
		return -EINVAL;
	return err;
}

static int copy_opts(struct scx_sched *s, const struct scx_sched_opts *opts)
{
	if (!SCX_OPTS_VALID(opts, scx_sched_opts))
		return -EINVAL;
	s->opts.sz = sizeof(s->opts);
	s->opts.timeout_ms = SCX_OPT(opts, timeout_ms, 0);
	s->opts.exit_dump_len = SCX_OPT(opts, exit_dump_len, 0);
	s->opts.ops_flags = SCX_OPT(opts, ops_flags, 0);
	s->opts.partial = SCX_OPT(opts, partial, false);
#define DUP(field)								\
	do {									\
		const char *v = SCX_OPT(opts, field, NULL);			\
		if (v && !(s->field##_copy = strdup(v)))			\
			return -ENOMEM;						\
		s->opts.field = s->field##_copy;				\
	} while (0)
	DUP(ops_map);
	DUP(name);
	DUP(btf_path);
	DUP(sysfs_root);
#undef DUP
	s->ops_map_name = s->opts.ops_map;
	snprintf(s->sysfs_root, sizeof(s->sysfs_root), "%s",
		 s->opts.sysfs_root ? s->opts.sysfs_root : "/sys");
	return 0;
}

static int probe_kernel(struct scx_sched *s)
{
	if (s->opts.btf_path) {
		s->own_feat = scx_features__open(s->opts.btf_path);
		if (!s->own_feat)
			return -errno;
		s->feat = s->own_feat;
	} else {
		s->feat = scx_features__running();
		if (!s->feat)
			return -errno;
	}
	if (!scx_features__has_sched_ext(s->feat)) {
		pr_warn("open %s: this kernel has no sched_ext (built without CONFIG_SCHED_CLASS_EXT); "
			"tools/scx-vm runs a scheduler in a VM with a sched_ext kernel\n", s->label);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Open the object from the handle's source and configure it. */
static int open_object(struct scx_sched *s)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	int err;

	if (s->elf) {
		/* libbpf derives map names (NAME.rodata) from it: a short one */
		const char *base = strrchr(s->label, '/');
		char name[64];

		snprintf(name, sizeof(name), "%.63s", base ? base + 1 : s->label);
		name[strcspn(name, ".")] = '\0';
		oo.object_name = name;
		s->obj = bpf_object__open_mem(s->elf, s->elf_size, &oo);
		err = libbpf_get_error(s->obj);
		if (err) {
			s->obj = NULL;
			pr_warn("open %s: not a valid BPF object (%d)\n", s->label, err);
			return libbpf_errno(err);
		}
	}
	err = scx__find_ops_map(s);
	if (err)
		return err;
	err = probe_kernel(s);
	if (err)
		return err;
	return scx__configure(s);
}

static struct scx_sched *sched_new(const char *label, const struct scx_sched_opts *opts, int *err)
{
	struct scx_sched *s = calloc(1, sizeof(*s));

	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	s->watch = (struct scx_watch){ .ep = -1, .sock = -1, .timer = -1, .done = -1 };
	s->kmsg_fd = -1;
	s->stop_fd = -1;
	snprintf(s->label, sizeof(s->label), "%s", label);
	*err = copy_opts(s, opts);
	return s;
}

static struct scx_sched *finish_open(struct scx_sched *s, int err)
{
	if (!err)
		err = open_object(s);
	if (err) {
		scx_sched__destroy(s);
		return scx_err_ptr(err);
	}
	return s;
}

SCX_API struct scx_sched *scx_sched__open_mem(const void *buf, size_t size,
					      const struct scx_sched_opts *opts)
{
	struct scx_sched *s;
	int err;

	if (!buf || !size) {
		pr_warn("open: empty object buffer\n");
		return scx_err_ptr(-EINVAL);
	}
	s = sched_new("object in memory", opts, &err);
	if (!s)
		return scx_err_ptr(err);
	if (!err) {
		s->elf = malloc(size);
		if (s->elf) {
			memcpy(s->elf, buf, size);
			s->elf_size = size;
		} else {
			err = -ENOMEM;
		}
	}
	return finish_open(s, err);
}

/*
 * BPF objects are a few MiB at most; the cap keeps a mistaken path (a huge
 * file, a device that never ends) from eating memory. Documented in sched.h.
 */
#define OBJECT_MAX_SIZE (256u << 20)

static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/*
 * The whole of a regular file. O_NONBLOCK: opening a FIFO would otherwise wait
 * for a writer before fstat() could tell what it is.
 */
static int read_object_file(const char *path, void **buf, size_t *size)
{
	struct stat st;
	size_t len = 0;
	char *data;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		err = -errno;
		if (err == -ENOENT)
			pr_warn("open %s: no such file\n", path);
		else
			pr_warn("open %s: cannot open it: %s\n", path, strerror(-err));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		pr_warn("open %s: cannot stat it: %s\n", path, strerror(-err));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		pr_warn("open %s: is a directory, not a BPF object file\n", path);
		err = -EISDIR;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		pr_warn("open %s: is %s; a BPF object must be a regular file\n", path,
			file_kind(st.st_mode));
		err = -EINVAL;
		goto out;
	}
	if ((unsigned long long)st.st_size > OBJECT_MAX_SIZE) {
		pr_warn("open %s: %lld bytes is larger than the %u MiB a BPF object may have\n",
			path, (long long)st.st_size, OBJECT_MAX_SIZE >> 20);
		err = -EFBIG;
		goto out;
	}
	/* one byte more than stat said, to notice a file that grew */
	data = malloc(st.st_size + 1);
	if (!data) {
		err = -ENOMEM;
		goto out;
	}
	while (len < (size_t)st.st_size + 1) {
		ssize_t n = read(fd, data + len, st.st_size + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			pr_warn("open %s: cannot read it: %s\n", path, strerror(-err));
			break;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (!err && len > (size_t)st.st_size) {
		pr_warn("open %s: the file changed while it was read\n", path);
		err = -EINVAL;
	}
	if (err) {
		free(data);
		goto out;
	}
	*buf = data;
	*size = len;
out:
	close(fd);
	return err;
}

SCX_API struct scx_sched *scx_sched__open_file(const char *path, const struct scx_sched_opts *opts)
{
	struct scx_sched *s;
	int err;

	if (!path || !*path) {
		pr_warn("open: no object path given\n");
		return scx_err_ptr(-EINVAL);
	}
	s = sched_new(path, opts, &err);
	if (!s)
		return scx_err_ptr(err);
	/* Keep the bytes, not the path: a restart reopens exactly what was
	 * loaded even if the file changed on disk meanwhile. */
	if (!err) {
		err = read_object_file(path, &s->elf, &s->elf_size);
		if (!err && (s->elf_size < 4 || memcmp(s->elf, "\177ELF", 4))) {
			pr_warn("open %s: not an ELF file; expected a BPF object built with "
				"clang -target bpf\n", path);
			err = -EINVAL;
		}
	}
	return finish_open(s, err);
}

SCX_API struct scx_sched *scx_sched__from_object(struct bpf_object *obj,
						 const struct scx_sched_opts *opts)
{
	struct scx_sched *s;
	int err;

	if (!obj)
		return scx_err_ptr(-EINVAL);
	s = sched_new(bpf_object__name(obj), opts, &err);
	if (!s)
		return scx_err_ptr(err);
	s->obj = obj;
	s->borrowed_obj = true;
	/* A loaded object has created its maps: the ops can no longer change. */
	if (!err) {
		struct bpf_map *m;

		bpf_object__for_each_map(m, obj) {
			if (bpf_map__fd(m) >= 0) {
				pr_warn("open %s: the object is already loaded; wrap it before "
					"bpf_object__load()\n", s->label);
				err = -EBUSY;
				break;
			}
		}
	}
	return finish_open(s, err);
}

SCX_API struct bpf_object *scx_sched__object(const struct scx_sched *s)
{
	return s ? s->obj : NULL;
}

SCX_API const char *scx_sched__name(const struct scx_sched *s)
{
	return s ? s->name : "";
}

/* ---- globals ------------------------------------------------------------- */

static int write_global(struct scx_sched *s, const char *name, const void *val, size_t size)
{
	struct var_loc loc;
	void *p;

	if (scx__find_var(s, name, &loc)) {
		pr_warn("%s: no global variable '%s' in the object\n", s->label, name);
		return -ENOENT;
	}
	if (loc.size != size) {
		pr_warn("%s: global '%s' is %zu bytes, not %zu\n", s->label, name, loc.size, size);
		return -EINVAL;
	}
	p = scx__var_data_rw(&loc);
	if (!p)
		return -EINVAL;
	memcpy(p, val, size);
	return 0;
}

SCX_API int scx_sched__set_global(struct scx_sched *s, const char *name, const void *val, size_t size)
{
	struct saved_global *g;
	int err, i;

	if (!s || !name || !val || !size)
		return scx_err(-EINVAL);
	if (s->loaded) {
		pr_warn("%s: cannot set '%s': the scheduler is already loaded\n", s->label, name);
		return scx_err(-EBUSY);
	}
	err = write_global(s, name, val, size);
	if (err)
		return scx_err(err);
	/* remember it for a restart, replacing an earlier value */
	for (i = 0; i < s->nr_globals; i++)
		if (!strcmp(s->globals[i].name, name))
			break;
	if (i == s->nr_globals) {
		g = realloc(s->globals, (s->nr_globals + 1) * sizeof(*g));
		if (!g)
			return scx_err(-ENOMEM);
		s->globals = g;
		g = &g[s->nr_globals];
		*g = (struct saved_global){ .name = strdup(name) };
		if (!g->name)
			return scx_err(-ENOMEM);
		s->nr_globals++;
	}
	g = &s->globals[i];
	{
		void *copy = malloc(size);

		if (!copy)
			return scx_err(-ENOMEM);
		memcpy(copy, val, size);
		free(g->val);
		g->val = copy;
		g->size = size;
	}
	return 0;
}

SCX_API int scx_sched__get_global(const struct scx_sched *s, const char *name, void *val, size_t size)
{
	struct var_loc loc;
	void *p;

	if (!s || !name || !val)
		return scx_err(-EINVAL);
	if (scx__find_var(s, name, &loc))
		return scx_err(-ENOENT);
	if (loc.size != size)
		return scx_err(-EINVAL);
	p = scx__var_data(&loc);
	if (!p)
		return scx_err(-EINVAL);
	memcpy(val, p, size);
	return 0;
}

/* ---- load ------------------------------------------------------------------ */

/* Print the last max_lines lines of text, each through the callback. */
static void print_tail(const char *text, int max_lines)
{
	const char *p = text + strlen(text);
	int lines = 0;

	while (p > text && lines <= max_lines)
		if (*--p == '\n')
			lines++;
	if (*p == '\n')
		p++;
	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? nl - p : (int)strlen(p);

		scx__print(SCX_WARN, "libscx:   %.*s\n", len, p);
		p += len + (nl ? 1 : 0);
	}
}

/*
 * Some kernel builds expose a kfunc's implicit arguments in BTF, and libbpf
 * then refuses the object's declaration. Find the object's kfunc declarations
 * whose parameter count differs from the kernel's. Flavoured names (___v2)
 * are skipped: those are weak alternatives libbpf may leave unresolved.
 */
static void explain_kfunc_mismatch(struct scx_sched *s)
{
	const struct btf *btf = bpf_object__btf(s->obj);
	__u32 i, n = btf ? btf__type_cnt(btf) : 0;

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i), *proto;
		const char *name;
		int nr;

		/* a FUNC's vlen is its linkage */
		if (!btf_is_func(t) || btf_vlen(t) != BTF_FUNC_EXTERN)
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		proto = btf__type_by_id(btf, t->type);
		if (!name || strstr(name, "___") || !proto || !btf_is_func_proto(proto))
			continue;
		nr = scx_features__kfunc_nr_args(s->feat, name);
		if (nr < 0 || nr == btf_vlen(proto))
			continue;
		pr_warn("load %s: the object declares kfunc %s with %u parameters, this kernel's "
			"BTF has %d. Some kernel builds expose a kfunc's implicit arguments in BTF; "
			"declare the kfunc through bpf-headers/scx/compat.bpf.h, which picks the "
			"matching form\n", s->label, name, btf_vlen(proto), nr);
	}
}

static void report_load_failure(struct scx_sched *s, int err)
{
	const char *prog = NULL, *log = scx__load_log_failed(s->load_log, &prog);
	bool all = getenv("LIBSCX_DEBUG");

	pr_warn("load %s: the kernel refused the scheduler (%s)\n", s->label, strerror(-err));
	if (log) {
		/* LIBSCX_DEBUG asks for the whole log */
		pr_warn("load %s: verifier log of program '%s'%s:\n", s->label, prog,
			all ? "" : " (tail; LIBSCX_DEBUG=1 shows all of it)");
		print_tail(log, all ? INT_MAX - 1 : 40);
		if (strlen(log) >= SCX_LOAD_LOG_SIZE - 1)
			pr_warn("load %s: the verifier log was longer than %u MiB; its start is cut%s\n",
				s->label, SCX_LOAD_LOG_SIZE >> 20,
				err == -ENOSPC ? ", and the kernel reports that as ENOSPC" : "");
	} else if (s->borrowed_obj) {
		/* the caller's object logs the caller's way */
		pr_warn("load %s: libbpf's messages (libbpf_set_print()), with any verifier log, "
			"say which step failed\n", s->label);
	} else {
		/* not a verifier rejection: BTF, a map, a kfunc or an extern */
		pr_warn("load %s: no program was refused by the verifier; libbpf's messages "
			"(libbpf_set_print()) say which step failed\n", s->label);
	}
	explain_kfunc_mismatch(s);
}

/* Map types whose max_entries must be 0 or that libbpf sizes itself. */
static bool sized_by_others(enum bpf_map_type type)
{
	/* BPF_MAP_TYPE_CGRP_STORAGE (6.2): newer than some uapi headers */
	if ((int)type == 32)
		return true;
	switch (type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:	/* libbpf: one per CPU */
	case BPF_MAP_TYPE_STRUCT_OPS:
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
		return true;
	default:
		return false;
	}
}

/*
 * A map declared with max_entries 0 is one the object's own loader sizes
 * before load (one entry per CPU pair, per cgroup...). The kernel would refuse
 * it with a bare EINVAL: name it and say how to size it, before loading, so
 * that the caller can resize and load again.
 */
static int check_map_sizes(struct scx_sched *s)
{
	struct bpf_map *m;
	int err = 0;

	bpf_object__for_each_map(m, s->obj) {
		const char *name = bpf_map__name(m);

		if (!bpf_map__autocreate(m) || bpf_map__max_entries(m) ||
		    bpf_map__is_internal(m) || sized_by_others(bpf_map__type(m)))
			continue;
		pr_warn("load %s: map '%s' has max_entries 0: the object expects its own loader to "
			"size it. Size it before load with scx_sched__resize_map(s, \"%s\", N) "
			"(scxtool run --resize %s=N)\n", s->label, name, name, name);
		err = -EINVAL;
	}
	return err;
}

static int resize_map(struct scx_sched *s, const char *name, __u32 max_entries)
{
	struct bpf_map *m = bpf_object__find_map_by_name(s->obj, name);
	int err;

	if (!m) {
		pr_warn("%s: no map '%s' in the object\n", s->label, name);
		return -ENOENT;
	}
	if (!max_entries) {
		pr_warn("%s: map '%s' cannot be sized to 0 entries\n", s->label, name);
		return -EINVAL;
	}
	if (bpf_map__is_internal(m) || sized_by_others(bpf_map__type(m))) {
		pr_warn("%s: map '%s' is %s; its size is not set by entries\n", s->label, name,
			bpf_map__is_internal(m) ? "a global-variable section" : "sized by libbpf or the kernel");
		return -EINVAL;
	}
	err = bpf_map__set_max_entries(m, max_entries);
	if (err)
		pr_warn("%s: cannot resize map '%s' to %u entries: %s\n", s->label, name,
			max_entries, strerror(-err));
	return err;
}

SCX_API int scx_sched__resize_map(struct scx_sched *s, const char *name, __u32 max_entries)
{
	struct saved_size *z;
	int err, i;

	if (!s || !s->obj || !name)
		return scx_err(-EINVAL);
	if (s->loaded) {
		pr_warn("%s: cannot resize map '%s': the scheduler is already loaded\n", s->label, name);
		return scx_err(-EBUSY);
	}
	err = resize_map(s, name, max_entries);
	if (err)
		return scx_err(err);
	/* remember it for a restart, replacing an earlier size */
	for (i = 0; i < s->nr_sizes; i++)
		if (!strcmp(s->sizes[i].name, name))
			break;
	if (i == s->nr_sizes) {
		z = realloc(s->sizes, (s->nr_sizes + 1) * sizeof(*z));
		if (!z)
			return scx_err(-ENOMEM);
		s->sizes = z;
		z[i].name = strdup(name);
		if (!z[i].name)
			return scx_err(-ENOMEM);
		s->nr_sizes++;
	}
	s->sizes[i].max_entries = max_entries;
	return 0;
}

SCX_API int scx_sched__load(struct scx_sched *s)
{
	int err;

	if (!s || !s->obj)
		return scx_err(-EINVAL);
	if (s->loaded)
		return scx_err(-EBUSY);
	if (s->load_failed) {
		pr_warn("load %s: a failed load cannot be retried; open the scheduler again\n", s->label);
		return scx_err(-EINVAL);
	}
	err = check_map_sizes(s);
	if (err)
		return scx_err(err);
	/* A caller's own object (from_object) keeps its own logging. */
	if (!s->borrowed_obj && !s->load_log) {
		s->load_log = scx__load_log_new(s->obj);
		if (!s->load_log)
			pr_debug("load %s: no memory for verifier logs; libbpf will print them\n",
				 s->label);
	}
	err = bpf_object__load(s->obj);
	if (err) {
		err = libbpf_errno(err);
		report_load_failure(s, err);
		s->load_failed = true;
		return scx_err(err);
	}
	s->loaded = true;
	err = scx__map_globals(s);
	if (err)
		return scx_err(err);
	return 0;
}

/* ---- attach, watch, exit ------------------------------------------------ */

static void mark_exited(struct scx_sched *s);

static bool state_is(const struct scx_sched *s, const char *want)
{
	char state[32];

	return scx__read_sysfs(s, "state", state, sizeof(state)) >= 0 && !strcmp(state, want);
}

SCX_API int scx_sched__attach(struct scx_sched *s)
{
	char other[160] = "", state[32];
	unsigned long long seq = 0, seq0 = 0;
	bool have_seq0, have_seq;
	int err;

	if (!s)
		return scx_err(-EINVAL);
	if (!s->loaded) {
		pr_warn("attach %s: load the scheduler first\n", s->label);
		return scx_err(-EINVAL);
	}
	if (s->link)
		return scx_err(-EALREADY);
	err = scx__read_sysfs(s, "state", state, sizeof(state));
	if (err < 0) {
		pr_warn("attach %s: cannot read %s/kernel/sched_ext/state: %s\n", s->label,
			s->sysfs_root, strerror(-err));
		return scx_err(err);
	}
	if (strcmp(state, "disabled")) {
		scx__read_sysfs(s, "root/ops", other, sizeof(other));
		pr_warn("attach %s: another sched_ext scheduler%s%s%s is attached; stop it first\n",
			s->label, *other ? " '" : "", other, *other ? "'" : "");
		return scx_err(-EBUSY);
	}
	/* Listen before attaching: an error during enable must not be missed. */
	if (s->watch.ep < 0) {
		err = scx__watch_init(&s->watch);
		if (err)
			pr_warn("attach %s: exit notification unavailable (%s); "
				"scx_sched__wait() looks at sysfs instead\n", s->label, strerror(-err));
	}
	scx__watch_rearm(&s->watch);
	scx__kmsg_open(s);
	scx__exit_info_reset(&s->ei);
	scx__clear_record(s);
	s->exited = false;
	s->gone_ms = 0;
	s->detached_by_us = false;
	s->kmsg_found = false;
	s->have_hotplug_seq = !scx__read_sysfs_u64(s, "hotplug_seq", &s->hotplug_seq);
	have_seq0 = !scx__read_sysfs_u64(s, "enable_seq", &seq0);

	s->link = bpf_map__attach_struct_ops(s->ops);
	err = libbpf_get_error(s->link);
	if (err) {
		s->link = NULL;
		if (err == -EBUSY) {
			scx__read_sysfs(s, "root/ops", other, sizeof(other));
			pr_warn("attach %s: another sched_ext scheduler%s%s%s got attached first\n",
				s->label, *other ? " '" : "", other, *other ? "'" : "");
		} else {
			char why[SCX_EXIT_MSG_LEN] = "";

			/* ops.init() failures and hotplug races leave their
			 * reason in the exit record or the kernel log */
			scx__collect_exit(s, why, sizeof(why));
			pr_warn("attach %s: the kernel refused it (%s)%s%s\n", s->label,
				strerror(-err), *why ? ": " : "", why);
		}
		return scx_err(err);
	}
	have_seq = !scx__read_sysfs_u64(s, "enable_seq", &seq);
	s->enable_seq = seq;
	/*
	 * When enabling fails after ops.init() was called (ops.init() or
	 * ops.init_task() returned an error, or called scx_bpf_error()), the
	 * kernel unloads the scheduler and still reports success, so that the
	 * reason travels through the exit info. enable_seq only counts enables
	 * that completed, and it is bumped before the kernel returns.
	 */
	if (have_seq0 && have_seq && seq == seq0) {
		mark_exited(s);
		bpf_link__destroy(s->link);
		s->link = NULL;
		pr_warn("attach %s: the kernel unloaded it while enabling it: %s%s%s\n", s->label,
			s->ei.reason, *s->ei.msg ? ": " : "", s->ei.msg);
		return scx_err(-ECANCELED);
	}
	return 0;
}

SCX_API int scx_sched__fd(const struct scx_sched *s)
{
	if (!s || (!s->link && !s->exited))
		return scx_err(-EINVAL);
	if (s->watch.ep < 0)
		return scx_err(-EOPNOTSUPP);
	return s->watch.ep;
}

/* Has our scheduler gone? The exit record (written last by ops.exit), the
 * state file and enable_seq each tell it; any one is enough. */
static bool gone(struct scx_sched *s)
{
	unsigned long long seq;

	if (scx__record_kind(s))
		return true;
	/* The uevent comes while the kernel is still "disabling": that
	 * counts, or a poll-driven caller would wait for an event that was
	 * already consumed. */
	if (!state_is(s, "enabled"))
		return true;
	return !scx__read_sysfs_u64(s, "enable_seq", &seq) && seq != s->enable_seq;
}

/*
 * How long the kernel may stay "disabling" before we stop waiting for it to
 * finish, and how long an exit we cannot explain yet waits for the kernel's
 * log line (which can come after the state change that told us; seen under
 * load on 7.3.4).
 */
#define DISABLING_MAX_MS	5000
#define EXIT_REASON_GRACE_MS	500

/*
 * Complete an exit that gone() saw, without sleeping: it is complete once
 * the kernel has finished moving tasks back to the fair class (a caller who
 * reattaches at once would otherwise get -EBUSY) and we know why it exited,
 * or once each has had its time. Until then the exit fd ticks so that a
 * caller polling it comes back.
 */
static bool complete_exit(struct scx_sched *s)
{
	long long waited;

	if (s->exited)
		return true;
	if (!s->gone_ms) {
		s->gone_ms = scx__now_ms();
		scx__watch_tick(&s->watch, 10);
	}
	waited = scx__now_ms() - s->gone_ms;
	if (state_is(s, "disabling") && waited < DISABLING_MAX_MS)
		return false;
	if (!scx__exit_reason_known(s) && waited < EXIT_REASON_GRACE_MS)
		return false;
	scx__collect_exit(s, NULL, 0);
	s->exited = true;
	/* the fd stays readable from now on */
	scx__watch_signal(&s->watch);
	return true;
}

/* Complete an exit, waiting as long as that takes (bounded above). */
static void mark_exited(struct scx_sched *s)
{
	while (!complete_exit(s))
		scx__sleep_ms(5);
}

SCX_API int scx_sched__wait(struct scx_sched *s, int timeout_ms)
{
	long long deadline;

	if (!s)
		return scx_err(-EINVAL);
	if (s->exited)
		return 0;
	if (!s->link)
		return scx_err(-EINVAL);
	deadline = timeout_ms < 0 ? -1 : scx__now_ms() + timeout_ms;
	for (;;) {
		struct pollfd pfd = { .fd = s->watch.ep, .events = POLLIN };
		long long left;
		int slice;

		scx__watch_consume(&s->watch);
		if ((s->gone_ms || gone(s)) && complete_exit(s))
			return 0;
		left = deadline < 0 ? 1000 : deadline - scx__now_ms();
		if (left <= 0)
			return scx_err(-ETIMEDOUT);
		/* The fd ticks while an exit completes and where uevents
		 * cannot be trusted; still look each second in case an event
		 * was lost. Without an fd, look every 10 or 100 ms. */
		slice = s->watch.ep >= 0 ? 1000 : s->gone_ms ? 10 : SCX_WATCH_POLL_MS;
		if (left < slice)
			slice = left;
		if (poll(&pfd, s->watch.ep >= 0 ? 1 : 0, slice) < 0 && errno == EINTR)
			return scx_err(-EINTR);
	}
}

SCX_API bool scx_sched__exited(struct scx_sched *s)
{
	return s && scx_sched__wait(s, 0) == 0;
}

SCX_API const struct scx_exit_info *scx_sched__exit_info(const struct scx_sched *s)
{
	if (!s)
		return scx_err_ptr(-EINVAL);
	if (!s->exited)
		return scx_err_ptr(-EAGAIN);
	return &s->ei;
}

SCX_API int scx_sched__detach(struct scx_sched *s)
{
	int err;

	if (!s || !s->link)
		return 0;
	/* Tell ourselves apart from a kernel ejection that raced with us. */
	if (!s->exited && gone(s))
		mark_exited(s);
	/*
	 * Closing the link fd alone is not enough: the kernel may hold its own
	 * reference to the link while the scheduler runs, so the scheduler
	 * would only go when that is dropped. BPF_LINK_DETACH unregisters now,
	 * and returns once the kernel is back on the fair class. -EINVAL and
	 * -ENOLINK say the kernel already let go of the link (it ejected the
	 * scheduler); any other error while the scheduler still runs means it
	 * is still attached, and the handle stays as it was.
	 */
	err = bpf_link__detach(s->link);
	if (err && err != -EINVAL && err != -ENOLINK && !s->exited && !gone(s)) {
		pr_warn("detach %s: the kernel refused to detach it (%s); it is still attached\n",
			s->label, strerror(-err));
		return scx_err(err);
	}
	err = bpf_link__destroy(s->link);
	s->link = NULL;
	if (err)
		pr_warn("detach %s: closing the link: %s\n", s->label, strerror(-err));
	if (!s->exited) {
		s->detached_by_us = true;
		mark_exited(s);
	}
	return err ? scx_err(err) : 0;
}

static void close_object(struct scx_sched *s)
{
	if (s->obj && !s->borrowed_obj)
		bpf_object__close(s->obj);
	s->obj = NULL;
	scx__unmap_globals(s);
	/* after the close: the object's programs pointed into it */
	scx__load_log_free(s->load_log);
	s->load_log = NULL;
	s->ops = NULL;
	s->loaded = false;
}

SCX_API void scx_sched__destroy(struct scx_sched *s)
{
	int i;

	if (!s)
		return;
	scx_sched__detach(s);
	close_object(s);
	scx__watch_close(&s->watch);
	if (s->kmsg_fd >= 0)
		close(s->kmsg_fd);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	scx_features__free(s->own_feat);
	for (i = 0; i < s->nr_globals; i++) {
		free(s->globals[i].name);
		free(s->globals[i].val);
	}
	free(s->globals);
	for (i = 0; i < s->nr_sizes; i++)
		free(s->sizes[i].name);
	free(s->sizes);
	free(s->ops_map_copy);
	free(s->name_copy);
	free(s->btf_path_copy);
	free(s->sysfs_root_copy);
	scx__exit_info_reset(&s->ei);
	free(s->elf);
	free(s);
}

/* Reopen from the saved source with the same options and globals. */
int scx__reopen(struct scx_sched *s)
{
	int err, i;

	if (!s->elf)
		return -EOPNOTSUPP;
	scx_sched__detach(s);
	close_object(s);
	scx_features__free(s->own_feat);
	s->own_feat = NULL;
	s->feat = NULL;
	s->load_failed = false;
	err = open_object(s);
	for (i = 0; !err && i < s->nr_globals; i++)
		err = write_global(s, s->globals[i].name, s->globals[i].val, s->globals[i].size);
	for (i = 0; !err && i < s->nr_sizes; i++)
		err = resize_map(s, s->sizes[i].name, s->sizes[i].max_entries);
	if (err) {
		/* half-configured is worse than gone: nothing may load it */
		close_object(s);
		s->feat = NULL;
	}
	return err;
}
