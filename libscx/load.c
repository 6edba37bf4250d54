// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Loading an opened scheduler into the kernel and, when the kernel refuses
 * it, saying why: the tail of the verifier log (kept per program by
 * load_log.c), maps the object expects its own loader to size (open.c checks
 * them), and kfunc declarations that do not match this kernel.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/sched.h>
#include <scx/topology.h>
#include "internal.h"
#include "features_priv.h"
#include "load_log.h"
#include "sched_priv.h"

/* Print the last max_lines lines of text, each through the callback. */
static void print_tail(const char *text, int max_lines)
{
	const char *p = text + strlen(text);
	int lines = 0;

	while (p > text && lines <= max_lines)
		if (*--p == '\n')
			lines++;
	if (*p == '\n')
		p++;
	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? nl - p : (int)strlen(p);

		scx__print(SCX_WARN, "libscx:   %.*s\n", len, p);
		p += len + (nl ? 1 : 0);
	}
}

/*
 * Some kernel builds expose a kfunc's implicit arguments in BTF, and libbpf
 * then refuses the object's declaration. Find the object's kfunc declarations
 * whose parameter count differs from the kernel's. Flavoured names (___v2)
 * are skipped: those are weak alternatives libbpf may leave unresolved.
 */
static void explain_kfunc_mismatch(struct scx_sched *s)
{
	const struct btf *btf = bpf_object__btf(s->obj);
	__u32 i, n = btf ? btf__type_cnt(btf) : 0;

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i), *proto;
		const char *name;
		int nr;

		/* a FUNC's vlen is its linkage */
		if (!btf_is_func(t) || btf_vlen(t) != BTF_FUNC_EXTERN)
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		proto = btf__type_by_id(btf, t->type);
		if (!name || strstr(name, "___") || !proto || !btf_is_func_proto(proto))
			continue;
		nr = scx_features__kfunc_nr_args(s->feat, name);
		if (nr < 0 || nr == btf_vlen(proto))
			continue;
		pr_warn("load %s: the object declares kfunc %s with %u parameters, this kernel's "
			"BTF has %d. Some kernel builds expose a kfunc's implicit arguments in BTF; "
			"declare the kfunc through bpf-headers/scx/compat.bpf.h, which picks the "
			"matching form\n", s->label, name, btf_vlen(proto), nr);
	}
}

static void report_load_failure(struct scx_sched *s, int err)
{
	const char *prog = NULL, *log = scx__load_log_failed(s->load_log, &prog);
	bool all = getenv("LIBSCX_DEBUG");

	pr_warn("load %s: the kernel refused the scheduler (%s)\n", s->label, strerror(-err));
	if (log) {
		/* LIBSCX_DEBUG asks for the whole log */
		pr_warn("load %s: verifier log of program '%s'%s:\n", s->label, prog,
			all ? "" : " (tail; LIBSCX_DEBUG=1 shows all of it)");
		print_tail(log, all ? INT_MAX - 1 : 40);
		if (strlen(log) >= SCX_LOAD_LOG_SIZE - 1)
			pr_warn("load %s: the verifier log was longer than %u MiB; its start is cut%s\n",
				s->label, SCX_LOAD_LOG_SIZE >> 20,
				err == -ENOSPC ? ", and the kernel reports that as ENOSPC" : "");
	} else if (s->borrowed_obj) {
		/* the caller's object logs the caller's way */
		pr_warn("load %s: libbpf's messages (libbpf_set_print()), with any verifier log, "
			"say which step failed\n", s->label);
	} else {
		/* not a verifier rejection: BTF, a map, a kfunc or an extern */
		pr_warn("load %s: no program was refused by the verifier; libbpf's messages "
			"(libbpf_set_print()) say which step failed\n", s->label);
	}
	explain_kfunc_mismatch(s);
}

/* The maps of scx/topology.bpf.h indexed by CPU id (level -1) or by domain
 * id, and the limit that sizes each in the header. */
static const struct {
	const char *name;
	int level;
	const char *limit;
} topo_maps[] = {
	{ "scx_topo_cpus", -1, "SCX_TOPO_MAX_CPUS" },
	{ "scx_topo_core_masks", SCX_TOPO_CORE, "SCX_TOPO_MAX_CORES" },
	{ "scx_topo_llc_masks", SCX_TOPO_LLC, "SCX_TOPO_MAX_LLCS" },
	{ "scx_topo_node_masks", SCX_TOPO_NODE, "SCX_TOPO_MAX_NODES" },
	{ "scx_topo_pkg_masks", SCX_TOPO_PACKAGE, "SCX_TOPO_MAX_PACKAGES" },
};

/*
 * An object that includes scx/topology.bpf.h (it has the scx_topo_info map)
 * gets the machine's topology in those maps at load, before anything can
 * attach it, so that its ops.init reads it already. Before load: read the
 * machine (under the handle's sysfs) and trim the maps to its CPU ids: every
 * domain has a CPU, so that many entries hold any level whatever CPUs come
 * online later. *topo is the model to export after load, or NULL.
 */
static int topology_before_load(struct scx_sched *s, struct scx_topology **topo)
{
	SCX_OPTS(scx_topology_opts, to, .sysfs_root = s->sysfs_root);
	unsigned int nr;
	size_t i;
	int err;

	*topo = NULL;
	if (!bpf_object__find_map_by_name(s->obj, "scx_topo_info"))
		return 0;
	*topo = scx_topology__open(&to);
	if (!*topo) {
		err = -errno;
		pr_warn("load %s: it includes scx/topology.bpf.h, but the CPU topology under %s cannot be read: %s\n",
			s->label, s->sysfs_root, strerror(-err));
		return err;
	}
	nr = scx_topology__nr_cpu_ids(*topo);
	for (i = 0; i < sizeof(topo_maps) / sizeof(topo_maps[0]); i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(s->obj, topo_maps[i].name);
		int need = topo_maps[i].level < 0 ? (int)nr :
			   scx_topology__nr_domains(*topo, topo_maps[i].level);

		if (!map)
			continue;	/* the export names it */
		err = 0;
		if (nr && bpf_map__max_entries(map) > nr)
			err = bpf_map__set_max_entries(map, nr);
		if (err) {
			pr_warn("load %s: cannot size %s for %u CPU ids: %s\n", s->label,
				topo_maps[i].name, nr, strerror(-err));
			goto fail;
		}
		/* found now, before the verifier's work, not by the export */
		if (need > 0 && bpf_map__max_entries(map) < (unsigned int)need) {
			pr_warn("load %s: this machine needs %d entries in %s, the object has %u: raise %s before including scx/topology.bpf.h\n",
				s->label, need, topo_maps[i].name, bpf_map__max_entries(map),
				topo_maps[i].limit);
			err = -E2BIG;
			goto fail;
		}
	}
	return 0;
fail:
	scx_topology__free(*topo);
	*topo = NULL;
	return err;
}

SCX_API int scx_sched__load(struct scx_sched *s)
{
	struct scx_topology *topo;
	int err;

	if (!s || !s->obj)
		return scx_err(-EINVAL);
	if (s->loaded)
		return scx_err(-EBUSY);
	if (s->load_failed) {
		pr_warn("load %s: a failed load cannot be retried; open the scheduler again\n", s->label);
		return scx_err(-EINVAL);
	}
	err = scx__check_map_sizes(s);
	if (err)
		return scx_err(err);
	/* A caller's own object (from_object) keeps its own logging. */
	if (!s->borrowed_obj && !s->load_log) {
		s->load_log = scx__load_log_new(s->obj);
		if (!s->load_log)
			pr_debug("load %s: no memory for verifier logs; libbpf will print them\n",
				 s->label);
	}
	err = topology_before_load(s, &topo);
	if (err)
		return scx_err(err);
	err = bpf_object__load(s->obj);
	if (err) {
		scx_topology__free(topo);
		err = scx__libbpf_errno(err);
		report_load_failure(s, err);
		s->load_failed = true;
		return scx_err(err);
	}
	err = scx__map_globals(s);
	if (!err && topo) {
		err = scx_topology__export(topo, s->obj);
		if (err)
			pr_warn("load %s: cannot fill the topology maps (above); the scheduler would run without its topology\n",
				s->label);
	}
	scx_topology__free(topo);
	if (err) {
		/* loaded in the kernel, but not usable: as a failed load, only
		 * scx_sched__destroy() remains (libbpf cannot unload) */
		s->load_failed = true;
		return scx_err(err);
	}
	s->loaded = true;
	s->load_seq++;
	return 0;
}
