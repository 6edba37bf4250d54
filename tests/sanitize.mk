# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Sanitizer builds, included from the top-level Makefile after tests/tests.mk.
#   make check-unit-asan   the unit layer (tests/unit, cmocka) and scxtool, built
#                          with ASan + UBSan under $(O)/asan, run with leak checks
#   make check-asan        the same as make check's unit-asan layer (its summary
#                          line, or an ERROR line when the build fails)
#
# Everything lives in $(O)/asan so it never clobbers the normal build: libscx
# and scxtool are compiled again from source with SAN_CFLAGS; libbpf, libelf,
# zlib and cmocka are linked as they are (not instrumented: ASan still checks
# every malloc/free and the mem*/str* calls they make, and LeakSanitizer sees
# their leaks, but not their own out-of-bounds reads and writes). The unit
# tests find the BPF objects of the normal build through symlinks, and the
# scxtool they run (test_scxtool_*) is the sanitized one.
#
# The VM test programs (tests/vm/test_*.c) and the libscx they link are built
# with UBSan in trap mode: no runtime library is needed in the guest, and
# undefined behaviour stops the test with SIGILL, which the VM runner reports
# as a failure.

SAN_CC ?= $(CC)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_CFLAGS := -O1 -g $(WARN) -std=gnu11 -D_GNU_SOURCE -Iinclude $(LIBBPF_CFLAGS) $(SAN_FLAGS)
# leaks fail a test; UBSan reports carry a stack
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

SAN_DIR := $(O)/asan
SAN_LIB_OBJS := $(patsubst libscx/%.c,$(SAN_DIR)/libscx/%.o,$(LIB_SRCS))
SAN_LIB_A := $(SAN_DIR)/lib/libscx.a
SAN_UNIT_BINS := $(patsubst tests/unit/%.c,$(SAN_DIR)/tests/unit/%,$(UNIT_SRCS))
SAN_SCXTOOL := $(SAN_DIR)/tools/scxtool/scxtool
# what the unit tests read from TEST_BUILDDIR, taken from the normal build
SAN_LINKS := $(SAN_DIR)/tests/vm $(SAN_DIR)/tests/bpf $(SAN_DIR)/samples $(SAN_DIR)/lib/libscx.so

$(SAN_DIR)/libscx/%.o: libscx/%.c $(wildcard libscx/*.h) $(PUBLIC_HEADERS) $(LIBBPF_MK)
	$(call msg,SAN-CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(SAN_CFLAGS) -fvisibility=hidden -Ilibscx -c $< -o $@

$(SAN_LIB_A): $(SAN_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(SAN_SCXTOOL): $(wildcard tools/scxtool/*.c tools/scxtool/*.h) $(SAN_LIB_A) $(PUBLIC_HEADERS)
	$(call msg,SAN-CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(SAN_CFLAGS) -Itools/scxtool $(wildcard tools/scxtool/*.c) -o $@ \
		$(SAN_LIB_A) $(LDLIBS_SCX)

$(SAN_DIR)/tests/unit/%: tests/unit/%.c $(SAN_LIB_A) $(PUBLIC_HEADERS) $(wildcard tests/unit/*.h) \
		$(wildcard tools/scxtool/*.c tools/scxtool/*.h)
	$(call msg,SAN-CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(SAN_CFLAGS) -Ilibscx -Itests/lib -DTEST_SRCDIR='"$(CURDIR)/tests"' \
		-DTEST_BUILDDIR='"$(abspath $(SAN_DIR))"' $< -o $@ $(SAN_LIB_A) $(LDLIBS_SCX) -lcmocka

$(SAN_DIR)/tests/vm $(SAN_DIR)/tests/bpf $(SAN_DIR)/samples:
	$(Q)mkdir -p $(dir $@) && ln -sfn $(abspath $(patsubst $(SAN_DIR)/%,$(O)/%,$@)) $@
$(SAN_DIR)/lib/libscx.so: $(SAN_LIB_A)
	$(Q)ln -sfn $(abspath $(LIB_SO)) $@

sanitize-build: tests-build $(SAN_UNIT_BINS) $(SAN_SCXTOOL) $(SAN_LINKS)

# The same cases as the unit layer, so the same skips (tests/allowed-skips)
# are allowed; like it, the layer fails when the kernels' BTF cannot be had.
$(SAN_DIR)/allowed-skips: $(wildcard tests/allowed-skips)
	$(Q)mkdir -p $(dir $@)
	$(Q)sed 's/^unit\([[:space:]]\)/unit-asan\1/' $^ /dev/null > $@

RUN_UNIT_ASAN = if btf=$$(tests/unit/prepare-btf.sh $(O)); then \
		$(SAN_ENV) ALLOWED_SKIPS=$(SAN_DIR)/allowed-skips SCX_TEST_BTF_DIR=$$btf \
		SUMMARY=$(O)/tests/summary tests/run-layer.sh unit-asan "$(T)" $(SAN_UNIT_BINS); \
	else mkdir -p $(O)/tests; \
		echo "unit-asan: ERROR tests/unit/prepare-btf.sh could not prepare the test kernels' BTF" \
			>> $(O)/tests/summary; false; fi

check-unit-asan: sanitize-build $(SAN_DIR)/allowed-skips
	$(Q)$(RUN_UNIT_ASAN)

# make check's layer: its summary line, or an ERROR line when it does not build.
check-asan:
	$(Q)if $(MAKE) --no-print-directory sanitize-build $(SAN_DIR)/allowed-skips; then \
		$(RUN_UNIT_ASAN); \
	else mkdir -p $(O)/tests; \
		echo "unit-asan: ERROR the sanitizer build failed" >> $(O)/tests/summary; false; fi

# ---- UBSan (trap mode) for the VM test programs ---------------------------
# A second libscx, trap-instrumented, linked into tests/vm/test_*; "private"
# keeps the flags off the prerequisites (the normal libscx.a).
# (gcc 12 spells trap mode -fsanitize-undefined-trap-on-error)
VM_UBSAN_TRAP := $(shell $(CC) -fsanitize=undefined -fsanitize-trap=undefined -x c -c /dev/null \
	-o /dev/null 2>/dev/null && echo -fsanitize-trap=undefined || echo -fsanitize-undefined-trap-on-error)
VM_UBSAN_FLAGS := -fsanitize=undefined $(VM_UBSAN_TRAP) -fno-omit-frame-pointer
VM_UBSAN_DIR := $(O)/ubsan-trap
VM_UBSAN_LIB_A := $(VM_UBSAN_DIR)/lib/libscx.a
VM_UBSAN_OBJS := $(patsubst libscx/%.c,$(VM_UBSAN_DIR)/libscx/%.o,$(LIB_SRCS))

$(VM_UBSAN_DIR)/libscx/%.o: libscx/%.c $(wildcard libscx/*.h) $(PUBLIC_HEADERS) $(LIBBPF_MK)
	$(call msg,UBSAN-CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LIB_CFLAGS) $(VM_UBSAN_FLAGS) -DLIBSCX_VERSION='"$(VERSION)"' -c $< -o $@

$(VM_UBSAN_LIB_A): $(VM_UBSAN_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(VM_BINS): $(VM_UBSAN_LIB_A)
$(VM_BINS): private ALL_CFLAGS += $(VM_UBSAN_FLAGS)
$(VM_BINS): private LIB_A := $(VM_UBSAN_LIB_A)

.PHONY: sanitize-build check-unit-asan check-asan
