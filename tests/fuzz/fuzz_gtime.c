/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: strict GeneralizedTime and ISO 8601 parsing, and UTC formatting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what the formatter writes back as four digits. */
#define YEAR0	     (-62167219200LL)
#define YEAR9999_END 253402300799LL

static void round_trip(int64_t t)
{
	char buf[64];
	int64_t back;

	orgrbac_time_format(t, buf, sizeof(buf));
	if (t < YEAR0 || t > YEAR9999_END)
		return;
	if (orgrbac_iso8601_parse(buf, &back) != 0 || back != t)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int64_t t;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (orgrbac_gtime_parse(s, &t) == 0)
		round_trip(t);
	if (orgrbac_iso8601_parse(s, &t) == 0)
		round_trip(t);
	/* Any 64-bit time formats without overflow. */
	if (size >= sizeof(t)) {
		char buf[64];

		memcpy(&t, data, sizeof(t));
		orgrbac_time_format(t, buf, sizeof(buf));
		if (strlen(buf) >= sizeof(buf) - 1)
			abort();
	}
	free(s);
	return 0;
}
