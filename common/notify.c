/* SPDX-License-Identifier: BSD-2-Clause */
/* sd_notify(3)'s protocol: one datagram of "KEY=VALUE" lines to $NOTIFY_SOCKET. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "notify.h"

/* The socket's address: a path, or '@' for the abstract namespace (a leading NUL). */
static int notify_address(const char *name, struct sockaddr_un *sa, socklen_t *len,
			  orgrbac_error *err)
{
	size_t n = strlen(name);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (name[0] != '/' && name[0] != '@') {
		orgrbac_seterr(err, "NOTIFY_SOCKET %s: neither an absolute path nor @abstract",
			       name);
		return -1;
	}
	if (n >= sizeof(sa->sun_path) || (name[0] == '@' && n < 2)) {
		orgrbac_seterr(err, "NOTIFY_SOCKET: a name of %zu bytes is not a socket's", n);
		return -1;
	}
	memcpy(sa->sun_path, name, n);
	if (name[0] == '@')
		sa->sun_path[0] = '\0';
	/* a path ends with its NUL; an abstract name is exactly its bytes */
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (name[0] == '/'));
	return 0;
}

int orgrbac_notify_to(const char *socket_name, const char *msg, orgrbac_error *err)
{
	struct sockaddr_un sa;
	socklen_t len;
	size_t n = strlen(msg);
	ssize_t sent;
	int fd, saved;

	if (socket_name == NULL || socket_name[0] == '\0')
		return 0;
	if (n > ORGRBAC_NOTIFY_MAX) {
		orgrbac_seterr(err, "NOTIFY_SOCKET: a message of %zu bytes is too long", n);
		return -1;
	}
	if (notify_address(socket_name, &sa, &len, err) != 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		orgrbac_seterr(err, "NOTIFY_SOCKET: socket: %s", strerror(errno));
		return -1;
	}
	sent = sendto(fd, msg, n, MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	saved = errno;
	close(fd);
	if (sent != (ssize_t)n) {
		orgrbac_seterr(err, "NOTIFY_SOCKET %s: %s", socket_name,
			       sent < 0 ? strerror(saved) : "sent in part");
		return -1;
	}
	return 0;
}

int orgrbac_notify(const char *msg, orgrbac_error *err)
{
	return orgrbac_notify_to(getenv("NOTIFY_SOCKET"), msg, err);
}
