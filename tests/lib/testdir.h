/* SPDX-License-Identifier: BSD-2-Clause */
/* What the C tests share: the temporary directories they work in. */
#ifndef ORGRBAC_TESTDIR_H
#define ORGRBAC_TESTDIR_H

/*
 * Remove PATH and everything beneath it, without a shell and without
 * following symbolic links; a missing PATH is no error. 0, or -1 with errno
 * set by the first removal that failed (the others are still tried).
 */
int orgrbac_test_rmtree(const char *path);

#endif
