/* SPDX-License-Identifier: BSD-2-Clause */
/* The change being built: LDAPMod and LDIF at once (values base64 unless safe), one operation. */
#include <stdlib.h>
#include <string.h>

#include "admin_ldif.h"
#include "write.h"

static bool ldif_safe(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	if (*p == ' ' || *p == ':' || *p == '<')
		return false;
	for (; *p != '\0'; p++)
		if (*p >= 0x80 || *p == '\n' || *p == '\r')
			return false;
	return p == (const unsigned char *)v || p[-1] != ' ';
}

void orgrbac_ldif_line(FILE *f, const char *attr, const char *v)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)v;
	size_t len = strlen(v);

	if (ldif_safe(v)) {
		fprintf(f, "%s: %s\n", attr, v);
		return;
	}
	fprintf(f, "%s:: ", attr);
	for (size_t i = 0; i < len; i += 3) {
		unsigned long n = (unsigned long)p[i] << 16;

		if (i + 1 < len)
			n |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < len)
			n |= p[i + 2];
		fputc(b64[(n >> 18) & 63], f);
		fputc(b64[(n >> 12) & 63], f);
		fputc(i + 1 < len ? b64[(n >> 6) & 63] : '=', f);
		fputc(i + 2 < len ? b64[n & 63] : '=', f);
	}
	fputc('\n', f);
}

int orgrbac_change_open(struct orgrbac_change *c)
{
	memset(c, 0, sizeof(*c));
	c->ldif = open_memstream(&c->text, &c->len);
	return c->ldif != NULL ? 0 : -1;
}

void orgrbac_change_begin(struct orgrbac_change *c, const char *dn, enum orgrbac_change_kind kind)
{
	static const char *const kinds[] = {"add", "modify", "delete"};

	c->kind = kind;
	orgrbac_ldif_line(c->ldif, "dn", dn);
	fprintf(c->ldif, "changetype: %s\n", kinds[kind]);
}

static const char *op_name(int op)
{
	switch (op) {
	case LDAP_MOD_ADD: return "add";
	case LDAP_MOD_DELETE: return "delete";
	default: return "replace";
	}
}

void orgrbac_change_mod(struct orgrbac_change *c, int op, const char *attr, char **values,
			const char *one)
{
	bool modify = c->kind == ORGRBAC_CHANGE_MODIFY;

	if (c->n == ORGRBAC_CHANGE_MAX_MODS)
		return;
	c->mod[c->n].mod_op = op;
	c->mod[c->n].mod_type = (char *)attr;
	if (values == NULL) {
		c->vals[c->n][0] = (char *)one;
		c->vals[c->n][1] = NULL;
		values = c->vals[c->n];
	}
	c->mod[c->n].mod_values = values;
	c->mods[c->n] = &c->mod[c->n];
	c->mods[++c->n] = NULL;
	if (modify)
		fprintf(c->ldif, "%s: %s\n", op_name(op), attr);
	for (size_t i = 0; values[i] != NULL; i++)
		orgrbac_ldif_line(c->ldif, attr, values[i]);
	if (modify)
		fprintf(c->ldif, "-\n");
}

enum orgrbac_admin_status orgrbac_change_send(const struct orgrbac_admin *a,
					      struct orgrbac_change *c, const char *dn,
					      orgrbac_error *err)
{
	enum orgrbac_ldap_status s;

	if (c->kind == ORGRBAC_CHANGE_ADD)
		s = orgrbac_ldap_add(a->l, dn, c->mods, NULL, err);
	else if (c->kind == ORGRBAC_CHANGE_MODIFY)
		s = orgrbac_ldap_modify(a->l, dn, c->mods, NULL, err);
	else
		s = orgrbac_ldap_delete(a->l, dn, NULL, err);
	return orgrbac_admin_status_of(s);
}

char *orgrbac_change_close(struct orgrbac_change *c, enum orgrbac_admin_status *st,
			   orgrbac_error *err)
{
	char *text;

	if (c->ldif != NULL && fclose(c->ldif) != 0 && *st == ORGRBAC_ADMIN_DONE) {
		orgrbac_seterr(err, "out of memory");
		*st = ORGRBAC_ADMIN_ERROR;
	}
	c->ldif = NULL;
	text = c->text;
	c->text = NULL;
	return text;
}

char **orgrbac_terminated(char **v, size_t n)
{
	char **out = calloc(n + 1, sizeof(*out));

	if (out != NULL && n > 0)
		memcpy(out, v, n * sizeof(*out));
	return out;
}
