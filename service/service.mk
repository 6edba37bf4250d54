# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# scx.service and its settings file, included from the top-level Makefile.
# Installed by make install (DESTDIR honoured); the unit goes where Debian's
# systemd looks for packaged units, the settings where /etc/default lives.
SYSTEMDUNITDIR ?= /lib/systemd/system
SYSCONFDIR ?= /etc

install: install-service

install-service:
	$(call msg,INSTALL,$(DESTDIR)$(SYSTEMDUNITDIR)/scx.service)
	$(Q)install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSCONFDIR)/default
	$(Q)install -m 644 service/scx.service $(DESTDIR)$(SYSTEMDUNITDIR)/scx.service
	$(Q)install -m 644 service/scx.default $(DESTDIR)$(SYSCONFDIR)/default/scx

.PHONY: install-service

# scx.service in a Debian guest with systemd (tests/service); not part of
# make check (see README.md, Tests).
SERVICE_KERNEL ?= newest
check-service: tests-build
	$(Q)tests/service/host.sh $(O) $(SERVICE_KERNEL)

.PHONY: check-service
