/* SPDX-License-Identifier: BSD-2-Clause */
/* Many threads and forks looking groups up through glibc while the snapshot is replaced. */
#include <grp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int errors;
static atomic_long lookups;
static time_t deadline;

static void bad(const char *what)
{
	fprintf(stderr, "nss_stress: %s\n", what);
	atomic_fetch_add(&errors, 1);
}

static bool has_member(const struct group *g, const char *user)
{
	for (char **m = g->gr_mem; m != NULL && *m != NULL; m++)
		if (strcmp(*m, user) == 0)
			return true;
	return false;
}

/*
 * One round of lookups. Syncs replace the snapshot meanwhile, alternating
 * between group_prefix "" and "alt-": the group of gid 20003 is "member" in
 * one and "alt-member" in the other. Every answer must come whole from one
 * of them: a name with its own gid and members, never a mix.
 */
static bool member_name(const char *name)
{
	return strcmp(name, "member") == 0 || strcmp(name, "alt-member") == 0;
}

static int round_once(void)
{
	static const char *const names[] = {"member", "alt-member"};
	struct group gr, *res = NULL;
	char buf[4096];
	gid_t groups[64];
	int n = 64, e = 0;

	for (size_t i = 0; i < 2; i++) {
		res = NULL;
		if (getgrnam_r(names[i], &gr, buf, sizeof(buf), &res) != 0)
			e++;
		else if (res != NULL &&
			 (res->gr_gid != 20003 || strcmp(res->gr_name, names[i]) != 0 ||
			  !has_member(res, "bob")))
			e++;
	}
	if (getgrgid_r(20003, &gr, buf, sizeof(buf), &res) != 0 || res == NULL ||
	    !member_name(res->gr_name) || !has_member(res, "bob"))
		e++;
	if (getgrgid_r(21020, &gr, buf, sizeof(buf), &res) != 0 || res == NULL ||
	    strcmp(res->gr_name, "secadmin") != 0 || !has_member(res, "heidi"))
		e++;
	if (getgrouplist("bob", 10000, groups, &n) < 0 || n != 2 || groups[1] != 20003)
		e++;
	return e;
}

static void *lookup_thread(void *arg)
{
	(void)arg;
	while (time(NULL) < deadline) {
		if (round_once() != 0)
			bad("a lookup gave a wrong answer");
		atomic_fetch_add(&lookups, 5);
		usleep(200); /* the machine is shared: contention, not a busy loop */
	}
	return NULL;
}

static void *enum_thread(void *arg)
{
	(void)arg;
	while (time(NULL) < deadline) {
		struct group gr, *res;
		char buf[4096];
		bool seen = false;
		int members = 0;

		setgrent();
		while (getgrent_r(&gr, buf, sizeof(buf), &res) == 0) {
			if (strcmp(res->gr_name, "secadmin") == 0)
				seen = true;
			if (member_name(res->gr_name))
				members++;
		}
		endgrent();
		/* one enumeration reads one snapshot: exactly one of the two names */
		if (!seen || members != 1)
			bad("an enumeration mixed two snapshots or missed a group");
		atomic_fetch_add(&lookups, 1);
	}
	return NULL;
}

/* A child forked while other threads may hold the module's lock must still answer. */
static void *fork_thread(void *arg)
{
	(void)arg;
	while (time(NULL) < deadline) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			bad("fork failed");
			break;
		}
		if (pid == 0) {
			alarm(10); /* a deadlock ends as a failure, not a hang */
			_exit(round_once() == 0 ? 0 : 1);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad("a forked child failed or hung");
		usleep(20000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 8, seconds = argc > 2 ? atoi(argv[2]) : 3;
	pthread_t t[64];
	int n = 0;

	if (threads < 1 || threads > 60 || seconds < 1 || seconds > 60) {
		fprintf(stderr, "usage: nss_stress [THREADS 1..60] [SECONDS 1..60]\n");
		return 2;
	}
	deadline = time(NULL) + seconds;
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[n], NULL, lookup_thread, NULL) == 0)
			n++;
	if (pthread_create(&t[n], NULL, enum_thread, NULL) == 0)
		n++;
	if (pthread_create(&t[n], NULL, fork_thread, NULL) == 0)
		n++;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("nss_stress: %d threads, %ld lookups, %d errors\n", n, atomic_load(&lookups),
	       atomic_load(&errors));
	return atomic_load(&errors) == 0 && n == threads + 2 ? 0 : 1;
}
