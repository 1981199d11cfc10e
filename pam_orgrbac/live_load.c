/* SPDX-License-Identifier: BSD-2-Clause */
/* The live library (common/live.h), found beside the module, checked, then opened. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "live.h"
#include "live_load.h"

/* Opened once; libldap and its TLS stay loaded once set up (RTLD_NODELETE). */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static orgrbac_live_evaluate_fn *live_entry;

/* The module's own file: the live library lies beside it. */
static const char *module_file(void)
{
	Dl_info info;

	if (dladdr(&live_lock, &info) == 0)
		return NULL;
	return info.dli_fname;
}

/* Find, check and open the library; its entry point, or NULL with err. */
static orgrbac_live_evaluate_fn *live_open(bool any_owner, orgrbac_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX];
	orgrbac_error why;
	void *handle, *entry;
	orgrbac_live_evaluate_fn *fn;

	if (orgrbac_live_place(module_file(), dir, sizeof(dir), path, sizeof(path), err) != 0)
		return NULL;
	if (orgrbac_live_trusted(dir, path, any_owner, &why) != 0) {
		orgrbac_seterr(err, "live library (source = live) refused: %.900s", why.msg);
		return NULL;
	}
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
