# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# scx.service, its settings file and its restart-delay helper, included from
# the top-level Makefile. Installed by make install (DESTDIR honoured); the
# unit goes where Debian's systemd looks for packaged units, the settings
# where /etc/default lives, the helper beside scx-vm's in LIBEXECDIR (the
# unit names it under /usr/libexec, rewritten here for another prefix).
SYSTEMDUNITDIR ?= /lib/systemd/system
SYSCONFDIR ?= /etc

install: install-service

install-service:
	$(call msg,INSTALL,$(DESTDIR)$(SYSTEMDUNITDIR)/scx.service)
	$(Q)install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSCONFDIR)/default \
		$(DESTDIR)$(LIBEXECDIR)/libscx
	$(Q)sed 's|/usr/libexec/libscx/|$(LIBEXECDIR)/libscx/|' service/scx.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/scx.service
	$(Q)chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/scx.service
	$(Q)install -m 755 service/scx-restart-delay $(DESTDIR)$(LIBEXECDIR)/libscx/
	$(Q)install -m 644 service/scx.default $(DESTDIR)$(SYSCONFDIR)/default/scx

.PHONY: install-service

# scx.service in a Debian guest with systemd (tests/service); not part of
# make check (see README.md, Tests).
SERVICE_KERNEL ?= newest
check-service: tests-build
	$(Q)tests/service/host.sh $(O) $(SERVICE_KERNEL)

.PHONY: check-service
