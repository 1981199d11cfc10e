/* SPDX-License-Identifier: BSD-2-Clause */
/* What the C tests share: the temporary directories they work in. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

#include "testdir.h"

static int first_errno;

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) != 0 && errno != ENOENT && first_errno == 0)
		first_errno = errno;
	return 0;
}

int orgrbac_test_rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	first_errno = 0;
	/* depth first: a directory after what it holds; FTW_PHYS: links themselves */
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return -1;
	if (first_errno != 0) {
		errno = first_errno;
		return -1;
	}
	return 0;
}
