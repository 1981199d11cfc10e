/* SPDX-License-Identifier: BSD-2-Clause */
/* What the LDAP connection (ldapc.c), its searches (search.c) and writes (write.c) share. */
#ifndef ORGRBAC_LDAPC_INT_H
#define ORGRBAC_LDAPC_INT_H

#include <stdbool.h>
#include <ldap.h>

#include "guard.h"

struct orgrbac_ldap {
	LDAP *ld;
	char *uri;
	int timeout;
	unsigned long round_trips;
	struct orgrbac_watchdog dog;
	struct ldap_conncb conncb; /* tells the watchdog the socket; outlives ld */
};

/* Does libldap's code mean that no server answered (in time)? */
bool orgrbac_ldap_code_unavailable(int rc);

#endif
