// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for the sysfs and procfs readers behind scxtool status and
 * tasks: scx_system__status() (state, root/ops and the sequence counters),
 * scx_system__for_each_event() and scx_system__event() (root/events) and
 * scx_task__on_scx() (/proc/PID/sched), on a fake root directory where the
 * input replaces one file (the first byte picks which). The topology readers
 * have their own target (fuzz_cpulist).
 */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scx/monitor.h>

#include "fuzz_common.h"

static const char *const files[] = {
	"sys/kernel/sched_ext/state",
	"sys/kernel/sched_ext/root/ops",
	"sys/kernel/sched_ext/switch_all",
	"sys/kernel/sched_ext/enable_seq",
	"sys/kernel/sched_ext/nr_rejected",
	"sys/kernel/sched_ext/hotplug_seq",
	"sys/kernel/sched_ext/root/events",
	"proc/4242/sched",
};
#define NR_FILES (sizeof(files) / sizeof(files[0]))

static const char *const defaults[NR_FILES] = {
	"enabled\n", "fuzz\n", "1\n", "7\n", "0\n", "3\n",
	"SCX_EV_SELECT_CPU_FALLBACK                   : 12\nSCX_EV_DISPATCH_KEEP_LAST 0\n",
	"fuzz (4242, #threads: 1)\n-------\nse.exec_start : 1.0\next.enabled : 1\n",
};

static char root[64], sys[96], proc[96];

static void put(size_t i, const void *data, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, files[i]);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "fuzz_sysfs: cannot remove %s\n", root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[512];

	fuzz_quiet();
	snprintf(root, sizeof(root), "%.40s/libscx-fuzz-sysfs-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	atexit(cleanup);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/kernel/sched_ext/root' '%s/proc/4242'",
		 root, root);
	if (system(cmd))
		abort();
	for (size_t i = 0; i < NR_FILES; i++)
		put(i, defaults[i], strlen(defaults[i]));
	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	return 0;
}

static int each(const char *name, __u64 v, void *ctx)
{
	if (strnlen(name, 128) >= 128)
		abort();
	return ++*(int *)ctx >= 1000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SCX_OPTS(scx_monitor_opts, opts, .sysfs_root = sys, .procfs_root = proc);
	struct scx_system_status st = { .sz = sizeof(st) };
	size_t which;
	int n = 0, ret;
	__u64 v;

	if (size < 1)
		return 0;
	which = data[0] % NR_FILES;
	put(which, data + 1, size - 1);
	ret = scx_system__status(&st, &opts);
	if (ret < 0 && ret != -ENOENT && ret != -EINVAL)
		abort();
	if (ret >= 0 && ret != (int)sizeof(st))
		abort();
	if (ret > 0 && (strnlen(st.state, sizeof(st.state)) >= sizeof(st.state) ||
		     strnlen(st.ops, sizeof(st.ops)) >= sizeof(st.ops)))
		abort();
	scx_system__for_each_event(each, &n, &opts);
	scx_system__event("SELECT_CPU_FALLBACK", &v, &opts);
	ret = scx_task__on_scx(4242, &opts);
	if (ret != 0 && ret != 1 && ret != -EOPNOTSUPP)
		abort();
	put(which, defaults[which], strlen(defaults[which]));
	return 0;
}
