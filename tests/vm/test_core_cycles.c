// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: 200 open/load/attach/detach/destroy cycles leave the process's
 * fd count and RSS flat.
 */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static int nr_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static long rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static void cycle(int i)
{
	struct scx_sched *s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);

	T_ASSERT(s, "open %d", i);
	T_ASSERT(!scx_sched__load(s), "load %d", i);
	T_ASSERT(!scx_sched__attach(s), "attach %d: %s", i, strerror(errno));
	T_ASSERT(!scx_sched__detach(s), "detach %d", i);
	T_ASSERT(scx_exit_info__kind(scx_sched__exit_info(s)) == SCX_EXIT_UNREG, "kind %d", i);
	scx_sched__destroy(s);
}

int main(void)
{
	int fds0, fds1, i;
	long rss0, rss1;
	long long t0 = t_now_ms();

	t_require_sched_ext();
	t_capture_log();
	/* warm up: libbpf and libc allocate caches once */
	for (i = 0; i < 20; i++)
		cycle(i);
	fds0 = nr_fds();
	rss0 = rss_kb();
	for (; i < 200; i++)
		cycle(i);
	fds1 = nr_fds();
	rss1 = rss_kb();
	t_log("200 cycles in %lld ms; fds %d -> %d; RSS %ld -> %ld kB", t_now_ms() - t0,
	      fds0, fds1, rss0, rss1);
	T_ASSERT(fds1 == fds0, "fd leak: %d -> %d", fds0, fds1);
	/* 180 cycles: a leak of even 10 kB per cycle would show as 1.8 MB */
	T_ASSERT(rss1 - rss0 < 1024, "RSS grew %ld kB", rss1 - rss0);
	return T_PASS;
}
