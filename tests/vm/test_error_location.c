// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_error() and scx_exit() from common.bpf.h/compat.bpf.h put
 * "file:line: " of the call in front of the exit message; scx_error gives
 * exit kind ERROR_BPF, scx_exit UNREG_BPF with its exit code. ERROR_BPF is
 * accepted for scx_exit only where the kernel cannot bind scx_bpf_exit_bstr
 * (the 7.1/7.2 builds described in compat.bpf.h), which this test decides
 * from the kernel's BTF on its own, not through compat.bpf.h: a broken
 * binding in compat.bpf.h therefore fails here. VM only: skips (77) on
 * kernels without sched_ext.
 */
#include "sample_util.h"

/*
 * Can a program call scx_bpf_exit_bstr on this kernel? Yes when vmlinux BTF
 * describes it with its documented four arguments. The builds that cannot
 * (compat.bpf.h) show the implicit struct bpf_prog_aux argument of 7.1+ as a
 * fifth one; correct 7.1+ builds show four and add scx_bpf_exit_bstr_impl.
 * -1 when there is no such function or no BTF.
 */
static int exit_bstr_bindable(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const struct btf_type *fn;
	int id, ret = -1;

	if (!btf)
		return -1;
	id = btf__find_by_name_kind(btf, "scx_bpf_exit_bstr", BTF_KIND_FUNC);
	if (id > 0) {
		fn = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
		ret = btf_vlen(fn) == 4;
		printf("vmlinux BTF: scx_bpf_exit_bstr takes %u arguments: %s\n", btf_vlen(fn),
		       ret ? "callable, scx_exit must end in UNREG_BPF" :
			     "not callable (compat.bpf.h), scx_exit falls back to ERROR_BPF");
	}
	btf__free(btf);
	return ret;
}

static int run(__u32 trigger, int bindable)
{
	struct su_sched s;
	__u32 *trig, *line;
	char want[64];
	int kind, ok = 1;
	pid_t busy;

	if (su_open(&s, "error_loc.bpf.o") || su_load_attach(&s, "error_loc.bpf.o"))
		return 0;
	trig = su_global(s.obj, "trigger", NULL);
	line = su_global(s.obj, "fired_line", NULL);
	if (!trig || !line) {
		printf("globals trigger/fired_line not found\n");
		return 0;
	}
	__atomic_store_n(trig, trigger, __ATOMIC_RELEASE);
	busy = su_spin(-1, 0);	/* makes sure something gets enqueued */
	kind = su_wait_exit(&s, 10000);
	su_kill(busy);
	su_print_exit(&s);
	snprintf(want, sizeof(want), "error_loc.bpf.c:%u: ", *line);
	if (!s.uei || !strstr(s.uei->msg, want)) {
		printf("trigger %u: message lacks \"%s\"\n", trigger, want);
		ok = 0;
	}
	if (trigger == 1 && (kind != 1025 || !strstr(s.uei->msg, "deliberate error 42"))) {
		printf("scx_error: kind %d, expected 1025 and the formatted message\n", kind);
		ok = 0;
	}
	if (trigger == 2) {
		if (kind == 65 && (s.uei->exit_code & 0xffffffff) != 7) {
			printf("scx_exit: exit code %lld, expected 7\n", s.uei->exit_code);
			ok = 0;
		} else if (kind == 1025 && !bindable) {
			printf("scx_exit fell back to scx_error (kernel without a callable scx_bpf_exit_bstr)\n");
		} else if (kind != 65) {
			printf("scx_exit: kind %d, expected 65 (UNREG_BPF)\n", kind);
			ok = 0;
		}
	}
	su_close(&s);
	return ok;
}

int main(void)
{
	int ok, bindable;

	su_require_sched_ext();
	bindable = exit_bstr_bindable();
	if (bindable < 0) {
		printf("no scx_bpf_exit_bstr in this kernel's BTF\n");
		return 1;
	}
	ok = run(1, bindable);
	su_wait_state("disabled", 5000);
	ok = run(2, bindable) && ok;
	return ok ? 0 : 1;
}
