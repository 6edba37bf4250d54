// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Opening a scheduler: the handle, the object read from a file or memory (or
 * the caller's own), the kernel probed, the object configured (ops_config.c),
 * and what the caller may set before load (globals, map sizes), kept so that
 * the object can be opened again the same way for a restart. Nothing here
 * attaches or detaches: that is attach.c, above this file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/libbpf.h>

#include <scx/sched.h>
#include "internal.h"
#include "features_priv.h"
#include "load_log.h"
#include "sched_priv.h"
#include "watch.h"

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
			return scx__libbpf_errno(err);
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

/* Keep NAME's value for a reopen, replacing an earlier one. */
static int remember(struct saved_setting **list, int *nr, const char *name, const void *val,
		    size_t size)
{
	struct saved_setting *g;
	void *copy = malloc(size);
	int i;

	if (!copy)
		return scx_err(-ENOMEM);
	memcpy(copy, val, size);
	for (i = 0; i < *nr; i++)
		if (!strcmp((*list)[i].name, name))
			break;
	if (i == *nr) {
		g = realloc(*list, (*nr + 1) * sizeof(*g));
		if (!g || !(name = strdup(name))) {
			if (g)
				*list = g;
			free(copy);
			return scx_err(-ENOMEM);
		}
		*list = g;
		g[i] = (struct saved_setting){ .name = (char *)name };
		(*nr)++;
	}
	g = &(*list)[i];
	free(g->val);
	g->val = copy;
	g->size = size;
	return 0;
}

static void forget_all(struct saved_setting *list, int nr)
{
	for (int i = 0; i < nr; i++) {
		free(list[i].name);
		free(list[i].val);
	}
	free(list);
}

/*
 * Free what open owns (the object, the options, the kept source, globals and
 * sizes) and the handle itself. The caller has released the rest: a handle
 * that failed to open never had any; scx_sched__destroy() detaches and closes
 * its fds first.
 */
void scx__sched_free(struct scx_sched *s)
{
	close_object(s);
	scx_features__free(s->own_feat);
	forget_all(s->globals, s->nr_globals);
	forget_all(s->sizes, s->nr_sizes);
	free(s->ops_map_copy);
	free(s->name_copy);
	free(s->btf_path_copy);
	free(s->sysfs_root_copy);
	free(s->elf);
	free(s);
}

static struct scx_sched *finish_open(struct scx_sched *s, int err)
{
	if (!err)
		err = open_object(s);
	if (err) {
		scx__sched_free(s);
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
	int err;

	if (!s || !name || !val || !size)
		return scx_err(-EINVAL);
	if (s->loaded) {
		pr_warn("%s: cannot set '%s': the scheduler is already loaded\n", s->label, name);
		return scx_err(-EBUSY);
	}
	err = write_global(s, name, val, size);
	if (err)
		return scx_err(err);
	return remember(&s->globals, &s->nr_globals, name, val, size);
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

/* ---- map sizes ----------------------------------------------------------- */

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
int scx__check_map_sizes(struct scx_sched *s)
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
	int err;

	if (!s || !s->obj || !name)
		return scx_err(-EINVAL);
	if (s->loaded) {
		pr_warn("%s: cannot resize map '%s': the scheduler is already loaded\n", s->label, name);
		return scx_err(-EBUSY);
	}
	err = resize_map(s, name, max_entries);
	if (err)
		return scx_err(err);
	return remember(&s->sizes, &s->nr_sizes, name, &max_entries, sizeof(max_entries));
}

/* Whether scx__reopen() can work: only with the object's bytes, not with a
 * caller's object (scx_sched__from_object()). */
bool scx__can_reopen(const struct scx_sched *s)
{
	return s->elf;
}

/*
 * Reopen from the saved source with the same options and globals. The caller
 * detaches first (run.c's restart()): this file never calls up into attach.c.
 */
int scx__reopen(struct scx_sched *s)
{
	int err, i;

	if (!scx__can_reopen(s))
		return -EOPNOTSUPP;
	close_object(s);
	scx_features__free(s->own_feat);
	s->own_feat = NULL;
	s->feat = NULL;
	s->load_failed = false;
	err = open_object(s);
	for (i = 0; !err && i < s->nr_globals; i++)
		err = write_global(s, s->globals[i].name, s->globals[i].val, s->globals[i].size);
	for (i = 0; !err && i < s->nr_sizes; i++)
		err = resize_map(s, s->sizes[i].name, *(__u32 *)s->sizes[i].val);
	if (err) {
		/* half-configured is worse than gone: nothing may load it */
		close_object(s);
		s->feat = NULL;
	}
	return err;
}
