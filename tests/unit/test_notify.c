/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the service manager's notification (sd_notify's protocol) against real sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cmocka.h>

#include "notify.h"

/* A datagram socket bound to `name` (a path, or "@name": abstract), as systemd listens. */
static int listener(const char *name)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t n = strlen(name);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memcpy(sa.sun_path, name, n);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, len), 0);
	return fd;
}

/* The next datagram, NUL-terminated; "" when none is waiting. */
static void next_datagram(int fd, char *buf, size_t size)
{
	ssize_t n = recv(fd, buf, size - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
}

static void to_a_path(void **state)
{
	char dir[] = "/tmp/test_notify.XXXXXX", path[64], got[2048];
	orgrbac_error err;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listener(path);
	assert_int_equal(orgrbac_notify_to(path, "READY=1\nSTATUS=following", &err), 0);
	next_datagram(fd, got, sizeof(got));
	assert_string_equal(got, "READY=1\nSTATUS=following");
	/* through the environment, as the service manager passes it */
	assert_int_equal(setenv("NOTIFY_SOCKET", path, 1), 0);
	assert_int_equal(orgrbac_notify("STATUS=reconnecting", &err), 0);
	next_datagram(fd, got, sizeof(got));
	assert_string_equal(got, "STATUS=reconnecting");
	unsetenv("NOTIFY_SOCKET");
	/* no service manager: nothing sent, no error */
	assert_int_equal(orgrbac_notify("STATUS=x", &err), 0);
	assert_int_equal(orgrbac_notify_to("", "STATUS=x", &err), 0);
	next_datagram(fd, got, sizeof(got));
	assert_string_equal(got, "");
	close(fd);
	/* nobody listening any more: an error naming the socket */
	assert_int_equal(orgrbac_notify_to(path, "STATUS=x", &err), -1);
	assert_non_null(strstr(err.msg, path));
	unlink(path);
	rmdir(dir);
}

static void to_an_abstract_socket(void **state)
{
	char name[64], got[2048];
	orgrbac_error err;
	int fd;

	(void)state;
	snprintf(name, sizeof(name), "@orgrbac-test-notify-%ld", (long)getpid());
	fd = listener(name);
	assert_int_equal(orgrbac_notify_to(name, "READY=1", &err), 0);
	next_datagram(fd, got, sizeof(got));
	assert_string_equal(got, "READY=1");
	close(fd);
}

static void refused(void **state)
{
	char big[ORGRBAC_NOTIFY_MAX + 2], longname[200];
	orgrbac_error err;

	(void)state;
	/* neither absolute nor abstract */
	assert_int_equal(orgrbac_notify_to("run/notify", "READY=1", &err), -1);
	assert_non_null(strstr(err.msg, "run/notify"));
	/* "@" alone, and a name longer than sun_path */
	assert_int_equal(orgrbac_notify_to("@", "READY=1", &err), -1);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(orgrbac_notify_to(longname, "READY=1", &err), -1);
	/* a message over the bound */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(orgrbac_notify_to("/nonexistent/notify", big, &err), -1);
	assert_non_null(strstr(err.msg, "too long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(to_a_path),
	    cmocka_unit_test(to_an_abstract_socket),
	    cmocka_unit_test(refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
