/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Between the topology model (topology.c) and its sysfs reader
 * (topology_sysfs.c), which the model calls; also used by the tests and the
 * fuzz target. Not installed.
 */
#ifndef __SCX_TOPOLOGY_INTERNAL_H
#define __SCX_TOPOLOGY_INTERNAL_H

#include <scx/topology.h>

/* Largest sysfs file the topology reader accepts: a list of 4096 separate
 * CPU ids is about 20 KiB, so anything bigger is not a real topology file. */
#define SCX_TOPO_FILE_MAX	(64 * 1024)

/* How many times the reader starts again because CPUs went on- or offline
 * while it read, before it gives up with -EAGAIN. */
#define SCX_TOPO_READ_TRIES	8

/* What one consistent read of sysfs found. */
struct scx_topo_read {
	int nr_cpu_ids;
	int nr_possible;
	int nr_online;
	struct scx_topo_cpu *cpus;		/* nr_cpu_ids entries, sz set */
	int nr[SCX_TOPO_NR_LEVELS];		/* domains per level */
	int *distance;				/* nr[NODE] * nr[NODE]; NULL when none */
};

/*
 * Read devices/system/{cpu,node} under root into r. The online mask (and
 * kernel/sched_ext/hotplug_seq when present) is read before and after: when
 * it changed, CPU hotplug ran during the read and the files read may mix two
 * machines (a CPU gone offline has no topology files, and would look like a
 * core and an LLC of its own), so the read starts again, up to
 * SCX_TOPO_READ_TRIES times. Returns 0, or -EINVAL / -ENOENT / -ENOMEM as
 * scx_topology__open() documents, or -EAGAIN when sysfs never held still; r
 * is untouched on failure. Free with scx__topo_read_free().
 */
int scx__topo_read_sysfs(const char *root, struct scx_topo_read *r);
void scx__topo_read_free(struct scx_topo_read *r);

/* Tests only (NULL otherwise): called on each pass of scx__topo_read_sysfs()
 * (pass 0 first) after it read cpu/online and before it reads any CPU's
 * files, so a test can change the tree exactly there. */
extern void (*scx__topo_read_test_hook)(const char *root, int pass);

#endif /* __SCX_TOPOLOGY_INTERNAL_H */
