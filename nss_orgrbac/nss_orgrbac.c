/* SPDX-License-Identifier: BSD-2-Clause */
/* libnss_orgrbac: the group and passwd databases from the host snapshot; no network, no output. */
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "snapshot.h"
#include "snapshot_passwd.h"

/* Declares every entry point with glibc's own prototypes, so a wrong one fails to build. */
NSS_DECLARE_MODULE_FUNCTIONS(orgrbac)

/*
 * The path is fixed at build time: the module is loaded into setuid programs,
 * so no environment variable or file the caller controls may choose it.
 */
static const char snapshot_path[] = ORGRBAC_SNAPSHOT_PATH;

/*
 * The snapshot must be root's alone, in a directory only root may write. The
 * one exception is the test build (tests/nss/local.mk), never installed, whose
 * path is in the build tree, so that `make check` as any user reaches it.
 */
#ifndef ORGRBAC_NSS_SNAPSHOT_FLAGS
#define ORGRBAC_NSS_SNAPSHOT_FLAGS 0
#endif
static const int snapshot_flags = ORGRBAC_NSS_SNAPSHOT_FLAGS;

/*
 * One mapping is shared by all threads and replaced when the file changes.
 * A lookup holds a reference, so a replacement never unmaps what another
 * thread is reading: readers see the old snapshot or the new, never a mix.
 */
struct ref {
	struct orgrbac_snapshot *snap;
	unsigned long users;
	bool current;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct ref *current;
/*
 * setgrent/getgrent_r/endgrent, and setpwent/getpwent_r/endpwent: glibc
 * serializes each set; the lock guards them anyway. An enumeration keeps its
 * mapping between calls, and with it a descriptor of the mapped file (not of
 * the path, which a sync may point at a new file meanwhile), so that each
 * call can check with one fstat that nobody changed that file in place:
 * reading a mapping past the end of a file truncated under it raises SIGBUS,
 * which would kill the host process. `failed`: the file changed under the
 * enumeration, which ends with an error until the next set or end call.
 */
struct enumeration {
	struct ref *ref;
	size_t next;
	int fd;
	struct stat st; /* of fd when the enumeration began, or last checked */
	bool failed;
};
static struct enumeration gr_enum = {.fd = -1}, pw_enum = {.fd = -1};
/* The last file refused, so that a bad snapshot is not validated again at every call. */
static struct stat refused;
static bool have_refused;

/* A fork while another thread holds the lock must not leave the child locked. */
static void fork_prepare(void)
{
	pthread_mutex_lock(&lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&lock);
}

static void fork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}

/*
 * Close the enumeration's descriptor only if it still names the file we
 * opened: a host that closed it behind our back may have reused the number.
 */
static void enum_close_fd_locked(struct enumeration *e)
{
	struct stat st;

	if (e->fd >= 0 && fstat(e->fd, &st) == 0 && st.st_dev == e->st.st_dev &&
	    st.st_ino == e->st.st_ino)
		close(e->fd);
	e->fd = -1;
}

static void init_once(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

static void put_locked(struct ref *r)
{
	if (r == NULL)
		return;
	if (--r->users == 0 && !r->current) {
		orgrbac_snapshot_close(r->snap);
		free(r);
	}
}

static void retire_locked(void)
{
	if (current == NULL)
		return;
	current->current = false;
	if (current->users == 0) {
		orgrbac_snapshot_close(current->snap);
		free(current);
	}
	current = NULL;
}

/* The snapshot in force and fresh at `now`, with a reference; NULL: answer UNAVAIL. */
static struct ref *get_locked(int64_t now)
{
	struct orgrbac_snapshot *snap;
	orgrbac_error err;
	struct stat st;
	struct ref *r;

	/* lstat, as the open refuses a symbolic link: a change of file is noticed here. */
	if (lstat(snapshot_path, &st) != 0) {
		retire_locked();
		return NULL;
	}
	if (current == NULL || !orgrbac_snapshot_is_file(current->snap, &st)) {
		retire_locked();
		if (have_refused && orgrbac_snapshot_same_file(&refused, &st))
			return NULL;
		if (orgrbac_snapshot_open(snapshot_path, snapshot_flags, &snap, &err) != 0) {
			refused = st;
			have_refused = true;
			return NULL;
		}
		have_refused = false;
		r = calloc(1, sizeof(*r));
		if (r == NULL) {
			orgrbac_snapshot_close(snap);
			return NULL;
		}
		r->snap = snap;
		r->current = true;
		current = r;
	}
	if (!orgrbac_snapshot_fresh(current->snap, now))
		return NULL;
	current->users++;
	return current;
}

static void enum_end_locked(struct enumeration *e)
{
	put_locked(e->ref);
	e->ref = NULL;
	enum_close_fd_locked(e);
	e->next = 0;
}

/*
 * dlclose, and glibc's __libc_freeres under valgrind or mtrace, unload the
 * module: release the mapping it caches, or it outlives every pointer to it.
 */
__attribute__((destructor)) static void release(void)
{
	pthread_mutex_lock(&lock);
	enum_end_locked(&gr_enum);
	enum_end_locked(&pw_enum);
	retire_locked();
	pthread_mutex_unlock(&lock);
}

static struct ref *get(int64_t now)
{
	struct ref *r;

	pthread_once(&once, init_once);
	pthread_mutex_lock(&lock);
	r = get_locked(now);
	pthread_mutex_unlock(&lock);
	return r;
}

static void put(struct ref *r)
{
	pthread_mutex_lock(&lock);
	put_locked(r);
	pthread_mutex_unlock(&lock);
}

static int64_t now(void)
{
	return (int64_t)time(NULL);
}

static enum nss_status unavail(int *errnop)
{
	*errnop = ENOENT;
	return NSS_STATUS_UNAVAIL;
}

static enum nss_status group_status(enum orgrbac_snap_status st, int *errnop)
{
	switch (st) {
	case ORGRBAC_SNAP_OK: return NSS_STATUS_SUCCESS;
	case ORGRBAC_SNAP_ERANGE: *errnop = ERANGE; return NSS_STATUS_TRYAGAIN;
	case ORGRBAC_SNAP_NOMEM: *errnop = ENOMEM; return NSS_STATUS_TRYAGAIN;
	case ORGRBAC_SNAP_NOTFOUND: *errnop = ENOENT; return NSS_STATUS_NOTFOUND;
	case ORGRBAC_SNAP_CORRUPT: break;
	}
	return unavail(errnop);
}

/* Look one group up by name (name != NULL) or gid. */
static enum nss_status lookup(const char *name, gid_t gid, struct group *gr, char *buf,
			      size_t buflen, int *errnop)
{
	int64_t t = now();
	struct ref *r;
	enum nss_status st;

	if (buf == NULL || buflen == 0) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	if (name != NULL && (name[0] == '\0' ||
			     strnlen(name, ORGRBAC_GROUP_NAME_MAX + 1) > ORGRBAC_GROUP_NAME_MAX)) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	r = get(t);
	if (r == NULL)
		return unavail(errnop);
	st = group_status(
	    name != NULL
		? orgrbac_snapshot_group_by_name(r->snap, name, t, gr, buf, buflen)
		: orgrbac_snapshot_group_by_gid(r->snap, (uint32_t)gid, t, gr, buf, buflen),
	    errnop);
	put(r);
	return st;
}

enum nss_status _nss_orgrbac_getgrnam_r(const char *name, struct group *result, char *buffer,
					size_t buflen, int *errnop)
{
	if (name == NULL) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	return lookup(name, 0, result, buffer, buflen, errnop);
}

enum nss_status _nss_orgrbac_getgrgid_r(gid_t gid, struct group *result, char *buffer,
					size_t buflen, int *errnop)
{
	return lookup(NULL, gid, result, buffer, buflen, errnop);
}

/*
 * Start an enumeration: the snapshot in force, and a descriptor of the same
 * file. A sync may rename a new file over the path between the two opens;
 * then the descriptor names another file, and a second try takes the new one.
 */
static bool enum_begin_locked(struct enumeration *e)
{
	orgrbac_error err;
	struct stat st;

	enum_end_locked(e);
	e->failed = false;
	for (int attempt = 0; attempt < 2; attempt++) {
		e->ref = get_locked(now());
		if (e->ref == NULL)
			return false;
		/* no owner checks: the file must be the one mapped, which passed them */
		e->fd = orgrbac_open_checked(snapshot_path, 0, &st, &err);
		if (e->fd >= 0) {
			e->st = st;
			if (orgrbac_snapshot_is_file(e->ref->snap, &st))
				return true;
		}
		enum_end_locked(e);
	}
	return false;
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/*
 * Is the file under the enumeration's mapping still the one mapped (device,
 * inode, size, mtime, ctime)? A file truncated or rewritten in place ends
 * the enumeration before it is read. A sync renames a new file over the
 * path and leaves this one whole, so the enumeration goes on reading it;
 * losing that link changes its ctime, which is accepted once per link lost
 * (chmod, chown or a restored mtime change the ctime with no link lost).
 */
static bool enum_intact_locked(struct enumeration *e)
{
	struct stat st;

	if (e->fd < 0 || fstat(e->fd, &st) != 0 || st.st_dev != e->st.st_dev ||
	    st.st_ino != e->st.st_ino || st.st_size != e->st.st_size ||
	    !same_time(&st.st_mtim, &e->st.st_mtim))
		return false;
	if (!same_time(&st.st_ctim, &e->st.st_ctim)) {
		if (st.st_nlink >= e->st.st_nlink)
			return false;
		e->st = st;
	}
	return true;
}

/* The enumeration in progress, begun if none was (a get without set); false: answer UNAVAIL. */
static bool enum_ready_locked(struct enumeration *e)
{
	/* a get without set starts an enumeration; one that failed stays failed */
	if (e->ref == NULL && !e->failed)
		enum_begin_locked(e);
	if (e->ref != NULL && !enum_intact_locked(e)) {
		enum_end_locked(e);
		e->failed = true;
	}
	return e->ref != NULL;
}

static enum nss_status enum_set(struct enumeration *e)
{
	enum nss_status st = NSS_STATUS_SUCCESS;

	pthread_once(&once, init_once);
	pthread_mutex_lock(&lock);
	/* The whole enumeration reads one snapshot, even if a sync replaces it meanwhile. */
	if (!enum_begin_locked(e))
		st = NSS_STATUS_UNAVAIL;
	pthread_mutex_unlock(&lock);
	return st;
}

static enum nss_status enum_end(struct enumeration *e)
{
	pthread_once(&once, init_once);
	pthread_mutex_lock(&lock);
	enum_end_locked(e);
	e->failed = false;
	pthread_mutex_unlock(&lock);
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_orgrbac_setgrent(int stayopen)
{
	(void)stayopen;
	return enum_set(&gr_enum);
}

enum nss_status _nss_orgrbac_getgrent_r(struct group *result, char *buffer, size_t buflen,
					int *errnop)
{
	enum nss_status st;

	if (buffer == NULL || buflen == 0) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	pthread_once(&once, init_once);
	pthread_mutex_lock(&lock);
	if (!enum_ready_locked(&gr_enum)) {
		st = unavail(errnop);
	} else if (gr_enum.next >= orgrbac_snapshot_count_roles(gr_enum.ref->snap)) {
		*errnop = ENOENT;
		st = NSS_STATUS_NOTFOUND;
	} else {
		st = group_status(orgrbac_snapshot_group(gr_enum.ref->snap, gr_enum.next, now(),
							 result, buffer, buflen),
				  errnop);
		/* After ERANGE the caller retries with a larger buffer: the same entry again. */
		if (st == NSS_STATUS_SUCCESS)
			gr_enum.next++;
	}
	pthread_mutex_unlock(&lock);
	return st;
}

enum nss_status _nss_orgrbac_endgrent(void)
{
	return enum_end(&gr_enum);
}

enum nss_status _nss_orgrbac_initgroups_dyn(const char *user, gid_t group, long int *start,
					    long int *size, gid_t **groupsp, long int limit,
					    int *errnop)
{
	int64_t t = now();
	struct ref *r;
	enum nss_status st;

	if (user == NULL || user[0] == '\0' || start == NULL || size == NULL || groupsp == NULL ||
	    *start < 0 || *size < *start) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	r = get(t);
	if (r == NULL)
		return unavail(errnop);
	st = group_status(
	    orgrbac_snapshot_initgroups(r->snap, user, group, t, start, size, groupsp, limit),
	    errnop);
	put(r);
	return st;
}

static enum nss_status passwd_status(enum orgrbac_pw_status st, int *errnop)
{
	switch (st) {
	case ORGRBAC_PW_OK: return NSS_STATUS_SUCCESS;
	case ORGRBAC_PW_ERANGE: *errnop = ERANGE; return NSS_STATUS_TRYAGAIN;
	case ORGRBAC_PW_NOTFOUND: *errnop = ENOENT; return NSS_STATUS_NOTFOUND;
	case ORGRBAC_PW_CORRUPT: break;
	}
	return unavail(errnop);
}

/* Look one user up by name (name != NULL) or uid. */
static enum nss_status pw_lookup(const char *name, uid_t uid, struct passwd *pw, char *buf,
				 size_t buflen, int *errnop)
{
	int64_t t = now();
	struct ref *r;
	enum orgrbac_pw_status st;

	if (buf == NULL || buflen == 0) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	if (name != NULL &&
	    (name[0] == '\0' || strnlen(name, ORGRBAC_USER_MAX + 1) > ORGRBAC_USER_MAX)) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	r = get(t);
	if (r == NULL)
		return unavail(errnop);
	st = name != NULL ? orgrbac_snapshot_getpwnam(r->snap, name, t, pw, buf, buflen)
			  : orgrbac_snapshot_getpwuid(r->snap, (uint32_t)uid, t, pw, buf, buflen);
	put(r);
	return passwd_status(st, errnop);
}

enum nss_status _nss_orgrbac_getpwnam_r(const char *name, struct passwd *result, char *buffer,
					size_t buflen, int *errnop)
{
	if (name == NULL) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	return pw_lookup(name, 0, result, buffer, buflen, errnop);
}

enum nss_status _nss_orgrbac_getpwuid_r(uid_t uid, struct passwd *result, char *buffer,
					size_t buflen, int *errnop)
{
	return pw_lookup(NULL, uid, result, buffer, buflen, errnop);
}

enum nss_status _nss_orgrbac_setpwent(int stayopen)
{
	(void)stayopen;
	return enum_set(&pw_enum);
}

/*
 * The next user served now, in uid order: entries out of their window are
 * passed over; after ERANGE the caller retries with a larger buffer and gets
 * the same entry again.
 */
enum nss_status _nss_orgrbac_getpwent_r(struct passwd *result, char *buffer, size_t buflen,
					int *errnop)
{
	enum orgrbac_pw_status pst = ORGRBAC_PW_NOTFOUND;
	enum nss_status st;
	int64_t t = now();

	if (buffer == NULL || buflen == 0) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	pthread_once(&once, init_once);
	pthread_mutex_lock(&lock);
	if (!enum_ready_locked(&pw_enum)) {
		st = unavail(errnop);
	} else {
		size_t n = orgrbac_snapshot_count_passwd(pw_enum.ref->snap);

		for (; pw_enum.next < n; pw_enum.next++) {
			pst = orgrbac_snapshot_passwd_at(pw_enum.ref->snap, pw_enum.next, t, result,
							 buffer, buflen);
			if (pst != ORGRBAC_PW_NOTFOUND)
				break;
		}
		st = passwd_status(pst, errnop);
		if (st == NSS_STATUS_SUCCESS)
			pw_enum.next++;
	}
	pthread_mutex_unlock(&lock);
	return st;
}

enum nss_status _nss_orgrbac_endpwent(void)
{
	return enum_end(&pw_enum);
}
