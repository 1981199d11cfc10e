/* SPDX-License-Identifier: BSD-2-Clause */
/* The doctor's findings: a list of what is wrong, where, and the fix. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"

/* A copy of s with anything unprintable as '?'; NULL stays NULL. */
static char *printable_dup(const char *s, bool *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL) {
		*oom = true;
		return NULL;
	}
	for (char *c = d; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return d;
}

void orgrbac_finding_add(struct orgrbac_findings *fs, enum orgrbac_severity sev, const char *check,
			 const char *file, unsigned line, const char *fix, const char *fmt, ...)
{
	struct orgrbac_finding *f;
	char what[1024], where[1024];
	va_list ap;

	f = orgrbac_grow(fs->f, &fs->cap, fs->n + 1, sizeof(*f));
	if (f == NULL) {
		fs->oom = true;
		return;
	}
	fs->f = f;
	f = &fs->f[fs->n];
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (file != NULL && line > 0)
		snprintf(where, sizeof(where), "%s:%u", file, line);
	else if (file != NULL)
		snprintf(where, sizeof(where), "%s", file);
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->check = printable_dup(check, &fs->oom);
	f->what = printable_dup(what, &fs->oom);
	f->where = file != NULL ? printable_dup(where, &fs->oom) : NULL;
	f->fix = printable_dup(fix, &fs->oom);
	fs->n++;
}

void orgrbac_findings_free(struct orgrbac_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->f[i].check);
		free(fs->f[i].what);
		free(fs->f[i].where);
		free(fs->f[i].fix);
	}
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}
