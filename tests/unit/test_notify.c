// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: libscx's side of systemd's notification protocol (notify.c),
 * against a datagram socket of the test's own standing in for the service
 * manager: $NOTIFY_SOCKET as a path and as an abstract name ('@'), nothing
 * sent (and nothing opened) without it or with an address libscx does not
 * speak, a manager that went away (the send fails, is logged at debug level
 * and nothing else happens), the watchdog keep-alive only when
 * $WATCHDOG_USEC asks for one and $WATCHDOG_PID names this process, and
 * scx_sched__run() reporting a scheduler it could not start in STATUS=
 * without READY=1. READY=1 after an attach needs sched_ext: tests/vm covers
 * it (tests/vm/test_service.sh, in a systemd guest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <scx/sched.h>

#include "internal.h"
#include "notify.h"
#include "unit_util.h"

/* The stand-in manager: a bound datagram socket and its $NOTIFY_SOCKET. */
static int mgr = -1;
static char env[108];
static char dir[] = "/tmp/libscx-notify-XXXXXX";

static void listen_at(bool abstract)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	struct timeval tv = { .tv_sec = 2 };

	mgr = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(mgr >= 0);
	if (abstract) {
		snprintf(env, sizeof(env), "@libscx-notify-test-%d", (int)getpid());
		memcpy(sa.sun_path + 1, env + 1, strlen(env) - 1);
		len = offsetof(struct sockaddr_un, sun_path) + strlen(env);
	} else {
		snprintf(env, sizeof(env), "%s/notify", dir);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", env);
		len = sizeof(sa);
	}
	assert_int_equal(bind(mgr, (struct sockaddr *)&sa, len), 0);
	/* a missing message fails the test instead of hanging it */
	assert_int_equal(setsockopt(mgr, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(setenv("NOTIFY_SOCKET", env, 1), 0);
}

/* The next datagram, NUL-terminated; "" when none came within 2 s. */
static const char *next_msg(void)
{
	static char buf[2048];
	ssize_t n = recv(mgr, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* True when nothing is waiting (without waiting for it). */
static bool nothing_sent(void)
{
	char c;

	return recv(mgr, &c, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	return u_setup_log(state);
}

static int teardown(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/notify", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* each test starts with no manager and none of systemd's variables */
static int clean_env(void **state)
{
	char path[128];

	(void)state;
	if (mgr >= 0)
		close(mgr);
	mgr = -1;
	snprintf(path, sizeof(path), "%s/notify", dir);
	unlink(path);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	u_log_clear();
	return 0;
}

static void path_socket(void **state)
{
	struct scx_notify n;

	(void)state;
	listen_at(false);
	scx__notify_open(&n);
	assert_true(n.fd >= 0);
	assert_int_equal(scx__notify(&n, "READY=1\nSTATUS=Attached %s", "vtime"), 0);
	assert_string_equal(next_msg(), "READY=1\nSTATUS=Attached vtime");
	assert_int_equal(scx__notify(&n, "STOPPING=1"), 0);
	assert_string_equal(next_msg(), "STOPPING=1");
	scx__notify_close(&n);
	assert_int_equal(n.fd, -1);
	/* closed: nothing goes out */
	assert_int_equal(scx__notify(&n, "READY=1"), 0);
	assert_true(nothing_sent());
}

static void abstract_socket(void **state)
{
	struct scx_notify n;

	(void)state;
	listen_at(true);
	scx__notify_open(&n);
	assert_true(n.fd >= 0);
	assert_int_equal(scx__notify(&n, "STATUS=%s", "abstract"), 0);
	assert_string_equal(next_msg(), "STATUS=abstract");
	scx__notify_close(&n);
}

/* No $NOTIFY_SOCKET, an empty one, one too long for sun_path, a relative
 * path and systemd 254's vsock addresses: nothing opened, nothing sent,
 * every call harmless. */
static void no_manager(void **state)
{
	static const char *const bad[] = { "", "relative/path", "vsock:2:1234" };
	char longpath[200];
	struct scx_notify n;
	size_t i;

	(void)state;
	scx__notify_open(&n);
	assert_int_equal(n.fd, -1);
	assert_int_equal(scx__notify(&n, "READY=1"), 0);
	scx__notify_watchdog(&n, 1LL << 40);
	assert_int_equal(scx__notify_wait_ms(&n, 0), -1);
	scx__notify_close(&n);

	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	for (i = 0; i <= sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("NOTIFY_SOCKET", i < sizeof(bad) / sizeof(bad[0]) ? bad[i] : longpath, 1);
		scx__notify_open(&n);
		assert_int_equal(n.fd, -1);
		assert_int_equal(scx__notify(&n, "READY=1"), 0);
	}
}

/* The manager is gone: the send fails with its errno, the log says so at
 * debug level only, and the caller carries on. */
static void manager_gone(void **state)
{
	struct scx_notify n;
	char path[128];
	int err;

	(void)state;
	listen_at(false);
	scx__notify_open(&n);
	assert_true(n.fd >= 0);
	snprintf(path, sizeof(path), "%s/notify", dir);
	close(mgr);
	mgr = -1;
	unlink(path);
	err = scx__notify(&n, "READY=1\nSTATUS=Attached x");
	assert_true(err == -ENOENT || err == -ECONNREFUSED);
	assert_true(u_log_has("notify: cannot tell the service manager \"READY=1\""));
	scx__notify_close(&n);
}

/* The level of the last message about notifying. */
static int notify_level = -1;

static int level_capture(enum scx_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "notify:"))
		notify_level = level;
	return 0;
}

/* A failed send is news for debugging only: a service manager that went
 * away is no reason to warn in the scheduler's own output. */
static void debug_only(void **state)
{
	scx_print_fn_t old = scx_set_print(level_capture);
	struct scx_notify n;

	(void)state;
	listen_at(false);
	scx__notify_open(&n);
	close(mgr);
	mgr = -1;
	assert_true(scx__notify(&n, "READY=1") < 0);
	assert_int_equal(notify_level, SCX_DEBUG);
	scx__notify_close(&n);
	scx_set_print(old);
}

static void watchdog(void **state)
{
	struct scx_notify n;
	char pid[32];

	(void)state;
	listen_at(false);
	setenv("WATCHDOG_USEC", "200000", 1);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	scx__notify_open(&n);
	/* pinged at half the interval */
	assert_int_equal(n.watchdog_ms, 100);
	assert_true(scx__notify_wait_ms(&n, n.watchdog_next - 100) == 100);
	assert_int_equal(scx__notify_wait_ms(&n, n.watchdog_next + 5), 0);
	/* not due yet: nothing */
	scx__notify_watchdog(&n, n.watchdog_next - 1);
	assert_true(nothing_sent());
	scx__notify_watchdog(&n, n.watchdog_next);
	assert_string_equal(next_msg(), "WATCHDOG=1");
	/* the next one is an interval later */
	scx__notify_watchdog(&n, n.watchdog_next - 1);
	assert_true(nothing_sent());
	scx__notify_watchdog(&n, n.watchdog_next);
	assert_string_equal(next_msg(), "WATCHDOG=1");
	scx__notify_close(&n);
}

/* WATCHDOG_PID naming another process, or a bad WATCHDOG_USEC: no watchdog,
 * but notifications still go out. */
static void watchdog_not_ours(void **state)
{
	static const char *const usec[] = { "200000", "0", "12x", "" };
	struct scx_notify n;
	char pid[32];
	size_t i;

	(void)state;
	listen_at(false);
	for (i = 0; i < sizeof(usec) / sizeof(usec[0]); i++) {
		setenv("WATCHDOG_USEC", usec[i], 1);
		snprintf(pid, sizeof(pid), "%d", i ? (int)getpid() : (int)getpid() + 1);
		setenv("WATCHDOG_PID", pid, 1);
		scx__notify_open(&n);
		assert_true(n.fd >= 0);
		assert_int_equal(n.watchdog_ms, 0);
		assert_int_equal(scx__notify_wait_ms(&n, 0), -1);
		scx__notify_watchdog(&n, 1LL << 40);
		assert_true(nothing_sent());
		scx__notify_close(&n);
	}
	/* no WATCHDOG_PID: meant for whoever reads it */
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "3000000", 1);
	scx__notify_open(&n);
	assert_int_equal(n.watchdog_ms, 1500);
	scx__notify_close(&n);
}

/* A message longer than the buffer goes out cut, not lost. */
static void long_status(void **state)
{
	struct scx_notify n;
	char big[3000];
	const char *m;

	(void)state;
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	listen_at(false);
	scx__notify_open(&n);
	assert_int_equal(scx__notify(&n, "STATUS=%s", big), 0);
	m = next_msg();
	assert_true(strncmp(m, "STATUS=rrrr", 11) == 0);
	assert_true(strlen(m) > 1000);
	scx__notify_close(&n);
}

/* scx_sched__run() on a host without sched_ext: the load fails, so no
 * READY=1, and the status line says why. On a sched_ext host the load would
 * attach for real: skipped there (tests/allowed-skips). */
static void run_cannot_start(void **state)
{
	SCX_OPTS(scx_sched_opts, o);
	SCX_OPTS(scx_run_opts, ro);
	struct scx_sched *s;
	const char *btf, *m;

	(void)state;
	if (access("/sys/kernel/sched_ext", F_OK) == 0) {
		print_message("# the host has sched_ext: run() would attach\n");
		skip();
	}
	U_REQUIRE_BTF(btf);
	o.btf_path = btf;
	s = scx_sched__open_file(u_obj("counters.bpf.o"), &o);
	if (!s)
		fail_msg("open counters.bpf.o: %s\n%s", strerror(errno), u_log);
	listen_at(false);
	assert_true(scx_sched__run(s, &ro) < 0);
	m = next_msg();
	assert_true(strncmp(m, "STATUS=Cannot start ", 20) == 0);
	assert_null(strstr(m, "READY=1"));
	assert_true(nothing_sent());
	scx_sched__destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(path_socket, clean_env),
		cmocka_unit_test_setup(abstract_socket, clean_env),
		cmocka_unit_test_setup(no_manager, clean_env),
		cmocka_unit_test_setup(manager_gone, clean_env),
		cmocka_unit_test_setup(debug_only, clean_env),
		cmocka_unit_test_setup(watchdog, clean_env),
		cmocka_unit_test_setup(watchdog_not_ours, clean_env),
		cmocka_unit_test_setup(long_status, clean_env),
		cmocka_unit_test_setup(run_cannot_start, clean_env),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
