// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: attaching while fair-class tasks keep every CPU busy enables
 * the scheduler, and the attaching thread's policy and nice are as before.
 *
 * The kernel switches every task to sched_ext from the thread that attaches,
 * its own class included. Before the kernel ran that loop in an RT kthread
 * (upstream b06ccbabe, 7.0 fixes), a thread on sched_ext (below the fair
 * class) could not run again while a fair task was runnable on its CPU, and
 * only it could switch those fair tasks: the kernel's watchdog ejected the
 * scheduler while enabling ("watchdog failed to check in"). The set-up
 * makes that certain on such kernels: one spinner per CPU, created after
 * the attaching thread (so switched after it), a thread per CPU that wakes
 * every 0.5 ms (a fair wakeup preempts a sched_ext task at once), and 2000
 * sleeping threads in between for the loop to switch. On such a kernel the
 * stall is for good (the kernel's disable waits for the enable to finish),
 * so a rescuer at SCHED_FIFO kills the spinners when the attach has not
 * returned after 60 s, and the test fails saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

#define CROWD 2000
#define MAX_CPUS 64

static struct scx_sched *s;
static pid_t crowd, rescuer, spin[MAX_CPUS], wake[MAX_CPUS];
static int ncpu;

static void cleanup(void)
{
	for (int i = 0; i < ncpu; i++) {
		t_kill(spin[i]);
		t_kill(wake[i]);
	}
	t_kill(crowd);
	t_kill(rescuer);
	scx_sched__destroy(s);
	s = NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A child with CROWD threads asleep; returns once they all exist. */
static pid_t spawn_crowd(void)
{
	int fd[2];
	char c;
	pid_t pid;

	T_ASSERT(!pipe(fd), "pipe");
	pid = fork();
	if (pid == 0) {
		pthread_attr_t a;
		pthread_t t;

		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 64 * 1024);
		for (int i = 0; i < CROWD; i++)
			if (pthread_create(&t, &a, sleeper, NULL))
				_exit(1);
		if (write(fd[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fd[1]);
	T_ASSERT(pid > 0 && read(fd[0], &c, 1) == 1, "the %d sleeping threads were not created", CROWD);
	close(fd[0]);
	return pid;
}

static pid_t spawn_waker(int cpu)
{
	pid_t pid = fork();

	if (pid == 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		for (;;)
			usleep(500);
	}
	return pid;
}

/*
 * A child above the fair class that ends the saturation if the attach has
 * not returned (the test kills it when it does) after RESCUE_MS, and then
 * writes 'R' to fd. Not a wait on the state file: on a kernel that stalls,
 * its watchdog turns "enabling" into "disabling" while the stall goes on.
 */
#define RESCUE_MS 60000
static pid_t spawn_rescuer(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sched_param sp = { .sched_priority = 2 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			_exit(1);
		for (int ms = 0; ms < RESCUE_MS; ms += 100)
			usleep(100 * 1000);
		for (int i = 0; i < ncpu; i++) {
			kill(spin[i], SIGKILL);
			kill(wake[i], SIGKILL);
		}
		_exit(write(fd, "R", 1) == 1 ? 0 : 1);
	}
	return pid;
}

/* This thread's policy (with SCHED_RESET_ON_FORK), RT priority and nice. */
struct prio {
	int policy, rt, nice;
};

static struct prio get_prio(void)
{
	struct sched_param sp = {};
	struct prio p;

	errno = 0;
	p.policy = sched_getscheduler(0);
	T_ASSERT(p.policy >= 0 && !sched_getparam(0, &sp), "sched_getscheduler: %s", strerror(errno));
	p.rt = sp.sched_priority;
	p.nice = getpriority(PRIO_PROCESS, 0);
	T_ASSERT(!errno, "getpriority: %s", strerror(errno));
	return p;
}

int main(void)
{
	struct scx_sched_opts opts = { .sz = sizeof(opts) };
	struct prio before, after;
	char buf[64], r = 0;
	int err, fd[2];

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	/* a nice of our own, which the attach must give back */
	T_ASSERT(!setpriority(PRIO_PROCESS, 0, 3), "setpriority");
	before = get_prio();
	T_ASSERT(before.policy == SCHED_OTHER && before.nice == 3, "policy %d nice %d", before.policy,
		 before.nice);

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), &opts);
	T_ASSERT(s && !scx_sched__load(s), "open and load raw_fifo.bpf.o");

	ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	T_ASSERT(ncpu > 0 && ncpu <= MAX_CPUS, "%d CPUs", ncpu);
	crowd = spawn_crowd();
	for (int i = 0; i < ncpu; i++) {
		spin[i] = t_spawn_spinner(i, 0);
		wake[i] = spawn_waker(i);
		T_ASSERT(spin[i] > 0 && wake[i] > 0, "fork");
	}

	T_ASSERT(!pipe2(fd, O_NONBLOCK), "pipe");
	rescuer = spawn_rescuer(fd[1]);
	T_ASSERT(rescuer > 0, "fork");

	err = scx_sched__attach(s);
	t_kill(rescuer);
	rescuer = 0;
	T_ASSERT(read(fd[0], &r, 1) != 1, "the enable stalled: the attach had not returned after %d s "
		 "with fair tasks busy on every CPU, until a rescuer killed them (attach: %s)",
		 RESCUE_MS / 1000, strerror(-err));
	T_ASSERT(err == 0, "attach under saturation: %s", strerror(-err));
	T_ASSERT(!strcmp(t_scx_read("state", buf, sizeof(buf)), "enabled"), "state %s", buf);
	for (int i = 0; i < ncpu; i++)
		T_ASSERT(t_wait_on_scx(spin[i], 1, 10000), "spinner on cpu %d not on sched_ext", i);

	after = get_prio();
	T_ASSERT(after.policy == before.policy && after.rt == before.rt && after.nice == before.nice,
		 "attach left this thread at policy %d, RT priority %d, nice %d (was %d, %d, %d)",
		 after.policy, after.rt, after.nice, before.policy, before.rt, before.nice);
	T_ASSERT(t_wait_on_scx(getpid(), 1, 10000), "this thread is not on sched_ext");

	/* still scheduling everyone a while later */
	T_ASSERT(scx_sched__wait(s, 2000) == -ETIMEDOUT, "exited: %s",
		 scx_exit_info__msg(scx_sched__exit_info(s)));
	T_ASSERT(!scx_sched__detach(s), "detach");
	T_ASSERT(t_wait_state("disabled", 10000), "sched_ext still enabled");
	cleanup();
	return T_PASS;
}
