// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: libscx's own path for libbpf older than 1.5, where a loaded
 * object's global sections are not mapped over bpf_map__initial_value(). The
 * test is linked with -Wl,--wrap for libbpf_minor_version and
 * bpf_map__initial_value, so the libbpf 1.5 it runs with behaves as 1.4 does
 * for libscx: it says it is 1.4, and once a map exists the memory it returns
 * is a copy that nothing updates. libscx then maps the globals itself, and a
 * global the BPF side changes reads live after load (raw_fifo.bpf.o's enqueue
 * counter keeps rising), and the exit record the BPF side writes at detach is
 * the one reported (kind UNREG from raw_fifo's own uei in .data). Reading the
 * stale copy instead, the counter would never move. And when libscx cannot
 * map a section (mmap is wrapped too, failing once libbpf's own load is
 * done), the load fails with a message that says so, attach is refused, and
 * the handle can only be closed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <scx/scx.h>
#include "testlib.h"

int __wrap_libbpf_minor_version(void);
void *__real_bpf_map__initial_value(const struct bpf_map *map, size_t *psize);
void *__wrap_bpf_map__initial_value(const struct bpf_map *map, size_t *psize);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

/*
 * fail_after_load: make libscx's mapping of the sections fail. libscx asks
 * the version right after bpf_object__load() (which maps the sections itself
 * in this libbpf), so from that question on, shared mappings of a map fail.
 */
static bool fail_after_load, failing;

int __wrap_libbpf_minor_version(void)
{
	if (fail_after_load)
		failing = true;
	return 4;
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (failing && fd >= 0 && (flags & MAP_SHARED)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return __real_mmap(addr, len, prot, flags, fd, off);
}

/* Before a map exists, its initial value (what load uses); after, a copy
 * taken then and never updated, as libbpf before 1.5 left it. */
static struct {
	const struct bpf_map *map;
	void *copy;
} stale[16];

void *__wrap_bpf_map__initial_value(const struct bpf_map *map, size_t *psize)
{
	void *mem = __real_bpf_map__initial_value(map, psize);
	size_t i;

	if (!mem || bpf_map__fd(map) < 0)
		return mem;
	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		if (stale[i].map == map)
			return stale[i].copy;
		if (!stale[i].map) {
			stale[i].copy = malloc(*psize);
			T_ASSERT(stale[i].copy, "malloc");
			memcpy(stale[i].copy, mem, *psize);
			stale[i].map = map;
			return stale[i].copy;
		}
	}
	T_ASSERT(0, "more maps than the test keeps copies for");
	return NULL;
}

static struct scx_sched *s;

static void cleanup(void)
{
	scx_sched__destroy(s);
}

static __u64 enqueued(void)
{
	__u64 v = 0;

	T_ASSERT(scx_sched__get_global(s, "nr_enqueued", &v, sizeof(v)) == 0, "get_global");
	return v;
}

int main(void)
{
	const struct scx_exit_info *ei;
	__u64 first, later = 0;
	pid_t spin[3];
	long long t0;
	int i;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);
	T_ASSERT(libbpf_major_version() == 1 && libbpf_minor_version() == 4,
		 "the wrap did not take: libbpf says %u.%u", libbpf_major_version(),
		 libbpf_minor_version());

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s, "open: %s", strerror(errno));
	T_ASSERT(scx_sched__load(s) == 0, "load");
	T_ASSERT(scx_sched__attach(s) == 0, "attach");
	for (i = 0; i < 3; i++)
		spin[i] = t_spawn_spinner(-1, 0);

	/* the counter, read through libscx, follows the BPF side */
	t0 = t_now_ms();
	while ((first = enqueued()) == 0 && t_now_ms() - t0 < T_WAIT_MIN_MS)
		usleep(10000);
	t0 = t_now_ms();
	while ((later = enqueued()) <= first && t_now_ms() - t0 < T_WAIT_MIN_MS)
		usleep(10000);
	for (i = 0; i < 3; i++)
		t_kill(spin[i]);
	t_log("nr_enqueued read %llu, then %llu", (unsigned long long)first,
	      (unsigned long long)later);
	T_ASSERT(first > 0 && later > first, "nr_enqueued does not read live after load");

	T_ASSERT(scx_sched__detach(s) == 0, "detach");
	T_ASSERT(scx_sched__wait(s, 5000) == 0, "wait");
	ei = scx_sched__exit_info(s);
	t_log("exit: kind %s reason '%s'", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__reason(ei));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_UNREG, "kind");
	scx_sched__destroy(s);

	/* libscx cannot map the sections: a failed load, said as such */
	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s, "open: %s", strerror(errno));
	fail_after_load = true;
	T_ASSERT(scx_sched__load(s) == -ENOMEM, "load did not fail with ENOMEM");
	fail_after_load = failing = false;
	T_ASSERT(t_log_has("globals could not be read"), "no message about the mapping");
	T_ASSERT(scx_sched__attach(s) < 0, "attach after the failed load");
	T_ASSERT(scx_sched__load(s) < 0, "a second load");
	T_ASSERT(t_wait_state("disabled", 2000), "sched_ext not disabled");
	scx_sched__destroy(s);
	s = NULL;
	return T_PASS;
}
