/* SPDX-License-Identifier: BSD-2-Clause */
/* Pure: was another factor verified before the 2FA exemption is asked for? */
#ifndef ORGRBAC_FACTOR_H
#define ORGRBAC_FACTOR_H

#include <stddef.h>

/* The PAM service of OpenSSH's sshd, the one program that reports a prior factor. */
#define ORGRBAC_SSHD_SERVICE "sshd"
/* The PAM environment variable sshd fills, and the most of it we read. */
#define ORGRBAC_AUTH_INFO_VAR "SSH_AUTH_INFO_0"
#define ORGRBAC_AUTH_INFO_MAX 65536 /* bytes */

enum orgrbac_factor {
	ORGRBAC_FACTOR_PUBLICKEY = 0, /* sshd verified a public key earlier in this connection */
	ORGRBAC_FACTOR_NONE,	      /* nothing proves that another factor was verified */
};

/*
 * May the 2FA exemption be considered at all? Only when another factor was
 * verified in the same session, and only sshd can say so: `service` is
 * PAM_SERVICE, `auth_info` the value of SSH_AUTH_INFO_0 in the PAM
 * environment (NULL when it is not set). ORGRBAC_FACTOR_PUBLICKEY when
 * service is "sshd" and auth_info, read strictly (bounded, a line at a time,
 * every line well formed), holds a line that begins with "publickey ".
 * Anything else is ORGRBAC_FACTOR_NONE. `why` (of `len` bytes) gets a
 * sentence for the log that tells an administrator what to change.
 */
enum orgrbac_factor orgrbac_prior_factor(const char *service, const char *auth_info, char *why,
					 size_t len);

#endif
