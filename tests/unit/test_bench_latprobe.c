// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the benchmark's measuring code. latprobe's measurement
 * (tests/bench/latprobe.h) reports known delays exactly with a fake clock and
 * at least a known extra sleep with the real one; its percentiles use nearest
 * rank; scripts/bench_report.py turns a canned guest log into results.json of
 * the promised shape (checked with python3's json), with the fifo-probe floor and
 * the CPU 0 phase, results.md and both SVGs; with the shaped guest's log too,
 * each sample's throughput target is held per message pattern (a pattern
 * that misses is "not met" whatever the others do), and the multi-LLC
 * targets (1.0x eevdf and 1.5x onedsq per pattern, p99 within the larger of
 * 0.5x eevdf and 1.2x the floor) are computed from the same run.
 * Skips the report test when python3 is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../bench/latprobe.h"

/* A clock that only moves when asked to sleep: each wakeup is delay[i] late. */
struct fake {
	long long now;
	const long long *delay;
	int i;
};

static long long fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_sleep_until(long long when, void *ctx)
{
	struct fake *f = ctx;

	f->now = (when > f->now ? when : f->now) + f->delay[f->i++];
}

static void test_fake_clock_known_delays(void **state)
{
	long long delay[100], lat[100];
	struct fake f = { .now = 1000000000LL, .delay = delay };
	struct lp_clock c = { fake_now, fake_sleep_until, &f };
	struct lp_summary s;

	/* delays 0, 1, ..., 99 us in a scrambled order */
	for (int i = 0; i < 100; i++)
		delay[i] = ((i * 37) % 100) * 1000LL;
	lp_measure(&c, 1000000LL, 100, lat);
	for (int i = 0; i < 100; i++)
		assert_int_equal(lat[i], delay[i]);
	lp_summarize(lat, 100, &s);
	assert_int_equal(s.p50, 49000);
	assert_int_equal(s.p99, 98000);
	assert_int_equal(s.max, 99000);
	assert_int_equal(s.cdf[0], 0);
	assert_int_equal(s.cdf[100], 99000);
	for (int k = 1; k <= 100; k++)
		assert_true(s.cdf[k] >= s.cdf[k - 1]);
}

/* A wakeup later than a whole period skips the missed slots instead of
 * reporting every following wakeup as late. */
static void test_fake_clock_missed_periods(void **state)
{
	long long delay[4] = { 3500000LL, 0, 0, 0 }, lat[4];
	struct fake f = { .now = 0, .delay = delay };
	struct lp_clock c = { fake_now, fake_sleep_until, &f };

	lp_measure(&c, 1000000LL, 4, lat);
	assert_int_equal(lat[0], 3500000LL);
	assert_int_equal(lat[1], 0);
	assert_int_equal(lat[2], 0);
	assert_int_equal(lat[3], 0);
	assert_int_equal(f.now, 7000000LL);	/* slots 2..4 ms skipped, woke at 5, 6, 7 ms */
}

static void test_percentile_nearest_rank(void **state)
{
	long long v[5] = { 10, 20, 30, 40, 50 };

	assert_int_equal(lp_percentile(v, 5, 0), 10);
	assert_int_equal(lp_percentile(v, 5, 20), 10);
	assert_int_equal(lp_percentile(v, 5, 21), 20);
	assert_int_equal(lp_percentile(v, 5, 50), 30);
	assert_int_equal(lp_percentile(v, 5, 99), 50);
	assert_int_equal(lp_percentile(v, 5, 100), 50);
	assert_int_equal(lp_percentile(v, 0, 50), 0);
}

/* The real clock, sleeping a known 3 ms past each intended time. */
static void late_sleep_until(long long when, void *ctx)
{
	lp_real_sleep_until(when + 3000000LL, ctx);
}

static void test_real_clock_known_extra_sleep(void **state)
{
	struct lp_clock c = { lp_real_now, late_sleep_until, NULL };
	long long lat[10];
	struct lp_summary s;

	lp_measure(&c, 5000000LL, 10, lat);
	for (int i = 0; i < 10; i++)
		assert_true(lat[i] >= 3000000LL);
	lp_summarize(lat, 10, &s);
	/* generous: a loaded host may add scheduling delay, never subtract */
	assert_true(s.p50 < 3000000LL + 50000000LL);
}

static const char check_json[] =
	"import json, sys\n"
	"r = json.load(open(sys.argv[1]))\n"
	"assert isinstance(r['kernel'], str) and r['kernel'].startswith('7.3.4')\n"
	"assert r['cpus'] == 2\n"
	"runs = r['runs']\n"
	"assert [x['scheduler'] for x in runs] == ['eevdf', 'fifo-probe', 'interactive'], runs\n"
	"f = runs[1]\n"
	"assert f['throughput'] is None and f['rounds'] == 2 and f['p99_us'] == 7022.7\n"
	"assert r['target_interactive']['floor_p99_ratio'] == round(7022.7 / 14045.4, 3)\n"
	"runs = [runs[0], runs[2]]\n"
	"for x in runs:\n"
	"    for k in ('p50_us', 'p99_us', 'max_us', 'throughput'):\n"
	"        assert isinstance(x[k], (int, float)) and x[k] > 0, (x['scheduler'], k)\n"
	"    assert x['rounds'] == 2\n"
	"    assert len(x['latency_cdf_us']) == 101\n"
	"i = runs[1]\n"
	"assert i['throughput'] == (17832 + 16000) / 2, i['throughput']\n"
	"assert i['spread']['throughput']['min'] == 16000\n"
	"assert i['vs_eevdf']['p99'] == round(21953.5 / 14045.4, 3)\n"
	"assert runs[0]['vs_eevdf']['throughput'] == 1.0\n"
	"assert r['verifier_insns']['minimal']['TOTAL'] == 94\n"
	"assert r['load_attach_us']['interactive']['libscx_us'] == 897233\n"
	"assert r['topology_load_4096_us'] == 1234.0\n"
	"assert r['target_interactive']['reached'] is False\n"
	"o = r['one_cpu']\n"
	"assert o['cpus'] == 1 and o['hogs'] == 2\n"
	"assert [x['scheduler'] for x in o['runs']] == ['eevdf', 'fifo-probe', 'interactive']\n"
	"t = o['target_interactive']\n"
	"assert t['p99_ratio'] == round(1635 / 4160, 3) and t['throughput_ratio'] == 1.2\n"
	"assert t['floor_p99_ratio'] == round(1090 / 4160, 3) and t['reached'] is True\n"
	"assert r['errors'] == []\n";

/*
 * Run bench_report.py on LOGS (paths under tests/, space-separated) into a
 * fresh directory, then CHECK (a python3 script) on its results.json and the
 * shell command FILES_CMD on its files (each %1$s in it is the directory).
 */
static void report_and_check(const char *logs, const char *extra, const char *check, const char *files_cmd)
{
	char dir[] = "/tmp/test_bench_XXXXXX", cmd[4096], args[1024] = "", path[512];
	char *save = NULL, *copy = strdup(logs);
	FILE *f;

	assert_non_null(copy);
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		snprintf(args + strlen(args), sizeof(args) - strlen(args), "%s/%s ", TEST_SRCDIR, t);
	free(copy);
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "python3 %s/../scripts/bench_report.py %s%s %s >/dev/null",
		 TEST_SRCDIR, args, dir, extra);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/check.py", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(check, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 %s %s/results.json", path, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), files_cmd, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_report_json_shape(void **state)
{
	if (system("python3 -c 'import json' >/dev/null 2>&1")) {
		skip();
		return;
	}
	report_and_check("bench/testdata/guest.log", "--topology-us 1234", check_json,
			 "grep -q '^| interactive |' %1$s/results.md && grep -q '^## CPU 0 alone' %1$s/results.md && "
			 "grep -q '<polyline' %1$s/latency.svg && grep -q '<polyline' %1$s/latency-1cpu.svg && "
			 "python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1]); m.parse(sys.argv[2])' "
			 "%1$s/latency.svg %1$s/latency-1cpu.svg");
}

static const char check_llc[] =
	"import json, sys\n"
	"r = json.load(open(sys.argv[1]))\n"
	"t = r['pattern_targets']['all']['interactive']\n"
	"assert t['pingpong'] == {'vs_eevdf': 0.95, 'overlaps_eevdf': True, 'paired_vs_eevdf': 0.95,\n"
	"                         'target': '>= 0.95x eevdf', 'met': True}, t\n"
	"assert t['futex']['overlaps_eevdf'] is False\n"
	"assert t['futex']['vs_eevdf'] == 0.5 and t['futex']['met'] is False, t\n"
	"assert t['msgbench']['met'] is True\n"
	"l = r['llc']\n"
	"assert l['cpus'] == 16 and l['baseline'] == 'onedsq'\n"
	"assert l['shape'] == 'sockets=2,dies=2,cores=2,threads=2,nodes=2'\n"
	"lt = l['pattern_targets']['interactive']\n"
	"assert lt['pingpong']['vs_eevdf'] == 1.1 and lt['pingpong']['vs_onedsq'] == 2.2\n"
	"assert lt['pingpong']['met'] is True and lt['msgbench']['met'] is True\n"
	"assert lt['futex']['vs_onedsq'] == 1.25 and lt['futex']['met'] is False, lt\n"
	"lat = l['latency_target']\n"
	"assert lat['bound_us'] == 5000.0 and lat['met'] is True, lat\n"
	"assert l['verifier_insns']['onedsq']['TOTAL'] == 60\n"
	"assert 'llc' not in r['verifier_insns'] and r['verifier_insns']['minimal']['TOTAL'] == 94\n";

static void test_report_patterns_llc(void **state)
{
	if (system("python3 -c 'import json' >/dev/null 2>&1")) {
		skip();
		return;
	}
	report_and_check("bench/testdata/guest.log bench/testdata/guest-llc.log", "", check_llc,
			 "grep -q '^## Multi-LLC guest' %1$s/results.md && grep -q 'not met' %1$s/results.md && "
			 "python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' %1$s/latency-llc.svg");
}

/* An empty log is an error, not an empty report. */
static void test_report_empty_log(void **state)
{
	char cmd[1024];

	if (system("python3 -c 'import json' >/dev/null 2>&1")) {
		skip();
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "python3 %s/../scripts/bench_report.py /dev/null /tmp/test_bench_empty 2>/dev/null",
		 TEST_SRCDIR);
	assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fake_clock_known_delays),
		cmocka_unit_test(test_fake_clock_missed_periods),
		cmocka_unit_test(test_percentile_nearest_rank),
		cmocka_unit_test(test_real_clock_known_extra_sleep),
		cmocka_unit_test(test_report_json_shape),
		cmocka_unit_test(test_report_patterns_llc),
		cmocka_unit_test(test_report_empty_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
