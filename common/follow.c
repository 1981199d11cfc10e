/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac follow: connect, refresh in full, follow the changes, publish, reconnect. */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "directory.h"
#include "entry.h"
#include "follow_int.h"
#include "sync.h"

volatile sig_atomic_t stop_asked;
volatile sig_atomic_t conn_fd = -1;

void orgrbac_follow_stop(void)
{
	int fd = conn_fd;

	stop_asked = 1;
	/* wakes a read that libldap blocks in (the refresh runs inside ldap_sync_init) */
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void follow_log(struct follower *f, int prio, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->p->log(f->p->log_ctx, prio, msg);
}

/* The state file, rewritten; a failure is logged, never fatal. */
void set_state(struct follower *f, const char *state, const char *error)
{
	orgrbac_error err;

	if (strcmp(f->st.state, state) != 0) {
		snprintf(f->st.state, sizeof(f->st.state), "%s", state);
		f->st.since = (int64_t)time(NULL);
	}
	if (error != NULL)
		snprintf(f->st.error, sizeof(f->st.error), "%s", error);
	if (f->state_path != NULL && orgrbac_follow_state_write(f->state_path, &f->st, &err) != 0)
		follow_log(f, LOG_WARNING, "%s", err.msg);
}

/* FNV-1a of a message, to log each warning once, not at every publication. */
static uint64_t msg_hash(const char *m)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *m != '\0'; m++) {
		h ^= (unsigned char)*m;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The warnings of a publication (entries left out, the path), to the log, each once. */
static void warn_log(void *ctx, const char *msg)
{
	struct follower *f = ctx;
	uint64_t h = msg_hash(msg);

	for (size_t i = 0; i < f->n_warned; i++)
		if (f->warned[i] == h)
			return;
	if (f->n_warned < sizeof(f->warned) / sizeof(f->warned[0]))
		f->warned[f->n_warned++] = h;
	follow_log(f, LOG_WARNING, "%s", msg);
}

/* The store's image as the host's snapshot; true when published. */
bool publish(struct follower *f)
{
	struct orgrbac_sync_params sp = {.trust_any_owner = f->p->trust_any_owner,
					 .group_file = f->p->group_file,
					 .warn = warn_log,
					 .warn_ctx = f};
	struct orgrbac_sync_result r;
	struct orgrbac_image img;

	if (orgrbac_store_image(&f->store, f->cfg->base, &img) != ORGRBAC_STORE_OK) {
		orgrbac_seterr(&f->err, "out of memory");
		return false;
	}
	orgrbac_publish(f->cfg, &sp, &img, &r);
	orgrbac_image_release(&img);
	/* The view and its facts are gone: their pages back to the system until the next one. */
	malloc_trim(0);
	f->published_ms = now_ms();
	f->dirty = false;
	if (r.status != ORGRBAC_SYNC_WRITTEN) {
		f->err = r.err;
		follow_log(f, LOG_ERR, "publishing %s failed: %s", f->cfg->snapshot, r.err.msg);
		return false;
	}
	f->st.last_publish = (int64_t)time(NULL);
	f->st.generation = r.generation;
	return true;
}

/* A change applied: publish it soon, after the burst, never more often than the interval. */
static void changed(struct follower *f)
{
	int64_t now = now_ms();

	f->st.last_change = (int64_t)time(NULL);
	if (f->dirty)
		return;
	f->dirty = true;
	f->due_ms = now + COALESCE_MS;
	if (f->due_ms < f->published_ms + MIN_INTERVAL_MS)
		f->due_ms = f->published_ms + MIN_INTERVAL_MS;
}

/* ls_search_entry: an add or modify is an upsert, a delete removes; by entryUUID only. */
int on_entry(ldap_sync_t *ls, LDAPMessage *msg, struct berval *uuid, ldap_sync_refresh_t phase)
{
	struct follower *f = ls->ls_private;
	struct orgrbac_image piece = {0};
	enum orgrbac_store_status st = ORGRBAC_STORE_OK;
	LDAPMessage *e = ldap_first_entry(ls->ls_ld, msg);
	char *dn;

	if (f->refreshing)
		orgrbac_watchdog_arm(&f->dog, f->cfg->timeout * 4);
	if (uuid == NULL || uuid->bv_len != ORGRBAC_UUID_LEN) {
		f->failed = true;
		orgrbac_seterr(&f->err, "an entry without a usable entryUUID");
		return 0;
	}
	if (phase == LDAP_SYNC_CAPI_DELETE) {
		if (orgrbac_store_delete(&f->store, (unsigned char *)uuid->bv_val, uuid->bv_len))
			changed(f);
		return 0;
	}
	if ((phase != LDAP_SYNC_CAPI_ADD && phase != LDAP_SYNC_CAPI_MODIFY) || e == NULL)
		return 0; /* present: nothing changed (a full refresh starts from nothing) */
	dn = orgrbac_entry_dn_norm(ls->ls_ld, e);
	if (dn == NULL) {
		/* a DN that does not parse: out of the image, as sync leaves it out */
		if (orgrbac_store_delete(&f->store, (unsigned char *)uuid->bv_val, uuid->bv_len))
			changed(f);
		return 0;
	}
	if (orgrbac_image_add_entry(&piece, ls->ls_ld, e) != 0)
		st = ORGRBAC_STORE_NOMEM;
	else
		st = orgrbac_store_upsert(&f->store, (unsigned char *)uuid->bv_val, uuid->bv_len,
					  dn, &piece);
	free(dn);
	orgrbac_image_free(&piece);
	if (st != ORGRBAC_STORE_OK) {
		f->failed = true;
		orgrbac_seterr(&f->err, "%s",
			       st == ORGRBAC_STORE_TOOMANY
				   ? "more entries or values than the follower keeps"
				   : "out of memory");
	} else {
		changed(f);
	}
	return 0;
}

/* ls_intermediate: a syncIdSet of deletes removes each; the rest changes nothing here. */
int on_intermediate(ldap_sync_t *ls, LDAPMessage *msg, BerVarray uuids, ldap_sync_refresh_t phase)
{
	struct follower *f = ls->ls_private;

	(void)msg;
	if (phase != LDAP_SYNC_CAPI_DELETES_IDSET || uuids == NULL)
		return 0;
	for (size_t i = 0; uuids[i].bv_val != NULL; i++)
		if (orgrbac_store_delete(&f->store, (unsigned char *)uuids[i].bv_val,
					 uuids[i].bv_len))
			changed(f);
	return 0;
}

/* ls_search_result: the server ended the search (e-syncRefreshRequired among others). */
int on_result(ldap_sync_t *ls, LDAPMessage *msg, int refresh_deletes)
{
	struct follower *f = ls->ls_private;
	int code = LDAP_OTHER;

	(void)refresh_deletes;
	f->ended = true;
	if (ldap_parse_result(ls->ls_ld, msg, &code, NULL, NULL, NULL, NULL, 0) != LDAP_SUCCESS)
		code = LDAP_OTHER;
	f->result_code = code;
	return 0;
}

int on_reference(ldap_sync_t *ls, LDAPMessage *msg)
{
	struct follower *f = ls->ls_private;

	(void)msg;
	f->failed = true;
	orgrbac_seterr(&f->err, "the server sent a referral (never followed)");
	return 0;
}
