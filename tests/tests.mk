# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Test layers, included from the top-level Makefile.
#   make check          deps, build, then unit + bpf + vm + a short fuzz run, one summary line per layer
#   make check-unit     tests/unit/test_*.c   (cmocka, host)
#   make check-bpf      tests/bpf/test_*.c    (BPF programs on the host kernel; root)
#   make check-runner   tests/runner/test_*.sh (scx-vm and kernel fetching, on the host)
#   make check-man      tests/man/test_*.sh   (manual pages: lint, install, API coverage; man/man.mk)
#   make check-vm       tests/vm suite in one VM boot per kernel (KERNELS="oldest newest"),
#                       and one more per test tests/vm/guests gives a guest of its own
#   make check-matrix   the VM suite on every sched_ext kernel series Debian offers
#   make check T=name   only tests whose name contains "name"
#   make check-loaded   make check twice at once while stress-ng loads the host
#   make check-deb      the Debian packages (tests/deb/deb.mk)
# Skips fail unless tests/allowed-skips lists them; see tests/run-layer.sh and
# tests/summary.sh for what makes a run fail.

KERNELS ?= oldest newest
# make check boots the shaped guests of tests/vm/guests (several minutes each)
# on these of KERNELS only: its time budget is 45 minutes. check-vm and
# check-matrix boot them on every kernel.
SHAPED_KERNELS ?= newest
T ?=

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRCS))
UNIT_DATA_DEPS := $(wildcard tests/unit/data/*)

# Host BPF tests: test_X.c with an optional X.bpf.c beside it.
HBPF_SRCS := $(wildcard tests/bpf/test_*.c)
HBPF_BINS := $(patsubst tests/bpf/%.c,$(O)/tests/bpf/%,$(HBPF_SRCS))
HBPF_OBJS := $(patsubst %.bpf.c,$(O)/%.bpf.o,$(wildcard tests/bpf/*.bpf.c))
# ... built again as VM tests (test_bpf_X, objects in hbpf/): a host kernel
# older than 6.4 cannot load them (bpf_for), and their cases must run somewhere.
VM_HBPF_BINS := $(patsubst tests/bpf/test_%.c,$(O)/tests/vm/test_bpf_%,$(HBPF_SRCS))
VM_HBPF_OBJS := $(patsubst $(O)/tests/bpf/%,$(O)/tests/vm/hbpf/%,$(HBPF_OBJS))

# VM tests: tests/vm/test_*.c (C programs, each standalone: exit 0 pass,
# 1 fail, 77 skip), tests/vm/test_*.sh, and BPF objects tests/vm/*.bpf.c.
VM_C_SRCS := $(wildcard tests/vm/test_*.c)
VM_BINS := $(patsubst tests/vm/%.c,$(O)/tests/vm/%,$(VM_C_SRCS))
VM_SCRIPTS := $(wildcard tests/vm/test_*.sh)
VM_OBJS := $(patsubst %.bpf.c,$(O)/%.bpf.o,$(wildcard tests/vm/*.bpf.c))
VM_HELPERS_SRCS := $(wildcard tests/vm/helpers/*.c)
VM_HELPERS := $(patsubst tests/vm/helpers/%.c,$(O)/tests/vm/%,$(VM_HELPERS_SRCS))
TEST_COMMON := tests/lib/testlib.c

# (scxtool's tests compile some of its sources in)
$(O)/tests/unit/%: tests/unit/%.c $(LIB_A) $(PUBLIC_HEADERS) $(wildcard tests/unit/*.h) \
		$(wildcard tools/scxtool/*.c tools/scxtool/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Ilibscx -Itests/lib -DTEST_SRCDIR='"$(CURDIR)/tests"' \
		-DTEST_BUILDDIR='"$(abspath $(O))"' $< -o $@ $(LIB_A) $(LDLIBS_SCX) -lcmocka

$(O)/tests/bpf/%: tests/bpf/%.c $(LIB_A) $(HBPF_OBJS) $(TEST_COMMON)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Ilibscx -Itests/lib -DTEST_BUILDDIR='"$(abspath $(O))"' \
		$< $(TEST_COMMON) -o $@ $(LIB_A) $(LDLIBS_SCX)

$(O)/tests/vm/test_bpf_%: tests/bpf/test_%.c $(LIB_A) $(TEST_COMMON) $(VM_HBPF_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Ilibscx -Itests/lib -DTEST_IN_VM $< $(TEST_COMMON) -o $@ \
		$(LIB_A) $(LDLIBS_SCX)

$(O)/tests/vm/hbpf/%: $(O)/tests/bpf/%
	$(Q)mkdir -p $(dir $@) && cp $< $@

$(O)/tests/vm/%: tests/vm/%.c $(LIB_A) $(PUBLIC_HEADERS) $(TEST_COMMON) $(wildcard tests/lib/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/lib -Itests/vm $< $(TEST_COMMON) -o $@ $(LIB_A) $(LDLIBS_SCX) -lpthread \
		$(VM_TEST_LDFLAGS)

# libbpf 1.5 that behaves as 1.4 for libscx: its own mapping of global sections
$(O)/tests/vm/test_core_old_libbpf: VM_TEST_LDFLAGS = -Wl,--wrap=libbpf_minor_version \
	-Wl,--wrap=bpf_map__initial_value -Wl,--wrap=mmap

$(O)/tests/vm/%: tests/vm/helpers/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -static $< -o $@ -lpthread

$(O)/tests/vm/%.sh: tests/vm/%.sh
	$(Q)mkdir -p $(dir $@) && cp $< $@

# The consumer test: install into a staging root, then build with nothing but
# pkg-config, as a project outside this tree would.
CONSUMER_ROOT := $(abspath $(O))/consumer-root
$(O)/tests/vm/test_consumer: tests/consumer/consumer.c $(LIB_A) $(LIB_SO) $(PUBLIC_HEADERS) $(TOOL_BINS)
	$(call msg,CONSUMER,$@)
	$(Q)rm -rf $(CONSUMER_ROOT)
	$(Q)$(MAKE) --no-print-directory -s install DESTDIR=$(CONSUMER_ROOT) PREFIX=/usr >/dev/null
	$(Q)mkdir -p $(dir $@)
	$(Q)export PKG_CONFIG_SYSROOT_DIR=$(CONSUMER_ROOT) \
		PKG_CONFIG_PATH=$(CONSUMER_ROOT)/usr/lib/pkgconfig PKG_CONFIG_LIBDIR=; \
	$(CC) -Wall $< -o $@ $$(pkg-config --cflags --libs libscx) \
		-Wl,-rpath,$(CONSUMER_ROOT)/usr/lib

# The sample programs themselves run in the VM (tests/vm/test_sample_binaries.sh).
VM_SAMPLE_BINS := $(foreach s,$(SAMPLES),$(O)/tests/vm/$(s))
define vm_sample_rule
$(O)/tests/vm/$(1): $(O)/samples/$(1)/$(1)
	$$(Q)mkdir -p $$(dir $$@) && cp $$< $$@
endef
$(foreach s,$(SAMPLES),$(eval $(call vm_sample_rule,$(s))))

# tests/vm/sample_NAME.bpf.c includes the sample's own .bpf.c
$(foreach s,$(SAMPLES),$(eval $(O)/tests/vm/sample_$(s).bpf.o: samples/$(s)/$(s).bpf.c))
# ... and with compat.bpf.h's fallbacks forced (test_compat_fallbacks)
$(O)/tests/vm/sample_interactive_fallbacks.bpf.o: samples/interactive/interactive.bpf.c
$(O)/tests/vm/compat_all_fallbacks.bpf.o: tests/vm/compat_all.bpf.c

# scxtool runs in the VM too (tests/vm/test_scxtool_*.sh).
$(O)/tests/vm/scxtool: $(O)/tools/scxtool/scxtool
	$(Q)mkdir -p $(dir $@) && cp $< $@

tests-build: all $(O)/tests/vm/test_consumer $(VM_SAMPLE_BINS) $(O)/tests/vm/scxtool $(UNIT_BINS) $(HBPF_BINS) $(VM_HBPF_BINS) $(VM_BINS) $(VM_OBJS) $(VM_HELPERS) \
	$(patsubst tests/vm/%,$(O)/tests/vm/%,$(VM_SCRIPTS)) $(O)/tests/vm/run.sh $(O)/tests/vm/wait.sh

$(O)/tests/vm/run.sh $(O)/tests/vm/wait.sh: $(O)/tests/vm/%: tests/vm/%
	$(Q)mkdir -p $(dir $@) && cp $< $@

# Feature-probe tests read the BTF of the oldest and newest test kernels. When
# it cannot be prepared the unit layer fails (its cases would only skip).
RUN_UNIT = if btf=$$(tests/unit/prepare-btf.sh $(O)); then \
		SCX_TEST_BTF_DIR=$$btf SUMMARY=$(O)/tests/summary tests/run-layer.sh unit "$(T)" $(UNIT_BINS); \
	else mkdir -p $(O)/tests; \
		echo "unit: ERROR tests/unit/prepare-btf.sh could not prepare the test kernels' BTF" \
			>> $(O)/tests/summary; false; fi

check-unit: tests-build
	$(Q)$(RUN_UNIT)

check-bpf: tests-build
	$(Q)SUMMARY=$(O)/tests/summary tests/run-layer.sh bpf "$(T)" $(HBPF_BINS)

# The VM runner and kernel fetching themselves, as a user drives them.
RUNNER_TESTS := $(wildcard tests/runner/test_*.sh)
check-runner: tests-build
	$(Q)TEST_ARGS=$(abspath $(O)) SUMMARY=$(O)/tests/summary tests/run-layer.sh runner "$(T)" $(RUNNER_TESTS)

check-vm: tests-build
	$(Q)tests/vm/host.sh $(O) "$(T)" $(KERNELS)

check-matrix: deps
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)tests/vm/host.sh --matrix $(O) "$(T)"

# make check's stress layer leaves out the second user-space sample (history,
# the same runtime as userland) for time; make check-stress runs every one.
CHECK_STRESS_SCHEDS ?= minimal vtime percpu interactive userland raw_fifo

check: deps
	$(Q)$(MAKE) --no-print-directory tests-build
	$(Q)rm -f $(O)/tests/summary
	$(Q)$(RUN_UNIT) || true
	$(Q)$(MAKE) --no-print-directory check-asan || true
	$(Q)$(MAKE) --no-print-directory check-man || true
	$(Q)SUMMARY=$(O)/tests/summary tests/run-layer.sh bpf "$(T)" $(HBPF_BINS) || true
	$(Q)TEST_ARGS=$(abspath $(O)) SUMMARY=$(O)/tests/summary tests/run-layer.sh runner "$(T)" $(RUNNER_TESTS) || true
	$(Q)tests/vm/host.sh --shaped-on "$(SHAPED_KERNELS)" $(O) "$(T)" $(KERNELS) || true
	$(Q)STRESS_SCHEDS="$(CHECK_STRESS_SCHEDS)" $(MAKE) --no-print-directory check-stress || true
	$(Q)$(MAKE) --no-print-directory check-fuzz || true
	$(Q)$(MAKE) --no-print-directory check-deb || true
	$(Q)tests/summary.sh $(O)/tests/summary

# make check twice at once (build dirs $(O)/loaded-a and $(O)/loaded-b, two VM
# suites sharing the CPUs) while stress-ng --cpu 2 loads the host: proves the
# suite does not depend on how fast the machine or the emulator runs.
check-loaded: deps
	$(Q)tests/check-loaded.sh $(O) "$(T)"

.PHONY: tests-build check check-unit check-bpf check-runner check-vm check-matrix check-loaded
