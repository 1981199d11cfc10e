/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac doctor: the host's whole setup judged, each finding with where it is and the fix. */
#ifndef ORGRBAC_DOCTOR_H
#define ORGRBAC_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum orgrbac_severity {
	ORGRBAC_SEV_ERROR,   /* a gate that is void or broken, logins refused or let through */
	ORGRBAC_SEV_WARNING, /* works today, but weaker or more fragile than it should be */
};

struct orgrbac_finding {
	enum orgrbac_severity severity;
	char *check; /* what was judged: "config", "pam", "sshd", "nsswitch", "snapshot", ... */
	char *what;  /* what is wrong */
	char *where; /* "FILE:LINE", "FILE", a server's URI, or NULL */
	char *fix;   /* what to do */
};

struct orgrbac_findings {
	struct orgrbac_finding *f;
	size_t n, cap;
	bool oom; /* a finding could not be kept: the list is incomplete */
};

/*
 * One more finding; `file` and `line` make its place ("FILE:LINE", "FILE"
 * when line is 0, none when file is NULL). The text is printable: anything
 * else from a file becomes '?'. Out of memory sets fs->oom.
 */
void orgrbac_finding_add(struct orgrbac_findings *fs, enum orgrbac_severity sev, const char *check,
			 const char *file, unsigned line, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void orgrbac_findings_free(struct orgrbac_findings *fs);

/*
 * How the judges see files, so that tests can hand them a table: read a
 * whole file (NULL when it cannot be read, with err; `missing` true when it
 * does not exist), list the paths a glob pattern names (sorted, NULL-ended,
 * freed with orgrbac_strv_free; NULL for none), and does a path exist.
 */
struct orgrbac_doctor_io {
	char *(*read)(void *ctx, const char *path, bool *missing, orgrbac_error *err);
	char **(*glob)(void *ctx, const char *pattern);
	bool (*exists)(void *ctx, const char *path);
	void *ctx;
};

/* What the PAM judge was told and found, for the sshd_config judge and the runner. */
struct orgrbac_pam_facts {
	bool loads;	     /* a line of the stack (includes followed) loads pam_orgrbac */
	bool account;	     /* an account line loads it */
	bool mfa_exempt;     /* an auth line loads it with mfa_exempt */
	const char *service; /* the file's name in /etc/pam.d */
	char module[4096];   /* the first such line's module file, as libpam finds it; or "" */
};

/* What orgrbac_doctor_pam is told of the configuration. */
enum {
	ORGRBAC_DOCTOR_PAM_NAMED = 1,	    /* a [service] section names this service */
	ORGRBAC_DOCTOR_PAM_ROOT_LISTED = 2, /* [pam] ignore_users lists root */
};

/*
 * Judge the PAM file `dir`/`service`: every line that loads pam_orgrbac
 * (directly, or in a file pulled in by @include, include or substack, one
 * level deep), its arguments as the module reads them, its control, its
 * module path (a relative one looked for in `module_dirs`, NULL-ended), and
 * for the mfa_exempt auth line its jump, the 2FA module after it and no
 * pam_permit after that. With ORGRBAC_DOCTOR_PAM_NAMED in `flags`, an
 * account stack that never loads the module is a finding; without
 * ORGRBAC_DOCTOR_PAM_ROOT_LISTED, an account line that judges root is one.
 * Fills *facts.
 */
void orgrbac_doctor_pam(const struct orgrbac_doctor_io *io, const char *dir, const char *service,
			const char *const *module_dirs, unsigned flags,
			struct orgrbac_pam_facts *facts, struct orgrbac_findings *out);

/*
 * Judge sshd's configuration at `path` (Include followed, the first value of
 * each keyword winning, settings inside Match blocks not counted): UsePAM
 * yes; with `mfa_exempt`, KbdInteractiveAuthentication yes and
 * AuthenticationMethods publickey,keyboard-interactive.
 */
void orgrbac_doctor_sshd(const struct orgrbac_doctor_io *io, const char *path, bool mfa_exempt,
			 struct orgrbac_findings *out);

/*
 * Judge nsswitch.conf's text (named `path` in findings): `group:` has
 * orgrbac after files, nothing returning before it; `passwd:` has a source
 * for directory users.
 */
void orgrbac_doctor_nsswitch(const char *path, const char *text, struct orgrbac_findings *out);

/* The real files: reads refuse more than ORGRBAC_FILE_MAX bytes. */
extern const struct orgrbac_doctor_io orgrbac_doctor_io_files;

/*
 * The whole doctor: the configuration at `config` (NULL: the default), its
 * secret, each server, /etc/pam.d, /etc/ssh/sshd_config, /etc/nsswitch.conf,
 * the snapshot and what the last sync left out. `trust_any_owner` as for the
 * configuration loader (a non-root caller). 0 (findings in *out, perhaps
 * none), or -1 with err when the doctor could not run at all.
 */
int orgrbac_doctor_run(const char *config, bool trust_any_owner, struct orgrbac_findings *out,
		       orgrbac_error *err);

#endif
