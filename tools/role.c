/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac role`: list, show, add, set, delete. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "cli.h"
#include "config.h"
#include "ldapc.h"

#define MAX_PRIVS 64 /* --privilege, --add-privilege, --remove-privilege each */

static void role_usage(FILE *out, const char *cmd)
{
	(void)cmd;
	fprintf(
	    out,
	    "usage: orgrbac role list [--json]\n"
	    "       orgrbac role show NAME [--json]\n"
	    "       orgrbac role add NAME --privilege P [--privilege P]... [--gid N | --gid auto]\n"
	    "                        [--group-name G] [--description T] [--dry-run]\n"
	    "       orgrbac role set NAME [--add-privilege P]... [--remove-privilege P]...\n"
	    "                        [--gid N | --gid auto] [--group-name G] [--description T]\n"
	    "                        [--dry-run]\n"
	    "       orgrbac role delete NAME [--dry-run]\n" CONN_USAGE
	    "  Exit status: 0 done, 1 refused or nothing found, 2 error.\n");
}

struct role_args {
	const char *sub, *name;
	char *add[MAX_PRIVS], *remove[MAX_PRIVS];
	size_t n_add, n_remove;
	const char *gid, *group_name, *description;
	bool any_privilege, any_add, any_remove;
};

enum {
	OPT_PRIVILEGE = 256,
	OPT_ADD_PRIVILEGE,
	OPT_REMOVE_PRIVILEGE,
	OPT_GID,
	OPT_GROUP_NAME,
	OPT_DESCRIPTION,
};

static const struct option role_options[] = {
    {"privilege", required_argument, NULL, OPT_PRIVILEGE},
    {"add-privilege", required_argument, NULL, OPT_ADD_PRIVILEGE},
    {"remove-privilege", required_argument, NULL, OPT_REMOVE_PRIVILEGE},
    {"gid", required_argument, NULL, OPT_GID},
    {"group-name", required_argument, NULL, OPT_GROUP_NAME},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {NULL, 0, NULL, 0},
};

static bool operand(struct role_args *a, const char *s)
{
	if (a->sub == NULL)
		a->sub = s;
	else if (a->name == NULL)
		a->name = s;
	else
		return false;
	return true;
}

static bool push(char **v, size_t *n, const char *s)
{
	if (*n == MAX_PRIVS) {
		fprintf(stderr, "orgrbac: at most %d privileges at once\n", MAX_PRIVS);
		return false;
	}
	v[(*n)++] = (char *)s;
	return true;
}

static bool role_option(void *own, int c, const char *arg)
{
	struct role_args *a = own;

	switch (c) {
	case 1: return operand(a, arg);
	case OPT_PRIVILEGE: a->any_privilege = true; return push(a->add, &a->n_add, arg);
	case OPT_ADD_PRIVILEGE: a->any_add = true; return push(a->add, &a->n_add, arg);
	case OPT_REMOVE_PRIVILEGE: a->any_remove = true; return push(a->remove, &a->n_remove, arg);
	case OPT_GID: a->gid = arg; return true;
	case OPT_GROUP_NAME: a->group_name = arg; return true;
	case OPT_DESCRIPTION: a->description = arg; return true;
	default: return false;
	}
}

/* What each subcommand takes; a message for what it does not. */
static const char *role_check(const struct command_args *ca, const void *own)
{
	const struct role_args *a = own;
	bool list, show, add, set, del;

	if (a->sub == NULL)
		return "a command is missing (list, show, add, set, delete)";
	list = strcmp(a->sub, "list") == 0;
	show = strcmp(a->sub, "show") == 0;
	add = strcmp(a->sub, "add") == 0;
	set = strcmp(a->sub, "set") == 0;
	del = strcmp(a->sub, "delete") == 0;
	if (!list && !show && !add && !set && !del)
		return "unknown role command (list, show, add, set, delete)";
	if (list != (a->name == NULL))
		return list ? "role list takes no NAME" : "NAME missing";
	if (ca->json && !list && !show)
		return "--json is for list and show";
	if (ca->dry_run && (list || show))
		return "--dry-run is for add, set and delete";
	if ((a->n_add > 0 && !add && !set) || (add && (a->any_add || a->any_remove)) ||
	    (set && a->any_privilege))
		return "--privilege is for add, --add-privilege and --remove-privilege for set";
	if (a->n_remove > 0 && !set)
		return "--remove-privilege is for set";
	if ((a->gid != NULL || a->group_name != NULL || a->description != NULL) && !add && !set)
		return "--gid, --group-name and --description are for add and set";
	return NULL;
}

static void role_json(const struct orgrbac_role_info *r)
{
	printf("{\"name\": ");
	put_json(stdout, r->name);
	printf(", \"dn\": ");
	put_json(stdout, r->dn);
	printf(", \"privileges\": [");
	for (size_t i = 0; i < r->n_privileges; i++) {
		printf("%s", i > 0 ? ", " : "");
		put_json(stdout, r->privileges[i]);
	}
	/* a number only when the directory's value is one, else a string */
	printf("], \"gid\": ");
	if (r->gid != NULL && r->gid[0] != '\0' && strspn(r->gid, "0123456789") == strlen(r->gid) &&
	    strlen(r->gid) <= 10)
		printf("%s", r->gid);
	else
		put_json(stdout, r->gid);
	printf(", \"group_name\": ");
	put_json(stdout, r->group_name);
	printf(", \"description\": ");
	put_json(stdout, r->description);
	printf(", \"managed\": %s, \"created\": ", r->managed ? "true" : "false");
	put_gtime(stdout, r->stamps.created, true);
	printf(", \"created_by\": ");
	put_json(stdout, r->stamps.creator);
	printf(", \"modified\": ");
	put_gtime(stdout, r->stamps.modified, true);
	printf(", \"modified_by\": ");
	put_json(stdout, r->stamps.modifier);
	printf("}");
}

static void role_text(const struct orgrbac_role_info *r)
{
	printf("role:        ");
	put_safe(stdout, r->name);
	printf("\ndn:          ");
	put_safe(stdout, r->dn);
	printf("\nprivileges: ");
	for (size_t i = 0; i < r->n_privileges; i++) {
		printf(" ");
		put_safe(stdout, r->privileges[i]);
	}
	printf("\ngid:         %s\n", r->gid != NULL ? r->gid : "none (not a group on hosts)");
	printf("group name:  ");
	put_safe(stdout, r->group_name != NULL ? r->group_name : "(derived from the name)");
	if (r->description != NULL) {
		printf("\ndescription: ");
		put_safe(stdout, r->description);
	}
	if (r->managed)
		printf("\nmanaged:     yes (orgManaged: orgrbac does not change it)");
	printf("\ncreated:     ");
	put_gtime(stdout, r->stamps.created, false);
	printf(" by ");
	put_safe(stdout, r->stamps.creator != NULL ? r->stamps.creator : "?");
	printf("\nmodified:    ");
	put_gtime(stdout, r->stamps.modified, false);
	printf(" by ");
	put_safe(stdout, r->stamps.modifier != NULL ? r->stamps.modifier : "?");
	printf("\n");
}

static int role_list(const struct orgrbac_admin *ad, const struct command_args *a)
{
	struct orgrbac_role_info *r = NULL;
	size_t n = 0;
	orgrbac_error err;

	if (orgrbac_role_list(ad, &r, &n, &err) != ORGRBAC_ADMIN_DONE) {
		fprintf(stderr, "orgrbac: ");
		put_safe(stderr, err.msg);
		fprintf(stderr, "\n");
		return EXIT_ERR;
	}
	if (a->json) {
		printf("{\"roles\": [");
		for (size_t i = 0; i < n; i++) {
			printf("%s", i > 0 ? ", " : "");
			role_json(&r[i]);
		}
		printf("]}\n");
	}
	for (size_t i = 0; !a->json && i < n; i++) {
		put_safe(stdout, r[i].name);
		printf("\tgid=%s\t", r[i].gid != NULL ? r[i].gid : "-");
		for (size_t j = 0; j < r[i].n_privileges; j++) {
			printf("%s", j > 0 ? " " : "");
			put_safe(stdout, r[i].privileges[j]);
		}
		printf("\n");
	}
	if (n == 0 && !a->json)
		fprintf(stderr, "orgrbac: no roles\n");
	orgrbac_role_list_free(r, n);
	return n > 0 ? EXIT_ALLOW : EXIT_DENY;
}

static int role_show(const struct orgrbac_admin *ad, const struct role_args *a, bool json)
{
	struct orgrbac_role_info r;
	orgrbac_error err;
	enum orgrbac_admin_status st = orgrbac_role_show(ad, a->name, &r, &err);

	if (st != ORGRBAC_ADMIN_DONE) {
		fprintf(stderr, "orgrbac: ");
		put_safe(stderr, err.msg);
		fprintf(stderr, "\n");
		return st == ORGRBAC_ADMIN_REFUSED ? EXIT_DENY : EXIT_ERR;
	}
	if (json) {
		role_json(&r);
		printf("\n");
	} else {
		role_text(&r);
	}
	orgrbac_role_info_free(&r);
	return EXIT_ALLOW;
}

static int role_write(const struct orgrbac_admin *ad, const struct role_args *a, bool dry_run)
{
	struct orgrbac_role_change c = {
	    .name = a->name,
	    .add = (char **)a->add,
	    .n_add = a->n_add,
	    .remove = (char **)a->remove,
	    .n_remove = a->n_remove,
	    .gid = a->gid,
	    .group_name = a->group_name,
	    .description = a->description,
	    .dry_run = dry_run,
	};
	struct orgrbac_role_result r;
	enum orgrbac_admin_status st;
	const char *done;
	int rc;

	if (strcmp(a->sub, "add") == 0) {
		c.op = ORGRBAC_ROLE_ADD;
		done = "added";
	} else if (strcmp(a->sub, "set") == 0) {
		c.op = ORGRBAC_ROLE_SET;
		done = "changed";
	} else {
		c.op = ORGRBAC_ROLE_DELETE;
		done = "deleted";
	}
	st = orgrbac_role_change(ad, &c, &r);
	rc = report_change(&(struct change_report){.command = "role",
						   .sub = a->sub,
						   .name = a->name,
						   .done = done,
						   .dry_run = dry_run,
						   .ldif = r.ldif,
						   .dn = r.dn,
						   .why = r.err.msg,
						   .listed = r.grants,
						   .n_listed = r.n_grants,
						   .label = "grant"},
			   st);
	orgrbac_role_result_free(&r);
	return rc;
}

static int role_run(const struct orgrbac_admin *ad, const struct command_args *ca, const void *own)
{
	const struct role_args *a = own;

	if (strcmp(a->sub, "list") == 0)
		return role_list(ad, ca);
	if (strcmp(a->sub, "show") == 0)
		return role_show(ad, a, ca->json);
	return role_write(ad, a, ca->dry_run);
}

int cmd_role(int argc, char **argv)
{
	static const struct command role = {
	    .options = role_options,
	    .option = role_option,
	    .check = role_check,
	    .run = role_run,
	    .usage = role_usage,
	};
	struct role_args a = {0};

	return command_run(argc, argv, &role, &a);
}
