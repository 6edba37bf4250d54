// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool topology: print the topology model as a tree or as JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scx/topology.h>

#include "scxtool.h"

static void topology_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool topology [--sysfs-root DIR] [--json]\n\n"
		"Show how CPUs are grouped into SMT cores, last-level caches, NUMA nodes and\n"
		"packages, with each CPU's capacity (1024 = fastest) and core type, as libscx\n"
		"and the BPF topology maps see them.\n\n"
		"  --sysfs-root DIR  read DIR/devices/system/{cpu,node} instead of /sys\n"
		"  --json            one JSON object: counts and a \"cpus\" list\n"
		"  -h, --help        this text\n");
}

/* Print a sorted list of CPU ids as ranges: "0-3,8". */
static void print_cpus(FILE *f, const int *cpus, int n)
{
	int i = 0;

	while (i < n) {
		int j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		fprintf(f, "%s%d", i ? "," : "", cpus[i]);
		if (j > i)
			fprintf(f, "-%d", cpus[j]);
		i = j + 1;
	}
}

static void json_id(FILE *f, const char *key, int id)
{
	if (id < 0)
		fprintf(f, ",\"%s\":null", key);
	else
		fprintf(f, ",\"%s\":%d", key, id);
}

static void print_json(FILE *f, const struct scx_topology *t)
{
	int nr_ids = scx_topology__nr_cpu_ids(t), nr_nodes = scx_topology__nr_nodes(t);
	bool first = true;
	int cpu, a, b;

	fprintf(f, "{\"nr_cpus\":%d,\"nr_cpu_ids\":%d,\"nr_online\":%d,\"nr_cores\":%d,"
		"\"nr_llcs\":%d,\"nr_nodes\":%d,\"nr_packages\":%d,\"cpus\":[",
		scx_topology__nr_cpus(t), nr_ids, scx_topology__nr_online(t),
		scx_topology__nr_cores(t), scx_topology__nr_llcs(t), nr_nodes,
		scx_topology__nr_packages(t));
	for (cpu = 0; cpu < nr_ids; cpu++) {
		struct scx_topo_cpu cc = { .sz = sizeof(cc) }, *c = &cc;

		if (scx_topology__cpu(t, cpu, c) < 0 || !c->possible)
			continue;
		fprintf(f, "%s{\"cpu\":%d,\"online\":%s", first ? "" : ",", cpu,
			c->online ? "true" : "false");
		json_id(f, "core", c->core);
		json_id(f, "llc", c->llc);
		json_id(f, "node", c->node);
		json_id(f, "package", c->package);
		fprintf(f, ",\"capacity\":%u,\"big\":%s", c->capacity, c->big ? "true" : "false");
		json_id(f, "smt_idx", c->smt_idx);
		json_id(f, "phys_package_id", c->phys_package_id);
		json_id(f, "die_id", c->die_id);
		json_id(f, "cluster_id", c->cluster_id);
		json_id(f, "core_id", c->core_id);
		json_id(f, "numa_node", c->numa_node);
		fputc('}', f);
		first = false;
	}
	fprintf(f, "],\"node_distance\":[");
	for (a = 0; a < nr_nodes; a++) {
		fprintf(f, "%s[", a ? "," : "");
		for (b = 0; b < nr_nodes; b++)
			fprintf(f, "%s%d", b ? "," : "", scx_topology__node_distance(t, a, b));
		fputc(']', f);
	}
	fprintf(f, "]}\n");
}

/* The first CPU of a domain (domains are never empty) into *out, or NULL. */
static const struct scx_topo_cpu *first_cpu(const struct scx_topology *t,
					    enum scx_topo_level level, int id,
					    struct scx_topo_cpu *out)
{
	int cpu;

	out->sz = sizeof(*out);
	if (scx_topology__domain_cpus(t, level, id, &cpu, 1) < 1 ||
	    scx_topology__cpu(t, cpu, out) < 0)
		return NULL;
	return out;
}

static void print_tree(FILE *f, const struct scx_topology *t, int *cpus)
{
	int nr_ids = scx_topology__nr_cpu_ids(t), nr_pkgs = scx_topology__nr_packages(t);
	int nr_nodes = scx_topology__nr_nodes(t), nr_llcs = scx_topology__nr_llcs(t);
	int nr_cores = scx_topology__nr_cores(t);
	struct scx_topo_cpu pbuf, lbuf, cbuf, one = { .sz = sizeof(one) };
	int p, n, l, c, k, nr_off = 0;

	fprintf(f, "%d possible CPUs (%d online), %d cores, %d LLCs, %d NUMA nodes, %d packages\n",
		scx_topology__nr_cpus(t), scx_topology__nr_online(t), nr_cores, nr_llcs,
		nr_nodes, nr_pkgs);
	for (p = 0; p < nr_pkgs; p++) {
		const struct scx_topo_cpu *pc = first_cpu(t, SCX_TOPO_PACKAGE, p, &pbuf);

		fprintf(f, "package %d (physical id %d)\n", p, pc ? pc->phys_package_id : -1);
		for (n = 0; n < nr_nodes; n++) {
			bool node_shown = false;

			for (l = 0; l < nr_llcs; l++) {
				const struct scx_topo_cpu *lc = first_cpu(t, SCX_TOPO_LLC, l, &lbuf);

				if (!lc || lc->package != p || lc->node != n)
					continue;
				if (!node_shown) {
					fprintf(f, "  node %d (kernel node %d)\n", n, lc->numa_node);
					node_shown = true;
				}
				k = scx_topology__domain_cpus(t, SCX_TOPO_LLC, l, cpus, nr_ids);
				fprintf(f, "    llc %d: cpus ", l);
				print_cpus(f, cpus, k);
				fputc('\n', f);
				for (c = 0; c < nr_cores; c++) {
					const struct scx_topo_cpu *cc = first_cpu(t, SCX_TOPO_CORE, c, &cbuf);

					if (!cc || cc->llc != l)
						continue;
					k = scx_topology__domain_cpus(t, SCX_TOPO_CORE, c, cpus, nr_ids);
					fprintf(f, "      core %d: cpu%s ", c, k > 1 ? "s" : "");
					print_cpus(f, cpus, k);
					fprintf(f, "  capacity %u %s\n", cc->capacity,
						cc->big ? "big" : "little");
				}
			}
		}
	}
	for (c = 0; c < nr_ids; c++) {
		if (scx_topology__cpu(t, c, &one) > 0 && one.possible && !one.online)
			cpus[nr_off++] = c;
	}
	if (nr_off) {
		fprintf(f, "offline: cpu%s ", nr_off > 1 ? "s" : "");
		print_cpus(f, cpus, nr_off);
		fputc('\n', f);
	}
}

int cmd_topology(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "sysfs-root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	SCX_OPTS(scx_topology_opts, opts);
	struct scx_topology *t;
	bool json = false;
	int opt, *cpus;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			opts.sysfs_root = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			topology_usage(stdout);
			return 0;
		default:
			topology_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scxtool topology: unexpected argument '%s'\n", argv[optind]);
		topology_usage(stderr);
		return 2;
	}
	t = scx_topology__open(&opts);
	if (!t) {
		fprintf(stderr, "scxtool topology: cannot read the topology under %s: %s\n",
			opts.sysfs_root ? opts.sysfs_root : "/sys", strerror(errno));
		return 1;
	}
	cpus = calloc(SCX_TOPO_MAX_CPUS, sizeof(*cpus));
	if (!cpus) {
		scx_topology__free(t);
		fprintf(stderr, "scxtool topology: out of memory\n");
		return 1;
	}
	if (json)
		print_json(stdout, t);
	else
		print_tree(stdout, t, cpus);
	free(cpus);
	scx_topology__free(t);
	return 0;
}
