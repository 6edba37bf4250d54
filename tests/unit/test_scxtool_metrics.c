// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: `scxtool metrics`, the Prometheus text exposition: the
 * writer (tools/scxtool/prom.c) on a fixed input, byte for byte (label and
 * HELP escaping, name sanitising, _total on counters alone, one HELP/TYPE
 * per family with its samples together, unique names, time units made
 * seconds, more families than one allocation holds); the command against a fake sysfs tree and a stats server run
 * by this test (the scheduler's fields, their stats_meta descriptions,
 * arrays and dicts as labels), a server that is absent or broken; --textfile
 * replaced atomically while a reader watches (never a partial file, no
 * temporary left behind), stopped by SIGTERM; the errors. Every exposition
 * is checked by `promtool check metrics` (scripts/promtool.sh fetches it:
 * without it those cases fail).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <cmocka.h>

#include <scx/stats_server.h>

#include "stats_client.h"
#include "scxtool_run.h"

#include "../../tools/scxtool/json.c"
#include "../../tools/scxtool/prom.c"

static char out[65536], err[65536], fsys[160];

static int run(const char *prefix, const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "metrics --sysfs-root %s %s", fsys, args);
	return scxtool_run(prefix, cmd, out, sizeof(out), err, sizeof(err));
}

/* promtool's verdict on text: 0 when `promtool check metrics` accepts it. */
static void promtool_accepts(const char *text)
{
	static char tool[4096];
	char cmd[4200], file[] = "/tmp/scx-metrics-XXXXXX", res[4096];
	int fd, st;
	FILE *p;

	if (!*tool) {
		p = popen(TEST_SRCDIR "/../scripts/promtool.sh", "r");
		if (!p || !fgets(tool, sizeof(tool), p))
			tool[0] = '\0';
		if (p)
			pclose(p);
		tool[strcspn(tool, "\n")] = '\0';
	}
	if (!*tool || access(tool, X_OK))
		fail_msg("no promtool: scripts/promtool.sh could not fetch Debian's prometheus package");
	fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s check metrics < %s > %s.out 2>&1", tool, file, file);
	st = system(cmd);
	snprintf(cmd, sizeof(cmd), "%s.out", file);
	slurp(cmd, res, sizeof(res));
	unlink(cmd);
	unlink(file);
	if (st)
		fail_msg("promtool check metrics: %s\non:\n%s", res, text);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char d[256];

	if (sc_setup_dir(state))
		return -1;
	snprintf(fsys, sizeof(fsys), "%s/sys", sc_dir);
	snprintf(d, sizeof(d), "mkdir -p %s/kernel/sched_ext/root", fsys);
	if (system(d))
		return -1;
	snprintf(d, sizeof(d), "%s/kernel/sched_ext", fsys);
	write_file(d, "state", "enabled\n");
	write_file(d, "switch_all", "1\n");
	write_file(d, "enable_seq", "7\n");
	write_file(d, "nr_rejected", "0\n");
	write_file(d, "hotplug_seq", "2\n");
	write_file(d, "root/ops", "my_sched\n");
	write_file(d, "root/events", "SCX_EV_SELECT_CPU_FALLBACK 11\nSCX_EV_BYPASS_DURATION 5\n");
	return 0;
}

static int teardown(void **state)
{
	return sc_teardown_dir(state);
}

/* The writer on a fixed input. */
static void format(void **state)
{
	const char *ev[] = { "event", "b\\s\"q\nn" };
	const char *bad[] = { "cpuId", "\xff\x41" };
	struct prom_family *a, *b, *c, *d, *e;
	struct prom p;
	size_t len;
	char *text;

	prom_init(&p);
	prom_common_label(&p, "ops", "o\"ps");
	prom_common_label(&p, "kernel", "6.16.3");
	a = prom_family(&p, "a", "scx_fooBar", PROM_COUNTER, "a \\ help\nline");
	b = prom_family(&p, "b", "scx_nr_total", PROM_GAUGE, "b");
	c = prom_family(&p, "c", "9weird-name:x", PROM_GAUGE, "c");
	d = prom_family(&p, "d", "scx_foo_bar", PROM_COUNTER, "same name, another key");
	e = prom_family(&p, "e", "scx_empty", PROM_GAUGE, "no samples: not written");
	assert_ptr_equal(prom_family(&p, "a", "ignored", PROM_GAUGE, "x"), a);
	assert_non_null(e);
	prom_sample(&p, a, ev, 1, "1");
	prom_sample(&p, b, bad, 1, "2.5");
	prom_sample(&p, a, NULL, 0, "3");	/* a's samples stay together */
	prom_sample(&p, c, NULL, 0, "4");
	prom_sample(&p, d, NULL, 0, "5");
	text = prom_render(&p, &len);
	assert_non_null(text);
	assert_int_equal(len, strlen(text));
	assert_string_equal(text,
		"# HELP scx_foo_bar_total a \\\\ help\\nline\n"
		"# TYPE scx_foo_bar_total counter\n"
		"scx_foo_bar_total{ops=\"o\\\"ps\",kernel=\"6.16.3\",event=\"b\\\\s\\\"q\\nn\"} 1\n"
		"scx_foo_bar_total{ops=\"o\\\"ps\",kernel=\"6.16.3\"} 3\n"
		"# HELP scx_nr_total_value b\n"
		"# TYPE scx_nr_total_value gauge\n"
		"scx_nr_total_value{ops=\"o\\\"ps\",kernel=\"6.16.3\",cpu_id=\"\xef\xbf\xbd" "A\"} 2.5\n"
		"# HELP _9weird_name_x c\n"
		"# TYPE _9weird_name_x gauge\n"
		"_9weird_name_x{ops=\"o\\\"ps\",kernel=\"6.16.3\"} 4\n"
		"# HELP scx_foo_bar_2_total same name, another key\n"
		"# TYPE scx_foo_bar_2_total counter\n"
		"scx_foo_bar_2_total{ops=\"o\\\"ps\",kernel=\"6.16.3\"} 5\n");
	promtool_accepts(text);
	free(text);
	prom_free(&p);
}

/* More families than the first allocation holds: the early ones keep
 * their samples (the VM's 7.3.4 server answers more than 32 fields). */
static void many_families(void **state)
{
	char key[32], want[64];
	struct prom p;
	size_t len, i;
	char *text;

	prom_init(&p);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "f%zu", i);
		prom_sample(&p, prom_family(&p, key, key, PROM_GAUGE, "h"), NULL, 0, "1");
	}
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "f%zu", i);
		prom_sample(&p, prom_family(&p, key, key, PROM_GAUGE, "h"), NULL, 0, "2");
	}
	text = prom_render(&p, &len);
	assert_non_null(text);
	for (i = 0; i < 100; i++) {
		snprintf(want, sizeof(want), "# TYPE f%zu gauge\nf%zu 1\nf%zu 2\n", i, i, i);
		assert_non_null(strstr(text, want));
	}
	promtool_accepts(text);
	free(text);
	prom_free(&p);
}

static void names(void **state)
{
	char n[64];

	prom_name("__Hello  World__", n, sizeof(n));
	assert_string_equal(n, "hello_world");
	prom_name("SCX_EV_BYPASS_DURATION", n, sizeof(n));
	assert_string_equal(n, "scx_ev_bypass_duration");
	prom_name("nrDispatchedLocal", n, sizeof(n));
	assert_string_equal(n, "nr_dispatched_local");
	prom_name("", n, sizeof(n));
	assert_string_equal(n, "_");
	prom_name("scx_stats_uptime_ms", n, sizeof(n));
	assert_true(prom_base_unit(n, sizeof(n)) == 1e-3);
	assert_string_equal(n, "scx_stats_uptime_seconds");
	snprintf(n, sizeof(n), "slice_ns_max");
	assert_true(prom_base_unit(n, sizeof(n)) == 1e-9);
	assert_string_equal(n, "slice_seconds_max");
	snprintf(n, sizeof(n), "nr_msgs");
	assert_true(prom_base_unit(n, sizeof(n)) == 1);
	assert_string_equal(n, "nr_msgs");
}

static int get_lat(union scx_stats_value *v, void *ctx)
{
	v->u64 = 2500;
	return 0;
}

static int get_mode(union scx_stats_value *v, void *ctx)
{
	snprintf(v->str, sizeof(v->str), "a mode");
	return 0;
}

/* The command with the fake sysfs tree and a libscx stats server. */
static void with_server(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .thread = true);
	struct scx_stats_server *srv;
	char args[256], kernel[300];
	struct utsname u;

	REQUIRE_SCXTOOL();
	srv = scx_stats_server__new(sc_sock, &o);
	assert_non_null(srv);
	assert_int_equal(scx_stats_server__add_field(srv, "lat_us", "wakeup latency", SCX_STATS_U64,
						     0, get_lat, NULL), 0);
	assert_int_equal(scx_stats_server__add_field(srv, "mode", NULL, SCX_STATS_STRING, 0,
						     get_mode, NULL), 0);
	assert_int_equal(scx_stats_server__add_struct(srv, "dom", "a domain", dom_fields, 3,
						      sizeof(struct dom_stats), fill_dom, NULL), 0);
	snprintf(args, sizeof(args), "--socket %s", sc_sock);
	assert_int_equal(run("", args), 0);
	scx_stats_server__destroy(srv);
	assert_string_equal(err, "");
	assert_int_equal(uname(&u), 0);
	snprintf(kernel, sizeof(kernel), "{ops=\"my_sched\",kernel=\"%s\"}", u.release);
	assert_non_null(strstr(out, "# TYPE scx_enabled gauge\n"));
	assert_non_null(strstr(out, "scx_enabled{ops=\"my_sched\",kernel=\""));
	assert_non_null(strstr(out, kernel));
	assert_non_null(strstr(out, ",state=\"enabled\"} 1\n"));
	assert_non_null(strstr(out, ",state=\"disabled\"} 0\n"));
	assert_non_null(strstr(out, "# TYPE scx_enable_seq_total counter\n"));
	assert_non_null(strstr(out, ",event=\"select_cpu_fallback\"} 11\n"));
	assert_non_null(strstr(out, "# HELP scx_stats_lat_seconds wakeup latency (scx_stats field "
				    "lat_us, in seconds)\n# TYPE scx_stats_lat_seconds gauge\n"));
	assert_non_null(strstr(out, "\"} 0.0025\n"));
	assert_non_null(strstr(out, "# HELP scx_stats_dom_events an event counter (scx_stats field "
				    "dom.events)\n"));
	assert_non_null(strstr(out, "\"} 1234\n"));
	assert_non_null(strstr(out, "scx_stats_up{"));
	assert_null(strstr(out, "mode"));
	assert_null(strstr(out, "scx_stats_up{ops=\"my_sched\",kernel=\"x\"} 0"));
	promtool_accepts(out);
}

/* scx's documented example reply: an array and a dict of structs become
 * labelled samples. */
static void arrays_and_dicts(void **state)
{
	static const char stats[] = "{\"errno\":0,\"args\":{\"resp\":{\"at\":12345,"
		"\"bitmap\":[3735928559,3203391149],\"doms_dict\":{\"0\":{\"events\":1234,"
		"\"name\":\"domain 0\",\"pressure\":1.234}},\"name\":\"test cluster\"}}}\n";
	static const char meta[] = "{\"errno\":0,\"args\":{\"resp\":{"
		"\"cluster\":{\"name\":\"cluster\",\"top\":\"true\",\"desc\":\"a cluster\",\"fields\":{"
		"\"at\":{\"datum\":\"u64\",\"desc\":\"when\"},"
		"\"bitmap\":{\"datum\":{\"array\":\"u64\"},\"desc\":\"bits\"},"
		"\"doms_dict\":{\"datum\":{\"dict\":{\"key\":\"u32\",\"datum\":{\"struct\":\"dom\"}}},"
		"\"desc\":\"domains\"},\"name\":{\"datum\":\"string\"}}},"
		"\"dom\":{\"name\":\"dom\",\"desc\":\"a domain\",\"fields\":{"
		"\"events\":{\"datum\":\"u64\",\"desc\":\"events of a domain\"},"
		"\"pressure\":{\"datum\":\"float\",\"desc\":\"pressure\"},"
		"\"name\":{\"datum\":\"string\"}}}}}}\n";
	char path[200], args[256];
	pid_t pid;

	REQUIRE_SCXTOOL();
	snprintf(path, sizeof(path), "%s/scx", sc_dir);
	pid = sc_fake_server(path, stats, meta);
	snprintf(args, sizeof(args), "--socket %s", path);
	assert_int_equal(run("", args), 0);
	waitpid(pid, NULL, 0);
	assert_string_equal(err, "");
	assert_non_null(strstr(out, "# HELP scx_stats_at when (scx_stats field at)\n"));
	assert_non_null(strstr(out, "# HELP scx_stats_bitmap bits (scx_stats field bitmap[])\n"));
	assert_non_null(strstr(out, ",bitmap=\"0\"} 3735928559\n"));
	assert_non_null(strstr(out, ",bitmap=\"1\"} 3203391149\n"));
	assert_non_null(strstr(out, "# HELP scx_stats_doms_dict_events events of a domain "
				    "(scx_stats field doms_dict{}.events)\n"));
	assert_non_null(strstr(out, ",doms_dict=\"0\"} 1234\n"));
	assert_non_null(strstr(out, ",doms_dict=\"0\"} 1.234\n"));
	assert_non_null(strstr(out, "\"} 1\n") && strstr(out, "scx_stats_up{"));
	assert_null(strstr(out, "test cluster"));
	promtool_accepts(out);
}

/* No server: the system part alone, silently unless --socket was given;
 * a broken server is always reported. */
static void no_server(void **state)
{
	char args[256], path[200];
	pid_t pid;

	REQUIRE_SCXTOOL();
	/* the default socket (nothing there on a host running these tests is
	 * not assured: only the exit status and the system part are checked) */
	assert_int_equal(run("", ""), 0);
	assert_non_null(strstr(out, "scx_enabled{"));
	snprintf(args, sizeof(args), "--socket %s/none", sc_dir);
	assert_int_equal(run("", args), 0);
	assert_non_null(strstr(err, "no scx_stats server at"));
	assert_non_null(strstr(out, "\"} 0\n"));
	assert_non_null(strstr(out, "scx_stats_up{ops=\"my_sched\""));
	assert_null(strstr(out, "scx_stats_up{ops=\"my_sched\",kernel=\"x\"} 1"));
	promtool_accepts(out);
	snprintf(path, sizeof(path), "%s/other", sc_dir);
	pid = sc_fake_server(path, "220 hello\n", "220 hello\n");
	snprintf(args, sizeof(args), "--socket %s", path);
	assert_int_equal(run("", args), 0);
	waitpid(pid, NULL, 0);
	assert_non_null(strstr(err, "is not a scx_stats server"));
	promtool_accepts(out);
}

/* A scheduler that is not attached: scx_enabled 0, no events. */
static void detached(void **state)
{
	char d[256];

	REQUIRE_SCXTOOL();
	snprintf(d, sizeof(d), "%s/kernel/sched_ext", fsys);
	write_file(d, "state", "disabled\n");
	write_file(d, "root/ops", "");
	rename(strcat(d, "/root/events"), "/tmp/scx-metrics-ev");
	assert_int_equal(run("", "--socket /nonexistent/s 2>/dev/null"), 0);
	snprintf(d, sizeof(d), "%s/kernel/sched_ext", fsys);
	write_file(d, "state", "enabled\n");
	write_file(d, "root/ops", "my_sched\n");
	rename("/tmp/scx-metrics-ev", strcat(d, "/root/events"));
	assert_non_null(strstr(out, "scx_enabled{ops=\"\",kernel="));
	assert_non_null(strstr(out, "\"} 0\n# HELP scx_state"));
	assert_null(strstr(out, "scx_events_total"));
	promtool_accepts(out);
}

/* --textfile rewritten every 10 ms while this test reads it: every read
 * is a whole exposition; SIGTERM leaves the last one and no temporary. */
static void textfile(void **state)
{
	char dir[200], file[260], args[300], cmd[600], buf[65536];
	int reads = 0, st;
	pid_t pid;

	REQUIRE_SCXTOOL();
	snprintf(dir, sizeof(dir), "%s/textfile", sc_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(file, sizeof(file), "%s/scx.prom", dir);
	/* once */
	snprintf(args, sizeof(args), "--textfile %s", dir);
	assert_int_equal(run("", args), 0);
	assert_string_equal(out, "");
	slurp(file, buf, sizeof(buf));
	assert_non_null(strstr(buf, "scx_enabled{"));
	promtool_accepts(buf);
	/* in a loop */
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		snprintf(cmd, sizeof(cmd), "metrics --sysfs-root %s --textfile %s --interval 0.01",
			 fsys, dir);
		execl("/bin/sh", "sh", "-c", strcat(strcpy(buf, "exec " SCXTOOL " "), cmd), NULL);
		_exit(127);
	}
	for (long long end = sc_now_ms() + 1500; sc_now_ms() < end; ) {
		FILE *f = fopen(file, "r");
		size_t n;

		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		assert_true(n > 0);
		/* whole: it begins with the first family and ends with the last */
		assert_true(!strncmp(buf, "# HELP scx_enabled ", 19));
		assert_non_null(strstr(buf, "\nscx_stats_up{"));
		assert_true(buf[n - 1] == '\n');
		reads++;
	}
	print_message("# %d whole reads while it was rewritten\n", reads);
	assert_true(reads > 10);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	slurp(file, buf, sizeof(buf));
	promtool_accepts(buf);
	/* nothing but scx.prom is left */
	snprintf(cmd, sizeof(cmd), "ls -A %s > %s/ls", dir, sc_dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/ls", sc_dir);
	slurp(cmd, buf, sizeof(buf));
	assert_string_equal(buf, "scx.prom\n");
}

static void errors(void **state)
{
	char args[300], dir[200];

	REQUIRE_SCXTOOL();
	assert_int_equal(run("", "--help"), 0);
	assert_non_null(strstr(out, "usage: scxtool metrics"));
	assert_non_null(strstr(out, "scx.prom"));
	assert_int_equal(run("", "--interval 5"), 2);
	assert_non_null(strstr(err, "--interval goes with --textfile"));
	assert_int_equal(run("", "--textfile /tmp --interval 0"), 2);
	assert_non_null(strstr(err, "--interval takes seconds"));
	assert_int_equal(run("", "--bogus"), 2);
	assert_int_equal(run("", "extra"), 2);
	snprintf(args, sizeof(args), "--textfile %s/nodir", sc_dir);
	assert_int_equal(run("", args), 1);
	assert_non_null(strstr(err, "nodir: no such directory: create it"));
	snprintf(args, sizeof(args), "--textfile %s/kernel/sched_ext/state", fsys);
	assert_int_equal(run("", args), 1);
	assert_non_null(strstr(err, "not a directory"));
	if (geteuid()) {
		/* root may write anywhere */
		snprintf(dir, sizeof(dir), "%s/ro", sc_dir);
		assert_int_equal(mkdir(dir, 0555), 0);
		snprintf(args, sizeof(args), "--textfile %s", dir);
		assert_int_equal(run("", args), 1);
		assert_non_null(strstr(err, "cannot write there"));
	}
	/* no sched_ext: the status command's message */
	assert_int_equal(scxtool_run("", "metrics --sysfs-root /nonexistent", out, sizeof(out),
				     err, sizeof(err)), 1);
	assert_non_null(strstr(err, "CONFIG_SCHED_CLASS_EXT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format),
		cmocka_unit_test(many_families),
		cmocka_unit_test(names),
		cmocka_unit_test(with_server),
		cmocka_unit_test(arrays_and_dicts),
		cmocka_unit_test(no_server),
		cmocka_unit_test(detached),
		cmocka_unit_test(textfile),
		cmocka_unit_test(errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
