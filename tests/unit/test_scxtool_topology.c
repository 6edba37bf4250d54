// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: `scxtool topology` on a fake two-socket tree: the JSON object
 * carries the counts and per-CPU records, the tree names every level and the
 * offline CPU, and option errors exit 2. Skips when scxtool is not built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "faketree.h"

#define SCXTOOL TEST_BUILDDIR "/tools/scxtool/scxtool"

static struct faketree ft;

static void server_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	int core = cpu % 16;

	c->package = core / 8;
	c->die = 0;
	c->core = core;
	c->core_id = core % 8;
	c->l2 = core;
	c->l3 = c->package;
	c->node = c->package;
	c->cap = core % 8 == 7 ? 512 : 1024;
}

/* Run scxtool with args, return its exit status and stdout. */
static int run(const char *args, char *out, size_t size)
{
	char cmd[8192];
	size_t len = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", SCXTOOL, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (len + 1 < size) {
		size_t n = fread(out + len, 1, size - 1 - len, p);

		if (!n)
			break;
		len += n;
	}
	out[len] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int setup(void **state)
{
	static const struct ft_spec spec = {
		.nr_cpus = 32, .online = "0-4,6-31", .numa = true, .nr_nodes = 2,
		.cap_file = "cpu_capacity", .describe = server_describe,
	};

	if (access(SCXTOOL, X_OK))
		return 0;
	if (ft_init(&ft) || ft_build(&ft, &spec))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	ft_cleanup(&ft);
	return 0;
}

static void test_json(void **state)
{
	static char out[65536];
	char args[4200];

	if (access(SCXTOOL, X_OK))
		skip();
	snprintf(args, sizeof(args), "topology --sysfs-root %s --json", ft.root);
	assert_int_equal(run(args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "{\"nr_cpus\":32,"));
	assert_non_null(strstr(out, "\"nr_online\":31,"));
	assert_non_null(strstr(out, "\"nr_cores\":16,"));
	assert_non_null(strstr(out, "\"nr_llcs\":2,"));
	assert_non_null(strstr(out, "\"nr_nodes\":2,"));
	assert_non_null(strstr(out, "{\"cpu\":5,\"online\":false,\"core\":null,\"llc\":null"));
	assert_non_null(strstr(out, "{\"cpu\":24,\"online\":true,\"core\":"));
	assert_non_null(strstr(out, "\"capacity\":512,\"big\":false"));
	assert_non_null(strstr(out, "\"node_distance\":[[10,21],[21,10]]"));
	assert_true(out[strlen(out) - 2] == '}');
}

static void test_tree(void **state)
{
	static char out[65536];
	char args[4200];

	if (access(SCXTOOL, X_OK))
		skip();
	snprintf(args, sizeof(args), "topology --sysfs-root %s", ft.root);
	assert_int_equal(run(args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "32 possible CPUs (31 online), 16 cores, 2 LLCs, 2 NUMA nodes, 2 packages"));
	assert_non_null(strstr(out, "package 1"));
	assert_non_null(strstr(out, "  node 1"));
	assert_non_null(strstr(out, "    llc 1: cpus 8-15,24-31"));
	assert_non_null(strstr(out, "      core 0: cpus 0,16  capacity 1024 big"));
	assert_non_null(strstr(out, "cpus 7,23  capacity 512 little"));
	assert_non_null(strstr(out, "offline: cpu 5"));
}

static void test_errors(void **state)
{
	static char out[4096];

	if (access(SCXTOOL, X_OK))
		skip();
	assert_int_equal(run("topology --help", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "--sysfs-root"));
	assert_int_equal(run("topology --bogus", out, sizeof(out)), 2);
	assert_int_equal(run("topology extra", out, sizeof(out)), 2);
	assert_int_equal(run("topology --sysfs-root /nonexistent-scx-root", out, sizeof(out)), 1);
	assert_int_equal(run("no-such-command", out, sizeof(out)), 2);
	assert_int_equal(run("-h", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "topology"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
