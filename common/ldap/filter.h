/* SPDX-License-Identifier: BSD-2-Clause */
/* Search filters that match any of many values: escaped, bounded. */
#ifndef ORGRBAC_FILTER_H
#define ORGRBAC_FILTER_H

#include <stddef.h>

#define ORGRBAC_FILTER_BATCH 64 /* values per search filter */

/*
 * "(&(objectClass=CLASS)(|(ATTR=v1)(ATTR=v2)...))" for `count` values, each
 * escaped (RFC 4515). NULL when it would exceed its bound or on ENOMEM.
 */
char *orgrbac_filter_any(const char *cls, const char *attr, char *const *values, size_t count);

#endif
