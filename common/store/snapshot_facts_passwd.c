/* SPDX-License-Identifier: BSD-2-Clause */
/* The passwd database from the decision part: the table by uid, each record checked where read. */
#include <string.h>

#include "snapshot_facts_int.h"
#include "snapshot_passwd.h"

static bool printable_no_colon(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || *p == ':')
			return false;
	return true;
}

bool orgrbac_passwd_gecos_ok(const char *gecos)
{
	return gecos != NULL && printable_no_colon(gecos);
}

/* An absolute path, not "/", without a ".." component. */
static bool home_ok(const char *home)
{
	size_t n = strlen(home);

	if (home[0] != '/' || strspn(home, "/") == n || strstr(home, "/../") != NULL ||
	    (n >= 3 && strcmp(home + n - 3, "/..") == 0))
		return false;
	return printable_no_colon(home);
}

const char *orgrbac_passwd_refusal(const char *name, uint32_t uid, uint32_t gid, const char *gecos,
				   const char *home, const char *shell)
{
	const char *why;

	if (uid == 0)
		return "uidNumber 0";
	if (gid == 0)
		return "gidNumber 0";
	if (!orgrbac_username_valid(name, &why))
		return why;
	if (strcmp(name, "root") == 0)
		return "the name root";
	if (home == NULL || !home_ok(home))
		return "homeDirectory is not an absolute path other than / without .., ':' "
		       "or a control character";
	if (shell == NULL || (shell[0] != '\0' && shell[0] != '/') || !printable_no_colon(shell))
		return "loginShell is not an absolute path without ':' or a control character";
	if (!orgrbac_passwd_gecos_ok(gecos))
		return "gecos holds ':' or a control character";
	return NULL;
}

/*
 * The table, if it lies between the principals' index and the shared roles'
 * index; NULL when it does not (or is empty).
 */
static const unsigned char *table(const struct orgrbac_snapshot *s, bool *bad)
{
	const struct orgrbac_snap_header *h = s->h;
	uint64_t index_end =
	    (uint64_t)h->principals.off + orgrbac_snap_principals_size(h->principals.n);

	*bad = h->passwd.n != 0 &&
	       (h->passwd.off < index_end ||
		(uint64_t)h->passwd.off + (uint64_t)h->passwd.n * SNAP_PASSWD_SIZE >
		    h->shared_roles.off);
	return h->passwd.n == 0 || *bad ? NULL : s->base + h->passwd.off;
}

size_t orgrbac_snapshot_count_passwd(const struct orgrbac_snapshot *s)
{
	return s->h->passwd.n;
}

static struct orgrbac_snap_passwd entry(const unsigned char *t, size_t i)
{
	struct orgrbac_snap_passwd e;

	memcpy(&e, t + i * SNAP_PASSWD_SIZE, sizeof(e));
	return e;
}

/* Copy s into buf at *at; NULL when it does not fit. */
static char *put(char *buf, size_t buflen, size_t *at, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = buf + *at;

	if (n > buflen - *at)
		return NULL;
	memcpy(d, s, n);
	*at += n;
	return d;
}

static enum orgrbac_pw_status fill(const char *name, const struct orgrbac_snap_posix *px,
				   struct passwd *pw, char *buf, size_t buflen)
{
	size_t at = 0;

	if (buf == NULL || buflen == 0)
		return ORGRBAC_PW_ERANGE;
	pw->pw_name = put(buf, buflen, &at, name);
	pw->pw_passwd = pw->pw_name != NULL ? put(buf, buflen, &at, "*") : NULL;
	pw->pw_gecos = pw->pw_passwd != NULL ? put(buf, buflen, &at, px->gecos) : NULL;
	pw->pw_dir = pw->pw_gecos != NULL ? put(buf, buflen, &at, px->home) : NULL;
	pw->pw_shell = pw->pw_dir != NULL ? put(buf, buflen, &at, px->shell) : NULL;
	if (pw->pw_shell == NULL)
		return ORGRBAC_PW_ERANGE;
	pw->pw_uid = px->uid;
	pw->pw_gid = px->gid;
	return ORGRBAC_PW_OK;
}

/*
 * The rest of a record after its uid (`name`): a served posix block whose
 * uidNumber is `uid` (any, for UINT64_MAX) into *found, then pw filled when
 * `now` is in its window. The fields are checked again: sync never writes a refused one.
 */
static enum orgrbac_pw_status serve(struct orgrbac_cur *c, const char *name, uint64_t uid,
				    int64_t now, struct passwd *pw, char *buf, size_t buflen,
				    uint32_t *found)
{
	struct orgrbac_snap_posix px;
	uint32_t kind = orgrbac_cur_u32(c);

	if (c->bad)
		return ORGRBAC_PW_CORRUPT;
	if (kind != SNAP_REC_FACTS)
		return kind == SNAP_REC_REFUSED && uid == UINT64_MAX ? ORGRBAC_PW_NOTFOUND
								     : ORGRBAC_PW_CORRUPT;
	orgrbac_snapf_posix(c, &px);
	if (c->bad)
		return ORGRBAC_PW_CORRUPT;
	if (!px.present || !px.served)
		return uid == UINT64_MAX ? ORGRBAC_PW_NOTFOUND : ORGRBAC_PW_CORRUPT;
	if ((uid != UINT64_MAX && px.uid != uid) ||
	    orgrbac_passwd_refusal(name, px.uid, px.gid, px.gecos, px.home, px.shell) != NULL)
		return ORGRBAC_PW_CORRUPT;
	*found = px.uid;
	if (now < px.from || now >= px.until)
		return ORGRBAC_PW_NOTFOUND;
	return fill(name, &px, pw, buf, buflen);
}

/* The table entry's user, whose record must be served with the entry's uidNumber. */
static enum orgrbac_pw_status by_entry(const struct orgrbac_snapshot *s,
				       struct orgrbac_snap_passwd e, int64_t now, struct passwd *pw,
				       char *buf, size_t buflen)
{
	struct orgrbac_cur c;
	const char *name;
	uint32_t found;

	name = orgrbac_snapf_uid_at(s, e.principal, &c);
	if (name == NULL)
		return ORGRBAC_PW_CORRUPT;
	return serve(&c, name, e.uid, now, pw, buf, buflen, &found);
}

enum orgrbac_pw_status orgrbac_snapshot_passwd_at(const struct orgrbac_snapshot *s, size_t i,
						  int64_t now, struct passwd *pw, char *buf,
						  size_t buflen)
{
	bool bad;
	const unsigned char *t = table(s, &bad);

	if (bad)
		return ORGRBAC_PW_CORRUPT;
	if (t == NULL || i >= s->h->passwd.n)
		return ORGRBAC_PW_NOTFOUND;
	return by_entry(s, entry(t, i), now, pw, buf, buflen);
}

/* The table's entry for uidNumber `uid`; false when there is none. */
static bool find_uid(const unsigned char *t, size_t n, uint32_t uid,
		     struct orgrbac_snap_passwd *out)
{
	size_t lo = 0, hi = n;

	while (t != NULL && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct orgrbac_snap_passwd e = entry(t, mid);

		if (e.uid == uid) {
			*out = e;
			return true;
		}
		if (e.uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

enum orgrbac_pw_status orgrbac_snapshot_getpwuid(const struct orgrbac_snapshot *s, uint32_t uid,
						 int64_t now, struct passwd *pw, char *buf,
						 size_t buflen)
{
	bool bad;
	const unsigned char *t = table(s, &bad);
	struct orgrbac_snap_passwd e;

	if (bad)
		return ORGRBAC_PW_CORRUPT;
	if (uid == 0 || !find_uid(t, s->h->passwd.n, uid, &e))
		return ORGRBAC_PW_NOTFOUND;
	return by_entry(s, e, now, pw, buf, buflen);
}

enum orgrbac_pw_status orgrbac_snapshot_getpwnam(const struct orgrbac_snapshot *s, const char *name,
						 int64_t now, struct passwd *pw, char *buf,
						 size_t buflen)
{
	bool other_case, bad;
	const unsigned char *t = table(s, &bad);
	struct orgrbac_snap_passwd e;
	struct orgrbac_cur c;
	enum orgrbac_pw_status st;
	uint32_t uid = 0;
	size_t i;

	if (t == NULL)
		return bad ? ORGRBAC_PW_CORRUPT : ORGRBAC_PW_NOTFOUND;
	i = orgrbac_snapf_find(s, name, &other_case, &c);
	if (i == SNAPF_BAD)
		return ORGRBAC_PW_CORRUPT;
	if (i == SNAPF_NONE)
		return ORGRBAC_PW_NOTFOUND;
	st = serve(&c, name, UINT64_MAX, now, pw, buf, buflen, &uid);
	if (st != ORGRBAC_PW_OK && st != ORGRBAC_PW_ERANGE)
		return st;
	/* served only when the table lists it too, with this principal */
	if (!find_uid(t, s->h->passwd.n, uid, &e) || e.principal != i)
		return ORGRBAC_PW_CORRUPT;
	return st;
}
