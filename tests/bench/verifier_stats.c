// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * verifier_stats: for each BPF scheduler object given, open and load it with
 * libscx and print the verifier's processed-instruction count of every
 * program (bpf_prog_info.verified_insns):
 *	verifier obj=OBJ prog=PROG insns=N
 *	verifier obj=OBJ prog=TOTAL insns=N
 * With -n RUNS (needs a sched_ext kernel and no scheduler attached), also
 * times open + load + attach of the same object through libscx and through
 * plain libbpf (bpf_object__open_file/load + bpf_map__attach_struct_ops),
 * alternating, and prints the medians:
 *	loadtime obj=OBJ libscx_us=.. libbpf_us=.. runs=N
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <scx/scx.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int quiet(enum scx_print_level level, const char *fmt, va_list args)
{
	return level == SCX_WARN ? vfprintf(stderr, fmt, args) : 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int insns(const char *path)
{
	struct scx_sched *s = scx_sched__open_file(path, NULL);
	struct bpf_program *prog;
	unsigned long total = 0;
	int err;

	if (!s) {
		fprintf(stderr, "verifier_stats: open %s: %s\n", path, strerror(errno));
		return -1;
	}
	err = scx_sched__load(s);
	if (err) {
		fprintf(stderr, "verifier_stats: load %s: %s\n", path, strerror(-err));
		scx_sched__destroy(s);
		return -1;
	}
	bpf_object__for_each_program(prog, scx_sched__object(s)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_prog_get_info_by_fd(fd, &info, &len))
			continue;
		printf("verifier obj=%s prog=%s insns=%u\n", base(path), bpf_program__name(prog),
		       info.verified_insns);
		total += info.verified_insns;
	}
	printf("verifier obj=%s prog=TOTAL insns=%lu\n", base(path), total);
	scx_sched__destroy(s);
	return 0;
}

static bool sched_ext_state_is(const char *want)
{
	char buf[32] = "";
	FILE *f = fopen("/sys/kernel/sched_ext/state", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	return !strncmp(buf, want, strlen(want));
}

static void wait_disabled(void)
{
	for (int i = 0; i < 500 && !sched_ext_state_is("disabled"); i++)
		usleep(10000);
}

static long long time_libscx(const char *path)
{
	long long t0 = now_us(), t;
	struct scx_sched *s = scx_sched__open_file(path, NULL);

	if (!s || scx_sched__load(s) || scx_sched__attach(s)) {
		fprintf(stderr, "verifier_stats: libscx %s: %s\n", path, strerror(errno));
		scx_sched__destroy(s);
		return -1;
	}
	t = now_us() - t0;
	scx_sched__destroy(s);
	wait_disabled();
	return t;
}

static long long time_libbpf(const char *path)
{
	long long t0 = now_us(), t = -1;
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_link *link = NULL;
	struct bpf_map *map, *ops = NULL;

	if (!obj || bpf_object__load(obj))
		goto out;
	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			ops = map;
	if (ops)
		link = bpf_map__attach_struct_ops(ops);
	if (link)
		t = now_us() - t0;
out:
	if (t < 0)
		fprintf(stderr, "verifier_stats: libbpf %s: %s\n", path, strerror(errno));
	bpf_link__destroy(link);
	bpf_object__close(obj);
	wait_disabled();
	return t;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int loadtime(const char *path, int runs)
{
	long long a[runs], b[runs];

	for (int i = 0; i < runs; i++) {
		a[i] = time_libscx(path);
		b[i] = time_libbpf(path);
		if (a[i] < 0 || b[i] < 0)
			return -1;
	}
	qsort(a, runs, sizeof(a[0]), cmp_ll);
	qsort(b, runs, sizeof(b[0]), cmp_ll);
	printf("loadtime obj=%s libscx_us=%lld libbpf_us=%lld runs=%d\n", base(path),
	       a[runs / 2], b[runs / 2], runs);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 0, opt, fail = 0;

	while ((opt = getopt(argc, argv, "n:h")) != -1) {
		switch (opt) {
		case 'n':
			runs = atoi(optarg);
			break;
		default:
			fputs("usage: verifier_stats [-n RUNS] OBJ...\n", opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc || runs < 0 || runs > 1000) {
		fputs("usage: verifier_stats [-n RUNS] OBJ...\n", stderr);
		return 2;
	}
	scx_set_print(quiet);
	libbpf_set_print(libbpf_quiet);
	for (int i = optind; i < argc; i++) {
		if (insns(argv[i]))
			fail = 1;
		else if (runs && loadtime(argv[i], runs))
			fail = 1;
		fflush(stdout);
	}
	return fail;
}
