# SPDX-License-Identifier: BSD-2-Clause
# tests/e2e/: the shipped PAM and sshd files with real sshd and sudo in a
# private mount namespace (root only; it skips otherwise).
EXTRA_DIST += tests/e2e/test_sshd_sudo.sh
if ENABLE_PAM
TESTS += tests/e2e/test_sshd_sudo.sh
endif
# orgrbac-follow.service under systemd as PID 1 of private namespaces (root
# only; it skips otherwise).
EXTRA_DIST += tests/e2e/test_follow_systemd.sh
TESTS += tests/e2e/test_follow_systemd.sh
