/* SPDX-License-Identifier: BSD-2-Clause */
/* The directory model: what LDAP says about one principal, as policy facts. */
#ifndef ORGRBAC_DIRECTORY_H
#define ORGRBAC_DIRECTORY_H

#include "config.h"
#include "hostview.h"
#include "ldapc.h"
#include "policy.h"

/* ORGRBAC_MAX_GROUPS, ORGRBAC_MAX_GROUP_DEPTH: hostview.h, which the view shares */
#define ORGRBAC_MAX_GRANTS   4096 /* grants naming one principal */
#define ORGRBAC_MAX_EXTERNAL 1024 /* external-access entries in one organization */

enum orgrbac_dir_status {
	ORGRBAC_DIR_FOUND = 0,
	ORGRBAC_DIR_NOUSER = 1,	  /* no such principal (or a malformed name) */
	ORGRBAC_DIR_REFUSED = 2,  /* an entry that may not log in: err says why */
	ORGRBAC_DIR_ERROR = -1,	  /* bad data or an answer we cannot trust: deny */
	ORGRBAC_DIR_UNAVAIL = -2, /* no server answered */
};

/*
 * What an LDAP status means to the directory model, wherever the two layers
 * meet: a search base that must exist but is missing or hidden (NOOBJECT)
 * is a server that cannot answer, never an empty directory.
 */
enum orgrbac_dir_status orgrbac_dir_status_from_ldap(enum orgrbac_ldap_status st);

/*
 * Read the principal `user` and everything the policy needs: its entry
 * (uid equal byte for byte; of several, the host organization's), home
 * organization, transitive groups within that organization (from member
 * values, level by level, never from memberOf; as sync resolves them), the
 * grants of its home organization and the platform grants naming it or its
 * groups, their roles, and every external-access entry above it. The round
 * trips grow with the nesting depth and the user's groups, never with the
 * organization. A server's size, time or administrative limit is UNAVAIL.
 * On FOUND *out holds facts to free with orgrbac_facts_free; on NOUSER and
 * REFUSED err says why: REFUSED for an entry that matches only
 * case-insensitively, lies outside every organization, or a name that
 * several entries hold.
 */
enum orgrbac_dir_status orgrbac_directory_load(struct orgrbac_ldap *l,
					       const struct orgrbac_config *cfg, const char *user,
					       struct orgrbac_facts **out, orgrbac_error *err);

/*
 * Read every user, group, role, grant and external-access entry under the
 * base, in pages, for the host snapshot (orgrbac_view_compute). FOUND, or
 * ERROR / UNAVAIL with err and *img empty. Grants come without who made and
 * changed them (their creator, created, modifier, modified are NULL).
 */
enum orgrbac_dir_status orgrbac_directory_image(struct orgrbac_ldap *l,
						const struct orgrbac_config *cfg,
						struct orgrbac_image *img, orgrbac_error *err);

/* What orgrbac_directory_image_with reads beyond the decision's attributes. */
enum {
	ORGRBAC_IMAGE_STAMPS = 1, /* each grant's creatorsName, createTimestamp, modifiersName and
				     modifyTimestamp (the access review) */
};
enum orgrbac_dir_status orgrbac_directory_image_with(struct orgrbac_ldap *l,
						     const struct orgrbac_config *cfg,
						     unsigned flags, struct orgrbac_image *img,
						     orgrbac_error *err);

/* The attributes the image's search for entries of `object_class` asks for under `flags`
 * (a static array), or NULL for a class the image does not read. */
char **orgrbac_image_search_attrs(const char *object_class, unsigned flags);

/*
 * The same image, one entry at a time, for a follower that keeps the
 * directory as it changes (RFC 4533): the filter matching every kind of
 * entry the image holds, the attributes they are read from (objectClass
 * first; a static array), and one entry read into `img` by each reader
 * its object classes call for, exactly as orgrbac_directory_image reads
 * it. 0, or -1 on ENOMEM.
 */
const char *orgrbac_image_filter(void);
char **orgrbac_image_attrs(void);
int orgrbac_image_add_entry(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e);

/*
 * Append every element of `piece` to `dst`, sharing their values (a shallow
 * copy: free `dst` with orgrbac_image_release, which frees its arrays and
 * base, never the values). 0, or -1 on ENOMEM. Whoever adds an array to the
 * image adds it here too.
 */
int orgrbac_image_append(struct orgrbac_image *dst, const struct orgrbac_image *piece);
void orgrbac_image_release(struct orgrbac_image *img);

/*
 * Each of the image's arrays cut to the elements it holds (a group's
 * members are read at their size already): a piece kept for long (the follower's store holds one an
 * entry) costs what it holds, not the room its arrays grew by. Never fails: an array that cannot
 * shrink stays as it was.
 */
void orgrbac_image_trim(struct orgrbac_image *img);

/*
 * Each of the image's arrays in DN order (byte for byte): the order of the
 * follower's image (its store's entries by DN), so that a sync and a
 * follower of the same directory write the same snapshot, whatever order
 * the server answered in.
 */
void orgrbac_image_sort_dn(struct orgrbac_image *img);

#endif
