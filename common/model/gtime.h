/* SPDX-License-Identifier: BSD-2-Clause */
/* Strict GeneralizedTime (RFC 4517) and ISO 8601 parsing into seconds since the epoch. */
#ifndef ORGRBAC_GTIME_H
#define ORGRBAC_GTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse LDAP GeneralizedTime: YYYYMMDDHH[MM[SS]][(.|,)fraction](Z|(+|-)HH[MM]).
 * The zone is required. Fields are range-checked against the calendar (no
 * month 13, no Feb 30, leap years honoured; a leap second 60 is refused).
 * A fraction is truncated. Converted with timegm arithmetic, never mktime.
 * Returns 0 and sets *out, or -1.
 */
int orgrbac_gtime_parse(const char *s, int64_t *out);

/*
 * Parse an ISO 8601 time as the CLI takes it: YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM),
 * or a date alone YYYY-MM-DD meaning 00:00:00Z. Returns 0 or -1.
 */
int orgrbac_iso8601_parse(const char *s, int64_t *out);

/* Format as 2026-12-01T09:00:00Z into buf (at least 21 bytes). */
void orgrbac_time_format(int64_t t, char *buf, size_t len);

#endif
