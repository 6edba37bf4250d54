# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# libFuzzer targets (tests/fuzz/fuzz_*.c), one per parser that takes outside
# input, included from the top-level Makefile after tests/tests.mk.
#   make fuzz-build   build $(O)/fuzz/fuzz_* (clang, libFuzzer + ASan + UBSan)
#   make fuzz-quick   FUZZ_RUNS executions of each, one TAP line each
#   make check-fuzz   the same as make check's fuzz layer (a summary line)
#   make fuzz-long    FUZZ_LONG_RUNS executions of each (default 1,000,000), the
#                     corpus kept in $(O)/fuzz/corpus/NAME
#   make fuzz-NAME    one target, e.g. make fuzz-open FUZZ_RUNS=100000
#
# libscx is compiled again with the fuzzer's instrumentation into
# $(O)/fuzz/libscx.a; targets that need a static function include its source.
# libbpf (ELF and BTF parsing) is the pinned static build, not instrumented.
# Runs are counted, never timed, and use a fixed seed: the same inputs run
# on every machine whatever its speed. A crash or a leak fails the target and
# leaves the input in $(O)/fuzz/NAME-crash-*: add it to tests/fuzz/corpus/NAME.

FUZZ_CC ?= clang-19
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE $(FUZZ_SAN) -Iinclude -Ilibscx -Itests/lib \
	$(LIBBPF_CFLAGS) -DFUZZ_BUILDDIR='"$(abspath $(O))"'
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(addprefix $(O)/fuzz/,$(FUZZ_TARGETS))
FUZZ_LIB_OBJS := $(patsubst libscx/%.c,$(O)/fuzz/libscx/%.o,$(LIB_SRCS))
FUZZ_LIB_A := $(O)/fuzz/libscx.a
FUZZ_RUNS ?= 20000
FUZZ_LONG_RUNS ?= 1000000

$(O)/fuzz/libscx/%.o: libscx/%.c $(wildcard libscx/*.h) $(PUBLIC_HEADERS) $(LIBBPF_MK)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -DLIBSCX_VERSION='"$(VERSION)"' \
		-c $< -o $@

$(FUZZ_LIB_A): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_LIB_A) \
		$(wildcard libscx/*.c libscx/*.h include/scx/*.h tools/scxtool/*.c tools/scxtool/*.h) \
		tests/lib/faketree.h
	$(call msg,FUZZ-CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< -o $@ $(FUZZ_LIB_A) $(LDLIBS_SCX)

# The open target is seeded with every scheduler object the build makes.
FUZZ_OPEN_SEEDS := $(SAMPLE_BPF) $(VM_OBJS)
$(O)/fuzz/seed/open/.stamp: $(FUZZ_OPEN_SEEDS)
	$(Q)mkdir -p $(dir $@)
	$(Q)for f in $^; do cp $$f $(dir $@)$$(basename $$f); done
	$(Q)touch $@

# the objects fuzz_set, fuzz_exit and fuzz_open read at start
fuzz-build: $(FUZZ_BINS) $(O)/fuzz/seed/open/.stamp $(VM_OBJS)

# SCX_TEST_BTF_DIR: recorded kernel BTF to configure against, when there is
# some (prepare-btf.sh); without it the objects' own BTF stands in.
FUZZ_ENV = SCX_TEST_BTF_DIR=$$(tests/unit/prepare-btf.sh $(O) 2>/dev/null)

fuzz-quick: fuzz-build
	$(Q)$(FUZZ_ENV) FILTER="$(T)" tests/fuzz/run.sh $(O) $(FUZZ_RUNS) quick $(FUZZ_TARGETS)

# make check's layer: "fuzz: P passed, F failed" in $(O)/tests/summary, or
# an ERROR line there when the targets do not build.
check-fuzz:
	$(Q)if $(MAKE) --no-print-directory fuzz-build; then \
		$(FUZZ_ENV) FILTER="$(T)" SUMMARY=$(O)/tests/summary \
			tests/fuzz/run.sh $(O) $(FUZZ_RUNS) quick $(FUZZ_TARGETS); \
	else mkdir -p $(O)/tests; \
		echo "fuzz: ERROR the fuzz targets did not build" >> $(O)/tests/summary; false; fi

fuzz-long: fuzz-build
	$(Q)$(FUZZ_ENV) tests/fuzz/run.sh $(O) $(FUZZ_LONG_RUNS) long $(FUZZ_TARGETS)

$(addprefix fuzz-,$(patsubst fuzz_%,%,$(FUZZ_TARGETS))): fuzz-%: fuzz-build
	$(Q)$(FUZZ_ENV) tests/fuzz/run.sh $(O) $(FUZZ_RUNS) long fuzz_$*

.PHONY: fuzz-build fuzz-quick fuzz-long check-fuzz $(addprefix fuzz-,$(patsubst fuzz_%,%,$(FUZZ_TARGETS)))
