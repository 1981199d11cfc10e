/* SPDX-License-Identifier: BSD-2-Clause */
/* The service manager's notification protocol (sd_notify(3)), without libsystemd. */
#ifndef ORGRBAC_NOTIFY_H
#define ORGRBAC_NOTIFY_H

#include "util.h"

/* The longest message sent: "READY=1\nSTATUS=..." lines, cut at a line's end. */
#define ORGRBAC_NOTIFY_MAX 1024

/*
 * Send `msg` ("KEY=VALUE" lines) as one datagram to the AF_UNIX socket named
 * by `socket_name`: an absolute path, or "@name" for an abstract socket.
 * NULL or "" (no service manager listening): nothing sent, 0. Never blocks:
 * the socket is non-blocking and close-on-exec, opened for this message
 * only. 0 when sent; -1 with err (a name that is not absolute or abstract,
 * too long, a message over ORGRBAC_NOTIFY_MAX, or the send's failure).
 */
int orgrbac_notify_to(const char *socket_name, const char *msg, orgrbac_error *err);

/* The same to $NOTIFY_SOCKET. */
int orgrbac_notify(const char *msg, orgrbac_error *err);

#endif
