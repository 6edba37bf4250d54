/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A small helper library for the standalone test programs (host BPF tests and
 * VM tests): exit 0 pass, 1 fail, 77 skip, diagnostics on stdout.
 */
#ifndef __SCX_TESTLIB_H
#define __SCX_TESTLIB_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#define T_PASS 0
#define T_FAIL 1
#define T_SKIP 77

/* Fail the test (exit 1) with a message naming the source line. */
#define T_ASSERT(cond, fmt, ...)						\
	do {									\
		if (!(cond)) {							\
			printf("FAIL %s:%d: %s: " fmt "\n", __FILE__, __LINE__,	\
			       #cond, ##__VA_ARGS__);				\
			t_cleanup();						\
			exit(T_FAIL);						\
		}								\
	} while (0)

/* Count a failed check and go on, so that one run shows every mismatch;
 * the test then ends with t_failures != 0 as a failure. */
extern int t_failures;
#define T_EXPECT(cond, fmt, ...)						\
	do {									\
		if (!(cond)) {							\
			printf("FAIL %s:%d: %s: " fmt "\n", __FILE__, __LINE__,	\
			       #cond, ##__VA_ARGS__);				\
			t_failures++;						\
		}								\
	} while (0)

#define t_log(fmt, ...) printf("  " fmt "\n", ##__VA_ARGS__)

/* Register a function run before a failing test exits (detach, kill...). */
void t_on_fail(void (*fn)(void));
void t_cleanup(void);

/* Exit 77 unless this kernel has sched_ext. */
void t_require_sched_ext(void);

/* The directory holding the test binary (and its .bpf.o files). */
const char *t_dir(void);
/* t_dir()/name, in a static buffer per call slot (4 slots). */
const char *t_path(const char *name);

/* The first line of a file (no newline) into buf; "" when absent. */
const char *t_read_line(const char *path, char *buf, size_t size);
/* /sys/kernel/sched_ext/FILE into buf; "" when absent. */
const char *t_scx_read(const char *file, char *buf, size_t size);
/*
 * Deadlines of waits for a condition. The VM suite runs under TCG on a host
 * that may be busy with other VMs, so a wait never gives up before
 * T_WAIT_MIN_MS, whatever ms its caller asked for: the wait ends as soon as
 * the condition holds, so only a failing test waits that long.
 */
#define T_WAIT_MIN_MS 60000

/* Wait (ms, at least T_WAIT_MIN_MS) for state to read want. */
bool t_wait_state(const char *want, int ms);
/* /sys/kernel/sched_ext/enable_seq, -1 when absent. */
long long t_enable_seq(void);
/* Wait (ms, at least T_WAIT_MIN_MS) until a scheduler enabled after
 * enable_seq read seq is enabled: enable_seq > seq and state "enabled". */
bool t_wait_enabled_after(long long seq, int ms);
/* 1 when /proc/PID/sched says ext.enabled is 1, 0 when 0, -1 unknown. */
int t_task_on_scx(pid_t pid);
/* Wait (ms, at least T_WAIT_MIN_MS) until t_task_on_scx(pid) == want. */
bool t_wait_on_scx(pid_t pid, int want, int ms);

/* Fork a child spinning on the CPU (optionally pinned: cpu >= 0, niced). */
pid_t t_spawn_spinner(int cpu, int nice);
void t_kill(pid_t pid);
/* Take a CPU offline or bring it back (CPU hotplug); false when the
 * kernel refused. t_set_online() asserts, for a test's steps; cleanups
 * call t_set_online_quiet(), which never fails. */
bool t_set_online_quiet(int cpu, bool on);
#define t_set_online(cpu, on)							\
	T_ASSERT(t_set_online_quiet((cpu), (on)), "cpu%d online=%d: %s", (cpu), (on),	\
		 strerror(errno))
/* CPU time (utime + stime) of a task in clock ticks. */
long long t_task_cpu_ticks(pid_t pid);
/* The CPU /proc/PID/stat names (where the task runs or is queued), or -1. */
int t_task_cpu(pid_t pid);
/* ns the task has run (/proc/PID/schedstat, first field), or -1. */
long long t_task_runtime_ns(pid_t pid);
/* n numeric fields of a /proc stat file (PID/stat, PID/task/TID/stat) from
 * field first (numbered as in proc(5): 10 minflt, 12 majflt, 14 utime). */
bool t_stat_fields(const char *path, int first, int n, unsigned long long *out);

/* The kernel log from now on: an fd of /dev/kmsg at its end (-1 when it
 * cannot be opened), and a wait (at least T_WAIT_MIN_MS) for a record
 * containing needle. */
int t_kmsg_open(void);
bool t_kmsg_has(int kmsg, const char *needle);

/* libscx messages go to stdout with a prefix, and are kept for t_log_has(). */
void t_capture_log(void);
bool t_log_has(const char *needle);
void t_log_clear(void);

long long t_now_ms(void);

/* Open the test directory's obj through libscx, load it, attach it and wait
 * until sched_ext reads enabled; fails the test (T_ASSERT) otherwise. */
struct scx_sched;
struct scx_sched *t_attach_file(const char *obj);

/* The CPUs sharing level's domain with cpu (core, LLC, node...), as libscx's
 * topology model has them; empty when cpu is unknown. Needs _GNU_SOURCE's
 * cpu_set_t (sched.h) in the caller. */
struct scx_topology;
#ifdef CPU_SETSIZE
void t_domain_of(const struct scx_topology *topo, int cpu, int level, cpu_set_t *set);
#endif

#endif
