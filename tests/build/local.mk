# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/build/, included from Makefile.am.

# make install and make uninstall into a DESTDIR (test_install.sh).
TESTS += tests/build/test_install.sh
EXTRA_DIST += tests/build/test_install.sh

# autogen.sh without autoconf-archive stops with a message naming it
# (test_autogen.sh).
TESTS += tests/build/test_autogen.sh
EXTRA_DIST += tests/build/test_autogen.sh

# scripts/install-deps.sh with recorders for apt-get, dpkg-query and
# systemctl: no service starts while it installs, and those it installed are
# left disabled (test_install_deps.sh).
TESTS += tests/build/test_install_deps.sh
EXTRA_DIST += tests/build/test_install_deps.sh
