/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac doctor: a PAM file that loads pam_orgrbac, read the way libpam reads it, and judged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doctor.h"
#include "exempt.h"
#include "pamargs.h"

#define PAM_LINES_MAX 1024 /* lines of one stack, includes expanded */
#define PAM_ARGS_MAX  64   /* arguments of one line */
#define FIX_ACCOUNT   "use `account required pam_orgrbac.so` (see /usr/share/orgrbac/pam.d)"
#define FIX_MFA	      "use `auth [success=done default=ignore] pam_orgrbac.so mfa_exempt`"

/* One line of a stack: where it was read, its type, control, module and arguments. */
struct pline {
	const char *file; /* the stack's own copy of the path */
	unsigned line;
	char type[16]; /* without the leading '-' */
	bool quiet;    /* "-type": libpam skips the line when the module does not load */
	char *control; /* "required", "[success=done default=ignore]", ... */
	char *module;  /* path or name */
	char *args;    /* the rest, spaces kept */
	bool nested;   /* an include line inside an included file: not followed */
};

struct stack {
	struct pline *l;
	size_t n, cap;
	char **files; /* paths read, owned */
	size_t n_files;
	bool oom;
	struct orgrbac_findings *out; /* for an include that cannot be read */
};

static const char *const second_factors[] = {
    "pam_google_authenticator.so",
    "pam_oath.so",
    "pam_u2f.so",
    "pam_yubico.so",
    "pam_duo.so",
    "pam_totp.so",
    NULL,
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static bool is_module(const struct pline *l, const char *name)
{
	return l->module != NULL && strcmp(base_name(l->module), name) == 0;
}

static bool is_orgrbac(const struct pline *l)
{
	return is_module(l, "pam_orgrbac.so");
}

/* Does the argument list hold `word` as a whole argument? */
static bool has_arg(const struct pline *l, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = l->args; p != NULL && (p = strstr(p, word)) != NULL; p += n)
		if ((p == l->args || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t'))
			return true;
	return false;
}

static bool is_second_factor(const struct pline *l)
{
	for (size_t i = 0; second_factors[i] != NULL; i++)
		if (is_module(l, second_factors[i]))
			return true;
	return false;
}

static void stack_free(struct stack *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->l[i].control);
		free(s->l[i].module);
		free(s->l[i].args);
	}
	free(s->l);
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	memset(s, 0, sizeof(*s));
}

/* The next token of *p: a bracketed control in one piece; NULL at the end. */
static char *token(char **p)
{
	char *s = *p, *start;

	s += strspn(s, " \t");
	if (*s == '\0')
		return NULL;
	start = s;
	if (*s == '[') {
		char *close = strchr(s, ']');

		s = close != NULL ? close + 1 : s + strlen(s);
	} else {
		s += strcspn(s, " \t");
	}
	if (*s != '\0')
		*s++ = '\0';
	*p = s;
	return start;
}

/* Keep one parsed line; false when out of memory or past PAM_LINES_MAX. */
static bool push(struct stack *s, const struct pline *src, const char *control, const char *module,
		 const char *args)
{
	struct pline *l;

	if (s->n >= PAM_LINES_MAX)
		return false;
	l = orgrbac_grow(s->l, &s->cap, s->n + 1, sizeof(*l));
	if (l == NULL) {
		s->oom = true;
		return false;
	}
	s->l = l;
	l = &s->l[s->n];
	*l = *src;
	l->control = strdup(control != NULL ? control : "");
	l->module = strdup(module != NULL ? module : "");
	l->args = strdup(args != NULL ? args : "");
	if (l->control == NULL || l->module == NULL || l->args == NULL) {
		s->oom = true;
		free(l->control);
		free(l->module);
		free(l->args);
		return false;
	}
	s->n++;
	return true;
}

static bool read_stack(const struct orgrbac_doctor_io *io, const char *dir, const char *name,
		       const char *only_type, int depth, struct stack *s);

/* An include of `name` at line l: followed one level deep, else kept as a line of its own. */
static bool include(const struct orgrbac_doctor_io *io, const char *dir, const char *name,
		    struct pline *l, int depth, struct stack *s)
{
	if (depth > 0) {
		l->nested = true;
		return push(s, l, "include", name, "");
	}
	if (!read_stack(io, dir, name, l->type[0] != '\0' ? l->type : NULL, depth + 1, s) &&
	    !s->oom)
		orgrbac_finding_add(s->out, ORGRBAC_SEV_WARNING, "pam", l->file, l->line,
				    "restore the file, or remove the line",
				    "cannot read %s, which this line includes: the lines it should "
				    "bring are missing",
				    name);
	return !s->oom;
}

/* One line of text (comments gone) into the stack. */
static bool parse_line(const struct orgrbac_doctor_io *io, const char *dir, char *text,
		       const char *only_type, int depth, struct pline *l, struct stack *s)
{
	char *p = text, *type = token(&p), *control, *module;

	if (type == NULL)
		return true;
	if (strcmp(type, "@include") == 0) {
		module = token(&p);
		l->type[0] = '\0';
		return module == NULL || include(io, dir, module, l, depth, s);
	}
	l->quiet = type[0] == '-';
	snprintf(l->type, sizeof(l->type), "%s", type + l->quiet);
	if (only_type != NULL && strcasecmp(l->type, only_type) != 0)
		return true;
	control = token(&p);
	if (control == NULL)
		return true;
	if (strcmp(control, "include") == 0 || strcmp(control, "substack") == 0) {
		module = token(&p);
		return module == NULL || include(io, dir, module, l, depth, s);
	}
	module = token(&p);
	p += strspn(p, " \t");
	p[strcspn(p, "\n")] = '\0';
	return push(s, l, control, module, p);
}

/* Keep the path for the stack's lines to point at; NULL when out of memory. */
static const char *keep_path(struct stack *s, const char *path)
{
	char **v = realloc(s->files, (s->n_files + 1) * sizeof(*v));

	if (v == NULL)
		return NULL;
	s->files = v;
	v[s->n_files] = strdup(path);
	return v[s->n_files] != NULL ? v[s->n_files++] : NULL;
}

/*
 * The lines of dir/name (or of name when absolute), of `only_type` when not
 * NULL, appended to s. False when the file cannot be read (the caller says
 * so when it matters) or memory ran out.
 */
static bool read_stack(const struct orgrbac_doctor_io *io, const char *dir, const char *name,
		       const char *only_type, int depth, struct stack *s)
{
	char path[4096], *text;
	const char *kept;
	bool missing = false, ok = true;
	orgrbac_error err;
	unsigned n = 0;

	snprintf(path, sizeof(path), "%s%s%s", name[0] == '/' ? "" : dir, name[0] == '/' ? "" : "/",
		 name);
	text = io->read(io->ctx, path, &missing, &err);
	kept = text != NULL ? keep_path(s, path) : NULL;
	if (text == NULL || kept == NULL) {
		free(text);
		return false;
	}
	for (char *p = text, *nl; ok && *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		struct pline l = {.file = kept, .line = ++n};

		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		p[strcspn(p, "#")] = '\0';
		ok = parse_line(io, dir, p, only_type, depth, &l, s);
	}
	free(text);
	return ok || !s->oom;
}

/* The action a bracketed control takes on `code`: its key, else default=; "" for neither. */
static void action_of(const char *control, const char *code, char *out, size_t len)
{
	char def[32] = "", buf[512], *p = buf, *t;
	size_t n = strlen(code);

	out[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", control + (control[0] == '['));
	buf[strcspn(buf, "]")] = '\0';
	while ((t = token(&p)) != NULL) {
		if (strncasecmp(t, code, n) == 0 && t[n] == '=')
			snprintf(out, len, "%s", t + n + 1);
		else if (strncasecmp(t, "default=", 8) == 0)
			snprintf(def, sizeof(def), "%s", t + 8);
	}
	if (out[0] == '\0')
		snprintf(out, len, "%s", def);
}

/* Does this action let the stack go on as if the module had not refused? */
static bool passes(const char *action)
{
	return strcasecmp(action, "ignore") == 0 || strcasecmp(action, "ok") == 0 ||
	       strcasecmp(action, "done") == 0 || (action[0] >= '1' && action[0] <= '9');
}

/* Jump length of a `success=N` action, 0 when it is not a jump. */
static unsigned jump_of(const char *action)
{
	char *end;
	unsigned long n = strtoul(action, &end, 10);

	return action[0] >= '1' && action[0] <= '9' && *end == '\0' && n < 1000 ? (unsigned)n : 0;
}

/*
 * Can libpam load this module: an absolute path that exists, or a name in a
 * module directory? Where it is found goes to `found` (when not NULL).
 */
static bool module_found(const struct orgrbac_doctor_io *io, const char *const *dirs,
			 const char *module, char *found, size_t found_len)
{
	char path[4096];

	if (module[0] == '/') {
		if (!io->exists(io->ctx, module))
			return false;
		if (found != NULL)
			snprintf(found, found_len, "%s", module);
		return true;
	}
	for (size_t i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], module);
		if (io->exists(io->ctx, path)) {
			if (found != NULL)
				snprintf(found, found_len, "%s", path);
			return true;
		}
	}
	return false;
}

static void check_module(const struct orgrbac_doctor_io *io, const char *const *dirs,
			 const struct pline *l, enum orgrbac_severity sev, const char *why,
			 struct orgrbac_findings *out)
{
	char where[1024] = "";

	if (l->module[0] == '\0' || module_found(io, dirs, l->module, NULL, 0))
		return;
	for (size_t i = 0; l->module[0] != '/' && dirs != NULL && dirs[i] != NULL; i++)
		snprintf(where + strlen(where), sizeof(where) - strlen(where), "%s%s",
			 i ? ", " : " (looked in ", dirs[i]);
	orgrbac_finding_add(out, sev, "pam", l->file, l->line,
			    "install the module or correct its path",
			    "%s %s: module %s does not exist%s%s: %s", l->type, l->control,
			    l->module, where, where[0] != '\0' ? ")" : "", why);
}

/* The failure codes of the account gate a bracketed control lets through, in `list`. */
static void passing_codes(const char *control, char *list, size_t len)
{
	static const char *const codes[] = {"perm_denied",
					    "acct_expired",
					    "authinfo_unavail",
					    "user_unknown",
					    "service_err",
					    "new_authtok_reqd",
					    NULL};
	char action[32];

	list[0] = '\0';
	for (size_t i = 0; codes[i] != NULL; i++) {
		action_of(control, codes[i], action, sizeof(action));
		if (passes(action))
			snprintf(list + strlen(list), len - strlen(list), "%s%s=%s",
				 list[0] != '\0' ? " " : "", codes[i], action);
	}
}

static void judge_account_control(const struct pline *l, struct orgrbac_findings *out)
{
	char list[256];

	if (strcmp(l->control, "sufficient") == 0)
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_ERROR, "pam", l->file, l->line, FIX_ACCOUNT,
		    "account sufficient pam_orgrbac.so: a user it allows ends the stack, but a "
		    "user "
		    "it denies falls through to the rest of the stack, which usually permits: the "
		    "gate is void");
	else if (strcmp(l->control, "optional") == 0)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", l->file, l->line, FIX_ACCOUNT,
				    "account optional pam_orgrbac.so: its refusal is ignored "
				    "whenever another module succeeds: the gate is void");
	if (l->control[0] != '[')
		return;
	passing_codes(l->control, list, sizeof(list));
	if (list[0] == '\0')
		return;
	if (strncmp(list, "user_unknown=", 13) == 0 && strchr(list, ' ') == NULL)
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "pam", l->file, l->line,
				    "use `account required pam_orgrbac.so ignore_unknown_user`",
				    "account %s: users unknown to the directory pass (%s)",
				    l->control, list);
	else
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", l->file, l->line, FIX_ACCOUNT,
				    "account %s: the gate's refusals do not refuse (%s); with "
				    "authinfo_unavail passing, a directory outage opens the door",
				    l->control, list);
}

/* Account lines of the stack strictly between `from` and `to`. */
static size_t accounts_between(const struct stack *s, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t m = from + 1; m < to; m++)
		n += strcasecmp(s->l[m].type, "account") == 0 && !s->l[m].nested;
	return n;
}

/* Account lines before the gate that can end the stack with success, or jump over it. */
static void judge_account_order(const struct stack *s, size_t gate, struct orgrbac_findings *out)
{
	char action[32];

	for (size_t j = 0; j < gate; j++) {
		const struct pline *l = &s->l[j];
		const char *why = NULL;
		bool ends;

		if (strcasecmp(l->type, "account") != 0 || l->nested)
			continue;
		action_of(l->control, "success", action, sizeof(action));
		ends = strcmp(l->control, "sufficient") == 0 ||
		       (l->control[0] == '[' && strcasecmp(action, "done") == 0);
		if (ends)
			why = "can end the stack with success before";
		else if (l->control[0] == '[' && jump_of(action) > accounts_between(s, j, gate))
			why = "jumps over";
		if (why != NULL)
			orgrbac_finding_add(
			    out, ends ? ORGRBAC_SEV_WARNING : ORGRBAC_SEV_ERROR, "pam", l->file,
			    l->line, "put the pam_orgrbac account line first",
			    "account %s %s %s pam_orgrbac (%s:%u): users it accepts are "
			    "never judged",
			    l->control, l->module, why, s->l[gate].file, s->l[gate].line);
	}
}

/* The index of the n-th auth line after `from` (1: the next), or s->n past the end. */
static size_t nth_auth_after(const struct stack *s, size_t from, unsigned n)
{
	for (size_t j = from + 1; j < s->n; j++)
		if (strcasecmp(s->l[j].type, "auth") == 0 && !s->l[j].nested && --n == 0)
			return j;
	return s->n;
}

/* Does a module's line enforce it: only success passes? */
static bool enforced(const struct pline *l)
{
	char action[32];

	if (strcmp(l->control, "required") == 0 || strcmp(l->control, "requisite") == 0)
		return true;
	if (l->control[0] != '[')
		return false;
	action_of(l->control, "auth_err", action, sizeof(action));
	return strcasecmp(action, "bad") == 0 || strcasecmp(action, "die") == 0;
}

/* After the exemption: a second factor that is enforced, and no pam_permit after it. */
static void judge_mfa_followers(const struct orgrbac_doctor_io *io, const char *const *dirs,
				const struct stack *s, size_t mfa, struct orgrbac_findings *out)
{
	const struct pline *m = &s->l[mfa];
	size_t code = s->n;

	for (size_t j = mfa + 1; j < s->n && code == s->n; j++)
		if (strcasecmp(s->l[j].type, "auth") == 0 && is_second_factor(&s->l[j]))
			code = j;
	if (code == s->n) {
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_ERROR, "pam", m->file, m->line,
		    "add `auth required pam_google_authenticator.so` (or pam_oath, "
		    "pam_u2f, ...) right after this line",
		    "no 2FA module follows the mfa_exempt line: there is no code to "
		    "be exempt from");
		return;
	}
	if (!enforced(&s->l[code]))
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", s->l[code].file, s->l[code].line,
				    "make it `auth required`",
				    "auth %s %s: the code is not enforced", s->l[code].control,
				    s->l[code].module);
	check_module(io, dirs, &s->l[code], ORGRBAC_SEV_ERROR,
		     "libpam refuses every login that reaches this line", out);
	for (size_t j = code + 1; j < s->n; j++)
		if (strcasecmp(s->l[j].type, "auth") == 0 && is_module(&s->l[j], "pam_permit.so"))
			orgrbac_finding_add(
			    out, ORGRBAC_SEV_ERROR, "pam", s->l[j].file, s->l[j].line,
			    "remove the pam_permit line (and any include that brings it): "
			    "`success=done` on the mfa_exempt line needs no jump target",
			    "the auth stack ends in pam_permit after the 2FA module (%s:%u): the "
			    "day "
			    "the code line is left out, everyone gets in",
			    s->l[code].file, s->l[code].line);
}

/* The exemption's jump: success=done, or success=N landing past the code, never on pam_permit. */
static void judge_mfa_jump(const struct stack *s, size_t mfa, struct orgrbac_findings *out)
{
	const struct pline *m = &s->l[mfa];
	char action[32];
	bool skipped = false;
	unsigned jump;
	size_t target;

	if (strcmp(m->control, "sufficient") == 0)
		return;
	action_of(m->control, "success", action, sizeof(action));
	if (m->control[0] != '[' || (strcasecmp(action, "done") != 0 && jump_of(action) == 0)) {
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "pam", m->file, m->line, FIX_MFA,
				    "auth %s pam_orgrbac.so mfa_exempt: its success does not end "
				    "the auth stack, so exempt users are still asked for the code",
				    m->control);
		return;
	}
	action_of(m->control, "ignore", action, sizeof(action));
	if (strcasecmp(action, "ignore") != 0)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", m->file, m->line, FIX_MFA,
				    "auth %s pam_orgrbac.so mfa_exempt: the answer for users who "
				    "are not exempt (PAM_IGNORE) is '%s', not ignore",
				    m->control, action[0] != '\0' ? action : "unset");
	action_of(m->control, "success", action, sizeof(action));
	jump = jump_of(action);
	if (jump == 0)
		return;
	target = nth_auth_after(s, mfa, jump + 1);
	for (size_t j = mfa + 1; j < s->n && j < target; j++)
		skipped = skipped ||
			  (strcasecmp(s->l[j].type, "auth") == 0 && is_second_factor(&s->l[j]));
	if (target < s->n && is_module(&s->l[target], "pam_permit.so"))
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_ERROR, "pam", m->file, m->line, FIX_MFA,
		    "success=%u jumps past the 2FA module onto pam_permit.so (%s:%u)", jump,
		    s->l[target].file, s->l[target].line);
	else if (!skipped)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", m->file, m->line, FIX_MFA,
				    "success=%u skips no 2FA module%s%s: exempt users are still "
				    "asked for the code, or skip something else",
				    jump, target < s->n ? ", it lands on " : "",
				    target < s->n ? s->l[target].module : "");
}

static void judge_mfa(const struct orgrbac_doctor_io *io, const char *const *dirs,
		      const struct stack *s, size_t mfa, struct orgrbac_findings *out)
{
	const struct pline *m = &s->l[mfa];

	if (strcasecmp(m->type, "auth") != 0) {
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "pam", m->file, m->line,
				    "move mfa_exempt to an auth line",
				    "mfa_exempt on a %s line does nothing", m->type);
		return;
	}
	judge_mfa_jump(s, mfa, out);
	judge_mfa_followers(io, dirs, s, mfa, out);
}

/*
 * Split a line's arguments in place as libpam does: words between blanks,
 * and a word in square brackets keeps its blanks ("\]" is a bracket in it).
 * The count, or -1 past `max`.
 */
static int split_args(char *s, const char **argv, int max)
{
	int argc = 0;

	while (*(s += strspn(s, " \t")) != '\0') {
		char *o = s, c;

		if (argc == max)
			return -1;
		argv[argc++] = s;
		if (*s == '[') {
			for (s++; *s != '\0' && *s != ']'; s++) {
				if (s[0] == '\\' && s[1] == ']')
					s++;
				*o++ = *s;
			}
		} else {
			while (*s != '\0' && *s != ' ' && *s != '\t')
				*o++ = *s++;
		}
		c = *s;
		*o = '\0';
		if (c != '\0')
			s++;
	}
	return argc;
}

/*
 * The module's own reading of the line's arguments: arguments it refuses
 * make every call PAM_SERVICE_ERR. On an account line, root is judged by
 * the directory unless the line or the configuration leaves it out.
 */
static void judge_args(const struct pline *l, unsigned flags, struct orgrbac_findings *out,
		       bool *oom)
{
	const char *argv[PAM_ARGS_MAX];
	struct orgrbac_pam_args a;
	orgrbac_error err;
	char *copy = strdup(l->args);
	int argc;

	if (copy == NULL) {
		*oom = true;
		return;
	}
	argc = split_args(copy, argv, PAM_ARGS_MAX);
	if (argc < 0)
		snprintf(err.msg, sizeof(err.msg), "more than %d arguments", PAM_ARGS_MAX);
	if (argc < 0 || orgrbac_pam_args_parse(argc, argv, &a, &err) != 0)
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_ERROR, "pam", l->file, l->line,
		    "correct the arguments (pam_orgrbac(8))",
		    "pam_orgrbac refuses its arguments (%s): every call returns "
		    "PAM_SERVICE_ERR, and only root and the ignore_users= names pass",
		    err.msg);
	else if (strcasecmp(l->type, "account") == 0 && !(flags & ORGRBAC_DOCTOR_PAM_ROOT_LISTED) &&
		 orgrbac_exempt(NULL, a.ignore_users, "root", NULL) != ORGRBAC_EXEMPT_ARGUMENT)
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_WARNING, "pam", l->file, l->line,
		    "add ignore_users=root to the line (unless root is meant to be "
		    "judged)",
		    "root is judged here: neither the line's ignore_users= nor [pam] "
		    "ignore_users lists it, so root is refused unless the directory "
		    "allows it, and while no server answers");
	free(copy);
}

/* One line that loads pam_orgrbac. */
static void judge_line(const struct orgrbac_doctor_io *io, const char *const *dirs, struct stack *s,
		       size_t i, unsigned flags, struct orgrbac_pam_facts *facts,
		       struct orgrbac_findings *out)
{
	const struct pline *l = &s->l[i];

	facts->loads = true;
	if (facts->module[0] == '\0')
		module_found(io, dirs, l->module, facts->module, sizeof(facts->module));
	judge_args(l, flags, out, &s->oom);
	check_module(io, dirs, l, ORGRBAC_SEV_ERROR,
		     l->quiet ? "the leading '-' makes libpam skip the line: the gate is void"
			      : "libpam refuses every login through this stack",
		     out);
	if (l->quiet)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "pam", l->file, l->line,
				    "remove the '-' before the type",
				    "-%s: libpam skips this line without a word when the module "
				    "does not load",
				    l->type);
	if (has_arg(l, "mfa_exempt")) {
		facts->mfa_exempt = facts->mfa_exempt || strcasecmp(l->type, "auth") == 0;
		judge_mfa(io, dirs, s, i, out);
	} else if (strcasecmp(l->type, "account") == 0) {
		facts->account = true;
		judge_account_control(l, out);
		judge_account_order(s, i, out);
	} else {
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "pam", l->file, l->line,
				    "use it on an account line (or auth with mfa_exempt)",
				    "pam_orgrbac on a %s line without mfa_exempt does nothing",
				    l->type);
	}
}

void orgrbac_doctor_pam(const struct orgrbac_doctor_io *io, const char *dir, const char *service,
			const char *const *module_dirs, unsigned flags,
			struct orgrbac_pam_facts *facts, struct orgrbac_findings *out)
{
	bool required = flags & ORGRBAC_DOCTOR_PAM_NAMED;
	struct stack s = {.out = out};
	char path[4096];

	memset(facts, 0, sizeof(*facts));
	facts->service = service;
	snprintf(path, sizeof(path), "%s/%s", dir, service);
	if (!read_stack(io, dir, service, NULL, 0, &s)) {
		if (required)
			orgrbac_finding_add(
			    out, ORGRBAC_SEV_WARNING, "pam", path, 0,
			    "install the sample from /usr/share/orgrbac/pam.d, or drop "
			    "the [service] section",
			    "the configuration has a [service %s] section, but %s "
			    "cannot be read",
			    service, path);
		stack_free(&s);
		return;
	}
	for (size_t i = 0; i < s.n; i++)
		if (is_orgrbac(&s.l[i]))
			judge_line(io, module_dirs, &s, i, flags, facts, out);
	if (required && !facts->account)
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_ERROR, "pam", path, 0,
		    "add `account required pam_orgrbac.so` before "
		    "`@include common-account`",
		    "no account line loads pam_orgrbac: the requirement of [service "
		    "%s] is never asked, everyone passes",
		    service);
	if (s.oom)
		out->oom = true;
	stack_free(&s);
}
