// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_error() and scx_exit() from common.bpf.h/compat.bpf.h put
 * "file:line: " of the call in front of the exit message; scx_error gives
 * exit kind ERROR_BPF, scx_exit UNREG_BPF with its exit code (or ERROR_BPF
 * on the 7.1/7.2 builds that cannot call scx_bpf_exit_bstr, see
 * compat.bpf.h). VM only: skips (77) on kernels without sched_ext.
 */
#include "sample_util.h"

static int run(__u32 trigger)
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
		} else if (kind == 1025) {
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
	int ok;

	su_require_sched_ext();
	ok = run(1);
	su_wait_state("disabled", 5000);
	ok = run(2) && ok;
	return ok ? 0 : 1;
}
