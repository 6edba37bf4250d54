// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the per-CPU counters of stats.bpf.h, summed by libscx
 * (scx_sched__read_counter, scx_sched__for_each_counter), equal what the BPF
 * side counted with atomics in plain globals. Through the public libscx API.
 * VM only: skips (77) on kernels without sched_ext.
 */
#include <scx/scx.h>
#include "sample_util.h"

static const char *const names[] = { "enqueues", "dispatches", "weight_sum" };

static int count_names(const char *name, __u64 value, void *ctx)
{
	for (unsigned int i = 0; i < 3; i++)
		if (!strcmp(name, names[i]))
			(*(int *)ctx)++;
	printf("counter %s = %llu\n", name, (unsigned long long)value);
	return 0;
}

int main(void)
{
	static const char *const refs[] = { "ref_enqueues", "ref_dispatches", "ref_weight_sum" };
	struct scx_sched *s;
	int ok = 1, seen = 0;
	pid_t a, b;

	su_require_sched_ext();
	s = scx_sched__open_file("counters.bpf.o", NULL);
	if (!s || scx_sched__load(s) || scx_sched__attach(s)) {
		printf("open/load/attach: %s\n", strerror(errno));
		return 1;
	}
	a = su_spin(-1, 0);
	b = su_spin(-1, 3);
	/* run until enough was counted to compare, however slowly the VM runs */
	for (int i = 0; i < SU_WAIT_MIN_MS / 10; i++) {
		__u64 n = 0;

		if (!scx_sched__read_counter(s, "enqueues", &n) && n >= 200)
			break;
		usleep(10000);
	}
	su_kill(a);
	su_kill(b);
	/* Detach first: the counts must be final when compared. */
	scx_sched__detach(s);
	for (unsigned int i = 0; i < 3; i++) {
		__u64 sum = 0, ref = 0;

		if (scx_sched__read_counter(s, names[i], &sum) ||
		    scx_sched__get_global(s, refs[i], &ref, sizeof(ref))) {
			printf("%s: cannot read: %s\n", names[i], strerror(errno));
			ok = 0;
			continue;
		}
		printf("%s: per-CPU sum %llu, BPF reference %llu\n", names[i],
		       (unsigned long long)sum, (unsigned long long)ref);
		if (sum != ref || (i == 0 && sum == 0))
			ok = 0;
	}
	if (scx_sched__for_each_counter(s, count_names, &seen) < 0 || seen != 3) {
		printf("for_each_counter saw %d of the 3 counters\n", seen);
		ok = 0;
	}
	scx_sched__destroy(s);
	return ok ? 0 : 1;
}
