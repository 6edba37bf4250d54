// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: compat.bpf.h picks, on the running kernel, the variant of
 * each changed kfunc that the kernel wants used: the struct-argument
 * __scx_bpf_dsq_insert_vtime and __scx_bpf_select_cpu_and wherever the
 * kernel's BTF has them with their documented prototype (the five-argument
 * ones are marked for removal), and the lockless scx_bpf_dsq_peek only from
 * 7.1 on (before, it could return a stale head). The expectation is read
 * from the kernel's own BTF and release, not from a table, and compared with
 * what compat_all.bpf.o recorded in ops.init. VM only (77 without sched_ext).
 *
 * Issue 11, point 4: failed on 7.3.4 before the struct-argument variants
 * were used.
 */
#include <sys/utsname.h>

#include "sample_util.h"

/* Does vmlinux BTF have function name with nr_params parameters? */
static bool kfunc_with(const struct btf *btf, const char *name, int nr_params)
{
	const struct btf_type *t;
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);

	if (id < 0)
		return false;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	return t && btf_is_func_proto(t) && btf_vlen(t) == nr_params;
}

static bool release_at_least(int major, int minor)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return false;
	return a > major || (a == major && b >= minor);
}

static int check(const char *what, __u64 *got, bool want)
{
	if (!got) {
		printf("%s: global not found in the object\n", what);
		return 1;
	}
	printf("%s: %s (expected %s)\n", what, *got ? "yes" : "no", want ? "yes" : "no");
	return !!*got != want;
}

int main(void)
{
	const char *obj = "compat_all.bpf.o";
	struct btf *btf;
	struct su_sched s;
	bool want_ins, want_sel, want_peek;
	int bad = 0;

	su_require_sched_ext();
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		printf("cannot read the kernel's BTF: %s\n", strerror(errno));
		return 1;
	}
	want_ins = kfunc_with(btf, "__scx_bpf_dsq_insert_vtime", 2);
	want_sel = kfunc_with(btf, "__scx_bpf_select_cpu_and", 3);
	want_peek = kfunc_with(btf, "scx_bpf_dsq_peek", 1) && release_at_least(7, 1);
	btf__free(btf);

	if (su_open(&s, obj) || su_load_attach(&s, obj))
		return 1;
	bad |= check("__scx_bpf_dsq_insert_vtime (struct arguments)",
		     su_global(s.obj, "bound_insert_vtime_args", NULL), want_ins);
	bad |= check("__scx_bpf_select_cpu_and (struct arguments)",
		     su_global(s.obj, "bound_select_cpu_and_args", NULL), want_sel);
	bad |= check("scx_bpf_dsq_peek", su_global(s.obj, "bound_peek", NULL), want_peek);
	if (su_close(&s) != SCX_EXIT_UNREG_KIND) {
		printf("the scheduler did not end with UNREG\n");
		return 1;
	}
	return bad;
}
