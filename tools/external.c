/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac external`: an organization's vendors and partners, listed, shown and changed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_external.h"
#include "cli.h"
#include "gtime.h"

static void external_usage(FILE *out, const char *cmd)
{
	(void)cmd;
	fprintf(
	    out,
	    "usage: orgrbac external list [--json]\n"
	    "       orgrbac external show NAME [--json]\n"
	    "       orgrbac external add NAME --kind vendor|partner\n"
	    "                        --mode continuous|window|disabled [--from T] [--until T]\n"
	    "                        [--role-management on|off] [--domain D]...\n"
	    "                        [--description T] [--dry-run]\n"
	    "       orgrbac external set NAME [--mode M] [--from T] [--until T]\n"
	    "                        [--role-management on|off] [--dry-run]\n"
	    "       orgrbac external delete NAME [--dry-run]   (partners only; disable vendors)\n"
	    "  T is ISO 8601 (2026-12-24T18:00:00Z, 2026-12-24) or relative (+2h, +7d).\n"
	    "  A window needs an end; --until alone starts it now.\n" CONN_USAGE
	    "  External entries belong to an organization: --platform does not apply.\n"
	    "  Exit status: 0 done, 1 refused or nothing found, 2 error.\n");
}

struct external_args {
	const char *sub, *name;
	const char *kind, *mode, *from, *until, *role_management, *description;
	char *domains[ORGRBAC_EXTERNAL_DOMAINS_MAX];
	size_t n_domains;
};

enum {
	OPT_KIND = 256,
	OPT_MODE,
	OPT_FROM,
	OPT_UNTIL,
	OPT_ROLE_MANAGEMENT,
	OPT_DOMAIN,
	OPT_DESCRIPTION,
};

static bool external_operand(struct external_args *a, const char *s)
{
	if (a->sub == NULL)
		a->sub = s;
	else if (a->name == NULL)
		a->name = s;
	else
		return false;
	return true;
}

static const struct option external_options[] = {
    {"kind", required_argument, NULL, OPT_KIND},
    {"mode", required_argument, NULL, OPT_MODE},
    {"from", required_argument, NULL, OPT_FROM},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"role-management", required_argument, NULL, OPT_ROLE_MANAGEMENT},
    {"domain", required_argument, NULL, OPT_DOMAIN},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {NULL, 0, NULL, 0},
};

static bool external_option(void *own, int c, const char *arg)
{
	struct external_args *a = own;

	switch (c) {
	case 1: return external_operand(a, arg);
	case OPT_KIND: a->kind = arg; break;
	case OPT_MODE: a->mode = arg; break;
	case OPT_FROM: a->from = arg; break;
	case OPT_UNTIL: a->until = arg; break;
	case OPT_ROLE_MANAGEMENT: a->role_management = arg; break;
	case OPT_DESCRIPTION: a->description = arg; break;
	case OPT_DOMAIN:
		if (a->n_domains == ORGRBAC_EXTERNAL_DOMAINS_MAX) {
			fprintf(stderr, "orgrbac: at most %d --domain values\n",
				ORGRBAC_EXTERNAL_DOMAINS_MAX);
			return false;
		}
		a->domains[a->n_domains++] = (char *)arg;
		break;
	default: return false;
	}
	return true;
}

/* What each subcommand takes; a message for what it does not. */
static const char *external_check(const struct command_args *ca, const void *own)
{
	const struct external_args *a = own;
	bool list, show, add, set, del;

	if (a->sub == NULL)
		return "a command is missing (list, show, add, set, delete)";
	list = strcmp(a->sub, "list") == 0;
	show = strcmp(a->sub, "show") == 0;
	add = strcmp(a->sub, "add") == 0;
	set = strcmp(a->sub, "set") == 0;
	del = strcmp(a->sub, "delete") == 0;
	if (!list && !show && !add && !set && !del)
		return "unknown external command (list, show, add, set, delete)";
	if (list != (a->name == NULL))
		return list ? "external list takes no NAME" : "NAME missing";
	if (ca->conn.platform)
		return "external entries belong to an organization: --platform does not apply "
		       "(--org ORG)";
	if (ca->json && !list && !show)
		return "--json is for list and show";
	if (ca->dry_run && (list || show))
		return "--dry-run is for add, set and delete";
	if (a->kind != NULL && !add)
		return "--kind is for add (the kind of an entry does not change)";
	if ((a->n_domains > 0 || a->description != NULL) && !add)
		return "--domain and --description are for add";
	if ((a->mode != NULL || a->from != NULL || a->until != NULL ||
	     a->role_management != NULL) &&
	    !add && !set)
		return "--mode, --from, --until and --role-management are for add and set";
	return NULL;
}

static void put_time_of(FILE *out, const struct orgrbac_window *w, bool after, bool json)
{
	char buf[32];
	bool has = after ? w->has_not_after : w->has_not_before;

	if (!has) {
		fputs(json ? "null" : "-", out);
		return;
	}
	orgrbac_time_format(after ? w->not_after : w->not_before, buf, sizeof(buf));
	fprintf(out, json ? "\"%s\"" : "%s", buf);
}

/* The window as stored: "FROM to UNTIL", "none", or "unreadable". */
static void put_window(const struct orgrbac_external *x)
{
	const struct orgrbac_window *w = &x->window;

	if (w->malformed) {
		fputs("unreadable (orgNotBefore or orgNotAfter is repeated or not "
		      "GeneralizedTime)",
		      stdout);
		return;
	}
	if (!w->has_not_before && !w->has_not_after) {
		fputs("none", stdout);
		return;
	}
	put_time_of(stdout, w, false, false);
	fputs(" to ", stdout);
	put_time_of(stdout, w, true, false);
	if (x->mode != ORGRBAC_MODE_WINDOW)
		printf(" (not in force: the mode is %s)", orgrbac_ext_mode_name(x->mode));
}

static void put_strings_json(char **v, size_t n)
{
	printf("[");
	for (size_t i = 0; i < n; i++) {
		printf("%s", i > 0 ? ", " : "");
		put_json(stdout, v[i]);
	}
	printf("]");
}

static void external_json(const struct orgrbac_external_info *x, bool show)
{
	const struct orgrbac_window *w = &x->access.window;

	printf("{\"name\": ");
	put_json(stdout, x->name);
	printf(", \"dn\": ");
	put_json(stdout, x->dn);
	printf(", \"kind\": \"%s\", \"mode\": \"%s\", \"window\": ",
	       orgrbac_ext_kind_name(x->access.kind), orgrbac_ext_mode_name(x->access.mode));
	if (w->malformed) {
		printf("\"unreadable\"");
	} else {
		printf("{\"from\": ");
		put_time_of(stdout, w, false, true);
		printf(", \"until\": ");
		put_time_of(stdout, w, true, true);
		printf("}");
	}
	printf(", \"role_management\": %s, \"managed\": %s, \"domains\": ",
	       x->access.role_management ? "true" : "false", x->managed ? "true" : "false");
	put_strings_json(x->domains, x->n_domains);
	printf(", \"description\": ");
	put_json(stdout, x->description);
	printf(", \"open\": %s, \"why\": ", x->open ? "true" : "false");
	put_json(stdout, x->why);
	if (show) {
		printf(", \"users\": ");
		put_strings_json(x->users, x->n_users);
		printf(", \"entries_beneath\": %zu", x->n_beneath);
	}
	printf(", \"created\": ");
	put_gtime(stdout, x->stamps.created, true);
	printf(", \"created_by\": ");
	put_json(stdout, x->stamps.creator);
	printf(", \"modified\": ");
	put_gtime(stdout, x->stamps.modified, true);
	printf(", \"modified_by\": ");
	put_json(stdout, x->stamps.modifier);
	printf("}");
}

static void put_field(const char *label, const char *value)
{
	printf("%-17s", label);
	put_safe(stdout, value);
	printf("\n");
}

static void external_text(const struct orgrbac_external_info *x)
{
	put_field("external:", x->name);
	put_field("dn:", x->dn);
	put_field("kind:", orgrbac_ext_kind_name(x->access.kind));
	put_field("mode:", orgrbac_ext_mode_name(x->access.mode));
	printf("%-17s", "window:");
	put_window(&x->access);
	printf("\n");
	put_field("role management:", x->access.role_management
					  ? "on (only granted roles count)"
					  : "off (its users hold every privilege)");
	put_field("managed:", x->managed ? "yes (orgManaged: orgrbac does not change it)" : "no");
	printf("%-17s", "domains:");
	for (size_t i = 0; i < x->n_domains; i++) {
		printf("%s", i > 0 ? " " : "");
		put_safe(stdout, x->domains[i]);
	}
	printf("%s\n", x->n_domains == 0 ? "none" : "");
	if (x->description != NULL)
		put_field("description:", x->description);
	printf("%-17s", "users:");
	for (size_t i = 0; i < x->n_users; i++) {
		put_safe(stdout, x->users[i]);
		printf(" ");
	}
	printf("(%zu user%s, %zu entr%s beneath)\n", x->n_users, x->n_users == 1 ? "" : "s",
	       x->n_beneath, x->n_beneath == 1 ? "y" : "ies");
	put_field("now:", x->why);
	printf("%-17s", "created:");
	put_gtime(stdout, x->stamps.created, false);
	printf(" by ");
	put_safe(stdout, x->stamps.creator != NULL ? x->stamps.creator : "?");
	printf("\n%-17s", "modified:");
	put_gtime(stdout, x->stamps.modified, false);
	printf(" by ");
	put_safe(stdout, x->stamps.modifier != NULL ? x->stamps.modifier : "?");
	printf("\n");
}

static int fail_with(const char *msg, enum orgrbac_admin_status st)
{
	fprintf(stderr, "orgrbac: ");
	put_safe(stderr, msg);
	fprintf(stderr, "\n");
	return st == ORGRBAC_ADMIN_REFUSED ? EXIT_DENY : EXIT_ERR;
}

static int external_list(const struct orgrbac_admin *ad, const struct command_args *a, int64_t now)
{
	struct orgrbac_external_info *x = NULL;
	size_t n = 0;
	orgrbac_error err;
	enum orgrbac_admin_status st = orgrbac_external_list(ad, now, &x, &n, &err);

	if (st != ORGRBAC_ADMIN_DONE)
		return fail_with(err.msg, st);
	if (a->json) {
		printf("{\"external\": [");
		for (size_t i = 0; i < n; i++) {
			printf("%s", i > 0 ? ", " : "");
			external_json(&x[i], false);
		}
		printf("]}\n");
	}
	for (size_t i = 0; !a->json && i < n; i++) {
		put_safe(stdout, x[i].name);
		printf("\t%s\t%s\t", orgrbac_ext_kind_name(x[i].access.kind),
		       orgrbac_ext_mode_name(x[i].access.mode));
		put_safe(stdout, x[i].why);
		printf("%s\n", x[i].managed ? "\tmanaged" : "");
	}
	if (n == 0 && !a->json)
		fprintf(stderr, "orgrbac: no external entries\n");
	orgrbac_external_list_free(x, n);
	return n > 0 ? EXIT_ALLOW : EXIT_DENY;
}

static int external_show(const struct orgrbac_admin *ad, const struct external_args *a, bool json,
			 int64_t now)
{
	struct orgrbac_external_info x;
	orgrbac_error err;
	enum orgrbac_admin_status st = orgrbac_external_show(ad, a->name, now, &x, &err);

	if (st != ORGRBAC_ADMIN_DONE)
		return fail_with(err.msg, st);
	if (json) {
		external_json(&x, true);
		printf("\n");
	} else {
		external_text(&x);
	}
	orgrbac_external_info_free(&x);
	return EXIT_ALLOW;
}

static int external_write(const struct orgrbac_admin *ad, const struct external_args *a,
			  bool dry_run, int64_t now)
{
	struct orgrbac_external_change c = {
	    .name = a->name,
	    .kind = a->kind,
	    .mode = a->mode,
	    .from = a->from,
	    .until = a->until,
	    .role_management = a->role_management,
	    .domains = (char **)a->domains,
	    .n_domains = a->n_domains,
	    .description = a->description,
	    .now = now,
	    .dry_run = dry_run,
	};
	struct orgrbac_external_result r;
	enum orgrbac_admin_status st;
	const char *done = "deleted";
	int rc;

	c.op = ORGRBAC_EXTERNAL_DELETE;
	if (strcmp(a->sub, "add") == 0) {
		c.op = ORGRBAC_EXTERNAL_ADD;
		done = "added";
	} else if (strcmp(a->sub, "set") == 0) {
		c.op = ORGRBAC_EXTERNAL_SET;
		done = "changed";
	}
	st = orgrbac_external_change(ad, &c, &r);
	rc = report_change(&(struct change_report){.command = "external",
						   .sub = a->sub,
						   .name = a->name,
						   .done = done,
						   .dry_run = dry_run,
						   .ldif = r.ldif,
						   .dn = r.dn,
						   .why = r.err.msg,
						   .listed = r.users,
						   .n_listed = r.n_users,
						   .label = "beneath:"},
			   st);
	orgrbac_external_result_free(&r);
	return rc;
}

static int external_run(const struct orgrbac_admin *ad, const struct command_args *ca,
			const void *own)
{
	const struct external_args *a = own;
	int64_t now = (int64_t)time(NULL);

	if (strcmp(a->sub, "list") == 0)
		return external_list(ad, ca, now);
	if (strcmp(a->sub, "show") == 0)
		return external_show(ad, a, ca->json, now);
	return external_write(ad, a, ca->dry_run, now);
}

int cmd_external(int argc, char **argv)
{
	static const struct command external = {
	    .options = external_options,
	    .option = external_option,
	    .check = external_check,
	    .run = external_run,
	    .usage = external_usage,
	};
	struct external_args a = {0};

	return command_run(argc, argv, &external, &a);
}
