/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac doctor: the real files the judges read, and where libpam looks for modules. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doctor.h"
#include "doctor_int.h"

/* A whole file, links followed as libpam and sshd follow them; at most ORGRBAC_FILE_MAX bytes. */
static char *files_read(void *ctx, const char *path, bool *missing, orgrbac_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	char *text = NULL;
	ssize_t n;

	(void)ctx;
	*missing = fd < 0 && errno == ENOENT;
	if (fd < 0) {
		orgrbac_seterr(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > ORGRBAC_FILE_MAX)
		orgrbac_seterr(err, "%s: not a regular file of at most %d bytes", path,
			       ORGRBAC_FILE_MAX);
	else if ((text = malloc((size_t)st.st_size + 1)) == NULL)
		orgrbac_seterr(err, "out of memory");
	else if ((n = orgrbac_read_full(fd, text, (size_t)st.st_size)) < 0) {
		orgrbac_seterr(err, "%s: %s", path, strerror(errno));
		free(text);
		text = NULL;
	} else {
		text[n] = '\0';
	}
	close(fd);
	return text;
}

static char **files_glob(void *ctx, const char *pattern)
{
	glob_t g;
	char **v = NULL;

	(void)ctx;
	if (glob(pattern, 0, NULL, &g) != 0)
		return NULL;
	v = calloc(g.gl_pathc + 1, sizeof(*v));
	for (size_t i = 0; v != NULL && i < g.gl_pathc; i++)
		if ((v[i] = strdup(g.gl_pathv[i])) == NULL) {
			orgrbac_strv_free(v);
			v = NULL;
		}
	globfree(&g);
	return v;
}

static bool files_exists(void *ctx, const char *path)
{
	struct stat st;

	(void)ctx;
	return stat(path, &st) == 0;
}

const struct orgrbac_doctor_io orgrbac_doctor_io_files = {files_read, files_glob, files_exists,
							  NULL};

/*
 * The directories libpam looks in for a module named without a path: the
 * multiarch one (the directory the C library was loaded from names the
 * triplet, as in /lib/x86_64-linux-gnu), under /lib and /usr/lib, then the
 * plain ones.
 */
char **orgrbac_doctor_module_dirs(void)
{
	char **v = calloc(5, sizeof(*v)), *libc = NULL, *slash;
	Dl_info info;
	size_t n = 0;

	if (v == NULL)
		return NULL;
	if (dladdr((void *)&fopen, &info) != 0 && info.dli_fname != NULL &&
	    (libc = strdup(info.dli_fname)) != NULL && (slash = strrchr(libc, '/')) != NULL) {
		const char *triplet;

		*slash = '\0';
		slash = strrchr(libc, '/');
		triplet = slash != NULL ? slash + 1 : libc;
		if (strchr(triplet, '-') != NULL) {
			if (asprintf(&v[n], "/lib/%s/security", triplet) >= 0)
				n++;
			if (asprintf(&v[n], "/usr/lib/%s/security", triplet) >= 0)
				n++;
		}
	}
	free(libc);
	v[n++] = strdup("/lib/security");
	v[n] = strdup("/usr/lib/security");
	return v;
}
