# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# The stress layer, included from the top-level Makefile.
#   make check-stress        every sample (and raw_fifo through scxtool) under
#                            adversarial workloads, one VM boot per kernel
#                            (KERNELS="oldest newest"); about 7 min per kernel
#   make check-stress-long   the same with every workload STRESS_SCALE (4) times longer
#   make check-stress T=vtime/nice   only tests whose "scheduler/workload" matches

STRESS_SCALE ?= 4
# The guest gets this directory only (as /stress): the driver, the runner, and
# copies of the schedulers under test, not all of tests/vm (37 MB of initramfs
# to unpack under TCG for nothing).
STRESS_GUEST := $(foreach f,$(SAMPLES) scxtool raw_fifo.bpf.o sample_interactive.bpf.o,$(O)/tests/stress/$(f))
STRESS_BUILD := $(O)/tests/stress/stress $(O)/tests/stress/run.sh $(STRESS_GUEST)

$(STRESS_GUEST): $(O)/tests/stress/%: $(O)/tests/vm/%
	$(Q)mkdir -p $(dir $@) && cp $< $@

# static: the guest has no libc of its own
$(O)/tests/stress/stress: tests/stress/stress.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -static $< -o $@ -lpthread

$(O)/tests/stress/run.sh: tests/stress/run.sh
	$(Q)mkdir -p $(dir $@) && cp $< $@

stress-build: tests-build $(STRESS_BUILD)

check-stress: stress-build
	$(Q)tests/stress/host.sh $(O) "$(T)" $(KERNELS)

check-stress-long: stress-build
	$(Q)STRESS_SCALE=$(STRESS_SCALE) tests/stress/host.sh $(O) "$(T)" $(KERNELS)

.PHONY: stress-build check-stress check-stress-long
