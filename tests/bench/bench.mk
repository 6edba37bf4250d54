# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Benchmarks, included from the top-level Makefile (needs $(O), $(LIB_A),
# $(ALL_CFLAGS), $(LDLIBS_SCX), $(Q), msg). Timings are printed, never asserted.
#   make bench-topology [BENCH_RUNS=21]
#   make bench-stats

BENCH_RUNS ?= 21

$(O)/tests/bench/bench_topology: tests/bench/bench_topology.c $(LIB_A) $(PUBLIC_HEADERS) \
		tests/lib/faketree.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/lib $< -o $@ $(LIB_A) $(LDLIBS_SCX)

bench-topology: $(O)/tests/bench/bench_topology
	$(Q)$< $(BENCH_RUNS)

# The stats server's requests per second and the latency it adds to its loop
$(O)/tests/bench/bench_stats: tests/bench/bench_stats.c $(LIB_A) $(PUBLIC_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $< -o $@ $(LIB_A) $(LDLIBS_SCX) -lpthread

bench-stats: $(O)/tests/bench/bench_stats
	$(Q)$<

.PHONY: bench-topology bench-stats

# ---- make bench: wakeup latency and throughput per scheduler, in a VM -----
# The probes run in a busybox guest, hence static; verifier_stats links
# libscx and libbpf (scx-vm copies its shared libraries into the guest).
# onedsq.bpf.o is the multi-LLC phase's single-queue baseline, run through
# scxtool run in the guest.
BENCH_GUEST_BINS := $(O)/bench/latprobe $(O)/bench/msgbench $(O)/bench/msgpat \
	$(O)/bench/verifier_stats $(O)/tests/bench/onedsq.bpf.o $(O)/tools/scxtool/scxtool

# The static probes, one rule (each includes at most these two headers).
$(O)/bench/latprobe $(O)/bench/msgbench $(O)/bench/msgpat: $(O)/bench/%: tests/bench/%.c \
		tests/bench/latprobe.h tests/bench/benchio.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -static $< -o $@

$(O)/bench/verifier_stats: tests/bench/verifier_stats.c $(LIB_A) $(PUBLIC_HEADERS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $< -o $@ $(LIB_A) $(LDLIBS_SCX)

bench-build: $(BENCH_GUEST_BINS) $(SAMPLE_BINS) $(SAMPLE_BPF) $(O)/tests/bench/bench_topology \
	$(O)/tests/bench/bench_stats

# Two VM boots (KERNEL=newest by default), the 2-CPU guest and the shaped
# multi-LLC one: results in $(O)/bench/results.{json,md} and latency*.svg.
# BENCH_REPS=5 rounds (each scheduler once per round), BENCH_LLC_REPS=3 in the
# shaped guest, BENCH_PAT_MS=500 per message pattern; BENCH_LLC=0 skips the
# shaped guest, BENCH_QUICK=1 is a short run (scripts/bench.sh says what).
bench-vm: bench-build
	$(Q)KERNEL="$(KERNEL)" BENCH_REPS="$(BENCH_REPS)" BENCH_LLC_REPS="$(BENCH_LLC_REPS)" \
		BENCH_PAT_MS="$(BENCH_PAT_MS)" BENCH_LLC="$(BENCH_LLC)" BENCH_QUICK="$(BENCH_QUICK)" \
		scripts/bench.sh $(O)

.PHONY: bench-build bench-vm
