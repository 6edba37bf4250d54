/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Builds fake sysfs trees (devices/system/{cpu,node}) in a temporary
 * directory, for the topology tests, fuzzer and benchmark. A machine is
 * described by a callback giving each CPU's package, core, caches, node and
 * capacity; sibling and shared-cache lists are derived from it the way the
 * kernel would write them (online CPUs only, ranges collapsed).
 * Header-only so that each test binary can use it without build changes.
 */
#ifndef __SCX_FAKETREE_H
#define __SCX_FAKETREE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FT_MAX_CPUS 8192

/* Paths are built from a short temporary root: truncation cannot happen. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"

struct faketree {
	char root[PATH_MAX];
};

struct ft_cpu {
	int package;	/* physical_package_id */
	int die;	/* die_id, -1 = no file */
	int core;	/* machine-wide core key: CPUs with equal keys are SMT siblings */
	int core_id;	/* core_id file */
	int l2;		/* key of the L2 sharing group, -1 = no L2 */
	int l3;		/* key of the L3 sharing group, -1 = no L3 */
	int node;	/* NUMA node */
	unsigned int cap; /* value of the capacity file */
};

struct ft_spec {
	int nr_cpus;		/* possible CPUs 0..nr_cpus-1 unless possible is set */
	const char *possible;	/* override of the possible list */
	const char *online;	/* NULL: every possible CPU */
	bool no_cache;		/* no cache/ directories (VMs) */
	bool numa;		/* write devices/system/node */
	int nr_nodes;
	const char *cap_file;	/* e.g. "cpu_capacity"; NULL: none */
	void (*describe)(int cpu, struct ft_cpu *c, const void *arg);
	const void *arg;
};

static inline int ft_mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Write a file under the root (relative path), creating its directories. */
__attribute__((format(printf, 3, 4)))
static inline int ft_write(struct faketree *ft, const char *rel, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;
	char *slash;

	snprintf(path, sizeof(path), "%s/%s", ft->root, rel);
	f = fopen(path, "w");
	if (!f && errno == ENOENT) {
		/* Create the directories only when missing: far fewer syscalls. */
		slash = strrchr(path, '/');
		*slash = '\0';
		if (ft_mkdirs(path))
			return -errno;
		*slash = '/';
		f = fopen(path, "w");
	}
	if (!f)
		return -errno;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	return fclose(f) ? -errno : 0;
}

/* Write raw bytes (may contain NULs). */
static inline int ft_write_raw(struct faketree *ft, const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	char *slash;

	snprintf(path, sizeof(path), "%s/%s", ft->root, rel);
	f = fopen(path, "w");
	if (!f && errno == ENOENT) {
		/* Create the directories only when missing: far fewer syscalls. */
		slash = strrchr(path, '/');
		*slash = '\0';
		if (ft_mkdirs(path))
			return -errno;
		*slash = '/';
		f = fopen(path, "w");
	}
	if (!f)
		return -errno;
	if (len && fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

static inline int ft_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static inline int ft_remove(struct faketree *ft, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", ft->root, rel);
	return nftw(path, ft_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline int ft_init(struct faketree *ft)
{
	const char *tmp = getenv("TMPDIR");

	/* A tmpfs keeps the 4096-CPU tree (60k files) fast to build. */
	if (!tmp && access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	snprintf(ft->root, sizeof(ft->root), "%s/scx-topo-XXXXXX", tmp ? tmp : "/tmp");
	return mkdtemp(ft->root) ? 0 : -errno;
}

static inline void ft_cleanup(struct faketree *ft)
{
	if (ft->root[0])
		nftw(ft->root, ft_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	ft->root[0] = '\0';
}

/* Append "a-b" ranges of the set CPUs of `set` (nr entries) to buf. */
static inline void ft_format_list(char *buf, size_t size, const bool *set, int nr)
{
	size_t len = 0;
	int i = 0;

	buf[0] = '\0';
	while (i < nr) {
		int first;

		if (!set[i]) {
			i++;
			continue;
		}
		first = i;
		while (i + 1 < nr && set[i + 1])
			i++;
		if (first == i)
			len += snprintf(buf + len, size - len, "%s%d", len ? "," : "", first);
		else
			len += snprintf(buf + len, size - len, "%s%d-%d", len ? "," : "", first, i);
		i++;
	}
}

/* Parse a plain "a-b,c" list into set[] (the fake tree's own tiny parser, so
 * the code under test is not used to build its own input). */
static inline void ft_parse_list(const char *s, bool *set, int nr)
{
	memset(set, 0, nr * sizeof(*set));
	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b && a < nr; a++)
			set[a] = true;
		s = *end == ',' ? end + 1 : end + strlen(end);
	}
}

static inline int ft_build(struct faketree *ft, const struct ft_spec *s)
{
	int nr = s->nr_cpus, i, j, err = -ENOMEM;
	struct ft_cpu *cpus = calloc(nr, sizeof(*cpus));
	bool *online = calloc(nr, sizeof(bool)), *set = calloc(nr, sizeof(bool));
	char *list = malloc(65536), rel[256];

	if (!cpus || !online || !set || !list)
		goto out;
	for (i = 0; i < nr; i++)
		s->describe(i, &cpus[i], s->arg);
	if (s->online)
		ft_parse_list(s->online, online, nr);
	else
		for (i = 0; i < nr; i++)
			online[i] = true;

	if (s->possible)
		err = ft_write(ft, "devices/system/cpu/possible", "%s\n", s->possible);
	else
		err = ft_write(ft, "devices/system/cpu/possible", "0-%d\n", nr - 1);
	ft_format_list(list, 65536, online, nr);
	err = err ?: ft_write(ft, "devices/system/cpu/online", "%s\n", list);
	if (err)
		goto out;

	for (i = 0; i < nr && !err; i++) {
		const struct ft_cpu *c = &cpus[i];

		/* Offline CPUs keep only their directory, as on a real kernel. */
		snprintf(rel, sizeof(rel), "%s/devices/system/cpu/cpu%d", ft->root, i);
		err = ft_mkdirs(rel);
		if (err || !online[i])
			continue;

#define W(...) do { if (!err) err = ft_write(ft, rel, __VA_ARGS__); } while (0)
#define P(...) snprintf(rel, sizeof(rel), __VA_ARGS__)
		P("devices/system/cpu/cpu%d/topology/physical_package_id", i);
		W("%d\n", c->package);
		P("devices/system/cpu/cpu%d/topology/core_id", i);
		W("%d\n", c->core_id);
		if (c->die >= 0) {
			P("devices/system/cpu/cpu%d/topology/die_id", i);
			W("%d\n", c->die);
		}
		for (j = 0; j < nr; j++)
			set[j] = online[j] && cpus[j].core == c->core;
		ft_format_list(list, 65536, set, nr);
		P("devices/system/cpu/cpu%d/topology/thread_siblings_list", i);
		W("%s\n", list);
		P("devices/system/cpu/cpu%d/topology/core_cpus_list", i);
		W("%s\n", list);
		if (!s->no_cache) {
			P("devices/system/cpu/cpu%d/cache/index0/level", i);
			W("1\n");
			P("devices/system/cpu/cpu%d/cache/index0/type", i);
			W("Data\n");
			P("devices/system/cpu/cpu%d/cache/index0/shared_cpu_list", i);
			W("%s\n", list);
			P("devices/system/cpu/cpu%d/cache/index1/level", i);
			W("1\n");
			P("devices/system/cpu/cpu%d/cache/index1/type", i);
			W("Instruction\n");
			P("devices/system/cpu/cpu%d/cache/index1/shared_cpu_list", i);
			W("%s\n", list);
			if (c->l2 >= 0) {
				for (j = 0; j < nr; j++)
					set[j] = online[j] && cpus[j].l2 == c->l2;
				ft_format_list(list, 65536, set, nr);
				P("devices/system/cpu/cpu%d/cache/index2/level", i);
				W("2\n");
				P("devices/system/cpu/cpu%d/cache/index2/type", i);
				W("Unified\n");
				P("devices/system/cpu/cpu%d/cache/index2/shared_cpu_list", i);
				W("%s\n", list);
			}
			if (c->l3 >= 0) {
				for (j = 0; j < nr; j++)
					set[j] = online[j] && cpus[j].l3 == c->l3;
				ft_format_list(list, 65536, set, nr);
				P("devices/system/cpu/cpu%d/cache/index3/level", i);
				W("3\n");
				P("devices/system/cpu/cpu%d/cache/index3/type", i);
				W("Unified\n");
				P("devices/system/cpu/cpu%d/cache/index3/shared_cpu_list", i);
				W("%s\n", list);
			}
		}
		if (s->cap_file) {
			P("devices/system/cpu/cpu%d/%s", i, s->cap_file);
			W("%u\n", c->cap);
		}
	}
	if (err || !s->numa)
		goto out;
	P("devices/system/node/online");
	W("0-%d\n", s->nr_nodes - 1);
	for (i = 0; i < s->nr_nodes && !err; i++) {
		size_t len = 0;

		for (j = 0; j < nr; j++)
			set[j] = online[j] && cpus[j].node == i;
		ft_format_list(list, 65536, set, nr);
		P("devices/system/node/node%d/cpulist", i);
		W("%s\n", list);
		for (j = 0; j < s->nr_nodes; j++)
			len += snprintf(list + len, 65536 - len, "%s%d", j ? " " : "",
					i == j ? 10 : 20 + (i > j ? i - j : j - i));
		P("devices/system/node/node%d/distance", i);
		W("%s\n", list);
	}
#undef W
#undef P
out:
	free(cpus);
	free(online);
	free(set);
	free(list);
	return err;
}

#pragma GCC diagnostic pop

#endif /* __SCX_FAKETREE_H */
