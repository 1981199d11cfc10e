/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac check`'s report: the decision, the privilege that satisfied it, grants, groups, external
 * access. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "gtime.h"
#include "policy.h"

static const char *role_name(const struct orgrbac_grant *g)
{
	return g->role != NULL ? g->role->name : NULL;
}

/* Why a grant is or is not in force, in a few words. */
static const char *grant_state(const struct orgrbac_grant *g, const struct orgrbac_host *host,
			       const char *home_org, int64_t now)
{
	if (orgrbac_grant_void_reason(g) != NULL)
		return "void";
	if (g->role == NULL)
		return g->role_dn == NULL ? "no role named"
		       : g->platform	  ? "role missing or not global"
					  : "role missing or out of reach";
	if (g->window.has_not_before && now < g->window.not_before)
		return "not yet in force";
	if (g->window.has_not_after && now >= g->window.not_after)
		return "expired";
	if (!g->platform && strcasecmp(home_org, host->org) != 0)
		return "home organization only";
	if (!orgrbac_grant_covers(g, host))
		return "scope does not cover this host";
	return "in force";
}

static void window_text(const struct orgrbac_window *w, char *buf, size_t len)
{
	char a[32] = "-", b[32] = "-";

	if (!w->has_not_before && !w->has_not_after) {
		snprintf(buf, len, "always");
		return;
	}
	if (w->has_not_before)
		orgrbac_time_format(w->not_before, a, sizeof(a));
	if (w->has_not_after)
		orgrbac_time_format(w->not_after, b, sizeof(b));
	snprintf(buf, len, "%s .. %s%s", a, b, w->malformed ? " (malformed)" : "");
}

/* Directory values may hold anything but NUL: every one goes out through put_safe. */
static void put_line(const char *label, const char *value)
{
	fputs(label, stdout);
	put_safe(stdout, value != NULL ? value : "-");
	fputc('\n', stdout);
}

/* One external-access entry: kind, name, the mode, then the window once, role management. */
static void put_external_text(const struct orgrbac_external *x)
{
	bool bounded = x->window.has_not_before || x->window.has_not_after;
	char win[96];

	window_text(&x->window, win, sizeof(win));
	printf("external:     %s '", orgrbac_ext_kind_name(x->kind));
	put_safe(stdout, x->name);
	printf("', %s", orgrbac_ext_mode_name(x->mode));
	if (x->mode == ORGRBAC_MODE_WINDOW)
		printf(" %s", bounded ? win : "without bounds");
	else if (bounded)
		printf(" (bounds %s unused in this mode)", win);
	printf(", role management %s", x->role_management ? "on" : "off");
	if (x->unreadable[0] != '\0') {
		printf(", closed: ");
		put_safe(stdout, x->unreadable);
	}
	printf("\n");
}

void check_print_text(const char *user, const char *service, const char *require,
		      const struct orgrbac_facts *f, const struct orgrbac_host *host,
		      const struct orgrbac_decision *d, int64_t now)
{
	char when[32], win[96];

	orgrbac_time_format(now, when, sizeof(when));
	put_line("user:         ", user);
	put_line("service:      ", service);
	put_line("requires:     ", require);
	put_line("at:           ", when);
	put_line("decision:     ", orgrbac_verdict_name(d->verdict));
	put_line("reason:       ", d->reason);
	if (f == NULL)
		return;
	put_line("entry:        ", f->dn);
	printf("organization: ");
	put_safe(stdout, f->org);
	printf(" (host organization %s)\n", host->org);
	for (size_t i = 0; i < d->n_matches; i++) {
		const struct orgrbac_match *m = &d->matches[i];

		printf("privilege:    %s <- ", m->required);
		put_safe(stdout, m->granted);
		if (m->grant != NULL) {
			printf(" of role '");
			put_safe(stdout, role_name(m->grant));
			printf("' by grant '");
			put_safe(stdout, m->grant->name);
			printf("' via ");
			put_safe(stdout, m->grant->via);
		}
		printf("\n");
	}
	for (size_t i = 0; i < f->n_groups; i++)
		put_line("group:        ", f->groups[i]);
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];

		window_text(&g->window, win, sizeof(win));
		printf("grant:        ");
		put_safe(stdout, g->name);
		printf(": role '");
		put_safe(stdout, role_name(g) ? role_name(g) : (g->role_dn ? g->role_dn : "-"));
		printf("', ");
		if (g->n_scopes == 0)
			printf("organization-wide");
		for (size_t j = 0; j < g->n_scopes; j++) {
			printf("%s", j ? " " : "");
			put_safe(stdout, g->scopes[j]);
		}
		printf(", %s, %s%s", win, g->platform ? "platform grant, " : "",
		       grant_state(g, host, f->org, now));
		if (orgrbac_grant_void_reason(g) != NULL) {
			printf(": ");
			put_safe(stdout, orgrbac_grant_void_reason(g));
		}
		printf("\n");
	}
	for (size_t i = 0; f->external != NULL && i < f->n_external; i++)
		put_external_text(&f->external[i]);
	printf("2FA-exempt:   %s", d->mfa_exempt ? "yes" : "no");
	if (d->mfa_grant != NULL) {
		printf(" (grant '");
		put_safe(stdout, d->mfa_grant->name);
		printf("')");
	}
	printf("\n");
}

static void put_external_json(const struct orgrbac_external *x)
{
	char a[32], b[32];

	printf("{\"name\":");
	put_json(stdout, x->name);
	printf(",\"kind\":\"%s\",\"mode\":\"%s\",\"role_management\":%s",
	       orgrbac_ext_kind_name(x->kind), orgrbac_ext_mode_name(x->mode),
	       x->role_management ? "true" : "false");
	orgrbac_time_format(x->window.not_before, a, sizeof(a));
	orgrbac_time_format(x->window.not_after, b, sizeof(b));
	printf(",\"not_before\":");
	put_json(stdout, x->window.has_not_before ? a : NULL);
	printf(",\"not_after\":");
	put_json(stdout, x->window.has_not_after ? b : NULL);
	printf(",\"closed\":");
	put_json(stdout, x->unreadable[0] != '\0' ? x->unreadable : NULL);
	printf("}");
}

void check_print_json(const char *user, const char *service, const char *require,
		      const struct orgrbac_facts *f, const struct orgrbac_host *host,
		      const struct orgrbac_decision *d, int64_t now)
{
	char when[32];

	orgrbac_time_format(now, when, sizeof(when));
	printf("{\"user\":");
	put_json(stdout, user);
	printf(",\"service\":");
	put_json(stdout, service);
	printf(",\"require\":");
	put_json(stdout, require);
	printf(",\"at\":\"%s\",\"decision\":\"%s\",\"reason\":", when,
	       orgrbac_verdict_name(d->verdict));
	put_json(stdout, d->reason);
	printf(",\"mfa_exempt\":%s,\"cross_org\":%s,\"full_access\":%s",
	       d->mfa_exempt ? "true" : "false", d->cross_org ? "true" : "false",
	       d->full_access ? "true" : "false");
	printf(",\"dn\":");
	put_json(stdout, f ? f->dn : NULL);
	printf(",\"organization\":");
	put_json(stdout, f ? f->org : NULL);
	printf(",\"matches\":[");
	for (size_t i = 0; i < d->n_matches; i++) {
		const struct orgrbac_match *m = &d->matches[i];

		printf("%s{\"required\":", i ? "," : "");
		put_json(stdout, m->required);
		printf(",\"granted\":");
		put_json(stdout, m->granted);
		printf(",\"role\":");
		put_json(stdout, m->grant ? role_name(m->grant) : NULL);
		printf(",\"grant\":");
		put_json(stdout, m->grant ? m->grant->name : NULL);
		printf(",\"via\":");
		put_json(stdout, m->grant ? m->grant->via : NULL);
		printf("}");
	}
	printf("],\"groups\":[");
	for (size_t i = 0; f != NULL && i < f->n_groups; i++) {
		printf("%s", i ? "," : "");
		put_json(stdout, f->groups[i]);
	}
	printf("],\"grants\":[");
	for (size_t i = 0; f != NULL && i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];

		printf("%s{\"name\":", i ? "," : "");
		put_json(stdout, g->name);
		printf(",\"role\":");
		put_json(stdout, role_name(g));
		printf(",\"via\":");
		put_json(stdout, g->via);
		printf(",\"scopes\":[");
		for (size_t j = 0; j < g->n_scopes; j++) {
			printf("%s", j ? "," : "");
			put_json(stdout, g->scopes[j]);
		}
		printf("],\"platform\":%s,\"state\":", g->platform ? "true" : "false");
		put_json(stdout, grant_state(g, host, f->org, now));
		printf(",\"void\":");
		put_json(stdout, orgrbac_grant_void_reason(g));
		printf("}");
	}
	/* "external": the nearest entry; "externals": every one above, nearest first. */
	printf("],\"external\":");
	if (f == NULL || f->external == NULL)
		printf("null");
	else
		put_external_json(&f->external[0]);
	printf(",\"externals\":[");
	for (size_t i = 0; f != NULL && f->external != NULL && i < f->n_external; i++) {
		printf("%s", i ? "," : "");
		put_external_json(&f->external[i]);
	}
	printf("]}\n");
}
