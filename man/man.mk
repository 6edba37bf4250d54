# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Manual pages, included from the top-level Makefile. The sources in man/ are
# mdoc(7), written by hand (no generator to install); `make man` copies them
# to $(O)/man/manN/ with the version on the .Os line and adds, for every name
# in a section 3 page's NAME section, a one-line page `.so man3/PAGE.3`, so
# that `man scx_sched__attach` opens scx_sched(3). dh_installman turns those
# into symlinks in the packages.
#   make man            build $(O)/man
#   make install        installs them too, under $(MANDIR)/man{1,3,8}
#   make check-man      the man layer: mandoc lint, make install, API coverage

MANDIR ?= $(DATADIR)/man
MAN_SRCS := $(wildcard man/*.1 man/*.3 man/*.8)
MAN_PAGES := $(foreach p,$(MAN_SRCS),$(O)/man/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))
MAN_LINKS_STAMP := $(O)/man/links.stamp

define man_rule
$(O)/man/man$(1)/%.$(1): man/%.$(1) man/man.mk
	$$(call msg,MAN,$$@)
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)sed 's/^\.Os libscx$$$$/.Os libscx $(VERSION)/' $$< > $$@
endef
$(foreach s,1 3 8,$(eval $(call man_rule,$(s))))

# NAME section names other than the page's own -> .so pages
$(MAN_LINKS_STAMP): $(filter man/%.3,$(MAN_SRCS)) man/man.mk
	$(call msg,MAN,$(O)/man/man3 (function names))
	$(Q)mkdir -p $(O)/man/man3
	$(Q)grep -l '^\.so man3/' $(O)/man/man3/*.3 2>/dev/null | xargs -r rm -f
	$(Q)for p in $(filter man/%.3,$(MAN_SRCS)); do \
		page=$$(basename $$p .3); \
		for n in $$(sed -n '/^\.Sh NAME/,/^\.Sh/s/^\.Nm \([A-Za-z0-9_]*\).*/\1/p' $$p); do \
			[ "$$n" = "$$page" ] || echo ".so man3/$$page.3" > $(O)/man/man3/$$n.3; \
		done; \
	done
	$(Q)touch $@

man: $(MAN_PAGES) $(MAN_LINKS_STAMP)

install-man: man
	$(Q)install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man8
	$(Q)for s in 1 3 8; do \
		install -m 644 $(O)/man/man$$s/*.$$s $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done

install: install-man

MAN_TESTS := $(wildcard tests/man/test_*.sh)
check-man: all man
	$(Q)TEST_ARGS=$(abspath $(O)) SUMMARY=$(O)/tests/summary tests/run-layer.sh man "$(T)" $(MAN_TESTS)

.PHONY: man install-man check-man
