/* SPDX-License-Identifier: BSD-2-Clause */
/* Strict GeneralizedTime and ISO 8601 parsing, and UTC formatting, without mktime or TZ. */
#include <stdbool.h>
#include <stdio.h>

#include "gtime.h"

#define SECS_PER_DAY 86400
/* Days from 0000-01-01 to 1970-01-01 in the proleptic Gregorian calendar. */
#define EPOCH_DAYS 719528

/* Days before each month in a common year. */
static const int month_start[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

/* Division that rounds toward minus infinity, for years and days before the epoch. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

/*
 * Days from 0000-01-01 to January 1st of year y, for any y: 365 a year plus
 * one for each leap year in [0, y) (counted negatively below zero).
 */
static int64_t days_before_year(int64_t y)
{
	return 365 * y + floor_div(y + 3, 4) - floor_div(y + 99, 100) + floor_div(y + 399, 400);
}

/* Days since 1970-01-01 of a date already checked against the calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t days = days_before_year(y) + month_start[m - 1] + d - 1;

	if (m > 2 && is_leap(y))
		days++;
	return days - EPOCH_DAYS;
}

struct civil {
	int64_t year;
	int month, day, hour, minute, second;
};

static bool civil_valid(const struct civil *c)
{
	if (c->year < 0 || c->year > 9999 || c->month < 1 || c->month > 12)
		return false;
	if (c->day < 1 || c->day > days_in_month(c->year, c->month))
		return false;
	/* A leap second (60) is refused: the epoch count has no place for it. */
	return c->hour >= 0 && c->hour <= 23 && c->minute >= 0 && c->minute <= 59 &&
	       c->second >= 0 && c->second <= 59;
}

static int64_t civil_to_epoch(const struct civil *c)
{
	return days_from_civil(c->year, c->month, c->day) * SECS_PER_DAY + c->hour * 3600 +
	       c->minute * 60 + c->second;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Exactly n digits (n <= 4) at *s; advances *s. A short or non-digit run fails. */
static bool digits(const char **s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit((*s)[i]))
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

/*
 * floor(unit * 0.d1d2...dn) for the digits in [a, b), exactly and for any n:
 * working from the last digit, s = (unit * d + s) / 10 keeps the integer
 * part, because dropping the fraction of the tail never changes a floor by 10.
 */
static int64_t fraction_of(const char *a, const char *b, int64_t unit)
{
	int64_t s = 0;

	while (b > a) {
		b--;
		s = (unit * (*b - '0') + s) / 10;
	}
	return s;
}

/* Z, or an offset of hours and optional minutes; *offset is what to subtract from local time. */
static bool gtime_zone(const char *s, int64_t *offset)
{
	int sign, hh, mm = 0;

	if (s[0] == 'Z' && s[1] == '\0') {
		*offset = 0;
		return true;
	}
	if (s[0] != '+' && s[0] != '-')
		return false;
	sign = s[0] == '-' ? -1 : 1;
	s++;
	if (!digits(&s, 2, &hh))
		return false;
	if (*s != '\0' && !digits(&s, 2, &mm))
		return false;
	if (*s != '\0' || hh > 23 || mm > 59)
		return false;
	*offset = sign * (int64_t)(hh * 3600 + mm * 60);
	return true;
}

int orgrbac_gtime_parse(const char *s, int64_t *out)
{
	struct civil c = {0};
	int64_t unit = 3600, frac = 0, offset;
	int year;

	if (s == NULL || out == NULL)
		return -1;
	if (!digits(&s, 4, &year) || !digits(&s, 2, &c.month) || !digits(&s, 2, &c.day) ||
	    !digits(&s, 2, &c.hour))
		return -1;
	c.year = year;
	if (is_digit(*s)) {
		if (!digits(&s, 2, &c.minute))
			return -1;
		unit = 60;
		if (is_digit(*s)) {
			if (!digits(&s, 2, &c.second))
				return -1;
			unit = 1;
		}
	}
	/* The fraction belongs to the last field given: hours, minutes or seconds. */
	if (*s == '.' || *s == ',') {
		const char *start = ++s;

		while (is_digit(*s))
			s++;
		if (s == start)
			return -1;
		frac = fraction_of(start, s, unit);
	}
	if (!civil_valid(&c) || !gtime_zone(s, &offset))
		return -1;
	*out = civil_to_epoch(&c) + frac - offset;
	return 0;
}

/* "Z", or "+HH:MM" / "-HH:MM", then the end of the string. */
static bool iso_zone(const char *s, int64_t *offset)
{
	int sign, hh, mm;

	if (s[0] == 'Z' && s[1] == '\0') {
		*offset = 0;
		return true;
	}
	if (s[0] != '+' && s[0] != '-')
		return false;
	sign = s[0] == '-' ? -1 : 1;
	s++;
	if (!digits(&s, 2, &hh) || *s++ != ':' || !digits(&s, 2, &mm) || *s != '\0')
		return false;
	if (hh > 23 || mm > 59)
		return false;
	*offset = sign * (int64_t)(hh * 3600 + mm * 60);
	return true;
}

int orgrbac_iso8601_parse(const char *s, int64_t *out)
{
	struct civil c = {0};
	int64_t offset = 0;
	int year;

	if (s == NULL || out == NULL)
		return -1;
	if (!digits(&s, 4, &year) || *s++ != '-' || !digits(&s, 2, &c.month) || *s++ != '-' ||
	    !digits(&s, 2, &c.day))
		return -1;
	c.year = year;
	if (*s != '\0') {
		if (*s++ != 'T' || !digits(&s, 2, &c.hour) || *s++ != ':' ||
		    !digits(&s, 2, &c.minute))
			return -1;
		if (*s == ':') {
			s++;
			if (!digits(&s, 2, &c.second))
				return -1;
		}
		if (!iso_zone(s, &offset))
			return -1;
	}
	if (!civil_valid(&c))
		return -1;
	*out = civil_to_epoch(&c) - offset;
	return 0;
}

void orgrbac_time_format(int64_t t, char *buf, size_t len)
{
	/* Split without multiplying back, which would overflow near INT64_MIN. */
	int64_t days = t / SECS_PER_DAY;
	int64_t secs = t % SECS_PER_DAY;
	int64_t d, year, doy;
	int month = 1, mdays;

	if (buf == NULL || len == 0)
		return;
	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	d = days + EPOCH_DAYS; /* days since 0000-01-01 */
	/*
	 * An average Gregorian year is 146097 / 400 days, so the guess is within a
	 * year and the loops below settle it; |d| < 2^47, so d * 400 cannot overflow.
	 */
	year = floor_div(d * 400, 146097);
	while (days_before_year(year) > d)
		year--;
	while (days_before_year(year + 1) <= d)
		year++;
	doy = d - days_before_year(year);
	for (;;) {
		mdays = days_in_month(year, month);
		if (month == 12 || doy < mdays)
			break;
		doy -= mdays;
		month++;
	}
	snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)year, month, (int)doy + 1,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}
