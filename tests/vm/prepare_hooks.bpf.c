// SPDX-License-Identifier: GPL-2.0
/*
 * A FIFO scheduler whose ops.init() records what it was started with: a
 * global that user space sets before load (from its prepare hook), the
 * topology maps (filled by libscx before attach), and a map that user space
 * fills after load (from its loaded hook). test_core_prepare_hooks compares
 * them with the machine after a hotplug restart.
 */
#include <scx/common.bpf.h>
#include <scx/exit.bpf.h>
#include <scx/topology.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile u32 online_at_prepare;	/* set by prepare_fn */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} loaded_value SEC(".maps");		/* filled by loaded_fn */

u32 init_saw_prepare, init_saw_topo_online, init_saw_loaded, nr_inits;

s32 SCX_OPS_SLEEPABLE(hooks_init)
{
	u32 zero = 0, *v = bpf_map_lookup_elem(&loaded_value, &zero);

	init_saw_prepare = online_at_prepare;
	init_saw_topo_online = scx_topo_ready() ? scx_topo_nr_online() : 0;
	init_saw_loaded = v ? *v : 0;
	nr_inits++;
	return 0;
}

void SCX_OPS(hooks_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(hooks_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(hooks_ops,
	       .init		= (void *)hooks_init,
	       .enqueue		= (void *)hooks_enqueue,
	       .exit		= (void *)hooks_exit,
	       .timeout_ms	= 30000,
	       .name		= "prepare_hooks");
