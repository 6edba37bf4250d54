# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# libscx top-level Makefile. Everything is built under $(O) (default build/).
#   make            library (static + shared), BPF objects, samples, tools
#   make check      install what is missing, then unit, host BPF and VM tests
#   make demo       a sample scheduler under load in a VM (newest kernel)
#   make install    DESTDIR=... PREFIX=...
#   make deb        Debian packages in $(O)/deb, checked by lintian
#   make bench      benchmarks (timings are reported, not asserted)
#   make V=1        show the commands

O ?= build
.DEFAULT_GOAL := all
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR ?= $(PREFIX)/share
BPFINCLUDEDIR ?= $(INCLUDEDIR)/libscx-bpf
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# Where a bundled libbpf (libbpf.a and its headers) is installed. A
# distribution package moves it out of the system's own libbpf paths
# (debian/rules: $(LIBDIR)/libscx and $(INCLUDEDIR)/libscx); libscx.pc follows.
LIBBPF_LIBDIR ?= $(LIBDIR)
LIBBPF_INCLUDEDIR ?= $(INCLUDEDIR)

# The version lives in include/scx/common.h (LIBSCX_*_VERSION); the SONAME, the
# .so's file name and libscx.pc derive from it here, and tests/unit/test_symbols
# checks that libscx.map's newest node is LIBSCX_<that version>.
scx_version = $(shell sed -n 's/^\#define LIBSCX_$(1)_VERSION[[:space:]]*\([0-9]*\)$$/\1/p' include/scx/common.h)
VERSION_MAJOR := $(call scx_version,MAJOR)
VERSION_MINOR := $(call scx_version,MINOR)
VERSION_PATCH := $(call scx_version,PATCH)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
ifneq ($(words $(VERSION_MAJOR) $(VERSION_MINOR) $(VERSION_PATCH)),3)
$(error cannot read LIBSCX_{MAJOR,MINOR,PATCH}_VERSION from include/scx/common.h)
endif

CC ?= cc
CLANG ?= clang-19
LLVM_STRIP ?= llvm-strip-19
BPFTOOL ?= bpftool

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Which libbpf (system >= 1.5, or a pinned static build); see scripts/libbpf.sh.
LIBBPF_MK := $(O)/libbpf.mk
ifeq ($(filter clean deps help check demo check-matrix deb check-deb,$(MAKECMDGOALS)),)
-include $(LIBBPF_MK)
endif
$(LIBBPF_MK): scripts/libbpf.sh
	$(call msg,LIBBPF,$@)
	$(Q)scripts/libbpf.sh $(O)

WARN := -Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes
CFLAGS ?= -O2 -g
# CPPFLAGS and LDFLAGS are the caller's (a distribution's hardening flags).
ALL_CFLAGS := $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -Iinclude $(LIBBPF_CFLAGS)
LIB_CFLAGS := $(ALL_CFLAGS) -fPIC -fvisibility=hidden -Ilibscx
LDLIBS_SCX := $(LIBBPF_LIBS) -lelf -lz

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Wno-unused-function \
	-Wno-missing-declarations -Wno-compare-distinct-pointer-types \
	-Ibpf-headers -Ibpf-headers/vmlinux -Iinclude -I$(LIBBPF_BPF_INCLUDE)

# ---- the library -----------------------------------------------------------
LIB_SRCS := $(wildcard libscx/*.c)
LIB_OBJS := $(patsubst libscx/%.c,$(O)/libscx/%.o,$(LIB_SRCS))
LIB_A := $(O)/lib/libscx.a
LIB_SO := $(O)/lib/libscx.so.$(VERSION)
LIB_SONAME := libscx.so.$(VERSION_MAJOR)
PUBLIC_HEADERS := $(wildcard include/scx/*.h)

all: $(LIB_A) $(LIB_SO) bpf samples tools

$(O)/libscx/%.o: libscx/%.c $(wildcard libscx/*.h) $(PUBLIC_HEADERS) $(LIBBPF_MK) | $(O)/libscx
	$(call msg,CC,$@)
	$(Q)$(CC) $(LIB_CFLAGS) -c $< -o $@

$(LIB_A): $(LIB_OBJS) | $(O)/lib
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIB_SO): $(LIB_OBJS) libscx/libscx.map | $(O)/lib
	$(call msg,LD,$@)
	$(Q)$(CC) -shared -Wl,-soname,$(LIB_SONAME) -Wl,--version-script=libscx/libscx.map \
		-Wl,--no-undefined $(LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS_SCX)
	$(Q)ln -sf $(notdir $@) $(O)/lib/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $(O)/lib/libscx.so

# ---- BPF objects: samples/*/NAME.bpf.c, tests/bpf/*.bpf.c, tests/vm/*.bpf.c -
BPF_HEADERS := $(wildcard bpf-headers/scx/*.h) $(wildcard include/scx/*.h)
# a sample is samples/NAME/ with both NAME.bpf.c and NAME.c
SAMPLES := $(foreach d,$(wildcard samples/*),$(if $(and $(wildcard $(d)/$(notdir $(d)).bpf.c),$(wildcard $(d)/$(notdir $(d)).c)),$(notdir $(d))))
SAMPLE_BPF := $(foreach s,$(SAMPLES),$(O)/samples/$(s)/$(s).bpf.o)
SAMPLE_BINS := $(foreach s,$(SAMPLES),$(O)/samples/$(s)/$(s))

$(O)/%.bpf.o: %.bpf.c $(BPF_HEADERS) $(LIBBPF_MK)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -I$(dir $<) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(O)/%.skel.h: $(O)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(notdir $*) > $@.tmp && mv $@.tmp $@

bpf: $(SAMPLE_BPF)

# ---- samples ---------------------------------------------------------------
define sample_rule
$(O)/samples/$(1)/$(1): samples/$(1)/$(1).c $(O)/samples/$(1)/$(1).skel.h $(LIB_A) $(PUBLIC_HEADERS)
	$$(call msg,CC,$$@)
	$$(Q)$$(CC) $$(ALL_CFLAGS) -I$(O)/samples/$(1) -Isamples/$(1) $$< -o $$@ $$(LDFLAGS) $(LIB_A) $$(LDLIBS_SCX)
endef
$(foreach s,$(SAMPLES),$(eval $(call sample_rule,$(s))))
samples: $(SAMPLE_BINS)

# ---- tools -----------------------------------------------------------------
TOOL_DIRS := $(patsubst %/,%,$(dir $(wildcard tools/*/main.c)))
TOOL_BINS := $(foreach t,$(TOOL_DIRS),$(O)/$(t)/$(notdir $(t)))
define tool_rule
$(O)/$(1)/$(notdir $(1)): $(wildcard $(1)/*.c) $(wildcard $(1)/*.h) $(LIB_A) $(PUBLIC_HEADERS)
	$$(call msg,CC,$$@)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(ALL_CFLAGS) -I$(1) $(wildcard $(1)/*.c) -o $$@ $$(LDFLAGS) $(LIB_A) $$(LDLIBS_SCX)
endef
$(foreach t,$(TOOL_DIRS),$(eval $(call tool_rule,$(t))))
tools: $(TOOL_BINS)

$(O)/libscx $(O)/lib:
	$(Q)mkdir -p $@

include tests/tests.mk
include tests/sanitize.mk
include tests/fuzz/fuzz.mk
include tests/bench/bench.mk
include tests/stress/stress.mk
include man/man.mk
include tests/deb/deb.mk
include service/service.mk

# Speed and memory figures, printed, never asserted.
bench: bench-topology bench-vm

# ---- install ---------------------------------------------------------------
# A bundled libbpf outside $(LIBDIR)/$(INCLUDEDIR) needs its own -L/-I.
PC_LIBBPF_L := $(if $(filter-out $(LIBDIR),$(LIBBPF_LIBDIR)),-L$(LIBBPF_LIBDIR) )
PC_CFLAGS := $(if $(and $(LIBBPF_A),$(filter-out $(INCLUDEDIR),$(LIBBPF_INCLUDEDIR))), -I$(LIBBPF_INCLUDEDIR))
$(O)/libscx.pc: pkgconfig/libscx.pc.in $(LIBBPF_MK)
	$(call msg,GEN,$@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@BPFINCLUDEDIR@|$(BPFINCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
		-e 's|@REQUIRES@|$(LIBBPF_PC_REQUIRES)|' -e 's|@CFLAGS@|$(PC_CFLAGS)|' \
		-e 's|@LIBS@|$(if $(LIBBPF_A),$(PC_LIBBPF_L)-lbpf -lelf -lz,)|' $< > $@

install: all $(O)/libscx.pc
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/scx $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BPFINCLUDEDIR)/scx $(DESTDIR)$(BPFINCLUDEDIR)/bpf \
		$(DESTDIR)$(LIBEXECDIR)/libscx
	$(Q)install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	$(Q)install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	$(Q)ln -sf $(notdir $(LIB_SO)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libscx.so
	$(Q)install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/scx/
	$(Q)install -m 644 bpf-headers/scx/*.h $(DESTDIR)$(BPFINCLUDEDIR)/scx/
	$(Q)install -m 644 include/scx/*.h $(DESTDIR)$(BPFINCLUDEDIR)/scx/
	$(Q)install -m 644 bpf-headers/vmlinux/vmlinux.h $(DESTDIR)$(BPFINCLUDEDIR)/
	$(Q)install -m 644 $(LIBBPF_BPF_INCLUDE)/bpf/bpf_*.h $(LIBBPF_BPF_INCLUDE)/bpf/usdt.bpf.h \
		$(DESTDIR)$(BPFINCLUDEDIR)/bpf/
	$(Q)if [ -n "$(LIBBPF_A)" ]; then \
		install -d $(DESTDIR)$(LIBBPF_INCLUDEDIR)/bpf $(DESTDIR)$(LIBBPF_LIBDIR); \
		install -m 644 $(LIBBPF_BPF_INCLUDE)/bpf/*.h $(DESTDIR)$(LIBBPF_INCLUDEDIR)/bpf/; \
		install -m 644 $(LIBBPF_A) $(DESTDIR)$(LIBBPF_LIBDIR)/; fi
	$(Q)install -m 644 $(O)/libscx.pc $(DESTDIR)$(PKGCONFIGDIR)/
	$(Q)for t in $(TOOL_BINS); do install -m 755 $$t $(DESTDIR)$(BINDIR)/; done
	$(Q)for s in $(SAMPLES); do install -m 755 $(O)/samples/$$s/$$s $(DESTDIR)$(BINDIR)/scx_$$s; done
	$(Q)install -m 755 tools/scx-vm $(DESTDIR)$(BINDIR)/
	$(Q)install -m 755 scripts/kernels.sh scripts/vmlinux-btf.sh scripts/debian-guest.sh \
		$(DESTDIR)$(LIBEXECDIR)/libscx/
	$(Q)install -m 644 scripts/privapt.sh $(DESTDIR)$(LIBEXECDIR)/libscx/   # sourced, not run

deps:
	$(Q)scripts/deps.sh

# Debian packages into $(O)/deb (debian/, scripts/deb.sh), then lintian.
deb:
	$(Q)scripts/deps.sh deb
	$(Q)scripts/deb.sh $(O)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh $(O)

clean:
	$(call msg,CLEAN,$(O))
	$(Q)rm -rf $(O)

help:
	@sed -n '3,10p' Makefile | sed 's/^# \{0,1\}//'

.PHONY: all bpf samples tools install deps deb demo clean help bench
.DELETE_ON_ERROR:
.SECONDARY:
