/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Property test of the trust model against two real slapd servers (with and
 * without memberOf) and the host snapshot. For random directories it holds:
 *   (a) the two live paths agree (verdict and 2FA exemption), and the
 *       decision from the snapshot (source = snapshot: sync's decision part,
 *       orgrbac_snapshot_evaluate) equals the live one, verdict and 2FA
 *       exemption, for every principal, requirement and several times;
 *   (b) making one security attribute unreadable never turns a refusal into
 *       an allow (nor grants an exemption), on any path;
 *   (c) whatever one tenant writes in its own subtree, no decision on another
 *       tenant's host changes.
 *
 * Environment: ORGRBAC_PROPERTY_ENV1 and ORGRBAC_PROPERTY_ENV2 (the env files
 * slapd.sh wrote for the server with memberOf and the one without),
 * ORGRBAC_PROPERTY_WORK (a private directory for configurations and
 * snapshots), ORGRBAC_PROPERTY_SEED (default a fixed seed),
 * ORGRBAC_PROPERTY_ITERATIONS, ORGRBAC_PROPERTY_SECONDS (run until then
 * instead), ORGRBAC_PROPERTY_FIRST (first iteration, to replay one),
 * ORGRBAC_PROPERTY_MUTATIONS (per directory), ORGRBAC_PROPERTY_KEEP (where
 * the LDIF of a failing directory is written), ORGRBAC_PROPERTY_SELFCHECK=1
 * (check the harness: after the mutations are reverted, every decision is
 * as before them).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ldap.h>

#include "config.h"
#include "directory.h"
#include "evaluate.h"
#include "expr.h"
#include "gen.h"
#include "gtime.h"
#include "hostview.h"
#include "ldapc.h"
#include "offline.h"
#include "replica.h"
#include "snapshot.h"
#include "snapshot_write.h"

#define DEFAULT_SEED	   UINT64_C(20240611)
#define DEFAULT_ITERATIONS 10
#define DEFAULT_MUTATIONS  3
#define MAX_AGE		   3600
#define DETAILS_PER_STATE  2  /* violations printed in full for each directory state */
#define BRIEF_PER_STATE	   12 /* and then on one line each */
#define N_SERVERS	   2

static const char *const requirements[] = {"host:login", "host:sudo", "host:login && host:sudo",
					   "none"};
#define N_REQ (sizeof(requirements) / sizeof(requirements[0]))
/* Each requirement is decided at several times: now, and three days either side. */
static const int64_t time_offsets[] = {0, -3 * 86400, 3 * 86400};
#define N_TIMES (sizeof(time_offsets) / sizeof(time_offsets[0]))
#define N_CASES (N_REQ * N_TIMES) /* a row's case r: requirement r % N_REQ, time r / N_REQ */

/* What PAM would make of a live decision. */
enum live_class {
	L_ALLOW,
	L_DENY,	   /* PAM_PERM_DENIED: lacks privileges, or data we cannot trust */
	L_EXPIRED, /* PAM_ACCT_EXPIRED */
	L_UNKNOWN, /* PAM_USER_UNKNOWN */
	L_UNAVAIL, /* PAM_AUTHINFO_UNAVAIL: the snapshot could not decide */
};

static const char *const live_names[] = {"allow", "deny", "expired", "unknown", "unavail"};

struct live {
	unsigned char cls;
	bool exempt; /* the auth mode's answer: allowed and holding the exempt role */
	char why[200];
};

struct row {
	bool decided;
	struct live live[N_SERVERS];
	struct live snap; /* source = snapshot */
};

struct table {
	size_t n_principals, n_hosts;
	struct row *rows;
};

struct server {
	char uri[256];
	char admin_dn[256];
	char admin_pw[128];
	bool memberof;
	LDAP *ld;
};

struct run {
	uint64_t seed;
	unsigned long iteration;
	struct server srv[N_SERVERS];
	const char *work;
	const char *keep;
	bool trust;
	bool selfcheck;
	struct orgrbac_expr *req[N_REQ];
	struct orgrbac_config *cfg[PROP_MAX_ORGS][N_SERVERS];
	uint64_t generation;
	/* this directory */
	struct prop_dir dir;
	bool failed_dir;
	bool ldif_written;
	unsigned details; /* violations printed in full in this state */
	unsigned long state_violations;
	/* mutations the servers refused, by kind */
	char *refused_tag[64], *refused_why[64];
	unsigned long refused_count[64];
	size_t n_refused_tags;
	/* mutations applied, by what was done */
	unsigned long kind_count[8];
	char *kind_name[8];
	/* figures */
	unsigned long directories, directories_failed, decisions, compared, mutations, refused,
	    tenant_writes, tenant_edits, violations[3];
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "property: error: ");
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fprintf(stdout, "\n");
	fflush(stdout);
	exit(99); /* a hard error to the test driver, not a property failure */
}

static struct row *row_at(struct table *t, size_t p, size_t h, size_t r)
{
	return &t->rows[(p * t->n_hosts + h) * N_CASES + r];
}

static void table_init(struct table *t, size_t n_principals, size_t n_hosts)
{
	t->n_principals = n_principals;
	t->n_hosts = n_hosts;
	t->rows = calloc(n_principals * n_hosts * N_CASES + 1, sizeof(*t->rows));
	if (t->rows == NULL)
		die("out of memory");
}

/* ---- the servers ---- */

/* KEY='VALUE' lines of slapd.sh's env file. */
static void env_value(const char *path, const char *key, char *out, size_t len)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	size_t klen = strlen(key);

	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		char *end;

		if (strncmp(line, key, klen) != 0 || line[klen] != '=' || line[klen + 1] != '\'')
			continue;
		end = strrchr(line + klen + 2, '\'');
		if (end == NULL || (size_t)(end - (line + klen + 2)) >= len)
			die("%s: bad %s line", path, key);
		memcpy(out, line + klen + 2, (size_t)(end - (line + klen + 2)));
		out[end - (line + klen + 2)] = '\0';
	}
	fclose(f);
	if (out[0] == '\0')
		die("%s: no %s", path, key);
}

static void server_connect(struct server *s, const char *env)
{
	char memberof[16];
	struct berval cred;
	int version = LDAP_VERSION3, rc;

	env_value(env, "LDAP_URI", s->uri, sizeof(s->uri));
	env_value(env, "LDAP_ADMIN_DN", s->admin_dn, sizeof(s->admin_dn));
	env_value(env, "LDAP_ADMIN_PW", s->admin_pw, sizeof(s->admin_pw));
	env_value(env, "MEMBEROF", memberof, sizeof(memberof));
	s->memberof = strcmp(memberof, "yes") == 0;
	if (ldap_initialize(&s->ld, s->uri) != LDAP_SUCCESS)
		die("ldap_initialize %s failed", s->uri);
	ldap_set_option(s->ld, LDAP_OPT_PROTOCOL_VERSION, &version);
	cred.bv_val = s->admin_pw;
	cred.bv_len = strlen(s->admin_pw);
	rc = ldap_sasl_bind_s(s->ld, s->admin_dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS)
		die("bind as %s to %s: %s", s->admin_dn, s->uri, ldap_err2string(rc));
}

static char *server_message(LDAP *ld)
{
	char *msg = NULL;

	ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg);
	return msg;
}

/* LDAPMod for one attribute description; `keep` filters values (NULL: all). */
static LDAPMod *mod_new(int op, const struct prop_attr *a, const bool *keep)
{
	LDAPMod *m = calloc(1, sizeof(*m));
	size_t k = 0;

	if (m == NULL)
		die("out of memory");
	m->mod_op = op | LDAP_MOD_BVALUES;
	m->mod_type = a->name;
	m->mod_bvalues = calloc(a->n_values + 1, sizeof(struct berval *));
	if (m->mod_bvalues == NULL)
		die("out of memory");
	for (size_t i = 0; i < a->n_values; i++) {
		struct berval *bv;

		if (keep != NULL && !keep[i])
			continue;
		bv = calloc(1, sizeof(*bv));
		if (bv == NULL)
			die("out of memory");
		bv->bv_val = a->values[i];
		bv->bv_len = strlen(a->values[i]);
		m->mod_bvalues[k++] = bv;
	}
	return m;
}

static void mods_free(LDAPMod **mods)
{
	for (size_t i = 0; mods != NULL && mods[i] != NULL; i++) {
		for (size_t k = 0; mods[i]->mod_bvalues[k] != NULL; k++)
			free(mods[i]->mod_bvalues[k]);
		free(mods[i]->mod_bvalues);
		free(mods[i]);
	}
	free(mods);
}

/*
 * Add entry `i`. A group's members that are entries not yet on the server
 * are left for a second pass (a memberOf server records memberOf only for
 * members that exist); *deferred tells that there is one.
 */
static int server_add(struct server *s, const struct prop_dir *d, size_t i, const bool *present,
		      bool *deferred)
{
	const struct prop_entry *e = &d->entries[i];
	LDAPMod **mods = calloc(e->n_attrs + 2, sizeof(*mods));
	bool *keep = NULL;
	char *pending = NULL;
	int rc;

	if (mods == NULL)
		die("out of memory");
	*deferred = false;
	for (size_t k = 0; k < e->n_attrs; k++) {
		const struct prop_attr *a = &e->attrs[k];
		size_t kept = 0;

		if (e->kind != PROP_GROUP || strcasecmp(a->name, "member") != 0) {
			mods[k] = mod_new(LDAP_MOD_ADD, a, NULL);
			continue;
		}
		keep = calloc(a->n_values + 1, sizeof(*keep));
		if (keep == NULL)
			die("out of memory");
		for (size_t v = 0; v < a->n_values; v++) {
			long m = prop_find(d, a->values[v]);

			keep[v] = m < 0 || present[m];
			kept += keep[v];
		}
		*deferred = kept < a->n_values;
		if (kept > 0) {
			mods[k] = mod_new(LDAP_MOD_ADD, a, keep);
		} else {
			/* member is required: a DN that names nothing stands in until then */
			char *none = NULL;
			struct prop_attr stand_in = {a->name, &none, 1};

			if (asprintf(&none, "cn=pending-members,%s", d->base) < 0)
				die("out of memory");
			mods[k] = mod_new(LDAP_MOD_ADD, &stand_in, NULL);
			mods[k]->mod_bvalues[0]->bv_val = none;
			pending = none;
		}
	}
	rc = ldap_add_ext_s(s->ld, e->dn, mods, NULL, NULL);
	mods_free(mods);
	free(keep);
	free(pending);
	return rc;
}

static int server_modify(struct server *s, const char *dn, const struct prop_attr *attrs, size_t n)
{
	LDAPMod **mods = calloc(n + 1, sizeof(*mods));
	int rc;

	if (mods == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		mods[i] = mod_new(LDAP_MOD_REPLACE, &attrs[i], NULL);
	rc = ldap_modify_ext_s(s->ld, dn, mods, NULL, NULL);
	mods_free(mods);
	return rc;
}

/* Add entries (indexes `idx`) to both servers, groups' members in a second pass. */
static void add_entries(struct run *run, const size_t *idx, size_t n)
{
	const struct prop_dir *d = &run->dir;
	bool *present = calloc(d->n_entries + 1, sizeof(*present));
	bool *later = calloc(d->n_entries + 1, sizeof(*later));

	if (present == NULL || later == NULL)
		die("out of memory");
	for (size_t i = 0; i < d->n_entries; i++)
		present[i] = true;
	for (size_t k = 0; k < n; k++)
		present[idx[k]] = false;
	for (size_t k = 0; k < n; k++) {
		for (int s = 0; s < N_SERVERS; s++) {
			int rc = server_add(&run->srv[s], d, idx[k], present, &later[idx[k]]);

			if (rc != LDAP_SUCCESS) {
				char *msg = server_message(run->srv[s].ld);

				prop_ldif(stdout, &d->entries[idx[k]], 200);
				die("adding %s to %s: %s (%s)", d->entries[idx[k]].dn,
				    run->srv[s].uri, ldap_err2string(rc), msg != NULL ? msg : "");
			}
		}
		present[idx[k]] = true;
	}
	for (size_t k = 0; k < n; k++) {
		const struct prop_attr *a = prop_attr_get(&d->entries[idx[k]], "member");

		if (!later[idx[k]] || a == NULL)
			continue;
		for (int s = 0; s < N_SERVERS; s++) {
			int rc = server_modify(&run->srv[s], d->entries[idx[k]].dn, a, 1);

			if (rc != LDAP_SUCCESS)
				die("members of %s on %s: %s", d->entries[idx[k]].dn,
				    run->srv[s].uri, ldap_err2string(rc));
		}
	}
	free(present);
	free(later);
}

/*
 * Apply one modification to both servers. A value the schema refuses
 * (slapd checks syntax and single values) is refused by the first server
 * and not sent to the second: false, and the refusal in `why`.
 */
static bool apply_edit(struct run *run, const struct prop_edit *e, bool revert, char *why,
		       size_t len)
{
	const struct prop_entry *en = &run->dir.entries[e->entry];
	const struct prop_attr *attrs = revert ? e->before : e->after;

	for (int s = 0; s < N_SERVERS; s++) {
		int rc = server_modify(&run->srv[s], en->dn, attrs, e->n);

		if (rc == LDAP_SUCCESS)
			continue;
		char *msg = server_message(run->srv[s].ld);

		snprintf(why, len, "%s (%s)", ldap_err2string(rc), msg != NULL ? msg : "");
		ldap_memfree(msg);
		if (s == 0 && !revert &&
		    (rc == LDAP_INVALID_SYNTAX || rc == LDAP_CONSTRAINT_VIOLATION ||
		     rc == LDAP_UNDEFINED_TYPE || rc == LDAP_OBJECT_CLASS_VIOLATION ||
		     rc == LDAP_TYPE_OR_VALUE_EXISTS || rc == LDAP_INAPPROPRIATE_MATCHING))
			return false;
		die("%s %s on %s: %s", revert ? "reverting" : "applying", e->what, run->srv[s].uri,
		    why);
	}
	return true;
}

/* ---- decisions ---- */

static bool valid_time(const char *s)
{
	int64_t t;

	return orgrbac_gtime_parse(s, &t) == 0;
}

static void write_configs(struct run *run)
{
	const struct prop_dir *d = &run->dir;

	for (size_t h = 0; h < d->n_orgs; h++)
		for (int s = 0; s < N_SERVERS; s++) {
			const struct prop_host *host = &d->hosts[h];
			char path[4096];
			orgrbac_error err;
			FILE *f;
			int fd;

			orgrbac_config_free(run->cfg[h][s]);
			run->cfg[h][s] = NULL;
			snprintf(path, sizeof(path), "%s/host%zu-server%d.conf", run->work, h, s);
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
				die("%s: %s", path, strerror(errno));
			fprintf(f, "[ldap]\nuri = %s\nbase = %s\ntimeout = 10\n\n", run->srv[s].uri,
				d->base);
			fprintf(f, "[host]\norg = %s\nresource = %s\n", host->org, host->resource);
			if (host->n_services > 0) {
				fprintf(f, "services = ");
				for (size_t k = 0; k < host->n_services; k++)
					fprintf(f, "%s%s", k > 0 ? ", " : "", host->services[k]);
				fprintf(f, "\n");
			}
			fprintf(f, "\n[pam]\nignore_users = root\ndefault_require = host:login\n");
			fprintf(f, "\n[nss]\nsnapshot = %s/snapshot-%zu.db\n", run->work, h);
			if (fclose(f) != 0)
				die("%s: %s", path, strerror(errno));
			if (orgrbac_config_load(path, run->trust, &run->cfg[h][s], &err) != 0)
				die("%s", err.msg);
		}
}

/* The live decisions of one host and one server, for every principal from `from` on. */
struct worker {
	struct run *run;
	struct table *t;
	size_t h, from;
	int s;
	unsigned long decisions;
	pthread_t thread;
};

/* What PAM would make of an evaluation, live or from the snapshot; false: no decision. */
static bool classify(const struct orgrbac_evaluation *ev, struct live *l)
{
	l->exempt = false;
	switch (ev->status) {
	case ORGRBAC_EVAL_DECIDED:
		switch (ev->decision.verdict) {
		case ORGRBAC_ALLOW: l->cls = L_ALLOW; break;
		case ORGRBAC_EXPIRED: l->cls = L_EXPIRED; break;
		case ORGRBAC_UNKNOWN: l->cls = L_UNKNOWN; break;
		default: l->cls = L_DENY; break;
		}
		l->exempt = ev->decision.verdict == ORGRBAC_ALLOW && ev->decision.mfa_exempt &&
			    ev->decision.mfa_grant != NULL;
		snprintf(l->why, sizeof(l->why), "%.190s", ev->decision.reason);
		return true;
	case ORGRBAC_EVAL_BADNAME:
		l->cls = L_UNKNOWN;
		snprintf(l->why, sizeof(l->why), "bad name: %.180s", ev->err.msg);
		return true;
	case ORGRBAC_EVAL_ERROR:
		l->cls = L_DENY;
		snprintf(l->why, sizeof(l->why), "error: %.180s", ev->err.msg);
		return true;
	default:
		l->cls = L_UNAVAIL;
		snprintf(l->why, sizeof(l->why), "unavailable: %.180s", ev->err.msg);
		return false;
	}
}

static void *decide_live(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;

	for (size_t p = w->from; p < w->t->n_principals; p++)
		for (size_t r = 0; r < N_CASES; r++) {
			const char *user = run->dir.principals[p];
			struct live *l = &row_at(w->t, p, w->h, r)->live[w->s];
			struct orgrbac_evaluation ev;

			orgrbac_evaluate(run->cfg[w->h][w->s], user, requirements[r % N_REQ],
					 run->dir.now + time_offsets[r / N_REQ], run->trust, &ev);
			w->decisions++;
			if (!classify(&ev, l))
				die("no decision for '%s' on %s: %s", user, run->srv[w->s].uri,
				    ev.err.msg);
			orgrbac_evaluation_free(&ev);
		}
	return NULL;
}

/*
 * The host's snapshot as sync writes it (the view and the decision part of
 * the same image), synced at each time decided, and every principal decided
 * from it as the PAM module does with source = snapshot.
 */
static void decide_offline(struct run *run, size_t h, struct table *t, size_t from)
{
	const struct orgrbac_config *cfg = run->cfg[h][0];
	struct orgrbac_image img;
	struct orgrbac_view_params params;
	struct orgrbac_ldap *l = NULL;
	orgrbac_error err;
	int rc;

	rc = orgrbac_ldap_open(cfg, run->trust, &l, &err);
	if (rc != ORGRBAC_LDAP_OK)
		die("image: %s", err.msg);
	rc = orgrbac_directory_image(l, cfg, &img, &err);
	orgrbac_ldap_close(l);
	if (rc != ORGRBAC_DIR_FOUND)
		die("image of %s: %s", cfg->base, err.msg);
	params = (struct orgrbac_view_params){
	    .host = orgrbac_config_host(cfg),
	    .cross_org_privilege = cfg->cross_org_privilege,
	    .group_prefix = cfg->group_prefix,
	    .gid_min = cfg->gid_min,
	};
	for (size_t k = 0; k < N_TIMES; k++) {
		int64_t now = run->dir.now + time_offsets[k];
		struct orgrbac_view view;
		struct orgrbac_snap_records *rec = orgrbac_snap_records_new();

		/* as sync writes it: each principal's facts sealed as they are read */
		if (rec == NULL || orgrbac_view_compute(&img, &params, &view, &err) != 0 ||
		    orgrbac_replica_fill(&img, &params.host, NULL, rec, &view, &err) != 0)
			die("view: %s", rec == NULL ? "out of memory" : err.msg);
		if (orgrbac_snapshot_write_sealed(cfg->snapshot, &view, rec, ++run->generation, now,
						  MAX_AGE, &err) != 0)
			die("snapshot: %s", err.msg);
		orgrbac_view_free(&view);
		orgrbac_snap_records_free(rec);
		for (size_t p = from; p < t->n_principals; p++)
			for (size_t r = k * N_REQ; r < (k + 1) * N_REQ; r++) {
				struct row *row = row_at(t, p, h, r);
				struct orgrbac_evaluation ev;

				orgrbac_snapshot_evaluate(cfg, run->dir.principals[p],
							  requirements[r % N_REQ], now, run->trust,
							  &ev);
				classify(&ev, &row->snap);
				orgrbac_evaluation_free(&ev);
				run->decisions++;
			}
	}
	orgrbac_image_free(&img);
}

/*
 * Every principal from `from` on, on every host but `skip_org` (-1: none), on
 * every path. The live decisions of each host and server run in a thread of
 * their own, each with its own connections, as PAM stacks in a busy sshd do.
 */
static void decide_all(struct run *run, struct table *t, size_t from, long skip_org)
{
	struct worker w[PROP_MAX_ORGS][N_SERVERS];

	for (size_t h = 0; h < t->n_hosts; h++)
		for (int s = 0; s < N_SERVERS && (long)h != skip_org; s++) {
			w[h][s] = (struct worker){.run = run, .t = t, .h = h, .from = from, .s = s};
			if (pthread_create(&w[h][s].thread, NULL, decide_live, &w[h][s]) != 0)
				die("pthread_create failed");
		}
	for (size_t h = 0; h < t->n_hosts; h++) {
		if ((long)h == skip_org)
			continue;
		decide_offline(run, h, t, from);
		for (int s = 0; s < N_SERVERS; s++) {
			pthread_join(w[h][s].thread, NULL);
			run->decisions += w[h][s].decisions;
		}
		for (size_t p = from; p < t->n_principals; p++)
			for (size_t r = 0; r < N_CASES; r++)
				row_at(t, p, h, r)->decided = true;
	}
}

/* ---- reporting ---- */

static void write_ldif(struct run *run)
{
	char path[4096];
	FILE *f;

	if (run->keep == NULL || run->ldif_written)
		return;
	snprintf(path, sizeof(path), "%s/property-%" PRIu64 "-%lu.ldif", run->keep, run->seed,
		 run->iteration);
	f = fopen(path, "we");
	if (f == NULL) {
		printf("  (cannot write %s: %s)\n", path, strerror(errno));
		return;
	}
	fprintf(f,
		"# seed %" PRIu64 ", iteration %lu: the directory when the first violation "
		"was seen\n\n",
		run->seed, run->iteration);
	for (size_t i = 0; i < run->dir.n_entries; i++)
		prop_ldif(f, &run->dir.entries[i], 0);
	fclose(f);
	run->ldif_written = true;
	printf("  the whole directory: %s\n", path);
}

static void print_row(const char *label, const struct row *row)
{
	static const char *const path[N_SERVERS] = {"live, memberOf   ", "live, no memberOf"};

	printf("  %s:\n", label);
	for (int s = 0; s < N_SERVERS; s++)
		printf("    %s %-7s%s  %s\n", path[s], live_names[row->live[s].cls],
		       row->live[s].exempt ? " +2FA-exempt" : "", row->live[s].why);
	printf("    snapshot          %-7s%s  %s\n", live_names[row->snap.cls],
	       row->snap.exempt ? " +2FA-exempt" : "", row->snap.why);
}

static void violation(struct run *run, int property, const char *state, const char *what, size_t p,
		      size_t h, size_t r, const struct row *before, const struct row *after,
		      const struct prop_edit *edit)
{
	const struct prop_dir *d = &run->dir;
	const struct prop_host *host = &d->hosts[h];
	unsigned char *mark;

	run->violations[property]++;
	run->state_violations++;
	run->failed_dir = true;
	if (run->details++ >= DETAILS_PER_STATE) {
		if (run->details <= DETAILS_PER_STATE + BRIEF_PER_STATE)
			printf("  also (%c): '%s' on the host of %s, require '%s' at %+llds: "
			       "%s/%s/%s%s\n",
			       'a' + property, d->principals[p], host->org, requirements[r % N_REQ],
			       (long long)time_offsets[r / N_REQ], live_names[after->live[0].cls],
			       live_names[after->live[1].cls], live_names[after->snap.cls],
			       before == NULL ? ""
			       : before->live[0].cls != after->live[0].cls
				   ? " (live changed)"
				   : " (exemption or snapshot changed)");
		return;
	}
	printf("\nVIOLATION (%c) %s\n", 'a' + property, what);
	printf("  seed %" PRIu64 " iteration %lu, state: %s\n", run->seed, run->iteration, state);
	printf("  principal '%s', host of %s (services:", d->principals[p], host->org);
	for (size_t k = 0; k < host->n_services; k++)
		printf(" %s", host->services[k]);
	printf("; resource %s), require '%s' at now %+llds\n", host->resource,
	       requirements[r % N_REQ], (long long)time_offsets[r / N_REQ]);
	if (before != NULL)
		print_row("before", before);
	print_row(before != NULL ? "after" : "decisions", after);
	mark = calloc(d->n_entries + 1, 1);
	if (mark == NULL)
		die("out of memory");
	prop_related(d, d->principals[p], mark);
	if (edit != NULL)
		mark[edit->entry] = 1;
	printf("  entries:\n");
	for (size_t i = 0; i < d->n_entries; i++)
		if (mark[i] || (d->entries[i].tenant && before != NULL && edit == NULL &&
				d->entries[i].kind == PROP_GRANT))
			prop_ldif(stdout, &d->entries[i], 300);
	free(mark);
	write_ldif(run);
	fflush(stdout);
}

/* ---- the properties ---- */

static bool is_allow(const struct row *row, int path)
{
	return path < N_SERVERS ? row->live[path].cls == L_ALLOW : row->snap.cls == L_ALLOW;
}

/* (a) in one directory state. */
static void check_agree(struct run *run, struct table *t, const char *state)
{
	for (size_t p = 0; p < t->n_principals; p++)
		for (size_t h = 0; h < t->n_hosts; h++)
			for (size_t r = 0; r < N_CASES; r++) {
				const struct row *row = row_at(t, p, h, r);

				if (!row->decided)
					continue;
				run->compared++;
				if (row->live[0].cls != row->live[1].cls ||
				    row->live[0].exempt != row->live[1].exempt)
					violation(run, 0, state,
						  "the live paths with and without memberOf differ",
						  p, h, r, NULL, row, NULL);
				else if (row->snap.cls != row->live[0].cls ||
					 row->snap.exempt != row->live[0].exempt)
					violation(run, 0, state,
						  "the snapshot decides otherwise than live", p, h,
						  r, NULL, row, NULL);
			}
}

/* (b): nothing refused before the mutation is allowed after it. */
static void check_narrows(struct run *run, struct table *before, struct table *after,
			  const char *state, const struct prop_edit *edit)
{
	static const char *const path[] = {"live with memberOf", "live without memberOf",
					   "snapshot"};

	for (size_t p = 0; p < after->n_principals; p++)
		for (size_t h = 0; h < after->n_hosts; h++)
			for (size_t r = 0; r < N_CASES; r++) {
				const struct row *b = row_at(before, p, h, r),
						 *a = row_at(after, p, h, r);
				char what[160];

				if (!a->decided || !b->decided)
					continue;
				run->compared++;
				for (int k = 0; k <= N_SERVERS; k++) {
					if (!is_allow(b, k) && is_allow(a, k))
						snprintf(what, sizeof(what),
							 "unreadable data turned a refusal into an "
							 "allow (%s)",
							 path[k]);
					else if (k < N_SERVERS && !b->live[k].exempt &&
						 a->live[k].exempt)
						snprintf(
						    what, sizeof(what),
						    "unreadable data gave a 2FA exemption (%s)",
						    path[k]);
					else
						continue;
					violation(run, 1, state, what, p, h, r, b, a, edit);
					break;
				}
			}
}

/* (c): on the other tenants' hosts, nothing changed; the tenant's new users are nobody there. */
static void check_isolated(struct run *run, struct table *before, struct table *after,
			   size_t first_new, const char *state)
{
	for (size_t p = 0; p < after->n_principals; p++)
		for (size_t h = 0; h < after->n_hosts; h++)
			for (size_t r = 0; r < N_CASES; r++) {
				const struct row *a = row_at(after, p, h, r), *b;
				bool same = true;

				if (!a->decided)
					continue;
				run->compared++;
				if (p >= first_new) {
					if (is_allow(a, 0) || is_allow(a, 1) || is_allow(a, 2) ||
					    a->live[0].exempt || a->live[1].exempt)
						violation(run, 2, state,
							  "a user the tenant created is allowed on "
							  "another tenant's host",
							  p, h, r, NULL, a, NULL);
					continue;
				}
				b = row_at(before, p, h, r);
				for (int s = 0; s < N_SERVERS; s++)
					same = same && a->live[s].cls == b->live[s].cls &&
					       a->live[s].exempt == b->live[s].exempt;
				same = same && a->snap.cls == b->snap.cls &&
				       a->snap.exempt == b->snap.exempt;
				if (!same)
					violation(run, 2, state,
						  "a tenant's writes changed a decision on another "
						  "tenant's host",
						  p, h, r, b, a, NULL);
			}
}

static void state_summary(struct run *run, const char *state)
{
	if (run->state_violations > run->details || run->state_violations > DETAILS_PER_STATE)
		printf("  ... %lu violations in all in state: %s\n", run->state_violations, state);
	run->state_violations = 0;
	run->details = 0;
}

/* ---- one directory ---- */

/* Count a mutation by what was done ("made over-long"), whatever the attribute. */
static void applied(struct run *run, const char *tag)
{
	const char *kind = strchr(tag, ' ') != NULL ? strchr(tag, ' ') + 1 : tag;
	size_t n = sizeof(run->kind_name) / sizeof(run->kind_name[0]), i;

	for (i = 0; i < n && run->kind_name[i] != NULL; i++)
		if (strcmp(run->kind_name[i], kind) == 0)
			break;
	if (i == n)
		return;
	if (run->kind_name[i] == NULL && (run->kind_name[i] = strdup(kind)) == NULL)
		die("out of memory");
	run->kind_count[i]++;
}

static void refused(struct run *run, const char *tag, const char *why)
{
	size_t i;

	run->refused++;
	for (i = 0; i < run->n_refused_tags; i++)
		if (strcmp(run->refused_tag[i], tag) == 0)
			break;
	if (i == run->n_refused_tags) {
		if (i == sizeof(run->refused_tag) / sizeof(run->refused_tag[0]))
			return;
		run->refused_tag[i] = strdup(tag);
		run->refused_why[i] = strdup(why);
		if (run->refused_tag[i] == NULL || run->refused_why[i] == NULL)
			die("out of memory");
		run->n_refused_tags++;
	}
	run->refused_count[i]++;
}

static void one_directory(struct run *run, unsigned mutations)
{
	struct prop_rng rng;
	struct table base, cur;
	struct prop_edits tw;
	size_t *idx, first_new, org;
	char base_dn[128], state[8192];

	prop_rng_seed(&rng, run->seed ^ (run->iteration * UINT64_C(0xd1b54a32d192ed03)));
	prop_rng_next(&rng);
	snprintf(base_dn, sizeof(base_dn), "dc=g%lu,dc=example,dc=com", run->iteration);
	prop_generate(&run->dir, &rng, base_dn, (int64_t)time(NULL));
	run->failed_dir = false;
	run->ldif_written = false;
	run->directories++;

	idx = calloc(run->dir.n_entries + 1, sizeof(*idx));
	if (idx == NULL)
		die("out of memory");
	for (size_t i = 0; i < run->dir.n_entries; i++)
		idx[i] = i;
	add_entries(run, idx, run->dir.n_entries);
	free(idx);
	write_configs(run);

	table_init(&base, run->dir.n_principals, run->dir.n_orgs);
	decide_all(run, &base, 0, -1);
	check_agree(run, &base, "as generated");
	state_summary(run, "as generated");

	for (unsigned m = 0, attempts = 0; m < mutations && attempts < 4 * mutations; attempts++) {
		struct prop_edit e;
		char why[512];

		prop_mutate(&run->dir, &rng, valid_time, &e);
		if (!apply_edit(run, &e, false, why, sizeof(why))) {
			/* the server keeps its schema: this value cannot be stored there */
			refused(run, e.tag, why);
			prop_edit_revert(&run->dir, &e);
			prop_edit_free(&e);
			continue;
		}
		run->mutations++;
		applied(run, e.tag);
		m++;
		snprintf(state, sizeof(state), "mutation %u: %s", m, e.what);
		table_init(&cur, run->dir.n_principals, run->dir.n_orgs);
		decide_all(run, &cur, 0, -1);
		check_agree(run, &cur, state);
		check_narrows(run, &base, &cur, state, &e);
		state_summary(run, state);
		free(cur.rows);
		apply_edit(run, &e, true, why, sizeof(why));
		prop_edit_revert(&run->dir, &e);
		prop_edit_free(&e);
	}

	/* ORGRBAC_PROPERTY_SELFCHECK: the reverted directory decides as the generated one. */
	if (run->selfcheck) {
		table_init(&cur, run->dir.n_principals, run->dir.n_orgs);
		decide_all(run, &cur, 0, -1);
		for (size_t i = 0; i < cur.n_principals * cur.n_hosts * N_CASES; i++) {
			const struct row *a = &cur.rows[i], *b = &base.rows[i];

			for (int s = 0; s < N_SERVERS; s++)
				if (a->live[s].cls != b->live[s].cls ||
				    a->live[s].exempt != b->live[s].exempt)
					die("self-check: decision %zu differs after the reverts: "
					    "%s / %s",
					    i, a->live[s].why, b->live[s].why);
			if (a->snap.cls != b->snap.cls || a->snap.exempt != b->snap.exempt)
				die("self-check: snapshot decision %zu differs after the reverts: "
				    "%s / %s",
				    i, a->snap.why, b->snap.why);
		}
		free(cur.rows);
	}

	/* One tenant writes what it likes in its own subtree. */
	org = prop_rng_below(&rng, run->dir.n_orgs);
	{
		size_t before = run->dir.n_entries, n_add = 0;
		char why[512];

		prop_tenant_write(&run->dir, &rng, org, &tw, &first_new);
		idx = calloc(tw.n + 1, sizeof(*idx));
		if (idx == NULL)
			die("out of memory");
		for (size_t i = 0; i < tw.n; i++)
			if (tw.v[i].add)
				idx[n_add++] = tw.v[i].entry;
		add_entries(run, idx, n_add);
		free(idx);
		for (size_t i = 0; i < tw.n; i++)
			if (!tw.v[i].add && !apply_edit(run, &tw.v[i], false, why, sizeof(why)))
				die("tenant write refused: %s: %s", tw.v[i].what, why);
		run->tenant_writes++;
		run->tenant_edits += tw.n;
		(void)before;
	}
	snprintf(state, sizeof(state), "tenant %s wrote %zu entries in its subtree",
		 run->dir.hosts[org].org, tw.n);
	table_init(&cur, run->dir.n_principals, run->dir.n_orgs);
	decide_all(run, &cur, 0, (long)org);
	check_agree(run, &cur, state);
	check_isolated(run, &base, &cur, first_new, state);
	state_summary(run, state);
	free(cur.rows);
	prop_edits_free(&tw);

	free(base.rows);
	if (run->failed_dir)
		run->directories_failed++;
	prop_dir_free(&run->dir);
}

/* ---- main ---- */

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (v == NULL || v[0] == '\0')
		return def;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno != 0 || *end != '\0')
		die("%s=%s is not a number", name, v);
	return n;
}

static const char *env_str(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || v[0] == '\0')
		die("%s is not set", name);
	return v;
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(void)
{
	struct run run = {0};
	struct timespec t0;
	uint64_t seconds, iterations, first;
	unsigned mutations;
	orgrbac_error err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	run.seed = env_u64("ORGRBAC_PROPERTY_SEED", DEFAULT_SEED);
	seconds = env_u64("ORGRBAC_PROPERTY_SECONDS", 0);
	iterations =
	    env_u64("ORGRBAC_PROPERTY_ITERATIONS", seconds > 0 ? UINT64_MAX : DEFAULT_ITERATIONS);
	first = env_u64("ORGRBAC_PROPERTY_FIRST", 1);
	mutations = (unsigned)env_u64("ORGRBAC_PROPERTY_MUTATIONS", DEFAULT_MUTATIONS);
	run.work = env_str("ORGRBAC_PROPERTY_WORK");
	run.keep = getenv("ORGRBAC_PROPERTY_KEEP");
	run.trust = geteuid() != 0;
	run.selfcheck = env_u64("ORGRBAC_PROPERTY_SELFCHECK", 0) != 0;
	server_connect(&run.srv[0], env_str("ORGRBAC_PROPERTY_ENV1"));
	server_connect(&run.srv[1], env_str("ORGRBAC_PROPERTY_ENV2"));
	if (!run.srv[0].memberof || run.srv[1].memberof)
		die("the first server must keep memberOf and the second must not");
	for (size_t r = 0; r < N_REQ; r++)
		if (orgrbac_expr_parse(requirements[r], &run.req[r], &err) != 0)
			die("%s: %s", requirements[r], err.msg);

	printf("property: seed %" PRIu64 " (replay one directory: ORGRBAC_PROPERTY_SEED=%" PRIu64
	       " ORGRBAC_PROPERTY_FIRST=N ORGRBAC_PROPERTY_ITERATIONS=1)\n",
	       run.seed, run.seed);
	if (seconds > 0)
		printf("property: running for %" PRIu64 " s\n", seconds);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < iterations; i++) {
		if (seconds > 0 && elapsed(&t0) >= (double)seconds)
			break;
		run.iteration = (unsigned long)(first + i);
		one_directory(&run, mutations);
		printf("property: directory %lu done (%.1f s, %lu violations so far)\n",
		       run.iteration, elapsed(&t0),
		       run.violations[0] + run.violations[1] + run.violations[2]);
	}

	printf("\nproperty: seed %" PRIu64 ", %.1f s\n", run.seed, elapsed(&t0));
	printf("property: directories generated:   %lu\n", run.directories);
	printf("property: decisions made:          %lu\n", run.decisions);
	printf("property: decisions compared:      %lu\n", run.compared);
	printf("property: mutations tried:         %lu (and %lu refused by the server's schema)\n",
	       run.mutations, run.refused);
	for (size_t i = 0; i < sizeof(run.kind_name) / sizeof(run.kind_name[0]); i++) {
		if (run.kind_name[i] == NULL)
			break;
		printf("property:   %lu x %s\n", run.kind_count[i], run.kind_name[i]);
		free(run.kind_name[i]);
	}
	if (run.n_refused_tags > 0)
		printf("property:   refused by the server's schema:\n");
	for (size_t i = 0; i < run.n_refused_tags; i++) {
		printf("property:     %lu x %s: %s\n", run.refused_count[i], run.refused_tag[i],
		       run.refused_why[i]);
		free(run.refused_tag[i]);
		free(run.refused_why[i]);
	}
	printf("property: tenant writes tried:     %lu (%lu entries added or changed)\n",
	       run.tenant_writes, run.tenant_edits);
	printf("property: violations: (a) %lu, (b) %lu, (c) %lu\n", run.violations[0],
	       run.violations[1], run.violations[2]);
	printf("property: %lu passed, %lu failed\n", run.directories - run.directories_failed,
	       run.directories_failed);

	for (size_t r = 0; r < N_REQ; r++)
		orgrbac_expr_free(run.req[r]);
	for (size_t h = 0; h < PROP_MAX_ORGS; h++)
		for (int s = 0; s < N_SERVERS; s++)
			orgrbac_config_free(run.cfg[h][s]);
	for (int s = 0; s < N_SERVERS; s++)
		ldap_unbind_ext_s(run.srv[s].ld, NULL, NULL);
	return run.directories_failed == 0 ? 0 : 1;
}
