/* SPDX-License-Identifier: BSD-2-Clause */
/* Where the live library lies, beside the module, and whether it may be loaded (common/live.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live.h"

int orgrbac_live_place(const char *module_file, char *dir, size_t dir_len, char *path,
		       size_t path_len, orgrbac_error *err)
{
	const char *slash;
	size_t n;

	if (module_file == NULL || module_file[0] != '/') {
		orgrbac_seterr(err, "live library " ORGRBAC_LIVE_LIBRARY ": the module's own file "
				    "is unknown or not an absolute path, so is the library's");
		return -1;
	}
	slash = strrchr(module_file, '/');
	n = (size_t)(slash - module_file);
	if (snprintf(dir, dir_len, "%.*s", (int)n, module_file) >= (int)dir_len ||
	    snprintf(path, path_len, "%s/%s", dir, ORGRBAC_LIVE_LIBRARY) >= (int)path_len) {
		orgrbac_seterr(err, "live library beside %.200s: path too long", module_file);
		return -1;
	}
	if (dir[0] == '\0')
		snprintf(dir, dir_len, "/");
	return 0;
}

/* The directory that holds it: root's (unless any owner will do), not writable by others. */
static int dir_trusted(const char *dir, bool any_owner, orgrbac_error *err)
{
	struct stat st;

	if (stat(dir, &st) != 0) {
		orgrbac_seterr(err, "%.200s: cannot stat: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		orgrbac_seterr(err, "%.200s: not a directory", dir);
		return -1;
	}
	if (!any_owner && st.st_uid != 0) {
		orgrbac_seterr(err, "%.200s: must be owned by root (owner uid %lu)", dir,
			       (unsigned long)st.st_uid);
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		orgrbac_seterr(err, "%.200s: must not be writable by group or others (mode %04o)",
			       dir, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

int orgrbac_live_trusted(const char *dir, const char *path, bool any_owner, orgrbac_error *err)
{
	struct stat st;
	int fd = orgrbac_open_checked(
	    path, ORGRBAC_FILE_ROOT | (any_owner ? ORGRBAC_FILE_ANY_OWNER : 0), &st, err);

	if (fd < 0)
		return -1;
	close(fd);
	return dir_trusted(dir, any_owner, err);
}
