# SPDX-License-Identifier: BSD-2-Clause
# etc/: the schema, sample data and configuration, and the systemd units.
orgrbacdatadir = $(datadir)/orgrbac
dist_orgrbacdata_DATA = \
	etc/orgrbac.schema etc/orgrbac.ldif etc/slapd-indexes.ldif \
	etc/sample-org.ldif etc/slapd-acl.ldif etc/orgrbac.conf \
	etc/slapd-refint.ldif etc/slapd-dynlist.ldif

# /etc/orgrbac.conf is the administrator's: installed only where there is
# none, removed only while it is the shipped file unchanged.
install-data-local:
	$(MKDIR_P) $(DESTDIR)$(sysconfdir)
	test -e $(DESTDIR)$(sysconfdir)/orgrbac.conf || \
		$(INSTALL_DATA) -m 0644 $(srcdir)/etc/orgrbac.conf $(DESTDIR)$(sysconfdir)/orgrbac.conf

uninstall-local: uninstall-conf-hook
uninstall-conf-hook:
	if test -f $(DESTDIR)$(sysconfdir)/orgrbac.conf && \
	   ! cmp -s $(srcdir)/etc/orgrbac.conf $(DESTDIR)$(sysconfdir)/orgrbac.conf; then \
		echo "keeping $(DESTDIR)$(sysconfdir)/orgrbac.conf: it differs from the shipped file"; \
	else \
		rm -f $(DESTDIR)$(sysconfdir)/orgrbac.conf; \
	fi
.PHONY: uninstall-conf-hook

nodist_systemdsystemunit_DATA = etc/orgrbac-sync.service etc/orgrbac-follow.service
dist_systemdsystemunit_DATA = etc/orgrbac-sync.timer
etc/orgrbac-sync.service: $(srcdir)/etc/orgrbac-sync.service.in Makefile
	$(MKDIR_P) etc
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@snapshotdir[@]|'"$$(dirname '$(snapshotpath)')"'|g' \
		$(srcdir)/etc/orgrbac-sync.service.in >$@.tmp && mv $@.tmp $@
CLEANFILES += etc/orgrbac-sync.service
EXTRA_DIST += etc/orgrbac-sync.service.in

# The bash completion, where bash-completion loads it on demand.
dist_bashcompletion_DATA = etc/bash-completion/orgrbac

# the follower, the timer's alternative
etc/orgrbac-follow.service: $(srcdir)/etc/orgrbac-follow.service.in Makefile
	$(MKDIR_P) etc
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@snapshotdir[@]|'"$$(dirname '$(snapshotpath)')"'|g' \
		$(srcdir)/etc/orgrbac-follow.service.in >$@.tmp && mv $@.tmp $@
CLEANFILES += etc/orgrbac-follow.service
EXTRA_DIST += etc/orgrbac-follow.service.in
