/* SPDX-License-Identifier: BSD-2-Clause */
/* One sync: lock, the host's groups, the whole directory, the host's view, a new snapshot. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "directory.h"
#include "evaluate.h"
#include "hostview.h"
#include "leftout.h"
#include "replica.h"
#include "ldapc.h"
#include "snapshot.h"
#include "snapshot_format.h"
#include "snapshot_write.h"
#include "sync.h"

#define GROUP_FILE_MAX (64 * 1024 * 1024)

static void note(const struct orgrbac_sync_params *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A warning for the caller, however long the paths in it. */
static void note(const struct orgrbac_sync_params *p, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int n;

	if (p->warn == NULL)
		return;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	p->warn(p->warn_ctx, msg);
	free(msg);
}

/*
 * The lock: a file beside the snapshot, held with flock until the sync ends
 * (its descriptor is closed). The first sync on a host makes the snapshot's
 * directory (systemd's StateDirectory does too). The descriptor, or -1.
 */
static int sync_lock(const char *snapshot, const struct orgrbac_sync_params *p, orgrbac_error *err)
{
	char *path = NULL, *dir = strdup(snapshot), *slash = dir != NULL ? strrchr(dir, '/') : NULL;
	int fd = -1;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			note(p, "%s: cannot create: %s", dir, strerror(errno));
	}
	free(dir);
	if (asprintf(&path, "%s.lock", snapshot) < 0) {
		orgrbac_seterr(err, "out of memory");
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0)
		orgrbac_seterr(err, "%s: cannot open: %s", path, strerror(errno));
	free(path);
	while (fd >= 0 && flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			orgrbac_seterr(err, "cannot lock %s.lock: %s", snapshot, strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

/* A local file of "name:x:id:..." lines (/etc/group, /etc/passwd): names and ids. */
static int read_local_ids(const char *path, struct orgrbac_local_group **local, size_t *n,
			  orgrbac_error *err)
{
	char *text = NULL;
	size_t len;
	int rc = -1;

	if (orgrbac_read_file(path, 0, GROUP_FILE_MAX, &text, &len, err) != 0)
		return -1;
	if (orgrbac_local_groups_parse(text, local, n) != 0)
		orgrbac_seterr(err, "out of memory");
	else
		rc = 0;
	free(text);
	return rc;
}

/* The groups that already exist on the host; 0, or -1 with err. */
static int read_local_groups(const struct orgrbac_sync_params *p,
			     struct orgrbac_local_group **local, size_t *n, orgrbac_error *err)
{
	return read_local_ids(p->group_file != NULL ? p->group_file : ORGRBAC_GROUP_FILE, local, n,
			      err);
}

/* The host's own users (/etc/passwd): names and uids, in orgrbac_local_group's shape. */
static int read_local_users(const struct orgrbac_sync_params *p, struct orgrbac_local_group **local,
			    size_t *n, orgrbac_error *err)
{
	return read_local_ids(p->passwd_file != NULL ? p->passwd_file : ORGRBAC_PASSWD_FILE, local,
			      n, err);
}

/* The login shells of /etc/shells (absolute paths, comments and blank lines skipped). */
static char **read_shells(const struct orgrbac_sync_params *p, size_t *n, orgrbac_error *err)
{
	const char *path = p->shells_file != NULL ? p->shells_file : ORGRBAC_SHELLS_FILE;
	char *text = NULL, *line, *save = NULL, **v;
	size_t len;

	*n = 0;
	if (orgrbac_read_file(path, 0, GROUP_FILE_MAX, &text, &len, err) != 0)
		return NULL;
	v = calloc(len / 2 + 2, sizeof(*v));
	for (line = strtok_r(text, "\n", &save); v != NULL && line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t");
		line[strcspn(line, " \t#")] = '\0';
		if (line[0] != '/')
			continue;
		if ((v[*n] = strdup(line)) == NULL) {
			orgrbac_strv_free(v);
			v = NULL;
		} else {
			++*n;
		}
	}
	if (v == NULL)
		orgrbac_seterr(err, "out of memory");
	free(text);
	return v;
}

/*
 * What decides which principals the passwd database serves: /etc/passwd and
 * /etc/shells read into pp (free with passwd_params_free). Without
 * /etc/passwd none is served (a clash with a local user cannot be ruled
 * out); without /etc/shells only those with an empty loginShell.
 */
static void passwd_params_read(const struct orgrbac_config *cfg,
			       const struct orgrbac_sync_params *p,
			       const struct orgrbac_view_params *vp,
			       struct orgrbac_passwd_params *pp)
{
	struct orgrbac_local_group *users = NULL;
	char **shells;
	orgrbac_error err;

	*pp = (struct orgrbac_passwd_params){
	    .view = vp, .users = cfg->users, .uid_min = cfg->uid_min};
	if (read_local_users(p, &users, &pp->n_local, &err) != 0) {
		note(p, "no passwd entries: %s", err.msg);
		pp->uid_min = LONG_MAX; /* serves nobody: no uidNumber reaches it */
	}
	pp->local = users;
	shells = read_shells(p, &pp->n_shells, &err);
	if (shells == NULL)
		note(p, "only users without a loginShell get passwd entries: %s", err.msg);
	pp->shells = shells;
}

static void passwd_params_free(struct orgrbac_passwd_params *pp)
{
	orgrbac_strv_free((char **)pp->shells);
	orgrbac_local_groups_free((struct orgrbac_local_group *)pp->local, pp->n_local);
}

/* The whole directory, from the first server that answers; false with r's status and err. */
static bool read_directory(const struct orgrbac_config *cfg, const struct orgrbac_sync_params *p,
			   struct orgrbac_image *img, struct orgrbac_sync_result *r)
{
	struct orgrbac_ldap *l = NULL;
	enum orgrbac_dir_status st;

	st = orgrbac_dir_status_from_ldap(orgrbac_ldap_open(cfg, p->trust_any_owner, &l, &r->err));
	if (st == ORGRBAC_DIR_FOUND) {
		/* The URI is one of the configuration's: point at that, for as long as cfg lives.
		 */
		for (size_t i = 0; i < cfg->n_uris; i++)
			if (strcmp(cfg->uris[i], orgrbac_ldap_uri(l)) == 0)
				r->server = cfg->uris[i];
		st = orgrbac_directory_image(l, cfg, img, &r->err);
		orgrbac_ldap_close(l);
		/* the follower's order: the same directory, the same snapshot */
		if (st == ORGRBAC_DIR_FOUND)
			orgrbac_image_sort_dn(img);
	}
	if (st != ORGRBAC_DIR_FOUND) {
		r->status =
		    st == ORGRBAC_DIR_UNAVAIL ? ORGRBAC_SYNC_UNAVAIL : ORGRBAC_SYNC_DIRECTORY;
		return false;
	}
	return true;
}

/*
 * The generation of a snapshot of another format version (an older orgrbac's):
 * its header's first words, which every version shares (snapshot_format.h).
 * 0 when the file is none, or of this version.
 */
static uint64_t other_version(const struct orgrbac_sync_params *p, const char *path)
{
	struct orgrbac_snap_header h;
	orgrbac_error err;
	struct stat st;
	int fd = orgrbac_open_checked(path, p->trust_any_owner ? 0 : ORGRBAC_FILE_ROOT, &st, &err);
	ssize_t n =
	    fd < 0 ? -1
		   : orgrbac_read_full(fd, &h, offsetof(struct orgrbac_snap_header, synced_at));

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)offsetof(struct orgrbac_snap_header, synced_at) ||
	    memcmp(h.magic, SNAP_MAGIC, 8) != 0 || h.version == SNAP_VERSION)
		return 0;
	note(p,
	     "%s is a snapshot of format version %u, which this orgrbac does not read: "
	     "replaced now by version %u",
	     path, h.version, SNAP_VERSION);
	return h.generation;
}

/* One more than the old snapshot's generation, never wrapped back to 0; 1 without one. */
static uint64_t next_generation(const struct orgrbac_sync_params *p, const char *path)
{
	struct orgrbac_snapshot *prev = NULL;
	uint64_t generation = 0;
	orgrbac_error err;

	if (orgrbac_snapshot_open(path, p->trust_any_owner ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0,
				  &prev, &err) == 0) {
		generation = orgrbac_snapshot_generation(prev);
		orgrbac_snapshot_close(prev);
	} else {
		generation = other_version(p, path);
	}
	return generation < UINT64_MAX ? generation + 1 : generation;
}

/* The view's left_out callback: one more entry in the record. */
static void keep_left_out(void *ctx, const char *kind, const char *name, const char *why)
{
	struct orgrbac_left_out *lo = ctx;

	/* out of memory: the entry is still counted, and was warned about */
	(void)orgrbac_left_out_add(lo, kind, name, why);
}

/* The record of what the view left out, beside the snapshot; 0 or -1 with err. */
static int write_left_out(const struct orgrbac_config *cfg, const struct orgrbac_left_out *lo,
			  orgrbac_error *err)
{
	char *path = orgrbac_left_out_path(cfg->snapshot);
	int rc;

	if (path == NULL) {
		orgrbac_seterr(err, "out of memory");
		return -1;
	}
	rc = orgrbac_left_out_write(path, lo, err);
	free(path);
	return rc;
}

/* The host's view of `img`, written as the new snapshot. */
static enum orgrbac_sync_status write_view(const struct orgrbac_config *cfg,
					   const struct orgrbac_sync_params *p,
					   const struct orgrbac_image *img,
					   const struct orgrbac_local_group *local, size_t n_local,
					   struct orgrbac_sync_result *r)
{
	struct orgrbac_view view = {0};
	struct orgrbac_left_out lo = {0};
	struct orgrbac_passwd_params pp;
	struct orgrbac_snap_records *rec = orgrbac_snap_records_new();
	struct orgrbac_view_params params = {
	    .host = orgrbac_config_host(cfg),
	    .cross_org_privilege = cfg->cross_org_privilege,
	    .group_prefix = cfg->group_prefix,
	    .gid_min = cfg->gid_min,
	    .local = local,
	    .n_local = n_local,
	    .warn = p->warn,
	    .warn_ctx = p->warn_ctx,
	    .left_out = keep_left_out,
	    .left_out_ctx = &lo,
	};
	enum orgrbac_sync_status st = ORGRBAC_SYNC_VIEW;
	int64_t now = (int64_t)time(NULL);

	passwd_params_read(cfg, p, &params, &pp);
	if (rec == NULL) {
		orgrbac_seterr(&r->err, "out of memory");
		goto out;
	}
	if (orgrbac_view_compute(img, &params, &view, &r->err) != 0 ||
	    orgrbac_replica_fill(img, &params.host, &pp, rec, &view, &r->err) != 0)
		goto out;
	r->generation = next_generation(p, cfg->snapshot);
	st = ORGRBAC_SYNC_WRITE;
	lo.generation = r->generation;
	lo.synced_at = now;
	if (write_left_out(cfg, &lo, &r->err) != 0 ||
	    orgrbac_snapshot_write_sealed(cfg->snapshot, &view, rec, r->generation, now,
					  cfg->max_age, &r->err) != 0)
		goto out;
	r->left_out = lo.count;
	r->users = view.n_users;
	r->groups = view.n_roles;
	r->memberships = view.n_members;
	st = ORGRBAC_SYNC_WRITTEN;
out:
	orgrbac_view_free(&view);
	orgrbac_snap_records_free(rec);
	passwd_params_free(&pp);
	orgrbac_left_out_free(&lo);
	return st;
}

/* The start of either: the result cleared, the path checked, the lock taken; its fd or -1. */
static int begin(const struct orgrbac_config *cfg, const struct orgrbac_sync_params *p,
		 struct orgrbac_sync_result *r)
{
	memset(r, 0, sizeof(*r));
	if (strcmp(cfg->snapshot, ORGRBAC_SNAPSHOT_PATH) != 0)
		note(p, "writing %s; the NSS module reads only %s", cfg->snapshot,
		     ORGRBAC_SNAPSHOT_PATH);
	r->status = ORGRBAC_SYNC_LOCK;
	return sync_lock(cfg->snapshot, p, &r->err);
}

/* Under the lock, with the host's groups read: the view of `img`, published. */
static void publish_locked(const struct orgrbac_config *cfg, const struct orgrbac_sync_params *p,
			   const struct orgrbac_image *img, const struct orgrbac_local_group *local,
			   size_t n_local, struct orgrbac_sync_result *r)
{
	r->read_users = img->n_users;
	r->read_groups = img->n_groups;
	r->read_roles = img->n_roles;
	r->read_grants = img->n_grants;
	r->status = write_view(cfg, p, img, local, n_local, r);
}

void orgrbac_sync(const struct orgrbac_config *cfg, const struct orgrbac_sync_params *p,
		  struct orgrbac_sync_result *r)
{
	struct orgrbac_image img = {0};
	struct orgrbac_local_group *local = NULL;
	size_t n_local = 0;
	int lock = begin(cfg, p, r);

	if (lock < 0)
		return;
	r->status = ORGRBAC_SYNC_LOCAL_GROUPS;
	if (read_local_groups(p, &local, &n_local, &r->err) != 0)
		goto out;
	if (!read_directory(cfg, p, &img, r))
		goto out;
	publish_locked(cfg, p, &img, local, n_local, r);
out:
	close(lock);
	orgrbac_image_free(&img);
	orgrbac_local_groups_free(local, n_local);
}

void orgrbac_publish(const struct orgrbac_config *cfg, const struct orgrbac_sync_params *p,
		     const struct orgrbac_image *img, struct orgrbac_sync_result *r)
{
	struct orgrbac_local_group *local = NULL;
	size_t n_local = 0;
	int lock = begin(cfg, p, r);

	if (lock < 0)
		return;
	r->status = ORGRBAC_SYNC_LOCAL_GROUPS;
	if (read_local_groups(p, &local, &n_local, &r->err) == 0)
		publish_locked(cfg, p, img, local, n_local, r);
	close(lock);
	orgrbac_local_groups_free(local, n_local);
}
