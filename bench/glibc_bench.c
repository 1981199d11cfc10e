/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Group lookups through glibc (nsswitch.conf decides which modules answer), as a
 * program on the host makes them; and a driver timing one exec per lookup.
 *
 *   glibc_bench loop USERS ROLES ROUNDS CALLS   microseconds per call, median of ROUNDS
 *   glibc_bench one NAME                        one getgrnam_r, then exit (0: found)
 *   glibc_bench spawn N PROGRAM [ARG...]        wall time of each of N fork+exec+wait, in µs
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GID_BASE   30000 /* as bench/gen.c */
#define MAX_ROUNDS 101

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* The same sequence of keys in every run and for every stack. */
static unsigned long next(unsigned long *x)
{
	*x = *x * 6364136223846793005UL + 1442695040888963407UL;
	return *x >> 33;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static unsigned long sum_string(const char *s)
{
	unsigned long h = 5381;

	for (; *s != '\0'; s++)
		h = h * 131 + (unsigned char)*s;
	return h;
}

/* A checksum of an answer: the name, the gid and the members in any order. */
static unsigned long sum_group(unsigned long h, const struct group *gr)
{
	unsigned long members = 0;

	for (char **m = gr->gr_mem; *m != NULL; m++)
		members += sum_string(*m) * 2654435761UL;
	return (h * 31 + gr->gr_gid) * 31 + sum_string(gr->gr_name) + members;
}

static int loop(long users, long roles, int rounds, long calls)
{
	static char buf[1 << 20];
	static double t[3][MAX_ROUNDS];
	static const char *const what[3] = {"getgrnam_r", "getgrgid_r", "getgrouplist"};
	unsigned long sum[3] = {0, 0, 0}, bad = 0;

	for (int r = 0; r < rounds; r++) {
		unsigned long x = 42;
		struct group gr, *res;
		double t0;

		t0 = now_us();
		for (long i = 0; i < calls; i++) {
			char name[32];

			snprintf(name, sizeof(name), "role-%04lu", next(&x) % (unsigned long)roles);
			if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
				bad++;
			else if (r == 0)
				sum[0] = sum_group(sum[0], &gr);
		}
		t[0][r] = (now_us() - t0) / (double)calls;
		t0 = now_us();
		for (long i = 0; i < calls; i++) {
			gid_t g = (gid_t)(GID_BASE + (long)(next(&x) % (unsigned long)roles));

			if (getgrgid_r(g, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
				bad++;
			else if (r == 0)
				sum[1] = sum_group(sum[1], &gr);
		}
		t[1][r] = (now_us() - t0) / (double)calls;
		t0 = now_us();
		for (long i = 0; i < calls; i++) {
			gid_t groups[256];
			int n = 256;
			char name[32];

			snprintf(name, sizeof(name), "u%06lu", next(&x) % (unsigned long)users);
			if (getgrouplist(name, 10000, groups, &n) < 2)
				bad++;
			else if (r == 0) {
				/* the order of the gids is the modules' own: sum them unordered */
				unsigned long s = 0;

				for (int k = 0; k < n; k++)
					s += (unsigned long)groups[k] * 2654435761UL;
				sum[2] = sum[2] * 31 + s + (unsigned long)n;
			}
		}
		t[2][r] = (now_us() - t0) / (double)calls;
	}
	for (int k = 0; k < 3; k++) {
		qsort(t[k], (size_t)rounds, sizeof(double), cmp_double);
		printf("%s_us %.2f\n", what[k], t[k][rounds / 2]);
		printf("%s_sum %016lx\n", what[k], sum[k]);
	}
	printf("failed_lookups %lu\n", bad);
	return bad == 0 ? 0 : 1;
}

/* One line per exec, its wall time in µs; then how many exited other than 0. */
static int spawn(long n, char **argv)
{
	long nonzero = 0;

	for (long i = 0; i < n; i++) {
		double t0 = now_us();
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			perror("glibc_bench: fork");
			return 1;
		}
		if (pid == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			nonzero++;
		printf("%.0f\n", now_us() - t0);
	}
	printf("nonzero %ld\n", nonzero);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "loop") == 0) {
		long users = atol(argv[2]), roles = atol(argv[3]), calls = atol(argv[5]);
		int rounds = atoi(argv[4]);

		if (users < 1 || roles < 1 || rounds < 1 || rounds > MAX_ROUNDS || calls < 1)
			return 2;
		return loop(users, roles, rounds, calls);
	}
	if (argc == 3 && strcmp(argv[1], "one") == 0) {
		char buf[1 << 16];
		struct group gr, *res = NULL;

		return getgrnam_r(argv[2], &gr, buf, sizeof(buf), &res) == 0 && res != NULL ? 0 : 1;
	}
	if (argc >= 4 && strcmp(argv[1], "spawn") == 0 && atol(argv[2]) > 0)
		return spawn(atol(argv[2]), argv + 3);
	fprintf(stderr, "usage: glibc_bench loop USERS ROLES ROUNDS CALLS | one NAME |"
			" spawn N PROGRAM [ARG...]\n");
	return 2;
}
