// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the stats server serving a scheduler handle, on the host: a
 * scheduler opened (not loaded: no kernel with sched_ext is needed, its
 * features come from recorded BTF) from tests/vm/counters.bpf.o, whose
 * per-CPU counters read 0 before load, and the kernel's SCX_EV_* events
 * from a fake sysfs tree. Checks the exact shape of the top struct (the
 * counters, events, restarts, the scheduler's name, uptime), of stats_meta,
 * the counters and events as targets of their own, and counter_deltas
 * (events moving between requests). Skips without recorded BTF. Counters
 * that move need a loaded scheduler: that is a VM test not written yet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <scx/sched.h>
#include <scx/stats_server.h>

#include "stats_client.h"

static char sysfs[128];
static char line[65536];

static void write_events(const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/kernel/sched_ext/root/events", sysfs);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_dir(void **state)
{
	char cmd[256];

	if (sc_setup_dir(state))
		return -1;
	snprintf(sysfs, sizeof(sysfs), "%s/sys", sc_dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/kernel/sched_ext/root", sysfs);
	return system(cmd) ? -1 : 0;
}

static struct scx_sched *open_counters(void)
{
	SCX_OPTS(scx_sched_opts, o);
	struct scx_sched *s;
	const char *btf;

	U_REQUIRE_BTF(btf);
	o.btf_path = btf;
	s = scx_sched__open_file(u_obj("counters.bpf.o"), &o);
	if (!s)
		fail_msg("open counters.bpf.o with %s: %s\n%s", btf, strerror(errno), u_log);
	return s;
}

/* The reply with the uptime's digits replaced by "N" (it moves). */
static void mask_uptime(char *s)
{
	char *p = strstr(s, "\"uptime_ms\":"), *q;

	assert_non_null(p);
	p += strlen("\"uptime_ms\":");
	q = p;
	while (*q >= '0' && *q <= '9')
		q++;
	assert_true(q > p);
	*p = 'N';
	memmove(p + 1, q, strlen(q) + 1);
}

static int get_zero(union scx_stats_value *v, void *ctx)
{
	return 0;
}

static void top_and_meta(void **state)
{
	struct scx_sched *s = open_counters();
	SCX_OPTS(scx_stats_server_opts, o, .sched = s, .sysfs_root = sysfs);
	struct scx_stats_server *srv;
	int fd;

	write_events("SCX_EV_SELECT_CPU_FALLBACK 3\nSCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE 0\n"
		     "SCX_EV_BYPASS_DURATION 12\n");
	srv = scx_stats_server__new(sc_sock, &o);
	assert_non_null(srv);
	fd = sc_connect(sc_sock);
	assert_true(fd >= 0);
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	mask_uptime(line);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":{"
		"\"counters\":{\"dispatches\":0,\"enqueues\":0,\"weight_sum\":0},"
		"\"events\":{\"SCX_EV_BYPASS_DURATION\":12,\"SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE\":0,"
			"\"SCX_EV_SELECT_CPU_FALLBACK\":3},"
		"\"restarts\":0,\"sched\":\"counters\",\"uptime_ms\":N}}}");
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\",\"args\":{\"target\":\"scx_counters\"}}\n",
			   line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":"
			    "{\"dispatches\":0,\"enqueues\":0,\"weight_sum\":0}}}");
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats_meta\",\"args\":{}}\n", line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":{"
		"\"libscx\":{\"desc\":\"statistics of a libscx sched_ext scheduler\",\"fields\":{"
			"\"counters\":{\"datum\":{\"struct\":\"scx_counters\"},\"desc\":\"the scheduler's counters\"},"
			"\"events\":{\"datum\":{\"struct\":\"scx_events\"},\"desc\":\"the kernel's event counters\"},"
			"\"restarts\":{\"datum\":\"u64\",\"desc\":\"restarts performed by scx_sched__run()\"},"
			"\"sched\":{\"datum\":\"string\",\"desc\":\"the scheduler's name\"},"
			"\"uptime_ms\":{\"datum\":\"u64\",\"desc\":\"milliseconds since the stats server started\"}},"
			"\"name\":\"libscx\",\"top\":\"true\"},"
		"\"scx_counters\":{\"desc\":\"the scheduler's per-CPU counters, summed over CPUs\",\"fields\":{"
			"\"dispatches\":{\"datum\":\"u64\",\"desc\":\"a per-CPU counter\"},"
			"\"enqueues\":{\"datum\":\"u64\",\"desc\":\"a per-CPU counter\"},"
			"\"weight_sum\":{\"datum\":\"u64\",\"desc\":\"a per-CPU counter\"}},"
			"\"name\":\"scx_counters\"},"
		"\"scx_events\":{\"desc\":\"the kernel's sched_ext event counters (SCX_EV_*)\",\"fields\":{"
			"\"SCX_EV_BYPASS_DURATION\":{\"datum\":\"u64\",\"desc\":\"a kernel event counter\"},"
			"\"SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE\":{\"datum\":\"u64\",\"desc\":\"a kernel event counter\"},"
			"\"SCX_EV_SELECT_CPU_FALLBACK\":{\"datum\":\"u64\",\"desc\":\"a kernel event counter\"}},"
			"\"name\":\"scx_events\"}"
		"}}}");
	/* the names of the scheduler's fields are taken */
	assert_int_equal(scx_stats_server__add_field(srv, "restarts", NULL, SCX_STATS_U64, 0,
						     get_zero, NULL), -EEXIST);
	close(fd);
	scx_stats_server__destroy(srv);
	scx_sched__destroy(s);
}

/* No events file (nothing attached, or a kernel before 6.15): an empty
 * struct, not an error. */
static void no_events(void **state)
{
	struct scx_sched *s = open_counters();
	SCX_OPTS(scx_stats_server_opts, o, .sched = s, .sysfs_root = "/nonexistent");
	struct scx_stats_server *srv = scx_stats_server__new(sc_sock, &o);
	int fd;

	assert_non_null(srv);
	fd = sc_connect(sc_sock);
	assert_true(fd >= 0);
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\",\"args\":{\"target\":\"scx_events\"}}\n",
			   line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":{}}}");
	close(fd);
	scx_stats_server__destroy(srv);
	scx_sched__destroy(s);
}

static void deltas(void **state)
{
	struct scx_sched *s = open_counters();
	SCX_OPTS(scx_stats_server_opts, o, .sched = s, .sysfs_root = sysfs, .counter_deltas = true);
	struct scx_stats_server *srv;
	int a, b;

	write_events("SCX_EV_SELECT_CPU_FALLBACK 3\n");
	srv = scx_stats_server__new(sc_sock, &o);
	assert_non_null(srv);
	a = sc_connect(sc_sock);
	assert_true(a >= 0);
	/* the first request of a connection answers the totals */
	assert_true(sc_ask(srv, a, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "\"events\":{\"SCX_EV_SELECT_CPU_FALLBACK\":3}"));
	write_events("SCX_EV_SELECT_CPU_FALLBACK 10\n");
	assert_true(sc_ask(srv, a, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "\"events\":{\"SCX_EV_SELECT_CPU_FALLBACK\":7}"));
	/* another target of the same connection counts on its own */
	assert_true(sc_ask(srv, a, "{\"req\":\"stats\",\"args\":{\"target\":\"scx_events\"}}\n",
			   line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":{\"SCX_EV_SELECT_CPU_FALLBACK\":10}}}");
	b = sc_connect(sc_sock);
	assert_true(b >= 0);
	assert_true(sc_ask(srv, b, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "\"events\":{\"SCX_EV_SELECT_CPU_FALLBACK\":10}"));
	assert_true(sc_ask(srv, a, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "\"events\":{\"SCX_EV_SELECT_CPU_FALLBACK\":0}"));
	close(a);
	close(b);
	scx_stats_server__destroy(srv);
	scx_sched__destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(top_and_meta),
		cmocka_unit_test(no_events),
		cmocka_unit_test(deltas),
	};

	return cmocka_run_group_tests_name("stats_server_sched", tests, make_dir, sc_teardown_dir);
}
