# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# libFuzzer targets for the topology parsers, included from the top-level
# Makefile (it needs $(O), $(Q), msg and the library sources).
#   make fuzz-build   build $(O)/fuzz/fuzz_cpulist (clang, ASan + UBSan + libFuzzer)
#   make fuzz-quick   a short run (seconds), for make check
#   make fuzz-long    FUZZ_TIME seconds (default 1 hour), corpus kept in $(O)/fuzz/corpus
#
# The library sources are compiled straight into the fuzzer with its
# instrumentation rather than linked from libscx.a, which is built without it.

FUZZ_CC ?= clang-19
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Iinclude -Ilibscx -Itests/lib
FUZZ_LIB_SRCS := libscx/common.c libscx/cpulist.c libscx/topology.c
FUZZ_TIME ?= 3600
FUZZ_QUICK_TIME ?= 20

$(O)/fuzz/fuzz_cpulist: tests/fuzz/fuzz_cpulist.c $(FUZZ_LIB_SRCS) $(wildcard libscx/*.h) \
		$(wildcard include/scx/*.h) tests/lib/faketree.h
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_LIB_SRCS) -o $@

fuzz-build: $(O)/fuzz/fuzz_cpulist

fuzz-quick: fuzz-build
	$(call msg,FUZZ,fuzz_cpulist $(FUZZ_QUICK_TIME)s)
	$(Q)mkdir -p $(O)/fuzz/corpus-quick
	$(Q)$(O)/fuzz/fuzz_cpulist -max_total_time=$(FUZZ_QUICK_TIME) -max_len=4096 \
		-print_final_stats=0 $(O)/fuzz/corpus-quick tests/fuzz/corpus 2> $(O)/fuzz/quick.log \
		|| { tail -40 $(O)/fuzz/quick.log; exit 1; }
	$(Q)grep -E '^Done|#[0-9]+.*DONE' $(O)/fuzz/quick.log | tail -1

fuzz-long: fuzz-build
	$(Q)mkdir -p $(O)/fuzz/corpus
	$(Q)$(O)/fuzz/fuzz_cpulist -max_total_time=$(FUZZ_TIME) -max_len=65536 \
		$(O)/fuzz/corpus tests/fuzz/corpus

.PHONY: fuzz-build fuzz-quick fuzz-long
