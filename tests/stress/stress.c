// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the stress layer's workload driver and monitor, run in the
 * guest (linked statically) by tests/stress/run.sh while a scheduler under
 * test is attached. It starts one adversarial workload, samples every task
 * it started from /proc/PID/schedstat every 100 ms, and judges:
 *
 *  - starvation: no task may stay runnable without getting CPU time for
 *    longer than half the scheduler's watchdog timeout (-w). Half, so that a
 *    scheduler passes with a margin the kernel's own stall check would not
 *    give it; the bound is a ratio of the watchdog, never an absolute time.
 *  - weighted shares (-S, for weighted schedulers only): hogs of one share
 *    group (same nice, same CPU set) get CPU time (after a warm-up second,
 *    in the intervals without a guest pause) within EQUAL_TOL of each
 *    other (max/min), and nice 0 gets NICE5_LO..NICE5_HI times what nice 5
 *    gets (the kernel's weights say 100:33, about 3.0). FIFO schedulers give
 *    no weights: without -S the output says the check is exempt.
 *
 * Usage: stress WORKLOAD [-d SECONDS] [-w WATCHDOG_MS] [-S]
 * Exit status: 0 pass, 1 fail, 77 skip (the workload cannot run here).
 */
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SCHED_EXT
#define SCHED_EXT 7
#endif

/*
 * Tolerances, all ratios. Under TCG a "running" task is also charged for
 * the time the emulator spends on the other vCPU or the host takes away, and
 * on a busy host a third of the 100 ms intervals can hold a guest pause and
 * be left out, each taking a 20 ms slice from whoever ran in it: equal tasks
 * then drift apart by several slices in a 9 s run (1.81 seen for vtime's
 * pinned hogs at load average 20, 1.02-1.03 on a quieter host). 2.0 holds
 * there and still catches a task starved to half its share. nice 0 vs
 * nice 5 should be ~3.0 (weights 100:33), measured on group means (more
 * tasks, less noise): 2.0-4.5 catches "nice ignored" (1.0) and "weight
 * applied twice" (~9).
 */
#define EQUAL_TOL	2.0
#define NICE5_LO	2.0
#define NICE5_HI	4.5
#define SAMPLE_MS	100
#define WARMUP_MS	1000	/* shares count from here: spawning is uneven */
#define MAX_TASKS	96

enum kind { HOG, SLEEPER, CTL };

struct task {
	pid_t pid;
	char name[24];
	char group[16];		/* share group; "" = not share-checked */
	enum kind kind;
	unsigned long long run;		/* ns on a CPU, last sample */
	unsigned long long share;	/* ns on a CPU in the counted intervals */
	double last_ok;		/* last sample it ran or was not runnable */
	double paused_at_ok;	/* the guest's paused time at last_ok */
	double max_gap;		/* runnable without CPU, pauses taken out */
	bool gone;
};

static struct task tasks[MAX_TASKS];
static int nr_tasks, ncpu;
static const char *cg_root = "/sys/fs/cgroup/stress";
static volatile sig_atomic_t stop;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(pid_t pid, int cpu)
{
	cpu_set_t set;
	int c;

	CPU_ZERO(&set);
	for (c = 0; c < ncpu; c++)
		if (cpu < 0 || c == cpu)
			CPU_SET(c, &set);
	sched_setaffinity(pid, sizeof(set), &set);
}

static int set_policy(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return sched_setscheduler(pid, policy, &sp);
}

static void spin_for(double secs)
{
	double end = now_s() + secs;

	while (now_s() < end)
		;
}

static void sleep_ms(double ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6) };

	nanosleep(&ts, NULL);
}

/* The task's CPU (field 39 of /proc/PID/stat) and its state letter. */
static int task_cpu(pid_t pid, char *state)
{
	char path[64], buf[512], *p;
	int fd, n, field, cpu = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -1;
	if (state)
		*state = p[2];
	/* p + 2 is field 3 (state) */
	for (field = 3, p += 2; *p && field < 39; p++)
		if (*p == ' ')
			field++;
	if (field == 39)
		cpu = atoi(p);
	return cpu;
}

static bool read_schedstat(pid_t pid, unsigned long long v[3])
{
	char path[64];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fscanf(f, "%llu %llu %llu", &v[0], &v[1], &v[2]) == 3;
	fclose(f);
	return ok;
}

static bool write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok;
}

static struct task *add_task(pid_t pid, enum kind kind, const char *name, const char *group)
{
	struct task *t = &tasks[nr_tasks++];

	t->pid = pid;
	t->kind = kind;
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(t->group, sizeof(t->group), "%s", group);
	return t;
}

static void on_term(int sig)
{
	stop = 1;
}

/*
 * A child that runs fn(arg): a workload task forever on the fair/ext class,
 * at NICE, on CPU (-1: any); a controller (CTL) on SCHED_FIFO until SIGTERM.
 */
static pid_t spawn(enum kind kind, const char *name, const char *group, int nice, int cpu,
		   void (*fn)(int), int arg)
{
	pid_t pid;

	if (nr_tasks == MAX_TASKS) {
		fprintf(stderr, "stress: too many tasks\n");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("stress: fork");
		exit(1);
	}
	if (pid == 0) {
		signal(SIGTERM, kind == CTL ? on_term : SIG_DFL);
		set_policy(0, kind == CTL ? SCHED_FIFO : SCHED_OTHER, kind == CTL ? 10 : 0);
		setpriority(PRIO_PROCESS, 0, nice);
		if (cpu >= 0)
			pin(0, cpu);
		fn(arg);
		_exit(0);
	}
	add_task(pid, kind, name, group);
	return pid;
}

static void hog(int unused)
{
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* Short sleeper: ~100 us of work, ~1 ms asleep. */
static void sleeper(int unused)
{
	for (;;) {
		spin_for(100e-6);
		sleep_ms(1);
	}
}

static void hogs(int n, int nice, int cpu, const char *group)
{
	char name[24];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%d", group, i);
		spawn(HOG, name, group, nice, cpu, hog, 0);
	}
}

/* ---- controllers: act on running tasks from another CPU ------------------ */

/*
 * Controllers run SCHED_FIFO so that they act at a steady rate whatever the
 * scheduler under test does with SCHED_OTHER tasks, and they pick targets
 * that sit on another CPU than their own: setpriority(), sched_setaffinity(),
 * sched_setscheduler() and cgroup moves then run ops.stopping/ops.running
 * (and the others) on the controller's CPU with the target's runqueue
 * locked, the case issue 11 point 1 is about. Every 200 rounds a
 * controller moves itself to the next CPU.
 */
static int ctl_round(long round)
{
	int cpu = (int)(round / 200) % ncpu;

	if (round % 200 == 0)
		pin(0, cpu);
	return cpu;
}

static bool remote(pid_t pid, int self)
{
	int c = task_cpu(pid, NULL);

	return c >= 0 && c != self;
}

static void renice_ctl(int nr_targets)
{
	static const int nices[] = { 0, 19, 5, 0, 10 };
	long round, renices = 0, repins = 0;
	int i, cpu;

	for (round = 0; !stop; round++) {
		int self = ctl_round(round);

		for (i = 0; i < nr_targets; i++) {
			pid_t p = tasks[i].pid;

			if (!remote(p, self))
				continue;
			if ((round + i) % 2) {
				renices += !setpriority(PRIO_PROCESS, p, nices[(round + i) % 5]);
			} else {
				/* one CPU after the other, then all of them */
				cpu = (round / 3 + i) % (ncpu + 1);
				pin(p, cpu == ncpu ? -1 : cpu);
				repins++;
			}
		}
		sleep_ms(2);
	}
	printf("renice-ctl: %ld renices and %ld re-pins of tasks on another CPU\n", renices, repins);
	fflush(stdout);
}

static void policy_ctl(int nr_targets)
{
	static const int policies[] = { SCHED_FIFO, SCHED_EXT, SCHED_OTHER };
	long round, changes[3] = { 0 }, refused = 0;
	pid_t fifo = 0, p;
	int i, k;

	for (round = 0; !stop; round++, sleep_ms(2)) {
		int self = ctl_round(round);

		i = round % nr_targets;
		p = tasks[i].pid;
		if (!remote(p, self))
			continue;
		k = (round / nr_targets + i) % 3;
		/* one SCHED_FIFO hog at a time, for a few ms: a FIFO hog
		 * on every CPU would starve sched_ext tasks by itself */
		if (policies[k] == SCHED_FIFO && fifo)
			set_policy(fifo, SCHED_OTHER, 0);
		if (policies[k] == SCHED_FIFO || p == fifo)
			fifo = policies[k] == SCHED_FIFO ? p : 0;
		if (set_policy(p, policies[k], policies[k] == SCHED_FIFO))
			refused++;
		else
			changes[k]++;
	}
	printf("policy-ctl: %ld to SCHED_FIFO, %ld to SCHED_EXT, %ld to SCHED_OTHER of tasks on another CPU"
	       " (%ld refused)\n", changes[0], changes[1], changes[2], refused);
	fflush(stdout);
}

static void cgroup_ctl(int nr_targets)
{
	char path[128], pid[16];
	long round, moves = 0;
	int i;

	for (round = 0; !stop; round++) {
		int self = ctl_round(round);

		i = round % nr_targets;
		if (remote(tasks[i].pid, self)) {
			snprintf(path, sizeof(path), "%s/%c/cgroup.procs", cg_root,
				 (round / nr_targets + i) % 2 ? 'a' : 'b');
			snprintf(pid, sizeof(pid), "%d", tasks[i].pid);
			moves += write_file(path, pid);
		}
		sleep_ms(2);
	}
	printf("cgroup-ctl: %ld moves of tasks on another CPU\n", moves);
	fflush(stdout);
}

static void hotplug_ctl(int unused)
{
	bool online = true;
	int done = 0;

	while (!stop) {
		sleep_ms(2000);
		if (stop)
			break;
		online = !online;
		done += write_file("/sys/devices/system/cpu/cpu1/online", online ? "1" : "0");
	}
	write_file("/sys/devices/system/cpu/cpu1/online", "1");
	printf("hotplug-ctl: cpu1 went offline or online %d times\n", done);
	fflush(stdout);
}

/* fork + exec of this very binary ("nop"), in a loop */
static void exec_churn(int unused)
{
	char *argv[] = { "stress", "nop", NULL };
	pid_t p;

	for (;;) {
		p = fork();
		if (p == 0) {
			execv("/proc/self/exe", argv);
			_exit(127);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	}
}

/*
 * Children that each run ~300 us and exit, one at a time per storm: tasks
 * that run once and are never seen starting again, so only their charge at
 * ops.stopping can account for the time they took from everyone else.
 */
static void fork_storm(int unused)
{
	pid_t p;

	for (;;) {
		p = fork();
		if (p == 0) {
			spin_for(300e-6);
			_exit(0);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	}
}

static void *thread_fn(void *arg)
{
	spin_for(50e-6);
	return NULL;
}

/* threads created and joined in a loop, a few at a time */
static void thread_churn(int unused)
{
	pthread_t th[4];
	int i;

	for (;;) {
		for (i = 0; i < 4; i++)
			if (pthread_create(&th[i], NULL, thread_fn, NULL))
				th[i] = 0;
		for (i = 0; i < 4; i++)
			if (th[i])
				pthread_join(th[i], NULL);
	}
}

/* A controller: a SCHED_FIFO child that runs fn until SIGTERM. */
static void spawn_ctl(const char *name, void (*fn)(int), int arg)
{
	spawn(CTL, name, "", 0, -1, fn, arg);
}

static bool have_cgroup2(void)
{
	char line[512];
	FILE *f = fopen("/proc/mounts", "r");
	bool found = false;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " /sys/fs/cgroup cgroup2 "))
			found = true;
	if (f)
		fclose(f);
	if (!found) {
		mkdir("/sys/fs/cgroup", 0755);
		found = !mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
	}
	if (!found)
		return false;
	mkdir(cg_root, 0755);
	/* the cpu controller, where the kernel has it, so the moves carry
	 * weights too (sched_ext's cgroup callbacks see them) */
	write_file("/sys/fs/cgroup/cgroup.subtree_control", "+cpu");
	write_file("/sys/fs/cgroup/stress/cgroup.subtree_control", "+cpu");
	mkdir("/sys/fs/cgroup/stress/a", 0755);
	mkdir("/sys/fs/cgroup/stress/b", 0755);
	return access("/sys/fs/cgroup/stress/b/cgroup.procs", W_OK) == 0;
}

static void cgroup_cleanup(void)
{
	rmdir("/sys/fs/cgroup/stress/a");
	rmdir("/sys/fs/cgroup/stress/b");
	rmdir(cg_root);
}

/* ---- workloads ----------------------------------------------------------- */

static const char *churn_note = "";

/* Sets up the workload; returns 77 when it cannot run here. */
static int start_workload(const char *w, int secs)
{
	int c, n;

	if (!strcmp(w, "nice")) {
		/* issue 11 point 2: 7 nice-0 hogs per CPU, one nice-19 task */
		hogs(7 * ncpu, 0, -1, "nice0");
		hogs(ncpu, 5, -1, "nice5");
		hogs(1, 19, -1, "nice19");
	} else if (!strcmp(w, "renice")) {
		hogs(3 * ncpu, 0, -1, "hog");
		spawn_ctl("renice-ctl", renice_ctl, nr_tasks);
	} else if (!strcmp(w, "policy")) {
		hogs(3 * ncpu, 0, -1, "hog");
		spawn_ctl("policy-ctl", policy_ctl, nr_tasks);
	} else if (!strcmp(w, "pinned")) {
		/* uneven on purpose: 4 on the last CPU, 2 on each other */
		for (c = 0; c < ncpu; c++) {
			char g[16];

			snprintf(g, sizeof(g), "pin%d", c);
			hogs(c == ncpu - 1 ? 4 : 2, 0, c, g);
		}
		hogs(2, 0, -1, "free");
	} else if (!strcmp(w, "sleepers")) {
		hogs(2 * ncpu, 0, -1, "hog");
		for (n = 0; n < 2 * ncpu; n++) {
			char name[24];

			snprintf(name, sizeof(name), "sleeper-%d", n);
			spawn(SLEEPER, name, "", 0, -1, sleeper, 0);
		}
	} else if (!strcmp(w, "cgroup")) {
		if (!have_cgroup2()) {
			printf("stress: no cgroup v2 with two writable child groups\n");
			return 77;
		}
		hogs(3 * ncpu, 0, -1, "hog");
		spawn_ctl("cgroup-ctl", cgroup_ctl, nr_tasks);
	} else if (!strcmp(w, "hotplug")) {
		if (ncpu < 2 || access("/sys/devices/system/cpu/cpu1/online", W_OK)) {
			printf("stress: cpu1 cannot go offline here\n");
			return 77;
		}
		hogs(3 * ncpu, 0, -1, "hog");
		spawn_ctl("hotplug-ctl", hotplug_ctl, 0);
	} else if (!strcmp(w, "churn")) {
		char t[16];

		hogs(2 * ncpu, 0, -1, "hog");
		spawn(SLEEPER, "exec-churn", "", 0, -1, exec_churn, 0);
		spawn(SLEEPER, "thread-churn", "", 0, -1, thread_churn, 0);
		for (n = 0; n < ncpu; n++) {
			char name[24];

			snprintf(name, sizeof(name), "fork-storm-%d", n);
			spawn(SLEEPER, name, "", 0, -1, fork_storm, 0);
		}
		/* stress-ng's fork and pthread stressors where it is at hand
		 * (its exec stressor refuses to run as root: exec-churn is
		 * ours) */
		snprintf(t, sizeof(t), "%d", secs);
		if (!access("/stress-ng", X_OK) || !access("/usr/bin/stress-ng", X_OK)) {
			pid_t p = fork();

			if (p == 0) {
				signal(SIGTERM, SIG_DFL);
				set_policy(0, SCHED_OTHER, 0);
				execl(access("/stress-ng", X_OK) ? "/usr/bin/stress-ng" : "/stress-ng",
				      "stress-ng", "--fork", "2", "--pthread", "2", "--quiet",
				      "-t", t, NULL);
				_exit(127);
			}
			add_task(p, CTL, "stress-ng", "");
			churn_note = "stress-ng fork+pthread, own exec and thread churn";
		} else {
			churn_note = "no stress-ng in the guest: own exec and thread churn only";
		}
	} else {
		fprintf(stderr, "stress: unknown workload '%s'\n", w);
		return 2;
	}
	return 0;
}

/* ---- monitor -------------------------------------------------------------- */

/*
 * The monitor is the highest-priority task of the workload (SCHED_FIFO): when
 * it wakes late, the whole guest was not running (the emulator or the host
 * took the time; seen up to ~2 s under TCG on a busy host). Such pauses are
 * no scheduler's doing: they are taken out of every task's gap, and the
 * interval holding one is left out of the shares (the pause was charged to
 * whichever tasks happened to be on a CPU).
 */
static double paused;

/* counted: the interval since the last sample counts towards the shares */
static void sample(double t, bool counted)
{
	unsigned long long v[3];
	char state;
	int i;

	for (i = 0; i < nr_tasks; i++) {
		struct task *k = &tasks[i];

		if (k->gone)
			continue;
		if (!read_schedstat(k->pid, v) || task_cpu(k->pid, &state) < 0 || state == 'Z') {
			k->gone = true;
			continue;
		}
		if (k->last_ok == 0 || v[0] != k->run || state != 'R') {
			k->last_ok = t;
			k->paused_at_ok = paused;
		} else if (t - k->last_ok - (paused - k->paused_at_ok) > k->max_gap) {
			k->max_gap = t - k->last_ok - (paused - k->paused_at_ok);
		}
		if (counted)
			k->share += v[0] - k->run;
		k->run = v[0];
	}
}

/* Mean, min and max CPU seconds of a share group in the counted intervals. */
static int group_stats(const char *g, double *mean, double *min, double *max)
{
	int i, n = 0;
	double sum = 0;

	for (i = 0; i < nr_tasks; i++) {
		double s;

		if (strcmp(tasks[i].group, g) || tasks[i].kind != HOG)
			continue;
		s = tasks[i].share / 1e9;
		if (!n || s < *min)
			*min = s;
		if (!n || s > *max)
			*max = s;
		sum += s;
		n++;
	}
	*mean = n ? sum / n : 0;
	return n;
}

static const char *class_of(const struct task *k, char *buf, size_t sz)
{
	if (k->kind == HOG)
		return k->group;
	snprintf(buf, sz, "%s", k->name);
	/* sleeper-3 -> sleeper, fork-storm-1 -> fork-storm */
	if (k->kind == SLEEPER && strchr(buf, '-') && isdigit((unsigned char)buf[strlen(buf) - 1]))
		*strrchr(buf, '-') = 0;
	return buf;
}

/*
 * Prints one line per class and checks the bounds; returns failures.
 * counted: seconds of the run that count towards the shares.
 */
static int judge(const char *w, double bound, bool shares, double counted, double secs)
{
	char seen[MAX_TASKS][24], buf[24];
	int i, j, nseen = 0, fails = 0;

	for (i = 0; i < nr_tasks; i++) {
		const char *c = class_of(&tasks[i], buf, sizeof(buf));
		double worst = 0, cpu = 0;
		const char *who = "";
		int n = 0, pid = 0;

		if (!strcmp(tasks[i].name, "stress-ng"))
			continue;	/* it forks and exits: its own counters say little */
		for (j = 0; j < nseen && strcmp(seen[j], c); j++)
			;
		if (j < nseen)
			continue;
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", c);
		for (j = i; j < nr_tasks; j++) {
			char b2[24];

			if (strcmp(class_of(&tasks[j], b2, sizeof(b2)), c))
				continue;
			n++;
			cpu += tasks[j].share / 1e9;
			if (tasks[j].max_gap >= worst) {
				worst = tasks[j].max_gap;
				who = tasks[j].name;
				pid = tasks[j].pid;
			}
		}
		printf("starvation %-12s %2d tasks: max %.2f s (%s, pid %d), bound %.2f s: %s; cpu %.2f s\n",
		       c, n, worst, who, pid, bound, worst > bound ? "FAIL" : "ok", cpu);
		if (worst > bound)
			fails++;
	}
	if (!shares) {
		printf("shares: exempt (FIFO scheduler: no weights to check)\n");
		return fails;
	}
	/* a few seconds of slices say nothing about shares: a busy host is no
	 * scheduler's fault, so say so instead of failing */
	if (counted < secs / 2) {
		printf("shares: not judged: only %.1f s of %.1f s without a guest pause\n", counted, secs);
		return fails;
	}
	for (i = 0; i < nseen; i++) {
		double mean, min, max;

		/* unpinned hogs next to pinned ones ("free") are placed, not shared */
		if (group_stats(seen[i], &mean, &min, &max) < 2 || !strcmp(seen[i], "free"))
			continue;
		/* renice/policy/cgroup/hotplug change weights or CPUs on purpose */
		if (strcmp(w, "nice") && strcmp(w, "pinned") && strcmp(w, "sleepers") &&
		    strcmp(w, "churn"))
			continue;
		printf("shares %-12s equal: min %.2f s max %.2f s, ratio %.2f, tolerance %.2f: %s\n",
		       seen[i], min, max, min > 0 ? max / min : 999.0, EQUAL_TOL,
		       min > 0 && max / min <= EQUAL_TOL ? "ok" : "FAIL");
		if (!(min > 0 && max / min <= EQUAL_TOL))
			fails++;
	}
	if (!strcmp(w, "nice")) {
		double m0, m5, lo, hi, r;

		group_stats("nice0", &m0, &lo, &hi);
		group_stats("nice5", &m5, &lo, &hi);
		r = m5 > 0 ? m0 / m5 : 999.0;
		printf("shares nice0/nice5: %.2f, band %.1f-%.1f (weights 100:33): %s\n", r, NICE5_LO,
		       NICE5_HI, r >= NICE5_LO && r <= NICE5_HI ? "ok" : "FAIL");
		if (r < NICE5_LO || r > NICE5_HI)
			fails++;
	}
	return fails;
}

int main(int argc, char **argv)
{
	double secs = 9, watchdog_ms = 4500, t0, t, prev, next, late = 0, pause, counted = 0;
	bool shares = false;
	struct sched_param sp = { .sched_priority = 20 };
	const char *w;
	int opt, i, ret, fails, n = 0;

	if (argc > 1 && !strcmp(argv[1], "nop"))
		return 0;	/* exec-churn's target */
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: stress WORKLOAD [-d SECONDS] [-w WATCHDOG_MS] [-S]\n"
			"workloads: nice renice policy pinned sleepers cgroup hotplug churn\n");
		return 2;
	}
	w = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "d:w:S")) != -1) {
		switch (opt) {
		case 'd': secs = atof(optarg); break;
		case 'w': watchdog_ms = atof(optarg); break;
		case 'S': shares = true; break;
		default: return 2;
		}
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	signal(SIGTERM, SIG_IGN);	/* the kill of our group at the end */
	ret = start_workload(w, (int)secs + 1);
	if (ret)
		return ret;
	/* the monitor runs above every workload task, so its 100 ms cadence
	 * does not depend on the scheduler under test */
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		perror("stress: SCHED_FIFO monitor");
	t0 = prev = next = now_s();
	do {
		struct timespec ts;

		next += SAMPLE_MS / 1000.0;
		ts.tv_sec = (time_t)next;
		ts.tv_nsec = (long)((next - ts.tv_sec) * 1e9);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		t = now_s();
		/* a few ms late is timer slack, not a pause */
		pause = t - prev - SAMPLE_MS / 1000.0;
		pause = pause > 0.02 ? pause : 0;
		paused += pause;
		if (pause > late)
			late = pause;
		if (t > next)
			next = t;	/* no catching up: that would be late again */
		if (t - t0 >= WARMUP_MS / 1000.0 && !pause)
			counted += t - prev;
		sample(t, t - t0 >= WARMUP_MS / 1000.0 && !pause);
		prev = t;
		n++;
	} while (t - t0 < secs);

	/* the load first, so the controllers (which undo what they did:
	 * cpu1 back online) and stress-ng finish on a quiet system */
	for (i = 0; i < nr_tasks; i++)
		kill(tasks[i].pid, tasks[i].kind == CTL ? SIGTERM : SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (!strcmp(w, "cgroup"))
		cgroup_cleanup();

	printf("workload %s: %d tasks on %d CPUs, %.1f s, %d samples; guest paused %.2f s"
	       " (longest %.2f s), not counted as starvation%s%s\n", w, nr_tasks, ncpu, t - t0, n,
	       paused, late, *churn_note ? "; " : "", churn_note);
	fails = judge(w, watchdog_ms / 2000.0, shares, counted, t - t0 - WARMUP_MS / 1000.0);
	printf("stress-result: %s\n", fails ? "FAIL" : "pass");
	return fails ? 1 : 0;
}
