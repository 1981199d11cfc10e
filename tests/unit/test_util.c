/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for common/base/util.c: user names, filter escaping, lists and safe file reads. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

static void valid_names(void **state)
{
	const char *ok[] = {"alice",	  "bob.smith", "svc_web-01", "Ærøskøbing",
			    "user@realm", "a",	       "x$"};
	const char *why = NULL;
	char longest[ORGRBAC_USER_MAX + 1];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_true(orgrbac_username_valid(ok[i], &why));
	memset(longest, 'a', ORGRBAC_USER_MAX);
	longest[ORGRBAC_USER_MAX] = '\0';
	assert_true(orgrbac_username_valid(longest, &why));
}

static void refused_names(void **state)
{
	static const struct {
		const char *name;
		const char *why;
	} bad[] = {
	    {"", "empty"},
	    {"*", "*"},
	    {"alice)(uid=*", "("},
	    {"al\x01ice", "control"},
	    {"alice\n", "control"},
	    {"al ice", "white space"},
	    {"alice ", "white space"},
	    {"\talice", "control"},
	    {"-alice", "'-'"},
	    {"a:b", ":"},
	    {"a,b", ":"},
	    {"a\\b", ":"},
	    {"a/b", ":"},
	    {"al\x7fice", "control"},
	    {"\xc3", "UTF-8"},	       /* truncated sequence */
	    {"\xc0\xaf", "UTF-8"},     /* overlong '/' */
	    {"\xed\xa0\x80", "UTF-8"}, /* surrogate */
	    {"\xc2\x85", "UTF-8"},     /* C1 control NEL */
	    {"\xff", "UTF-8"},
	};
	char toolong[ORGRBAC_USER_MAX + 2];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;

		assert_false(orgrbac_username_valid(bad[i].name, &why));
		assert_non_null(why);
		assert_non_null(strstr(why, bad[i].why));
	}
	memset(toolong, 'a', sizeof(toolong) - 1);
	toolong[sizeof(toolong) - 1] = '\0';
	{
		const char *why = NULL;

		assert_false(orgrbac_username_valid(toolong, &why));
		assert_non_null(strstr(why, "256"));
		assert_false(orgrbac_username_valid(NULL, &why));
	}
}

static void filter_escape(void **state)
{
	char out[64];

	assert_int_equal(orgrbac_filter_escape("alice", out, sizeof(out)), 5);
	assert_string_equal(out, "alice");
	assert_int_equal(orgrbac_filter_escape("a*(b)\\", out, sizeof(out)), 14);
	assert_string_equal(out, "a\\2a\\28b\\29\\5c");
	orgrbac_filter_escape("alice)(uid=*", out, sizeof(out));
	assert_string_equal(out, "alice\\29\\28uid=\\2a");
	orgrbac_filter_escape("\xc3\xa6", out, sizeof(out));
	assert_string_equal(out, "\\c3\\a6");
	/* exactly enough room, then one byte too few */
	assert_int_equal(orgrbac_filter_escape("*", out, 4), 3);
	assert_int_equal(orgrbac_filter_escape("*", out, 3), -1);
	assert_int_equal(orgrbac_filter_escape("ab", out, 3), 2);
	assert_int_equal(orgrbac_filter_escape("abc", out, 3), -1);
	assert_int_equal(orgrbac_filter_escape("", out, 1), 0);
	assert_int_equal(orgrbac_filter_escape("", out, 0), -1);
}

static void split_list(void **state)
{
	size_t n = 99;
	char **v = orgrbac_split_list(" payments,  web\tops ,", &n);

	assert_non_null(v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "payments");
	assert_string_equal(v[1], "web");
	assert_string_equal(v[2], "ops");
	assert_null(v[3]);
	orgrbac_strv_free(v);
	v = orgrbac_split_list("", &n);
	assert_non_null(v);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	orgrbac_strv_free(v);
}

static char dir[] = "/tmp/orgrbac-util-XXXXXX";

static char *write_file(const char *name, const char *text, mode_t mode)
{
	char *path;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void read_full(void **state)
{
	char buf[16];
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "abc", 3), 3);
	assert_int_equal(write(fds[1], "de", 2), 2);
	/* fewer bytes than there are: exactly those */
	assert_int_equal(orgrbac_read_full(fds[0], buf, 2), 2);
	assert_memory_equal(buf, "ab", 2);
	close(fds[1]);
	/* more than there are: up to the end, across writes */
	assert_int_equal(orgrbac_read_full(fds[0], buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "cde", 3);
	assert_int_equal(orgrbac_read_full(fds[0], buf, sizeof(buf)), 0);
	close(fds[0]);
	errno = 0;
	assert_int_equal(orgrbac_read_full(fds[0], buf, sizeof(buf)), -1);
	assert_int_equal(errno, EBADF);
}

static void read_file(void **state)
{
	orgrbac_error err;
	char *buf = NULL, *path, *link;
	size_t len = 0;

	path = write_file("plain", "hello\n", 0644);
	assert_int_equal(orgrbac_read_file(path, 0, 100, &buf, &len, &err), 0);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(len, 6);
	free(buf);

	/* size cap */
	assert_int_equal(orgrbac_read_file(path, 0, 5, &buf, &len, &err), -1);
	assert_null(buf);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "larger"));

	/* symlinks are not followed */
	assert_true(asprintf(&link, "%s/link", dir) > 0);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(orgrbac_read_file(link, 0, 100, &buf, &len, &err), -1);
	assert_non_null(strstr(err.msg, link));
	unlink(link);
	free(link);

	/* a directory is not a regular file */
	assert_int_equal(orgrbac_read_file(dir, 0, 100, &buf, &len, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));

	/* a missing file */
	assert_int_equal(orgrbac_read_file("/nonexistent/x", 0, 100, &buf, &len, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/x"));

	/* private: group/other access refused */
	if (geteuid() == 0) {
		assert_int_equal(
		    orgrbac_read_file(path, ORGRBAC_FILE_PRIVATE, 100, &buf, &len, &err), -1);
		assert_non_null(strstr(err.msg, "group or others"));
		assert_int_equal(chmod(path, 0600), 0);
		assert_int_equal(
		    orgrbac_read_file(path, ORGRBAC_FILE_PRIVATE, 100, &buf, &len, &err), 0);
		free(buf);
		/* not owned by root */
		assert_int_equal(chown(path, 65534, 65534), 0);
		assert_int_equal(orgrbac_read_file(path, ORGRBAC_FILE_ROOT, 100, &buf, &len, &err),
				 -1);
		assert_non_null(strstr(err.msg, "owned by root"));
		/* root-owned but group-writable */
		assert_int_equal(chown(path, 0, 0), 0);
		assert_int_equal(chmod(path, 0664), 0);
		assert_int_equal(orgrbac_read_file(path, ORGRBAC_FILE_ROOT, 100, &buf, &len, &err),
				 -1);
		assert_non_null(strstr(err.msg, "writable"));
	}
	unlink(path);
	free(path);
}

static void open_checked(void **state)
{
	orgrbac_error err;
	struct stat st;
	char *path, *link;
	int fd;

	path = write_file("checked", "x", 0600);
	fd = orgrbac_open_checked(path, 0, &st, &err);
	assert_true(fd >= 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 1);
	assert_true((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	close(fd);

	/* a symbolic link is refused even when it points at a good file */
	assert_true(asprintf(&link, "%s/checked-link", dir) > 0);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(orgrbac_open_checked(link, 0, &st, &err), -1);
	assert_non_null(strstr(err.msg, link));
	assert_non_null(strstr(err.msg, "cannot open"));
	unlink(link);
	free(link);

	/* a directory, a FIFO */
	assert_int_equal(orgrbac_open_checked(dir, 0, &st, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_true(asprintf(&link, "%s/fifo", dir) > 0);
	assert_int_equal(mkfifo(link, 0600), 0);
	/* a FIFO with no writer is refused at once, not waited on */
	assert_int_equal(orgrbac_open_checked(link, 0, &st, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	unlink(link);
	free(link);

	if (geteuid() == 0) {
		assert_int_equal(chown(path, 65534, 65534), 0);
		assert_int_equal(orgrbac_open_checked(path, ORGRBAC_FILE_ROOT, &st, &err), -1);
		assert_non_null(strstr(err.msg, "owned by root (owner uid 65534)"));
		/* the owner check can be dropped; the mode checks stay */
		fd = orgrbac_open_checked(path, ORGRBAC_FILE_PRIVATE | ORGRBAC_FILE_ANY_OWNER, &st,
					  &err);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(chmod(path, 0640), 0);
		assert_int_equal(orgrbac_open_checked(path,
						      ORGRBAC_FILE_PRIVATE | ORGRBAC_FILE_ANY_OWNER,
						      &st, &err),
				 -1);
		assert_non_null(strstr(err.msg, "accessible by group or others (mode 0640)"));
		assert_int_equal(chown(path, 0, 0), 0);
		/* readable by group is fine for ROOT, not for PRIVATE */
		fd = orgrbac_open_checked(path, ORGRBAC_FILE_ROOT, &st, &err);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(chmod(path, 0602), 0);
		assert_int_equal(orgrbac_open_checked(path, ORGRBAC_FILE_ROOT, &st, &err), -1);
		assert_non_null(strstr(err.msg, "writable by group or others (mode 0602)"));
	}
	unlink(path);
	free(path);
}

static void grow(void **state)
{
	size_t cap = 0;
	int *v = NULL, *g;

	g = orgrbac_grow(v, &cap, 1, sizeof(*v));
	assert_non_null(g);
	assert_int_equal(cap, 16);
	v = g;
	for (size_t i = 0; i < cap; i++)
		assert_int_equal(v[i], 0);
	v[15] = 7;
	/* room enough: the same array */
	assert_ptr_equal(orgrbac_grow(v, &cap, 16, sizeof(*v)), v);
	g = orgrbac_grow(v, &cap, 17, sizeof(*v));
	assert_non_null(g);
	v = g;
	assert_int_equal(cap, 32);
	assert_int_equal(v[15], 7);
	for (size_t i = 16; i < cap; i++)
		assert_int_equal(v[i], 0);
	/* a jump grows past it in one call */
	g = orgrbac_grow(v, &cap, 1000, sizeof(*v));
	assert_non_null(g);
	v = g;
	assert_int_equal(cap, 1024);
	assert_int_equal(v[15], 7);
	assert_int_equal(v[999], 0);
	/* overflow: refused, the array and its capacity untouched */
	assert_null(orgrbac_grow(v, &cap, SIZE_MAX, sizeof(*v)));
	assert_int_equal(cap, 1024);
	assert_null(orgrbac_grow(v, &cap, SIZE_MAX / 2, sizeof(*v)));
	assert_int_equal(cap, 1024);
	assert_int_equal(v[15], 7);
	free(v);
}

static void arena(void **state)
{
	struct orgrbac_arena *a = orgrbac_arena_new(256);
	char *s[40], *big;
	long *v;

	assert_non_null(a);
	/* many strings across several blocks: each one whole, apart from the others */
	for (int i = 0; i < 40; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "name-%d", i);
		s[i] = orgrbac_arena_strdup(a, buf);
		assert_non_null(s[i]);
	}
	for (int i = 0; i < 40; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "name-%d", i);
		assert_string_equal(s[i], buf);
	}
	assert_string_equal(orgrbac_arena_strndup(a, "uid=a,o=x", 5), "uid=a");
	/* arrays come zeroed and aligned, after a string of odd length too */
	v = orgrbac_arena_alloc(a, 5 * sizeof(*v));
	assert_non_null(v);
	assert_int_equal((uintptr_t)v % sizeof(max_align_t), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(v[i], 0);
	/* a request larger than a quarter of a block: a block of its own */
	big = orgrbac_arena_alloc(a, 1000);
	assert_non_null(big);
	memset(big, 'x', 1000);
	assert_string_equal(s[39], "name-39");
	/* a second reference keeps it all until the last one goes (valgrind sees the rest) */
	assert_ptr_equal(orgrbac_arena_ref(a), a);
	orgrbac_arena_free(a);
	assert_string_equal(s[0], "name-0");
	orgrbac_arena_free(a);
	orgrbac_arena_free(NULL);
}

static void wipe(void **state)
{
	char secret[] = "hunter2";

	orgrbac_wipe(secret, sizeof(secret));
	for (size_t i = 0; i < sizeof(secret); i++)
		assert_int_equal(secret[i], 0);
	orgrbac_wipe(NULL, 10);
}

static int setup(void **state)
{
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	return rmdir(dir);
}

static void saturating(void **state)
{
	static const struct {
		char op;
		int64_t a, b, want;
	} cases[] = {
	    {'+', 1, 2, 3},
	    {'+', INT64_MAX, 1, INT64_MAX},
	    {'+', INT64_MAX, INT64_MAX, INT64_MAX},
	    {'+', INT64_MIN, -1, INT64_MIN},
	    {'+', INT64_MIN, INT64_MIN, INT64_MIN},
	    {'+', INT64_MIN, INT64_MAX, -1},
	    {'-', 5, 7, -2},
	    {'-', 0, INT64_MIN, INT64_MAX},
	    {'-', 1794744000, INT64_MIN, INT64_MAX},
	    {'-', -1, INT64_MIN, INT64_MAX},
	    {'-', -2, INT64_MAX, INT64_MIN},
	    {'-', INT64_MIN, 1, INT64_MIN},
	    {'-', INT64_MAX, -1, INT64_MAX},
	    {'-', INT64_MIN, INT64_MAX, INT64_MIN},
	    {'-', INT64_MAX, INT64_MIN, INT64_MAX},
	    {'-', INT64_MIN, INT64_MIN, 0},
	    {'*', 7, 86400, 604800},
	    {'*', INT64_MAX, 2, INT64_MAX},
	    {'*', INT64_MIN, 2, INT64_MIN},
	    {'*', INT64_MIN, -1, INT64_MAX},
	    {'*', -3, INT64_MAX, INT64_MIN},
	    {'*', INT64_MAX / 86400 + 1, 86400, INT64_MAX},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = cases[i].op == '+'   ? orgrbac_sat_add(cases[i].a, cases[i].b)
			      : cases[i].op == '-' ? orgrbac_sat_sub(cases[i].a, cases[i].b)
						   : orgrbac_sat_mul(cases[i].a, cases[i].b);

		if (got != cases[i].want)
			fail_msg("%lld %c %lld: got %lld, wanted %lld", (long long)cases[i].a,
				 cases[i].op, (long long)cases[i].b, (long long)got,
				 (long long)cases[i].want);
	}
	assert_int_equal(orgrbac_age(100, 40), 60);
	assert_int_equal(orgrbac_age(40, 100), -60);
	assert_true(orgrbac_age(1794744000, INT64_MIN) == INT64_MAX);
}

/* The decoder every UTF-8 check shares: the first sequence's length, 0 when ill-formed. */
static void utf8_sequences(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} cases[] = {
	    {"a", 1},
	    {"\x7f", 1},
	    {"\xc2\x80", 2},	     /* U+0080: well-formed (a C1 control) */
	    {"\xc3\xa6", 2},	     /* U+00E6 */
	    {"\xdf\xbf", 2},	     /* U+07FF */
	    {"\xe0\xa0\x80", 3},     /* U+0800 */
	    {"\xed\x9f\xbf", 3},     /* U+D7FF */
	    {"\xee\x80\x80", 3},     /* U+E000 */
	    {"\xef\xbf\xbf", 3},     /* U+FFFF */
	    {"\xf0\x90\x80\x80", 4}, /* U+10000 */
	    {"\xf4\x8f\xbf\xbf", 4}, /* U+10FFFF */
	    {"\x80", 0},	     /* a continuation byte alone */
	    {"\xbf", 0},
	    {"\xc0\x80", 0},	     /* overlong NUL */
	    {"\xc1\xbf", 0},	     /* overlong U+007F */
	    {"\xe0\x9f\xbf", 0},     /* overlong U+07FF */
	    {"\xf0\x8f\xbf\xbf", 0}, /* overlong U+FFFF */
	    {"\xed\xa0\x80", 0},     /* surrogate U+D800 */
	    {"\xed\xbf\xbf", 0},     /* surrogate U+DFFF */
	    {"\xf4\x90\x80\x80", 0}, /* U+110000 */
	    {"\xf5\x80\x80\x80", 0},
	    {"\xfe", 0},
	    {"\xff", 0},
	    {"\xc3", 0}, /* cut short by the end */
	    {"\xe2\x82", 0},
	    {"\xf0\x9f\x98", 0},
	    {"\xc3(", 0}, /* cut short by ASCII */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (orgrbac_utf8_len((const unsigned char *)cases[i].s) != cases[i].len)
			fail_msg("case %zu: length %zu, wanted %zu", i,
				 orgrbac_utf8_len((const unsigned char *)cases[i].s), cases[i].len);
	assert_true(orgrbac_utf8_c1((const unsigned char *)"\xc2\x9f", 2));
	assert_false(orgrbac_utf8_c1((const unsigned char *)"\xc2\xa0", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(utf8_sequences), cmocka_unit_test(valid_names),
	    cmocka_unit_test(refused_names),  cmocka_unit_test(filter_escape),
	    cmocka_unit_test(split_list),     cmocka_unit_test(read_file),
	    cmocka_unit_test(read_full),      cmocka_unit_test(wipe),
	    cmocka_unit_test(saturating),     cmocka_unit_test(open_checked),
	    cmocka_unit_test(grow),	      cmocka_unit_test(arena),
	};

	return cmocka_run_group_tests_name("util", tests, setup, teardown);
}
