# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Benchmarks, included from the top-level Makefile (needs $(O), $(LIB_A),
# $(ALL_CFLAGS), $(LDLIBS_SCX), $(Q), msg). Timings are printed, never asserted.
#   make bench-topology [BENCH_RUNS=21]

BENCH_RUNS ?= 21

$(O)/tests/bench/bench_topology: tests/bench/bench_topology.c $(LIB_A) $(PUBLIC_HEADERS) \
		tests/lib/faketree.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/lib $< -o $@ $(LIB_A) $(LDLIBS_SCX)

bench-topology: $(O)/tests/bench/bench_topology
	$(Q)$< $(BENCH_RUNS)

.PHONY: bench-topology
