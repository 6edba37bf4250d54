// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the topology model of the running machine (default /sys)
 * agrees with what the kernel reports: possible/online CPU counts,
 * sysconf(_SC_NPROCESSORS_ONLN), each CPU's physical_package_id and SMT
 * siblings; and after taking a CPU offline and back (where the kernel
 * allows hotplug) a refresh follows it. Meant for the VM (root, real
 * sysfs); exits 77 when /sys/devices/system/cpu is not there.
 * Self-contained on purpose: no test library, only libscx's public API.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/topology.h>

#define MAXC 4096

static int failures;

#define CHECK(cond, fmt, ...) do {						\
	if (!(cond)) {								\
		printf("FAIL %s:%d: %s: " fmt "\n", __FILE__, __LINE__, #cond,	\
		       ##__VA_ARGS__);						\
		failures++;							\
	}									\
} while (0)

static int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* The test's own list parser (not libscx's): "0-3,5" into set[]. */
static int parse_list(const char *s, unsigned char *set)
{
	int n = 0;

	memset(set, 0, MAXC);
	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return -1;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b && a < MAXC; a++, n++)
			set[a] = 1;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	return n;
}

/* CPU `cpu` of the model, copied out; all zero (not possible, not online)
 * when the id is out of range. */
static struct scx_topo_cpu topo_cpu(const struct scx_topology *t, int cpu)
{
	struct scx_topo_cpu c = { .sz = sizeof(c) };

	scx_topology__cpu(t, cpu, &c);
	return c;
}

static void check_model(struct scx_topology *t, const char *when)
{
	static unsigned char possible[MAXC], online[MAXC], sib[MAXC];
	char buf[8192], path[128];
	int nr_possible, nr_online, last = -1, cpu, other;

	CHECK(read_str("/sys/devices/system/cpu/possible", buf, sizeof(buf)) > 0, "%s", when);
	nr_possible = parse_list(buf, possible);
	CHECK(read_str("/sys/devices/system/cpu/online", buf, sizeof(buf)) > 0, "%s", when);
	nr_online = parse_list(buf, online);
	for (cpu = 0; cpu < MAXC; cpu++)
		if (possible[cpu])
			last = cpu;

	printf("  %s: kernel: %d possible, %d online; model: %d possible, %d online, %d cores, "
	       "%d llcs, %d nodes, %d packages\n", when, nr_possible, nr_online,
	       scx_topology__nr_cpus(t), scx_topology__nr_online(t), scx_topology__nr_cores(t),
	       scx_topology__nr_llcs(t), scx_topology__nr_nodes(t), scx_topology__nr_packages(t));
	CHECK(scx_topology__nr_cpus(t) == nr_possible, "%s", when);
	CHECK(scx_topology__nr_cpu_ids(t) == last + 1, "%s", when);
	CHECK(scx_topology__nr_online(t) == nr_online, "%s", when);
	CHECK(scx_topology__nr_online(t) == sysconf(_SC_NPROCESSORS_ONLN), "%s: sysconf %ld", when,
	      sysconf(_SC_NPROCESSORS_ONLN));
	CHECK(scx_topology__nr_cores(t) >= 1 && scx_topology__nr_cores(t) <= nr_online, "%s", when);
	CHECK(scx_topology__nr_llcs(t) >= 1 && scx_topology__nr_packages(t) >= 1, "%s", when);

	for (cpu = 0; cpu <= last; cpu++) {
		const struct scx_topo_cpu c_copy = topo_cpu(t, cpu), *c = &c_copy;
		int raw;

		CHECK(c && c->possible == possible[cpu] && c->online == online[cpu], "%s: cpu%d", when, cpu);
		if (!c || !online[cpu])
			continue;
		CHECK(c->core >= 0 && c->llc >= 0 && c->node >= 0 && c->package >= 0, "%s: cpu%d", when, cpu);
		CHECK(c->capacity >= 1 && c->capacity <= 1024, "%s: cpu%d capacity %u", when, cpu,
		      c->capacity);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
		if (read_str(path, buf, sizeof(buf)) > 0) {
			raw = atoi(buf);
			CHECK(c->phys_package_id == raw, "%s: cpu%d package %d vs %d", when, cpu,
			      c->phys_package_id, raw);
			/* Same raw package <=> same dense package. */
			for (other = 0; other < cpu; other++) {
				const struct scx_topo_cpu o_copy = topo_cpu(t, other), *o = &o_copy;

				if (o->online)
					CHECK((o->phys_package_id == raw) == (o->package == c->package),
					      "%s: cpu%d/cpu%d", when, cpu, other);
			}
		}
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list", cpu);
		if (read_str(path, buf, sizeof(buf)) > 0 && parse_list(buf, sib) > 0) {
			for (other = 0; other < MAXC; other++) {
				if (other > last || !online[other])
					continue;
				CHECK((topo_cpu(t, other).core == c->core) == !!sib[other], "%s: cpu%d/cpu%d siblings", when,
				      cpu, other);
			}
		}
	}
}

/*
 * Taking CPUs offline is for throwaway machines only: the scx-vm guest (its
 * kernel command line has "rdinit=/init ... oops=panic") or when
 * SCX_TEST_HOTPLUG=1 asks for it; SCX_TEST_HOTPLUG=0 always skips it.
 */
static bool hotplug_allowed(void)
{
	const char *env = getenv("SCX_TEST_HOTPLUG");
	char cmdline[4096];

	if (env)
		return !strcmp(env, "1");
	return read_str("/proc/cmdline", cmdline, sizeof(cmdline)) > 0 &&
	       strstr(cmdline, "rdinit=/init ") && strstr(cmdline, "oops=panic");
}

int main(void)
{
	struct scx_topology *t;
	int victim = -1, cpu;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access("/sys/devices/system/cpu/possible", R_OK)) {
		printf("SKIP: no /sys/devices/system/cpu\n");
		return 77;
	}
	t = scx_topology__open(NULL);
	if (!t) {
		printf("FAIL: scx_topology__open: %s\n", strerror(errno));
		return 1;
	}
	check_model(t, "boot");

	/* Hotplug: the highest online CPU other than 0 goes offline and back. */
	for (cpu = scx_topology__nr_cpu_ids(t) - 1; cpu > 0; cpu--) {
		char path[96];

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
		if (topo_cpu(t, cpu).online && access(path, W_OK) == 0) {
			victim = cpu;
			break;
		}
	}
	if (!hotplug_allowed()) {
		printf("  note: not in the test VM (set SCX_TEST_HOTPLUG=1 to force); hotplug part skipped\n");
	} else if (victim > 0 && geteuid() == 0) {
		char path[96];

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", victim);
		if (write_str(path, "0") == 0) {
			CHECK(scx_topology__refresh(t) == 0, "refresh: %s", strerror(errno));
			CHECK(!topo_cpu(t, victim).online, "cpu%d still online", victim);
			CHECK(topo_cpu(t, victim).core == -1, "cpu%d", victim);
			check_model(t, "cpu offline");
			CHECK(write_str(path, "1") == 0, "bring cpu%d back", victim);
			CHECK(scx_topology__refresh(t) == 0, "refresh: %s", strerror(errno));
			CHECK(topo_cpu(t, victim).online, "cpu%d back", victim);
			check_model(t, "cpu back online");
		} else {
			printf("  note: cpu%d cannot go offline here; hotplug part skipped\n", victim);
		}
	} else {
		printf("  note: no hotpluggable CPU (single CPU or no CPU hotplug); hotplug part skipped\n");
	}
	scx_topology__free(t);
	if (failures) {
		printf("FAIL: %d check(s) failed\n", failures);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
