// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * scxtool features: what a kernel's sched_ext interface offers, probed from
 * its BTF through libscx (the running kernel, or a recorded BTF file). The
 * lists name what schedulers commonly depend on; the kernel may offer more.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <scx/features.h>

#include "json.h"
#include "scxtool.h"

static void features_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool features [--btf FILE] [--json]\n\n"
		"Show whether the kernel has sched_ext (CONFIG_SCHED_CLASS_EXT) and which\n"
		"kfuncs, struct sched_ext_ops members and SCX_OPS_* flags it offers, read from\n"
		"its BTF. Works on any kernel: without sched_ext it says \"sched_ext: no\".\n\n"
		"  --btf FILE  probe the kernel described by FILE (a vmlinux ELF or raw BTF,\n"
		"              such as a copy of /sys/kernel/btf/vmlinux) instead\n"
		"  --json      one JSON object: kernel, btf, sched_ext, ops_flags_mask, and\n"
		"              kfuncs, ops_fields, ops_flags (objects of name: true/false)\n"
		"  -h, --help  this text\n");
}

static const char *const kfuncs[] = {
	/* inserting tasks into DSQs and moving them (6.13 names; 6.12 had
	 * scx_bpf_dispatch*, scx_bpf_consume) */
	"scx_bpf_dsq_insert", "scx_bpf_dsq_insert_vtime", "scx_bpf_dispatch",
	"scx_bpf_dispatch_vtime", "scx_bpf_dsq_move_to_local", "scx_bpf_consume",
	"scx_bpf_dsq_move", "scx_bpf_dsq_move_vtime", "scx_bpf_dsq_move_set_slice",
	"scx_bpf_dsq_move_set_vtime", "scx_bpf_dispatch_nr_slots", "scx_bpf_dispatch_cancel",
	"scx_bpf_reenqueue_local", "scx_bpf_dsq_reenq",
	/* DSQs */
	"scx_bpf_create_dsq", "scx_bpf_destroy_dsq", "scx_bpf_dsq_nr_queued", "scx_bpf_dsq_peek",
	/* CPU selection and idle tracking */
	"scx_bpf_select_cpu_dfl", "scx_bpf_select_cpu_and", "scx_bpf_pick_idle_cpu",
	"scx_bpf_pick_idle_cpu_node", "scx_bpf_pick_any_cpu", "scx_bpf_pick_any_cpu_node",
	"scx_bpf_test_and_clear_cpu_idle", "scx_bpf_get_idle_cpumask",
	"scx_bpf_get_idle_cpumask_node", "scx_bpf_get_idle_smtmask",
	"scx_bpf_get_idle_smtmask_node", "scx_bpf_put_idle_cpumask", "scx_bpf_kick_cpu",
	/* CPUs, tasks, time */
	"scx_bpf_nr_cpu_ids", "scx_bpf_nr_node_ids", "scx_bpf_cpu_node",
	"scx_bpf_get_online_cpumask", "scx_bpf_get_possible_cpumask", "scx_bpf_cpu_rq",
	"scx_bpf_locked_rq", "scx_bpf_cpu_curr", "scx_bpf_cpuperf_cap", "scx_bpf_cpuperf_cur",
	"scx_bpf_cpuperf_set", "scx_bpf_task_cpu", "scx_bpf_task_running",
	"scx_bpf_task_cgroup", "scx_bpf_task_set_slice", "scx_bpf_task_set_dsq_vtime",
	"scx_bpf_now", "scx_bpf_events",
	/* exits and dumps */
	"scx_bpf_error_bstr", "scx_bpf_exit_bstr", "scx_bpf_dump_bstr",
};

static const char *const ops_fields[] = {
	"select_cpu", "enqueue", "dequeue", "dispatch", "tick", "runnable", "running",
	"stopping", "quiescent", "yield", "core_sched_before", "set_weight", "set_cpumask",
	"update_idle", "cpu_acquire", "cpu_release", "init_task", "exit_task", "enable",
	"disable", "dump", "dump_cpu", "dump_task", "cgroup_init", "cgroup_exit",
	"cgroup_prep_move", "cgroup_move", "cgroup_cancel_move", "cgroup_set_weight",
	"cgroup_set_bandwidth", "cgroup_set_idle", "cpu_online", "cpu_offline", "init", "exit",
	"dispatch_max_batch", "flags", "timeout_ms", "exit_dump_len", "hotplug_seq", "name",
};

static const char *const ops_flags[] = {
	"SCX_OPS_KEEP_BUILTIN_IDLE", "SCX_OPS_ENQ_LAST", "SCX_OPS_ENQ_EXITING",
	"SCX_OPS_SWITCH_PARTIAL", "SCX_OPS_ENQ_MIGRATION_DISABLED",
	"SCX_OPS_ALLOW_QUEUED_WAKEUP", "SCX_OPS_BUILTIN_IDLE_PER_NODE",
	"SCX_OPS_HAS_CGROUP_WEIGHT",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum list { KFUNCS, OPS_FIELDS, OPS_FLAGS };

static bool has(const struct scx_features *f, enum list l, const char *name)
{
	if (!f)
		return false;
	switch (l) {
	case KFUNCS: return scx_features__has_kfunc(f, name);
	case OPS_FIELDS: return scx_features__has_ops_field(f, name);
	default: return scx_features__has_ops_flag(f, name);
	}
}

static void json_list(struct json *j, const struct scx_features *f, const char *key,
		      enum list l, const char *const *names, size_t n)
{
	size_t i;

	json_key(j, key);
	json_begin_object(j);
	for (i = 0; i < n; i++)
		json_member_bool(j, names[i], has(f, l, names[i]));
	json_end_object(j);
}

/* "title: 12 of 40" then the present names, wrapped, and the missing ones. */
static void text_list(const struct scx_features *f, const char *title, enum list l,
		      const char *const *names, size_t n)
{
	size_t i, nr = 0;
	int pass, col;

	for (i = 0; i < n; i++)
		nr += has(f, l, names[i]);
	printf("%s: %zu of the %zu listed\n", title, nr, n);
	for (pass = 0; pass < 2; pass++) {
		bool want = pass == 0;

		if (nr == (want ? 0 : n))
			continue;
		col = printf("  %s", want ? "yes:" : "no: ");
		for (i = 0; i < n; i++) {
			if (has(f, l, names[i]) != want)
				continue;
			if (col + 1 + (int)strlen(names[i]) > 100)
				col = printf("\n      ") - 1;
			col += printf(" %s", names[i]);
		}
		putchar('\n');
	}
}

int cmd_features(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "btf", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const struct scx_features *f;
	struct scx_features *own = NULL;
	const char *btf = NULL, *why = NULL;
	struct utsname u;
	bool json = false, sched_ext;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			btf = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			features_usage(stdout);
			return 0;
		default:
			features_usage(stderr);
			return SCXTOOL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scxtool features: unexpected argument '%s'\n", argv[optind]);
		features_usage(stderr);
		return SCXTOOL_EXIT_USAGE;
	}
	scxtool_set_verbose(false);
	if (btf) {
		f = own = scx_features__open(btf);
		if (!f) {
			fprintf(stderr, "scxtool features: cannot read BTF from %s: %s\n", btf,
				strerror(errno));
			return SCXTOOL_EXIT_FAIL;
		}
	} else {
		f = scx_features__running();
		/* No BTF at all: no sched_ext either (it needs BTF). */
		if (!f)
			why = errno == ENOENT ? "the kernel has no BTF (/sys/kernel/btf/vmlinux)" :
			      "the kernel's BTF cannot be parsed";
	}
	sched_ext = f && scx_features__has_sched_ext(f);
	if (uname(&u))
		memset(&u, 0, sizeof(u));

	if (json) {
		struct json j;

		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "kernel");
		if (btf)
			json_null(&j);	/* a BTF file does not say which kernel */
		else
			json_string(&j, u.release);
		json_member_string(&j, "btf", btf ? btf : "/sys/kernel/btf/vmlinux");
		json_member_bool(&j, "sched_ext", sched_ext);
		json_member_u64(&j, "ops_flags_mask", sched_ext ? scx_features__ops_flags_mask(f) : 0);
		json_list(&j, f, "kfuncs", KFUNCS, kfuncs, ARRAY_SIZE(kfuncs));
		json_list(&j, f, "ops_fields", OPS_FIELDS, ops_fields, ARRAY_SIZE(ops_fields));
		json_list(&j, f, "ops_flags", OPS_FLAGS, ops_flags, ARRAY_SIZE(ops_flags));
		json_end_object(&j);
		putchar('\n');
	} else {
		if (btf)
			printf("btf: %s\n", btf);
		else
			printf("kernel: %s %s (%s)\n", u.sysname, u.release, u.machine);
		if (!sched_ext) {
			printf("sched_ext: no (%s)\n", why ? why :
			       "the kernel was built without CONFIG_SCHED_CLASS_EXT");
			if (!btf)
				printf("To try a scheduler, run it in a VM with a sched_ext kernel: "
				       "tools/scx-vm --help\n");
		} else {
			printf("sched_ext: yes\n");
			printf("ops flags mask: 0x%llx\n",
			       (unsigned long long)scx_features__ops_flags_mask(f));
			text_list(f, "kfuncs", KFUNCS, kfuncs, ARRAY_SIZE(kfuncs));
			text_list(f, "ops fields", OPS_FIELDS, ops_fields, ARRAY_SIZE(ops_fields));
			text_list(f, "ops flags", OPS_FLAGS, ops_flags, ARRAY_SIZE(ops_flags));
		}
	}
	scx_features__free(own);
	return 0;
}
