/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac role`: the administrator's connection options, then list, show, add, set, delete. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "admin.h"
#include "cli.h"
#include "config.h"
#include "gtime.h"
#include "ldapc.h"

#define MAX_PRIVS    64	  /* --privilege, --add-privilege, --remove-privilege each */
#define PASSWORD_MAX 1024 /* bytes of a password typed at -W */

static void role_usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: orgrbac role list [--json]\n"
	    "       orgrbac role show NAME [--json]\n"
	    "       orgrbac role add NAME --privilege P [--privilege P]... [--gid N | --gid auto]\n"
	    "                        [--group-name G] [--description T] [--dry-run]\n"
	    "       orgrbac role set NAME [--add-privilege P]... [--remove-privilege P]...\n"
	    "                        [--gid N | --gid auto] [--group-name G] [--description T]\n"
	    "                        [--dry-run]\n"
	    "       orgrbac role delete NAME [--dry-run]\n"
	    "  Where: --org ORG (default [host] org) or --platform (the global roles).\n"
	    "  Connection: [ldap] of --config PATH, overridden by -H URI, -D BINDDN with\n"
	    "  -W (prompt) or -y FILE (the whole file is the password), or -Y EXTERNAL.\n"
	    "  Exit status: 0 done, 1 refused or nothing found, 2 error.\n");
}

struct role_args {
	const char *sub, *name, *path, *uri, *bind_dn, *pwfile, *mech, *org;
	bool prompt, platform, json, dry_run;
	char *add[MAX_PRIVS], *remove[MAX_PRIVS];
	size_t n_add, n_remove;
	const char *gid, *group_name, *description;
	bool any_privilege, any_add, any_remove;
};

enum {
	OPT_ORG = 256,
	OPT_PLATFORM,
	OPT_JSON,
	OPT_DRY_RUN,
	OPT_PRIVILEGE,
	OPT_ADD_PRIVILEGE,
	OPT_REMOVE_PRIVILEGE,
	OPT_GID,
	OPT_GROUP_NAME,
	OPT_DESCRIPTION,
	OPT_CONFIG,
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

/* 0 run, 1 help printed, 2 bad (usage printed). */
static int role_args(int argc, char **argv, struct role_args *a)
{
	static const struct option opts[] = {
	    {"org", required_argument, NULL, OPT_ORG},
	    {"platform", no_argument, NULL, OPT_PLATFORM},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	    {"privilege", required_argument, NULL, OPT_PRIVILEGE},
	    {"add-privilege", required_argument, NULL, OPT_ADD_PRIVILEGE},
	    {"remove-privilege", required_argument, NULL, OPT_REMOVE_PRIVILEGE},
	    {"gid", required_argument, NULL, OPT_GID},
	    {"group-name", required_argument, NULL, OPT_GROUP_NAME},
	    {"description", required_argument, NULL, OPT_DESCRIPTION},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	bool ok = true;

	/* "-": operands in their place among the options; after "--", operands only */
	while (ok && (c = getopt_long(argc, argv, "-H:D:Wy:Y:h", opts, NULL)) != -1) {
		switch (c) {
		case 1: ok = operand(a, optarg); break;
		case 'H': a->uri = optarg; break;
		case 'D': a->bind_dn = optarg; break;
		case 'W': a->prompt = true; break;
		case 'y': a->pwfile = optarg; break;
		case 'Y': a->mech = optarg; break;
		case OPT_ORG: a->org = optarg; break;
		case OPT_PLATFORM: a->platform = true; break;
		case OPT_JSON: a->json = true; break;
		case OPT_DRY_RUN: a->dry_run = true; break;
		case OPT_PRIVILEGE:
			a->any_privilege = true;
			ok = push(a->add, &a->n_add, optarg);
			break;
		case OPT_ADD_PRIVILEGE:
			a->any_add = true;
			ok = push(a->add, &a->n_add, optarg);
			break;
		case OPT_REMOVE_PRIVILEGE:
			a->any_remove = true;
			ok = push(a->remove, &a->n_remove, optarg);
			break;
		case OPT_GID: a->gid = optarg; break;
		case OPT_GROUP_NAME: a->group_name = optarg; break;
		case OPT_DESCRIPTION: a->description = optarg; break;
		case OPT_CONFIG: a->path = optarg; break;
		case 'h': role_usage(stdout); return 1;
		default: ok = false; break;
		}
	}
	while (ok && optind < argc)
		ok = operand(a, argv[optind++]);
	if (!ok || a->sub == NULL) {
		role_usage(stderr);
		return 2;
	}
	return 0;
}

/* What each subcommand takes; a message for what it does not. */
static const char *role_args_check(const struct role_args *a)
{
	bool list = strcmp(a->sub, "list") == 0, show = strcmp(a->sub, "show") == 0;
	bool add = strcmp(a->sub, "add") == 0, set = strcmp(a->sub, "set") == 0;
	bool del = strcmp(a->sub, "delete") == 0;

	if (!list && !show && !add && !set && !del)
		return "unknown role command (list, show, add, set, delete)";
	if (list != (a->name == NULL))
		return list ? "role list takes no NAME" : "NAME missing";
	if (a->json && !list && !show)
		return "--json is for list and show";
	if (a->dry_run && (list || show))
		return "--dry-run is for add, set and delete";
	if ((a->n_add > 0 && !add && !set) || (add && (a->any_add || a->any_remove)) ||
	    (set && a->any_privilege))
		return "--privilege is for add, --add-privilege and --remove-privilege for set";
	if (a->n_remove > 0 && !set)
		return "--remove-privilege is for set";
	if ((a->gid != NULL || a->group_name != NULL || a->description != NULL) && !add && !set)
		return "--gid, --group-name and --description are for add and set";
	if (a->platform && a->org != NULL)
		return "--org and --platform exclude each other";
	if (a->mech != NULL && strcmp(a->mech, "EXTERNAL") != 0)
		return "-Y: only EXTERNAL is supported";
	if (a->mech != NULL && (a->bind_dn != NULL || a->prompt || a->pwfile != NULL))
		return "-Y EXTERNAL takes no -D, -W or -y";
	if ((a->prompt || a->pwfile != NULL) && a->bind_dn == NULL)
		return "-W and -y need -D BINDDN";
	if (a->prompt && a->pwfile != NULL)
		return "-W and -y exclude each other";
	if (a->bind_dn != NULL && !a->prompt && a->pwfile == NULL)
		return "-D needs -W or -y (a password)";
	return NULL;
}

/* The password typed on the terminal, without echo; NULL when there is none. */
static char *prompt_password(void)
{
	struct termios old, quiet;
	char *buf = NULL;
	ssize_t n = -1;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	bool restore = false;

	if (fd < 0) {
		fprintf(stderr, "orgrbac: -W: no terminal to ask on\n");
		return NULL;
	}
	buf = calloc(1, PASSWORD_MAX + 1);
	if (buf != NULL && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	if (buf != NULL && restore) {
		(void)!write(fd, "Enter LDAP Password: ", 21);
		n = read(fd, buf, PASSWORD_MAX);
		tcsetattr(fd, TCSAFLUSH, &old);
		(void)!write(fd, "\n", 1);
	}
	close(fd);
	if (buf == NULL || n < 0) {
		if (buf != NULL)
			orgrbac_wipe(buf, PASSWORD_MAX + 1);
		free(buf);
		fprintf(stderr, "orgrbac: -W: cannot read a password from the terminal\n");
		return NULL;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

/* -y FILE: its whole contents, as ldapsearch(1) takes them (no newline removed). */
static char *password_file(const char *path)
{
	orgrbac_error err;
	char *buf = NULL;
	size_t len = 0;

	if (orgrbac_read_file(path, ORGRBAC_FILE_ANY_OWNER, ORGRBAC_FILE_MAX, &buf, &len, &err) !=
	    0) {
		fprintf(stderr, "orgrbac: -y: %s\n", err.msg);
		return NULL;
	}
	if (strlen(buf) != len) {
		fprintf(stderr, "orgrbac: -y %s: the password holds a NUL byte\n", path);
		orgrbac_wipe(buf, len);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Connect as the options say; the secret is wiped as soon as the bind is done. */
static int role_connect(const struct role_args *a, const struct orgrbac_config *cfg, bool trust,
			struct orgrbac_ldap **l)
{
	struct orgrbac_config one = *cfg;
	struct orgrbac_ldap_cred cred = {.bind_dn = a->bind_dn};
	char *uris[2] = {(char *)a->uri, NULL}, *secret = NULL;
	enum orgrbac_ldap_status s;
	orgrbac_error err;

	if (a->uri != NULL) {
		one.uris = uris;
		one.n_uris = 1;
	}
	if (a->mech != NULL) {
		cred.sasl_external = true;
		s = orgrbac_ldap_open_as(&one, &cred, l, &err);
	} else if (a->bind_dn != NULL) {
		secret = a->prompt ? prompt_password() : password_file(a->pwfile);
		if (secret == NULL)
			return -1;
		/* an empty password would be an unauthenticated bind (RFC 4513 5.1.2) */
		if (secret[0] == '\0') {
			fprintf(stderr, "orgrbac: %s: empty password\n", a->prompt ? "-W" : "-y");
			free(secret);
			return -1;
		}
		cred.secret = secret;
		s = orgrbac_ldap_open_as(&one, &cred, l, &err);
		orgrbac_wipe(secret, strlen(secret));
		free(secret);
	} else {
		s = orgrbac_ldap_open(&one, trust, l, &err);
	}
	if (s != ORGRBAC_LDAP_OK) {
		fprintf(stderr, "orgrbac: ");
		put_safe(stderr, err.msg);
		fprintf(stderr, "\n");
		return -1;
	}
	return 0;
}

/* A directory timestamp as ISO 8601, or as it is when it does not parse. */
static void put_time(FILE *out, const char *gt, bool json)
{
	char buf[32];
	int64_t t;

	if (gt != NULL && orgrbac_gtime_parse(gt, &t) == 0) {
		orgrbac_time_format(t, buf, sizeof(buf));
		gt = buf;
	}
	if (json)
		put_json(out, gt);
	else
		put_safe(out, gt != NULL ? gt : "?");
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
	put_time(stdout, r->created, true);
	printf(", \"created_by\": ");
	put_json(stdout, r->creator);
	printf(", \"modified\": ");
	put_time(stdout, r->modified, true);
	printf(", \"modified_by\": ");
	put_json(stdout, r->modifier);
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
	put_time(stdout, r->created, false);
	printf(" by ");
	put_safe(stdout, r->creator != NULL ? r->creator : "?");
	printf("\nmodified:    ");
	put_time(stdout, r->modified, false);
	printf(" by ");
	put_safe(stdout, r->modifier != NULL ? r->modifier : "?");
	printf("\n");
}

static int role_list(const struct orgrbac_admin *ad, const struct role_args *a)
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

static int role_show(const struct orgrbac_admin *ad, const struct role_args *a)
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
	if (a->json) {
		role_json(&r);
		printf("\n");
	} else {
		role_text(&r);
	}
	orgrbac_role_info_free(&r);
	return EXIT_ALLOW;
}

static int role_write(const struct orgrbac_admin *ad, const struct role_args *a)
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
	    .dry_run = a->dry_run,
	};
	struct orgrbac_role_result r;
	enum orgrbac_admin_status st;
	const char *done;

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
	if (st == ORGRBAC_ADMIN_DONE && a->dry_run) {
		fputs(r.ldif != NULL ? r.ldif : "", stdout);
		fprintf(stderr, "orgrbac: dry run: nothing written\n");
	} else if (st == ORGRBAC_ADMIN_DONE) {
		printf("role '");
		put_safe(stdout, a->name);
		printf("' %s: ", done);
		put_safe(stdout, r.dn);
		printf("\n");
	} else {
		fprintf(stderr, "orgrbac: role %s '", a->sub);
		put_safe(stderr, a->name);
		fprintf(stderr, "' %s: ", st == ORGRBAC_ADMIN_REFUSED ? "refused" : "failed");
		put_safe(stderr, r.err.msg);
		fprintf(stderr, "\n");
		for (size_t i = 0; i < r.n_grants; i++) {
			fprintf(stderr, "  grant ");
			put_safe(stderr, r.grants[i]);
			fprintf(stderr, "\n");
		}
	}
	orgrbac_role_result_free(&r);
	return st == ORGRBAC_ADMIN_DONE	     ? EXIT_ALLOW
	       : st == ORGRBAC_ADMIN_REFUSED ? EXIT_DENY
					     : EXIT_ERR;
}

int cmd_role(int argc, char **argv)
{
	struct role_args a = {0};
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_admin ad = {0};
	const char *bad;
	orgrbac_error err;
	bool trust = geteuid() != 0;
	int rc;

	switch (role_args(argc, argv, &a)) {
	case 0: break;
	case 1: return EXIT_ALLOW;
	default: return EXIT_ERR;
	}
	bad = role_args_check(&a);
	if (bad != NULL) {
		fprintf(stderr, "orgrbac: role: %s\n", bad);
		role_usage(stderr);
		return EXIT_ERR;
	}
	if (orgrbac_config_load(a.path, trust, &cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return EXIT_ERR;
	}
	ad.base = cfg->base;
	ad.org = a.platform ? NULL : a.org != NULL ? a.org : cfg->org;
	if (role_connect(&a, cfg, trust, &ad.l) != 0) {
		orgrbac_config_free(cfg);
		return EXIT_ERR;
	}
	if (strcmp(a.sub, "list") == 0)
		rc = role_list(&ad, &a);
	else if (strcmp(a.sub, "show") == 0)
		rc = role_show(&ad, &a);
	else
		rc = role_write(&ad, &a);
	orgrbac_ldap_close(ad.l);
	orgrbac_config_free(cfg);
	return rc;
}
