/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Small helpers shared by the sample VM tests. Plain libbpf on purpose: these
 * tests check the BPF side (verifier, attach, behaviour) independently of the
 * libscx core, so a bug there cannot hide one here.
 */
#ifndef __TESTS_VM_SAMPLE_UTIL_H
#define __TESTS_VM_SAMPLE_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/exit_layout.h>

#define SU_SKIP 77
#define SCX_EXIT_UNREG_KIND 64	/* enum scx_exit_kind, stable since 6.12 */

static inline int su_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	fprintf(stdout, "libbpf: ");
	return vfprintf(stdout, fmt, ap);
}

/* Exit 77 unless this kernel has sched_ext and nothing else is attached. */
static inline void su_require_sched_ext(void)
{
	char state[32] = "";
	FILE *f;

	if (access("/sys/kernel/sched_ext", F_OK)) {
		printf("no /sys/kernel/sched_ext: not a sched_ext kernel\n");
		exit(SU_SKIP);
	}
	f = fopen("/sys/kernel/sched_ext/state", "r");
	if (f) {
		if (!fgets(state, sizeof(state), f))
			state[0] = 0;
		fclose(f);
	}
	if (strncmp(state, "disabled", 8)) {
		printf("another scheduler is attached (state %s)\n", state);
		exit(SU_SKIP);
	}
	libbpf_set_print(su_libbpf_print);
}

static inline void su_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static const char *su_state(void)
{
	static char buf[64];

	su_read_line("/sys/kernel/sched_ext/state", buf, sizeof(buf));
	return buf;
}

/* Waits for a condition never give up before this, whatever the caller asked:
 * the suite runs under TCG on a host that may be loaded, and a wait ends as
 * soon as its condition holds. */
#define SU_WAIT_MIN_MS 60000

/* Wait (ms, at least SU_WAIT_MIN_MS) for the sched_ext state to become want. */
static inline bool su_wait_state(const char *want, int ms)
{
	if (ms < SU_WAIT_MIN_MS)
		ms = SU_WAIT_MIN_MS;
	for (int i = 0; i < ms / 10; i++) {
		if (!strcmp(su_state(), want))
			return true;
		usleep(10000);
	}
	return !strcmp(su_state(), want);
}

/*
 * Address of global variable name in the object's mmapped data maps (live
 * after load), or NULL. Walks the BTF data sections because libbpf has no
 * lookup by variable name.
 */
static void *su_global(struct bpf_object *obj, const char *name, size_t *size)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	if (!btf)
		return NULL;
	bpf_object__for_each_map(map, obj) {
		const char *sec = bpf_map__name(map);
		const struct btf_var_secinfo *vs;
		const struct btf_type *t;
		const char *dot = strchr(sec, '.');
		size_t sz;
		char *base;
		int id;

		if (!dot || !bpf_map__initial_value(map, &sz))
			continue;
		id = btf__find_by_name_kind(btf, dot, BTF_KIND_DATASEC);
		if (id < 0)
			continue;
		t = btf__type_by_id(btf, id);
		vs = btf_var_secinfos(t);
		for (int i = 0; i < btf_vlen(t); i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type);

			if (strcmp(btf__name_by_offset(btf, v->name_off), name))
				continue;
			base = bpf_map__initial_value(map, &sz);
			if (size)
				*size = vs->size;
			return base + vs->offset;
		}
	}
	return NULL;
}

static inline int su_set_global(struct bpf_object *obj, const char *name, const void *val, size_t len)
{
	size_t size = 0;
	void *p = su_global(obj, name, &size);

	if (!p || size != len) {
		printf("global %s: %s\n", name, p ? "size mismatch" : "not found");
		return -1;
	}
	memcpy(p, val, len);
	return 0;
}

/* Print each program's verifier instruction count; returns the sum. */
static inline unsigned long su_report_insns(struct bpf_object *obj, const char *label)
{
	struct bpf_program *prog;
	unsigned long total = 0;

	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue;
		if (bpf_prog_get_info_by_fd(fd, &info, &len)) {
			printf("%s: %s: bpf_prog_get_info_by_fd: %s\n", label,
			       bpf_program__name(prog), strerror(errno));
			continue;
		}
		printf("verified_insns %s %s %u\n", label, bpf_program__name(prog),
		       info.verified_insns);
		total += info.verified_insns;
	}
	printf("verified_insns %s TOTAL %lu\n", label, total);
	return total;
}

struct su_sched {
	struct bpf_object *obj;
	struct bpf_link *link;
	struct scx_exit_record *uei;
};

/* Open path and set the watchdog; load separately so callers can set globals. */
static inline int su_open(struct su_sched *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->obj = bpf_object__open_file(path, NULL);
	if (!s->obj) {
		printf("open %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static struct bpf_map *su_ops_map(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			return map;
	return NULL;
}

static inline int su_load_attach(struct su_sched *s, const char *label)
{
	struct bpf_map *ops;
	int err;

	err = bpf_object__load(s->obj);
	if (err) {
		printf("%s: load failed: %s\n", label, strerror(-err));
		return -1;
	}
	su_report_insns(s->obj, label);
	s->uei = su_global(s->obj, SCX_EXIT_RECORD_VAR, NULL);
	ops = su_ops_map(s->obj);
	if (!ops) {
		printf("%s: no struct_ops map\n", label);
		return -1;
	}
	s->link = bpf_map__attach_struct_ops(ops);
	if (!s->link) {
		printf("%s: attach failed: %s\n", label, strerror(errno));
		return -1;
	}
	if (!su_wait_state("enabled", 5000)) {
		printf("%s: state is %s after attach\n", label, su_state());
		return -1;
	}
	return 0;
}

static inline void su_print_exit(const struct su_sched *s)
{
	if (!s->uei)
		return;
	printf("exit kind %d code %lld reason \"%s\" msg \"%s\"\n", s->uei->kind,
	       s->uei->exit_code, s->uei->reason, s->uei->msg);
}

/* Detach and free; returns the exit kind the record shows (or -1). */
static inline int su_close(struct su_sched *s)
{
	int kind = -1;

	if (s->link) {
		bpf_link__destroy(s->link);
		s->link = NULL;
	}
	su_wait_state("disabled", 5000);
	if (s->uei) {
		for (int i = 0; i < SU_WAIT_MIN_MS / 10 &&
				!__atomic_load_n(&s->uei->kind, __ATOMIC_ACQUIRE); i++)
			usleep(10000);
		kind = s->uei->kind;
		su_print_exit(s);
	}
	bpf_object__close(s->obj);
	s->obj = NULL;
	s->uei = NULL;
	return kind;
}

/* The exit kind the record shows now (0 while attached); never waits. */
static inline int su_exit_kind(const struct su_sched *s)
{
	return s->uei ? __atomic_load_n(&s->uei->kind, __ATOMIC_ACQUIRE) : 0;
}

/* Wait (ms, at least SU_WAIT_MIN_MS) for the record to show an exit (the
 * kernel ejected it). */
static inline int su_wait_exit(struct su_sched *s, int ms)
{
	if (ms < SU_WAIT_MIN_MS)
		ms = SU_WAIT_MIN_MS;
	for (int i = 0; i < ms / 10; i++) {
		if (s->uei && __atomic_load_n(&s->uei->kind, __ATOMIC_ACQUIRE))
			return s->uei->kind;
		usleep(10000);
	}
	return s->uei ? s->uei->kind : 0;
}

/* A child that burns CPU until killed, optionally pinned and reniced. */
static inline pid_t su_spin(int cpu, int nice_val)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		if (nice_val)
			setpriority(PRIO_PROCESS, 0, nice_val);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	return pid;
}

static inline void su_kill(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* utime + stime of pid in clock ticks, from /proc/PID/stat. */
static inline unsigned long long su_cputime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* after ") " : state(3) ... utime is field 14, stime 15 */
	sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st);
	return ut + st;
}

/*
 * A task's own record of being scheduled (/proc/PID/schedstat): ns on a CPU
 * and how many times it was switched in. Zeros when the task is gone.
 */
static inline void su_schedstat(pid_t pid, unsigned long long *ns, unsigned long long *turns)
{
	char path[64];
	FILE *f;

	*ns = *turns = 0;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%llu %*u %llu", ns, turns) != 2)
		*ns = *turns = 0;
	fclose(f);
}

/* Does /proc/PID/sched say the task is on sched_ext? -1 when unknown. */
static inline int su_task_on_ext(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	int on = -1;

	snprintf(path, sizeof(path), "/proc/%d/sched", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "ext.enabled", 11))
			on = strchr(line, '1') != NULL;
	fclose(f);
	return on;
}

/* Wait (ms, at least SU_WAIT_MIN_MS) until su_task_on_ext(pid) == want. */
static inline bool su_wait_on_ext(pid_t pid, int want, int ms)
{
	if (ms < SU_WAIT_MIN_MS)
		ms = SU_WAIT_MIN_MS;
	for (int i = 0; i < ms / 10; i++) {
		if (su_task_on_ext(pid) == want)
			return true;
		usleep(10000);
	}
	return su_task_on_ext(pid) == want;
}

#endif /* __TESTS_VM_SAMPLE_UTIL_H */
