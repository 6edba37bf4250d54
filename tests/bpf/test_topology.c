// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_topology__export() fills the maps of topology.bpf.h so that
 * the BPF lookups agree with the user-space model, on fake machines (a
 * two-socket server with an offline CPU, a 4096-CPU machine), and a re-export
 * after hotplug clears what is gone. Needs root and BPF; exit 77 otherwise.
 * Also built as the VM test test_bpf_topology (TEST_IN_VM: the object is
 * hbpf/topology.bpf.o beside the binary), since a host kernel older than 6.4
 * cannot load it (bpf_for) and its cases must run somewhere.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <scx/topology.h>

#include "faketree.h"
#include "../bpf/topology_test.h"

#ifndef TEST_BUILDDIR
#define TEST_BUILDDIR "build"
#endif

/* The BPF object: beside the binary in the VM suite, else in the build dir. */
static const char *obj_path(void)
{
#ifdef TEST_IN_VM
	static char path[4096];
	char dir[4000];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);

	dir[n > 0 ? n : 0] = '\0';
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	snprintf(path, sizeof(path), "%s/hbpf/topology.bpf.o", n > 0 ? dir : ".");
	return path;
#else
	return TEST_BUILDDIR "/tests/bpf/topology.bpf.o";
#endif
}

#define FAIL(fmt, ...) do {							\
	printf("FAIL %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__);	\
	exit(1);								\
} while (0)
#define CHECK(cond, fmt, ...) do { if (!(cond)) FAIL("%s: " fmt, #cond, ##__VA_ARGS__); } while (0)

static struct bpf_object *obj;
static bool have_cpumask;

static void server_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	int core = cpu % 16;

	c->package = core / 8;
	c->die = 0;
	c->core = core;
	c->core_id = core % 8;
	c->l2 = core;
	c->l3 = c->package * 2 + (core % 8) / 4;	/* two LLCs per socket */
	c->node = c->package;
	c->cap = core % 8 < 6 ? 1024 : 400;		/* two little cores per socket */
}

static void big_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	int core = cpu % 2048;

	c->package = core / 512;
	c->die = 0;
	c->core = core;
	c->core_id = core % 512;
	c->l2 = core;
	c->l3 = core / 64;
	c->node = core / 256;
	c->cap = 1024;
}

static int run_prog(const char *name)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
	int err;

	CHECK(prog, "program %s", name);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	CHECK(!err, "test run %s: %s", name, strerror(errno));
	return opts.retval;
}

static void read_out(struct topo_test_out *out)
{
	struct bpf_map *map;
	unsigned int zero = 0;
	void *buf;

	bpf_object__for_each_map(map, obj) {
		const char *n = bpf_map__name(map);

		if (strlen(n) >= 4 && !strcmp(n + strlen(n) - 4, ".bss"))
			break;
	}
	CHECK(map, "no .bss map");
	CHECK(bpf_map__value_size(map) >= sizeof(*out), "bss size %u", bpf_map__value_size(map));
	buf = calloc(1, bpf_map__value_size(map));
	CHECK(buf && !bpf_map_lookup_elem(bpf_map__fd(map), &zero, buf), "read .bss");
	memcpy(out, buf, sizeof(*out));
	free(buf);
}

static unsigned int id_or_none(int id)
{
	return id < 0 ? SCX_TOPO_ID_NONE : (unsigned int)id;
}

/* CPU `cpu` of the model, copied out; all zero (not possible, not online)
 * when the id is out of range. */
static struct scx_topo_cpu topo_cpu(const struct scx_topology *t, int cpu)
{
	struct scx_topo_cpu c = { .sz = sizeof(c) };

	scx_topology__cpu(t, cpu, &c);
	return c;
}

/* Export t, run the walk, compare every CPU with the model. */
static void check_machine(const char *what, struct scx_topology *t)
{
	struct topo_test_out *out = calloc(1, sizeof(*out));
	int nr = scx_topology__nr_cpu_ids(t), cpu, err;
	int *cpus = calloc(SCX_TOPO_MAX_CPUS, sizeof(int));

	CHECK(out && cpus, "oom");
	err = scx_topology__export(t, obj);
	CHECK(!err, "%s: export: %d", what, err);
	CHECK(run_prog("topo_walk") == 0, "%s: walk", what);
	read_out(out);
	CHECK(out->ran, "%s", what);
	CHECK(out->nr[0] == (unsigned int)nr, "%s: nr_cpu_ids %u", what, out->nr[0]);
	CHECK(out->nr[1] == (unsigned int)scx_topology__nr_cpus(t), "%s", what);
	CHECK(out->nr[2] == (unsigned int)scx_topology__nr_online(t), "%s", what);
	CHECK(out->nr[3] == (unsigned int)scx_topology__nr_cores(t), "%s", what);
	CHECK(out->nr[4] == (unsigned int)scx_topology__nr_llcs(t), "%s", what);
	CHECK(out->nr[5] == (unsigned int)scx_topology__nr_nodes(t), "%s", what);
	CHECK(out->nr[6] == (unsigned int)scx_topology__nr_packages(t), "%s", what);
	CHECK(out->nr[7] == 1, "%s: not ready", what);
	CHECK(out->none_llc == SCX_TOPO_ID_NONE, "%s", what);
	for (cpu = 0; cpu < nr; cpu++) {
		const struct scx_topo_cpu c_copy = topo_cpu(t, cpu), *c = &c_copy;

		CHECK(out->core[cpu] == id_or_none(c->core), "%s: cpu%d core %u vs %d", what, cpu,
		      out->core[cpu], c->core);
		CHECK(out->llc[cpu] == id_or_none(c->llc), "%s: cpu%d llc %u vs %d", what, cpu,
		      out->llc[cpu], c->llc);
		CHECK(out->node[cpu] == id_or_none(c->node), "%s: cpu%d node", what, cpu);
		CHECK(out->pkg[cpu] == id_or_none(c->package), "%s: cpu%d package", what, cpu);
		CHECK(out->cap[cpu] == c->capacity, "%s: cpu%d capacity %u vs %u", what, cpu,
		      out->cap[cpu], c->capacity);
		CHECK(out->big[cpu] == c->big, "%s: cpu%d big", what, cpu);
		CHECK(out->online[cpu] == c->online, "%s: cpu%d online", what, cpu);
		CHECK(out->in_own_llc[cpu] == c->online, "%s: cpu%d llc mask", what, cpu);
		CHECK(out->in_own_core[cpu] == c->online, "%s: cpu%d core mask", what, cpu);
		CHECK(out->same_llc_as_0[cpu] == (c->online && c->llc == topo_cpu(t, 0).llc),
		      "%s: cpu%d same llc", what, cpu);
		if (c->online) {
			scx_topology__domain_cpus(t, SCX_TOPO_LLC, c->llc, cpus, SCX_TOPO_MAX_CPUS);
			CHECK(out->llc_first[cpu] == (unsigned int)cpus[0], "%s: cpu%d llc first %u vs %d",
			      what, cpu, out->llc_first[cpu], cpus[0]);
		} else {
			CHECK(out->llc_first[cpu] == SCX_TOPO_MAX_CPUS, "%s: cpu%d", what, cpu);
		}
	}
	CHECK(out->llc0_weight ==
	      (unsigned int)scx_topology__domain_cpus(t, SCX_TOPO_LLC, 0, NULL, 0), "%s", what);
	if (have_cpumask) {
		CHECK(run_prog("topo_cpumask") == 0, "%s", what);
		read_out(out);
		/* A bpf_cpumask only holds the host's own CPU ids. */
		int host = libbpf_num_possible_cpus(), n, i, expect = 0;

		n = scx_topology__domain_cpus(t, SCX_TOPO_LLC, 0, cpus, SCX_TOPO_MAX_CPUS);
		for (i = 0; i < n; i++)
			expect += cpus[i] < host;
		CHECK(out->cpumask_weight == (unsigned int)expect, "%s: bpf_cpumask weight %u vs %d",
		      what, out->cpumask_weight, expect);
	}
	printf("  ok %s: %d CPU ids agree\n", what, nr);
	free(out);
	free(cpus);
}

static struct bpf_object *load(bool with_cpumask)
{
	struct bpf_object *o = bpf_object__open_file(obj_path(), NULL);

	if (!o)
		FAIL("open %s: %s", obj_path(), strerror(errno));
	if (!with_cpumask)
		bpf_program__set_autoload(bpf_object__find_program_by_name(o, "topo_cpumask"), false);
	if (bpf_object__load(o)) {
		bpf_object__close(o);
		return NULL;
	}
	return o;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN && getenv("V") ? vfprintf(stderr, fmt, ap) : 0;
}

int main(void)
{
	struct ft_spec server = {
		.nr_cpus = 32, .online = "0-4,6-31", .numa = true, .nr_nodes = 2,
		.cap_file = "cpu_capacity", .describe = server_describe,
	};
	struct ft_spec big = {
		.nr_cpus = 4096, .online = "0-4094", .numa = true, .nr_nodes = 8,
		.describe = big_describe,
	};
	struct scx_topology *t;
	struct faketree ft;
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("SKIP: needs root to load BPF programs\n");
		return 77;
	}
	libbpf_set_print(quiet);
	obj = load(true);
	have_cpumask = obj;
	if (!obj) {
		printf("  note: bpf_cpumask kfuncs not usable in syscall programs here; skipping that part\n");
		obj = load(false);
	}
	if (!obj) {
		printf("SKIP: cannot load BPF syscall programs on this kernel\n");
		return 77;
	}

	/* Before any export the header reports "not ready". */
	{
		struct topo_test_out out;

		CHECK(run_prog("topo_walk") == 0, "walk");
		read_out(&out);
		CHECK(out.nr[7] == 0 && out.nr[0] == 0, "ready before export");
	}

	CHECK(!ft_init(&ft) && !ft_build(&ft, &server), "build server tree");
	{
		SCX_OPTS(scx_topology_opts, opts, .sysfs_root = ft.root);

		t = scx_topology__open(&opts);
	}
	CHECK(t, "open server: %s", strerror(errno));
	check_machine("server", t);

	/* Hotplug: CPUs 24-31 go away, then a socket's LLC shrinks: the
	 * re-export must clear cpu records and domains that vanished. */
	server.online = "0-23";
	CHECK(!ft_build(&ft, &server), "rebuild");
	ft_remove(&ft, "devices/system/cpu/cpu24/topology");
	CHECK(!scx_topology__refresh(t), "refresh: %s", strerror(errno));
	check_machine("server after hotplug", t);
	{
		unsigned int key = 31, zero = 0;
		struct scx_topo_cpu_rec rec;
		struct scx_topo_info info;

		CHECK(!bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "scx_topo_cpus")),
					   &key, &rec), "lookup");
		CHECK(rec.llc == SCX_TOPO_ID_NONE && !(rec.flags & SCX_TOPO_CPU_ONLINE), "cpu31 cleared");
		CHECK(!bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "scx_topo_info")),
					   &zero, &info), "lookup");
		CHECK(info.generation == 2, "generation %u", info.generation);
	}
	scx_topology__free(t);
	ft_cleanup(&ft);

	CHECK(!ft_init(&ft) && !ft_build(&ft, &big), "build 4096 tree");
	{
		SCX_OPTS(scx_topology_opts, opts, .sysfs_root = ft.root);

		t = scx_topology__open(&opts);
	}
	CHECK(t, "open 4096: %s", strerror(errno));
	check_machine("4096 CPUs", t);

	/* Errors: an object without the maps, an unloaded object. */
	err = scx_topology__export(t, NULL);
	CHECK(err == -EINVAL, "NULL obj: %d", err);
	{
		struct bpf_object *o = bpf_object__open_file(obj_path(), NULL);

		scx_print_fn_t prev;

		CHECK(o, "open");
		prev = scx_set_print(NULL);	/* the warning is expected */
		err = scx_topology__export(t, o);
		scx_set_print(prev);
		CHECK(err == -EINVAL, "unloaded object: %d", err);
		bpf_object__close(o);
	}
	/* A map sized (before load) below what the machine needs: -E2BIG, and
	 * nothing written. */
	{
		struct bpf_object *o = bpf_object__open_file(obj_path(), NULL);
		scx_print_fn_t prev;

		CHECK(o, "open");
		bpf_program__set_autoload(bpf_object__find_program_by_name(o, "topo_cpumask"), false);
		CHECK(!bpf_map__set_max_entries(bpf_object__find_map_by_name(o, "scx_topo_llc_masks"), 4),
		      "resize");
		CHECK(!bpf_object__load(o), "load");
		prev = scx_set_print(NULL);
		err = scx_topology__export(t, o);
		scx_set_print(prev);
		CHECK(err == -E2BIG && errno == E2BIG, "small map: %d", err);
		bpf_object__close(o);
	}
	scx_topology__free(t);
	ft_cleanup(&ft);
	bpf_object__close(obj);
	printf("PASS\n");
	return 0;
}
