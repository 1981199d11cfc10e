/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac doctor`: the host's setup judged, each finding with its place and fix, as text or JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "doctor.h"

static void doctor_usage(FILE *out)
{
	fprintf(out,
		"usage: orgrbac doctor [--config PATH] [--json]\n"
		"  Judge this host's setup: the configuration and its secret, each directory\n"
		"  server, every PAM file that loads pam_orgrbac, sshd_config, nsswitch.conf,\n"
		"  the snapshot and what the last sync left out.\n"
		"  Exit status: 0 nothing found, 1 findings, 2 the doctor could not run.\n");
}

static const char *severity_name(enum orgrbac_severity s)
{
	return s == ORGRBAC_SEV_ERROR ? "error" : "warning";
}

static void print_text(const struct orgrbac_findings *fs)
{
	size_t errors = 0;

	for (size_t i = 0; i < fs->n; i++) {
		const struct orgrbac_finding *f = &fs->f[i];

		errors += f->severity == ORGRBAC_SEV_ERROR;
		printf("%s %s: ", severity_name(f->severity), f->check);
		put_safe(stdout, f->where != NULL ? f->where : "-");
		printf(": ");
		put_safe(stdout, f->what);
		printf("\n  fix: ");
		put_safe(stdout, f->fix);
		printf("\n");
	}
	if (fs->n == 0)
		printf("doctor: nothing found\n");
	else
		printf("doctor: %zu %s, %zu %s\n", errors, errors == 1 ? "error" : "errors",
		       fs->n - errors, fs->n - errors == 1 ? "warning" : "warnings");
}

static void print_json(const struct orgrbac_findings *fs)
{
	size_t errors = 0;

	printf("{\"findings\":[");
	for (size_t i = 0; i < fs->n; i++) {
		const struct orgrbac_finding *f = &fs->f[i];

		errors += f->severity == ORGRBAC_SEV_ERROR;
		printf("%s{\"severity\":\"%s\",\"check\":", i ? "," : "",
		       severity_name(f->severity));
		put_json(stdout, f->check);
		printf(",\"where\":");
		put_json(stdout, f->where);
		printf(",\"what\":");
		put_json(stdout, f->what);
		printf(",\"fix\":");
		put_json(stdout, f->fix);
		printf("}");
	}
	printf("],\"errors\":%zu,\"warnings\":%zu}\n", errors, fs->n - errors);
}

int cmd_doctor(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	struct orgrbac_findings fs;
	orgrbac_error err;
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'j': json = true; break;
		default: return cli_args_status(cli_usage(c, doctor_usage));
		}
	}
	if (optind != argc)
		return cli_args_status(cli_usage('?', doctor_usage));
	/* A non-root caller has nothing to protect: let it read files it owns. */
	if (orgrbac_doctor_run(path, geteuid() != 0, &fs, &err) != 0) {
		fprintf(stderr, "orgrbac: doctor: %s\n", err.msg);
		orgrbac_findings_free(&fs);
		return EXIT_ERR;
	}
	if (json)
		print_json(&fs);
	else
		print_text(&fs);
	rc = fs.n == 0 ? EXIT_ALLOW : EXIT_DENY;
	orgrbac_findings_free(&fs);
	return rc;
}
