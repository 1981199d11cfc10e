/* SPDX-License-Identifier: BSD-2-Clause */
/* The live library (common/live.h), found beside the module, checked, then opened. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live.h"
#include "live_load.h"

/* Opened once; libldap and its TLS stay loaded once set up (RTLD_NODELETE). */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static orgrbac_live_evaluate_fn *live_entry;

/* The directory of the module's own file, and the live library's path in it. */
static int live_path(char *dir, size_t dir_len, char *path, size_t path_len, orgrbac_error *err)
{
	Dl_info info;
	const char *slash;
	size_t n;

	if (dladdr(&live_lock, &info) == 0 || info.dli_fname == NULL || info.dli_fname[0] != '/') {
		orgrbac_seterr(err, "live library " ORGRBAC_LIVE_LIBRARY ": the module's own file "
				    "is unknown or not an absolute path, so is the library's");
		return -1;
	}
	slash = strrchr(info.dli_fname, '/');
	n = (size_t)(slash - info.dli_fname);
	if (snprintf(dir, dir_len, "%.*s", (int)n, info.dli_fname) >= (int)dir_len ||
	    snprintf(path, path_len, "%s/%s", dir, ORGRBAC_LIVE_LIBRARY) >= (int)path_len) {
		orgrbac_seterr(err, "live library beside %.200s: path too long", info.dli_fname);
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

/* Find, check and open the library; its entry point, or NULL with err. */
static orgrbac_live_evaluate_fn *live_open(bool any_owner, orgrbac_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct stat st;
	orgrbac_error why;
	void *handle, *entry;
	orgrbac_live_evaluate_fn *fn;
	int fd;

	if (live_path(dir, sizeof(dir), path, sizeof(path), err) != 0)
		return NULL;
	fd = orgrbac_open_checked(
	    path, ORGRBAC_FILE_ROOT | (any_owner ? ORGRBAC_FILE_ANY_OWNER : 0), &st, &why);
	if (fd < 0 || dir_trusted(dir, any_owner, &why) != 0) {
		if (fd >= 0)
			close(fd);
		orgrbac_seterr(err, "live library (source = live) refused: %.900s", why.msg);
		return NULL;
	}
	close(fd);
	dlerror();
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (handle == NULL) {
		const char *why_not = dlerror();

		orgrbac_seterr(err, "live library %.200s: cannot load: %.600s", path,
			       why_not != NULL ? why_not : "dlopen failed");
		return NULL;
	}
	entry = dlsym(handle, ORGRBAC_LIVE_ENTRY);
	if (entry == NULL) {
		orgrbac_seterr(err, "live library %.200s: no " ORGRBAC_LIVE_ENTRY, path);
		dlclose(handle);
		return NULL;
	}
	/* dlsym's object pointer as the function it names (POSIX), without a cast ISO C lacks */
	memcpy(&fn, &entry, sizeof(fn));
	return fn;
}

void orgrbac_live_evaluate(const struct orgrbac_config *cfg, const char *user, const char *require,
			   int64_t now, bool trust_any_owner, struct orgrbac_evaluation *ev)
{
	orgrbac_live_evaluate_fn *entry;

	memset(ev, 0, sizeof(*ev));
	ev->decision.verdict = ORGRBAC_DENY;
	ev->status = ORGRBAC_EVAL_CONFIG;
	orgrbac_seterr(&ev->err, "live library: not answered");
	pthread_mutex_lock(&live_lock);
	if (live_entry == NULL)
		live_entry = live_open(trust_any_owner, &ev->err);
	entry = live_entry;
	pthread_mutex_unlock(&live_lock);
	if (entry != NULL)
		entry(sizeof(*cfg), sizeof(*ev), cfg, user, require, now, trust_any_owner, ev);
}
