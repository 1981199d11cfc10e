/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac doctor: the whole host - configuration, secret, servers, PAM, sshd, NSS, snapshot. */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "doctor.h"
#include "doctor_int.h"
#include "leftout.h"
#include "live.h"
#include "snapshot.h"

#define PAM_DIR	      "/etc/pam.d"
#define SSHD_CONFIG   "/etc/ssh/sshd_config"
#define NSSWITCH      "/etc/nsswitch.conf"
#define PAM_FILES_MAX 512
#define FIX_SYNC      "run `orgrbac sync`, and `systemctl enable --now orgrbac-sync.timer`"
#define FIX_ROLE                                                                                   \
	"give the role a free gidNumber of at least gid_min, or an orgGroupName no local group "   \
	"has, then `orgrbac sync`"
#define FIX_USER "give each login name one entry (`orgrbac lint` lists them), then `orgrbac sync`"

/* The loader's complaint "PATH:LINE: what" as a finding at PATH:LINE. */
static void config_finding(const char *path, const char *msg, struct orgrbac_findings *out)
{
	size_t n = strlen(path);
	unsigned line = 0;
	const char *what = msg;

	if (strncmp(msg, path, n) == 0 && msg[n] == ':') {
		what = msg + n + 1;
		if (isdigit((unsigned char)*what)) {
			line = (unsigned)strtoul(what, (char **)&what, 10);
			what += *what == ':';
		}
		what += strspn(what, " ");
	}
	orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "config", path, line,
			    "correct the file (man orgrbac.conf); until then pam_orgrbac "
			    "refuses everyone but root and its ignore_users= names",
			    "%s", what);
}

/* The bind password: there, root's, private, not empty (the loader's checks); false if not. */
static bool check_secret(const struct orgrbac_config *cfg, bool trust, struct orgrbac_findings *out)
{
	const char *path = cfg->bind_password_file, *what;
	char *secret = NULL;
	orgrbac_error err;
	size_t n;

	if (cfg->bind_dn == NULL)
		return true;
	if (orgrbac_config_read_secret(cfg, trust, &secret, &err) == 0) {
		orgrbac_wipe(secret, strlen(secret));
		free(secret);
		return true;
	}
	n = strlen(path);
	what = strncmp(err.msg, path, n) == 0 && err.msg[n] == ':' ? err.msg + n + 1 : err.msg;
	orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "secret", path, 0,
			    "write the host's password on its first line, the file owned by root, "
			    "mode 0600",
			    "the bind password of %s: %s", cfg->bind_dn, what + strspn(what, " "));
	return false;
}

/* The record beside the snapshot of generation `gen`: each entry the sync left out. */
static void check_left_out(const char *snapshot, uint64_t gen, bool trust,
			   struct orgrbac_findings *out)
{
	char *path = orgrbac_left_out_path(snapshot);
	struct orgrbac_left_out lo;
	orgrbac_error err;
	enum orgrbac_left_out_read rd;

	if (path == NULL) {
		out->oom = true;
		return;
	}
	rd = orgrbac_left_out_read(path, trust, &lo, &err);
	if (rd != ORGRBAC_LEFT_OUT_READ || lo.generation != gen)
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "snapshot", path, 0, FIX_SYNC,
				    "what the last sync left out is unknown: %s",
				    rd == ORGRBAC_LEFT_OUT_ABSENT    ? "no record"
				    : rd == ORGRBAC_LEFT_OUT_INVALID ? err.msg
								     : "the record is of another "
								       "generation");
	for (size_t i = 0; rd == ORGRBAC_LEFT_OUT_READ && lo.generation == gen && i < lo.n; i++)
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "snapshot", path, 0,
				    strcmp(lo.e[i].kind, "role") == 0 ? FIX_ROLE : FIX_USER,
				    "the last sync left %s %s out: %s", lo.e[i].kind, lo.e[i].name,
				    lo.e[i].why);
	if (rd == ORGRBAC_LEFT_OUT_READ && lo.generation == gen && lo.count > lo.n)
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "snapshot", path, 0, FIX_ROLE,
				    "the last sync left %zu more entries out", lo.count - lo.n);
	orgrbac_left_out_free(&lo);
	free(path);
}

/* The snapshot: the NSS module's, present, fresh; and what its sync left out. */
static void check_snapshot(const struct orgrbac_config *cfg, bool trust,
			   struct orgrbac_findings *out)
{
	struct orgrbac_snapshot *snap = NULL;
	int64_t now = (int64_t)time(NULL), at;
	orgrbac_error err;

	if (strcmp(cfg->snapshot, ORGRBAC_SNAPSHOT_PATH) != 0)
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "snapshot", cfg->path, 0,
				    "remove [nss] snapshot from the configuration",
				    "[nss] snapshot is %s, but the NSS module reads only %s",
				    cfg->snapshot, ORGRBAC_SNAPSHOT_PATH);
	if (orgrbac_snapshot_open(cfg->snapshot, trust ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &snap,
				  &err) != 0) {
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "snapshot", cfg->snapshot, 0, FIX_SYNC,
				    "no usable snapshot, the NSS module answers UNAVAIL: %s",
				    err.msg);
		return;
	}
	at = orgrbac_snapshot_synced_at(snap);
	if (!orgrbac_snapshot_fresh(snap, now))
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "snapshot", cfg->snapshot, 0, FIX_SYNC,
				    "the snapshot is %lld s old, over max_age %lld s: the NSS "
				    "module answers UNAVAIL",
				    (long long)orgrbac_age(now, at),
				    (long long)orgrbac_snapshot_max_age(snap));
	check_left_out(cfg->snapshot, orgrbac_snapshot_generation(snap), trust, out);
	orgrbac_snapshot_close(snap);
}

/* Is there a [service NAME] section for this PAM file? */
static bool service_named(const struct orgrbac_config *cfg, const char *name)
{
	for (size_t i = 0; cfg != NULL && i < cfg->n_svc; i++)
		if (strcasecmp(cfg->svc[i].name, name) == 0)
			return true;
	return false;
}

/* Keep a finding unless the list has one with the same place and words (shared includes). */
static void merge(struct orgrbac_findings *out, struct orgrbac_findings *in)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct orgrbac_finding *f = &in->f[i];
		bool seen = false;

		for (size_t j = 0; j < out->n && !seen; j++)
			seen = strcmp(out->f[j].what, f->what) == 0 &&
			       (out->f[j].where == NULL) == (f->where == NULL) &&
			       (f->where == NULL || strcmp(out->f[j].where, f->where) == 0);
		if (!seen)
			orgrbac_finding_add(out, f->severity, f->check, f->where, 0, f->fix, "%s",
					    f->what);
	}
	out->oom = out->oom || in->oom;
	orgrbac_findings_free(in);
}

/* The names in /etc/pam.d, sorted; NULL-ended, or NULL when it cannot be listed. */
static char **pam_files(void)
{
	struct dirent **list = NULL;
	char **v;
	int n = scandir(PAM_DIR, &list, NULL, alphasort), k = 0;

	if (n < 0)
		return NULL;
	v = calloc((size_t)n + 1, sizeof(*v));
	for (int i = 0; i < n; i++) {
		if (v != NULL && list[i]->d_name[0] != '.' && k < PAM_FILES_MAX &&
		    strstr(list[i]->d_name, ".dpkg-") == NULL)
			v[k++] = strdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return v;
}

/*
 * What the PAM judge is told of the configuration. Without one the module
 * leaves root to its floor: root is not judged.
 */
static unsigned pam_flags(const struct orgrbac_config *cfg, bool named)
{
	unsigned flags = named ? ORGRBAC_DOCTOR_PAM_NAMED : 0;

	if (cfg == NULL || orgrbac_config_ignored(cfg, "root"))
		flags |= ORGRBAC_DOCTOR_PAM_ROOT_LISTED;
	return flags;
}

/*
 * With `source = live`, the module opens its live library at the first
 * decision: the library beside `module` must be there and pass the module's
 * own checks, or every decision is an error. `checked` is the last module
 * judged, so that one module is judged once.
 */
static void check_live(const struct orgrbac_config *cfg, bool trust, const char *module,
		       char *checked, size_t checked_len, struct orgrbac_findings *out)
{
	char dir[PATH_MAX], path[PATH_MAX];
	orgrbac_error why;

	if (cfg == NULL || cfg->source != ORGRBAC_SOURCE_LIVE || module[0] == '\0' ||
	    strcmp(module, checked) == 0)
		return;
	snprintf(checked, checked_len, "%s", module);
	if (orgrbac_live_place(module, dir, sizeof(dir), path, sizeof(path), &why) == 0 &&
	    orgrbac_live_trusted(dir, path, trust, &why) == 0)
		return;
	orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", module, 0,
			    "install " ORGRBAC_LIVE_LIBRARY " beside the module, owned by root and "
			    "writable by no one else, or set [pam] source = snapshot",
			    "[pam] source = live, but the module cannot load its live library, so "
			    "every decision is an error: %s",
			    why.msg);
}

/* Every PAM file that loads the module or that the configuration names; facts of sshd. */
static void check_pam(const struct orgrbac_config *cfg, bool trust, struct orgrbac_pam_facts *sshd,
		      struct orgrbac_findings *out)
{
	char **names = pam_files(), **dirs = orgrbac_doctor_module_dirs();
	char live_checked[4096] = "";

	memset(sshd, 0, sizeof(*sshd));
	if (names == NULL)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", PAM_DIR, 0, "restore /etc/pam.d",
				    "cannot list the PAM files");
	for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
		struct orgrbac_findings one = {0};
		struct orgrbac_pam_facts facts;
		bool named = service_named(cfg, names[i]);

		orgrbac_doctor_pam(&orgrbac_doctor_io_files, PAM_DIR, names[i],
				   (const char *const *)dirs, pam_flags(cfg, named), &facts, &one);
		if (strcmp(names[i], "sshd") == 0)
			*sshd = facts;
		if (facts.loads)
			check_live(cfg, trust, facts.module, live_checked, sizeof(live_checked),
				   &one);
		if (facts.loads || named)
			merge(out, &one);
		else
			orgrbac_findings_free(&one);
	}
	/* a [service] section without a PAM file at all */
	for (size_t i = 0; cfg != NULL && i < cfg->n_svc; i++) {
		bool listed = false;

		for (size_t j = 0; names != NULL && names[j] != NULL && !listed; j++)
			listed = strcasecmp(names[j], cfg->svc[i].name) == 0;
		if (!listed)
			orgrbac_doctor_pam(&orgrbac_doctor_io_files, PAM_DIR, cfg->svc[i].name,
					   (const char *const *)dirs, pam_flags(cfg, true),
					   &(struct orgrbac_pam_facts){0}, out);
	}
	orgrbac_strv_free(names);
	orgrbac_strv_free(dirs);
}

static void check_nsswitch(struct orgrbac_findings *out)
{
	bool missing = false;
	orgrbac_error err;
	char *text = orgrbac_doctor_io_files.read(NULL, NSSWITCH, &missing, &err);

	if (text == NULL) {
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "nsswitch", NSSWITCH, 0,
				    "write `group: files systemd orgrbac` there",
				    "cannot read it: %s", missing ? "no such file" : err.msg);
		return;
	}
	orgrbac_doctor_nsswitch(NSSWITCH, text, out);
	free(text);
}

int orgrbac_doctor_run(const char *config, bool trust_any_owner, struct orgrbac_findings *out,
		       orgrbac_error *err)
{
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_pam_facts sshd;
	orgrbac_error why;

	memset(out, 0, sizeof(*out));
	if (orgrbac_config_load(config, trust_any_owner, &cfg, &why) != 0) {
		config_finding(config != NULL ? config : ORGRBAC_CONFIG_PATH, why.msg, out);
		cfg = NULL;
	}
	if (cfg != NULL) {
		/* without the secret, each server would only say it refuses the bind */
		if (check_secret(cfg, trust_any_owner, out))
			orgrbac_doctor_servers(cfg, trust_any_owner, out);
	}
	check_pam(cfg, trust_any_owner, &sshd, out);
	if (sshd.loads || service_named(cfg, "sshd"))
		orgrbac_doctor_sshd(&orgrbac_doctor_io_files, SSHD_CONFIG, sshd.mfa_exempt, out);
	check_nsswitch(out);
	if (cfg != NULL)
		check_snapshot(cfg, trust_any_owner, out);
	orgrbac_config_free(cfg);
	if (out->oom) {
		orgrbac_seterr(err, "out of memory: the findings are incomplete");
		return -1;
	}
	return 0;
}
