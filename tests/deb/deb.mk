# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# The Debian packaging layer, included from the top-level Makefile.
#   make check-deb         make deb (packages in $(O)/deb), then tests/deb/test_*.sh
#                          on them: lintian, file lists against make install,
#                          building against libscx-dev, install and purge
#   make check-deb T=name  only tests whose name contains "name"
# Part of make check. debhelper and lintian come from scripts/deps.sh deb; when
# they or the build are missing the layer fails, it never skips.

DEB_TESTS := $(wildcard tests/deb/test_*.sh)

check-deb:
	$(Q)tests/deb/run.sh $(O) "$(T)" $(DEB_TESTS)

.PHONY: check-deb
