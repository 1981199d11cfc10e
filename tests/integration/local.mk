# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/integration/, included from Makefile.am.

# etc/slapd-acl.ldif in real slapd servers of its own (the ACL changes what
# every client may read): writes by each kind of identity, with their exact
# result codes, and a host's decisions under the ACL.
TESTS += tests/integration/test_acl.sh
EXTRA_DIST += tests/integration/test_acl.sh tests/data/acl-identities.ldif
