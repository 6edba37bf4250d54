// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>

#include <scx/scx.h>
#include <scx/topology.h>
#include "testlib.h"

static void (*fail_fn)(void);

void t_on_fail(void (*fn)(void))
{
	fail_fn = fn;
}

void t_cleanup(void)
{
	if (fail_fn)
		fail_fn();
}

void t_require_sched_ext(void)
{
	if (access("/sys/kernel/sched_ext", F_OK)) {
		printf("this kernel has no sched_ext (the test runs in tools/scx-vm)\n");
		exit(T_SKIP);
	}
}

const char *t_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;

	if (*dir)
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return ".";
	dir[n] = '\0';
	*strrchr(dir, '/') = '\0';
	return dir;
}

const char *t_path(const char *name)
{
	static char bufs[4][PATH_MAX];
	static int slot;
	char *b = bufs[slot++ % 4];

	snprintf(b, PATH_MAX, "%s/%s", t_dir(), name);
	return b;
}

const char *t_read_line(const char *path, char *buf, size_t size)
{
	FILE *f;

	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return buf;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

const char *t_scx_read(const char *file, char *buf, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/sched_ext/%s", file);
	return t_read_line(path, buf, size);
}

int t_failures;

long long t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Poll cond(arg) every 10 ms until it holds; give up after ms, at least
 * T_WAIT_MIN_MS. */
static bool poll_until(bool (*cond)(const void *), const void *arg, int ms)
{
	long long end = t_now_ms() + (ms < T_WAIT_MIN_MS ? T_WAIT_MIN_MS : ms);

	do {
		if (cond(arg))
			return true;
		usleep(10000);
	} while (t_now_ms() < end);
	return false;
}

static bool state_is(const void *want)
{
	char buf[64];

	return !strcmp(t_scx_read("state", buf, sizeof(buf)), want);
}

bool t_wait_state(const char *want, int ms)
{
	return poll_until(state_is, want, ms);
}

long long t_enable_seq(void)
{
	char buf[32];

	return *t_scx_read("enable_seq", buf, sizeof(buf)) ? strtoll(buf, NULL, 10) : -1;
}

static bool enabled_after(const void *seq)
{
	return t_enable_seq() > *(const long long *)seq && state_is("enabled");
}

bool t_wait_enabled_after(long long seq, int ms)
{
	return poll_until(enabled_after, &seq, ms);
}

int t_task_on_scx(pid_t pid)
{
	int ret = scx_task__on_scx(pid, NULL);

	return ret < 0 ? -1 : ret;
}

struct on_scx { pid_t pid; int want; };

static bool on_scx_is(const void *arg)
{
	const struct on_scx *o = arg;

	return t_task_on_scx(o->pid) == o->want;
}

bool t_wait_on_scx(pid_t pid, int want, int ms)
{
	struct on_scx o = { pid, want };

	return poll_until(on_scx_is, &o, ms);
}

pid_t t_spawn_spinner(int cpu, int nice)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile unsigned long n = 0;

		if (cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		if (nice)
			setpriority(PRIO_PROCESS, 0, nice);
		for (;;)
			n++;
	}
	return pid;
}

void t_kill(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

bool t_set_online_quiet(int cpu, bool on)
{
	char path[64];
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok;
}

int t_task_cpu(pid_t pid)
{
	char path[64], buf[1024], *p;
	int field = 2;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	t_read_line(path, buf, sizeof(buf));
	p = strrchr(buf, ')');	/* the name may hold spaces */
	if (!p)
		return -1;
	for (p++; *p && field < 39; p++)
		if (*p == ' ')
			field++;
	return field == 39 ? atoi(p) : -1;
}

long long t_task_runtime_ns(pid_t pid)
{
	char path[64], buf[128];
	long long ns;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	t_read_line(path, buf, sizeof(buf));
	return sscanf(buf, "%lld", &ns) == 1 ? ns : -1;
}

bool t_stat_fields(const char *path, int first, int n, unsigned long long *out)
{
	char buf[1024], *p;
	FILE *f = fopen(path, "r");
	int i;

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return false;
	}
	fclose(f);
	/* the comm may hold spaces: count fields from its closing paren,
	 * which ends field 2 */
	p = strrchr(buf, ')');
	for (i = 3; i <= first && p; i++)
		p = strchr(p + 1, ' ');
	for (i = 0; i < n; i++) {
		if (!p || sscanf(p, " %llu", &out[i]) != 1)
			return false;
		p = strchr(p + 1, ' ');
	}
	return true;
}

long long t_task_cpu_ticks(pid_t pid)
{
	char path[64];
	unsigned long long v[2];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	/* utime is field 14, stime 15 */
	if (!t_stat_fields(path, 14, 2, v))
		return -1;
	return v[0] + v[1];
}

int t_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

bool t_kmsg_has(int kmsg, const char *needle)
{
	long long end = t_now_ms() + T_WAIT_MIN_MS;
	char rec[8192];

	while (kmsg >= 0 && t_now_ms() < end) {
		ssize_t n = read(kmsg, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EAGAIN) {
			usleep(10000);
			continue;
		}
		/* records were overwritten before we read them: go on */
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			return false;
		rec[n] = '\0';
		if (strstr(rec, needle))
			return true;
	}
	return false;
}

static char logbuf[64 * 1024];
static size_t loglen;

static int capture(enum scx_print_level level, const char *fmt, va_list ap)
{
	char line[4096];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (level == SCX_DEBUG)
		return n;
	printf("  [log] %s", line);
	if (n > 0 && loglen + n < sizeof(logbuf)) {
		memcpy(logbuf + loglen, line, n);
		loglen += n;
		logbuf[loglen] = '\0';
	}
	return n;
}

void t_capture_log(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	scx_set_print(capture);
}

bool t_log_has(const char *needle)
{
	return strstr(logbuf, needle) != NULL;
}

void t_log_clear(void)
{
	loglen = 0;
	logbuf[0] = '\0';
}

struct scx_sched *t_attach_file(const char *obj)
{
	struct scx_sched *s = scx_sched__open_file(t_path(obj), NULL);

	T_ASSERT(s, "open %s: %s", obj, strerror(errno));
	T_ASSERT(!scx_sched__load(s), "load %s: %s", obj, strerror(errno));
	T_ASSERT(!scx_sched__attach(s), "attach %s: %s", obj, strerror(errno));
	T_ASSERT(t_wait_state("enabled", 10000), "%s: not enabled", obj);
	return s;
}

void t_domain_of(const struct scx_topology *topo, int cpu, int level, cpu_set_t *set)
{
	struct scx_topo_cpu c = { .sz = sizeof(c) };
	int cpus[CPU_SETSIZE], n, i, id;

	CPU_ZERO(set);
	if (scx_topology__cpu(topo, cpu, &c) < 0)
		return;
	switch (level) {
	case SCX_TOPO_CORE: id = c.core; break;
	case SCX_TOPO_LLC: id = c.llc; break;
	case SCX_TOPO_NODE: id = c.node; break;
	case SCX_TOPO_PACKAGE: id = c.package; break;
	default: return;
	}
	n = scx_topology__domain_cpus(topo, level, id, cpus, CPU_SETSIZE);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(cpus[i], set);
}
