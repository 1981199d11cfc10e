/* SPDX-License-Identifier: BSD-2-Clause */
/* A misbehaving LDAP server for the fault tests, or a proxy spoiling one answer of a real one. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/*
 * usage: fake_ldap [-u PORT] [-n N] [-r URI] MODE PORTFILE [ADDRESS]
 *
 * Listens on ADDRESS (default 127.0.0.1), an ephemeral port, writes the port
 * to PORTFILE once it listens, and prints "accept" on stdout for every
 * connection. It serves one connection at a time and ends after LIFETIME
 * seconds so that a test that forgets it cannot leave it behind.
 *
 * MODE            what a client sees
 * silent          the connection is accepted; nothing is ever read or sent
 * starttls-silent StartTLS succeeds; the TLS handshake is never answered
 * starttls-reset  StartTLS succeeds; the ClientHello is answered by a reset
 * tls-reset       (ldaps://) the ClientHello is answered by a reset
 * reset-request   the first request is read, then the connection is reset
 * half-request    the first request gets half a response, then FIN
 * reset-search    the bind succeeds; a search gets half an entry, then a reset
 * half-search     the bind succeeds; a search gets half an entry, then FIN
 * trickle-search  the bind succeeds; a search gets an entry one byte at a time
 * huge-search     the bind succeeds; a search gets an entry announced as 4 GiB
 *
 * The proxy modes relay every request of a connection to the real server on
 * 127.0.0.1:PORT (-u) and its answers back, except the answer to the Nth
 * search of the connection (-n, default 1; a bind, StartTLS or unbind is
 * not a search), counting from 1 on each connection:
 *
 * proxy           nothing is changed (the control)
 * refs            the entries, then a SearchResultReference naming URI (-r),
 *                 then the server's own SearchResultDone (success)
 * referral        no entries; SearchResultDone with resultCode referral (10)
 *                 and URI as its referral
 * sizelimit       the entries, then SearchResultDone sizeLimitExceeded (4)
 * timelimit       the entries, then timeLimitExceeded (3)
 * adminlimit      the entries, then adminLimitExceeded (11)
 * critical        the entries, then unavailableCriticalExtension (12)
 * nosuchobject    the entries, then noSuchObject (32)
 * vanish          no entries; noSuchObject (32), as if the base did not exist
 * badpage         the entries, then success with a paged-results control
 *                 whose value does not parse
 *
 * refreshrequired the Nth search counted over all connections (a content
 *                 synchronisation's refresh): its first 3 entries, then
 *                 SearchResultDone e-syncRefreshRequired (4096), both
 *                 connections closed; the searches before it and every
 *                 connection after it are relayed as `relay` does
 * relay           bytes relayed both ways, untouched (TLS too), each
 *                 connection by its own process, as long as both ends last:
 *                 a test cuts the link beneath it (an interface set down)
 *
 * For each search it prints "search N BASE" and, for the one it changed,
 * "changed N MODE", so that a test can tell that the Nth search happened.
 *
 * Wire format (RFC 4511, BER): LDAPMessage ::= SEQUENCE (0x30) { messageID
 * INTEGER (0x02), protocolOp [APPLICATION n] }. Requests: BindRequest 0x60,
 * SearchRequest 0x63, UnbindRequest 0x42, ExtendedRequest 0x77. Responses
 * carry LDAPResult { resultCode ENUMERATED (0x0a), matchedDN OCTET STRING
 * (0x04), diagnosticMessage OCTET STRING (0x04) } in BindResponse 0x61 or
 * ExtendedResponse 0x78; SearchResultEntry is 0x64, SearchResultReference 0x73
 * (SEQUENCE OF LDAPURL), SearchResultDone 0x65 (an LDAPResult, whose
 * optional referral is [3] 0xa3, SEQUENCE OF LDAPURL).
 */

#define LIFETIME   300	 /* seconds */
#define MSG_MAX	   65536 /* bytes of one request we read */
#define IO_TIMEOUT 10	 /* seconds a client may take to send a request */
#define MAX_HELD   64	 /* silent connections kept open at once */

enum mode {
	SILENT,
	STARTTLS_SILENT,
	STARTTLS_RESET,
	TLS_RESET,
	RESET_REQUEST,
	HALF_REQUEST,
	RESET_SEARCH,
	HALF_SEARCH,
	TRICKLE_SEARCH,
	HUGE_SEARCH,
	PROXY, /* the proxy modes, from here on */
	REFS,
	REFERRAL,
	SIZELIMIT,
	TIMELIMIT,
	ADMINLIMIT,
	CRITICAL,
	NOSUCHOBJECT,
	VANISH,
	BADPAGE,
	REFRESH_REQUIRED,
	RELAY,
};

static const char *const mode_names[] = {
    "silent",	       "starttls-silent", "starttls-reset", "tls-reset",
    "reset-request",   "half-request",	  "reset-search",   "half-search",
    "trickle-search",  "huge-search",	  "proxy",	    "refs",
    "referral",	       "sizelimit",	  "timelimit",	    "adminlimit",
    "critical",	       "nosuchobject",	  "vanish",	    "badpage",
    "refreshrequired", "relay",
};

/* The resultCode each partial mode puts into the changed SearchResultDone. */
static int result_code(enum mode m)
{
	switch (m) {
	case REFERRAL: return 10;
	case SIZELIMIT: return 4;
	case TIMELIMIT: return 3;
	case ADMINLIMIT: return 11;
	case CRITICAL: return 12;
	case NOSUCHOBJECT:
	case VANISH: return 32;
	default: return 0;
	}
}

static int upstream_port;				 /* -u */
static int nth = 1;					 /* -n */
static const char *referral_uri = "ldap://127.0.0.1:1/"; /* -r */

struct request {
	unsigned char msgid[6]; /* the messageID TLV, copied into the response */
	size_t msgid_len;
	unsigned char op; /* protocolOp tag */
};

static int read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int write_full(int fd, const unsigned char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = send(fd, buf + done, n - done, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* Read one LDAPMessage and note its messageID and operation; -1 on EOF or garbage. */
static int read_request(int fd, struct request *req)
{
	static unsigned char body[MSG_MAX];
	unsigned char hdr[2], lenbytes[4];
	size_t len = 0, n;

	if (read_full(fd, hdr, 2) != 0 || hdr[0] != 0x30)
		return -1;
	if (hdr[1] < 0x80) {
		len = hdr[1];
	} else {
		n = hdr[1] & 0x7f;
		if (n == 0 || n > sizeof(lenbytes) || read_full(fd, lenbytes, n) != 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | lenbytes[i];
	}
	if (len < 4 || len > sizeof(body) || read_full(fd, body, len) != 0)
		return -1;
	if (body[0] != 0x02 || body[1] == 0 || body[1] > 4 || (size_t)body[1] + 3 > len)
		return -1;
	req->msgid_len = (size_t)body[1] + 2;
	memcpy(req->msgid, body, req->msgid_len);
	req->op = body[req->msgid_len];
	return 0;
}

/* A success LDAPResult in `op` (BindResponse or ExtendedResponse) for this request. */
static size_t success(const struct request *req, unsigned char op, unsigned char *out)
{
	static const unsigned char result[] = {0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
	size_t n = 0;

	out[n++] = 0x30;
	out[n++] = (unsigned char)(req->msgid_len + 1 + sizeof(result));
	memcpy(out + n, req->msgid, req->msgid_len);
	n += req->msgid_len;
	out[n++] = op;
	memcpy(out + n, result, sizeof(result));
	return n + sizeof(result);
}

/*
 * The first bytes of a SearchResultEntry that announces 200 bytes (or, when
 * `huge`, 4 GiB) and never sends them all.
 */
static size_t half_entry(const struct request *req, bool huge, unsigned char *out)
{
	static const unsigned char big[] = {0x84, 0xff, 0xff, 0xff, 0xf0};
	static const char dn[] = "uid=alice,ou=people,o=acme";
	size_t n = 0;

	out[n++] = 0x30;
	if (huge) {
		memcpy(out + n, big, sizeof(big));
		n += sizeof(big);
	} else {
		out[n++] = 0x81;
		out[n++] = 200;
	}
	memcpy(out + n, req->msgid, req->msgid_len);
	n += req->msgid_len;
	out[n++] = 0x64;
	out[n++] = 0x81;
	out[n++] = 190;
	out[n++] = 0x04;
	out[n++] = 60;
	memcpy(out + n, dn, sizeof(dn) - 1);
	return n + sizeof(dn) - 1;
}

/* A BER length at `out`; returns its size. */
static size_t put_len(unsigned char *out, size_t n)
{
	if (n < 0x80) {
		out[0] = (unsigned char)n;
		return 1;
	}
	if (n < 0x100) {
		out[0] = 0x81;
		out[1] = (unsigned char)n;
		return 2;
	}
	out[0] = 0x82;
	out[1] = (unsigned char)(n >> 8);
	out[2] = (unsigned char)n;
	return 3;
}

/* A TLV of `tag` around `len` bytes of `body` (at most 65535) at `out`; returns its size. */
static size_t put_tlv(unsigned char *out, unsigned char tag, const unsigned char *body, size_t len)
{
	size_t n = 0;

	out[n++] = tag;
	n += put_len(out + n, len);
	memmove(out + n, body, len);
	return n + len;
}

/*
 * One whole LDAPMessage from fd into buf (at most cap bytes): 0 with *len,
 * the messageID TLV copied into req and the protocolOp tag; -1 on EOF,
 * garbage or a message too large.
 */
static int read_message(int fd, unsigned char *buf, size_t cap, size_t *len, struct request *req)
{
	size_t n = 0, body, hdr;

	if (read_full(fd, buf, 2) != 0 || buf[0] != 0x30)
		return -1;
	if (buf[1] < 0x80) {
		body = buf[1];
		hdr = 2;
	} else {
		n = buf[1] & 0x7f;
		if (n == 0 || n > 4 || read_full(fd, buf + 2, n) != 0)
			return -1;
		body = 0;
		for (size_t i = 0; i < n; i++)
			body = body << 8 | buf[2 + i];
		hdr = 2 + n;
	}
	if (body < 4 || body > cap - hdr || read_full(fd, buf + hdr, body) != 0)
		return -1;
	if (buf[hdr] != 0x02 || buf[hdr + 1] == 0 || buf[hdr + 1] > 4 ||
	    (size_t)buf[hdr + 1] + 3 > body)
		return -1;
	req->msgid_len = (size_t)buf[hdr + 1] + 2;
	memcpy(req->msgid, buf + hdr, req->msgid_len);
	req->op = buf[hdr + req->msgid_len];
	*len = hdr + body;
	return 0;
}

/* The baseObject of a SearchRequest message, for the log; "?" when it cannot be read. */
static void search_base(const unsigned char *msg, size_t len, const struct request *req, char *out,
			size_t outlen)
{
	size_t i = msg[1] < 0x80 ? 2 : 2 + (msg[1] & 0x7f), n;

	snprintf(out, outlen, "?");
	i += req->msgid_len + 1; /* messageID, then the 0x63 tag */
	if (i >= len)
		return;
	i += msg[i] < 0x80 ? 1 : 1 + (msg[i] & 0x7f); /* the SearchRequest's length */
	if (i + 2 > len || msg[i] != 0x04 || msg[i + 1] >= 0x80)
		return;
	n = msg[i + 1];
	if (i + 2 + n > len || n >= outlen)
		return;
	memcpy(out, msg + i + 2, n);
	out[n] = '\0';
}

/* A SearchResultDone with `code`, and with the referral URI when code is referral (10). */
static size_t search_done(const struct request *req, int code, unsigned char *out)
{
	static const char diag[] = "changed by fake_ldap";
	unsigned char result[1024], refs[600], uri[600];
	size_t r = 0, n, body;

	result[r++] = 0x0a;
	if (code < 0x80) {
		result[r++] = 0x01;
		result[r++] = (unsigned char)code;
	} else { /* e-syncRefreshRequired (4096) and the like: two bytes */
		result[r++] = 0x02;
		result[r++] = (unsigned char)(code >> 8);
		result[r++] = (unsigned char)code;
	}
	result[r++] = 0x04;
	result[r++] = 0x00;
	r += put_tlv(result + r, 0x04, (const unsigned char *)diag, sizeof(diag) - 1);
	if (code == 10) {
		n = put_tlv(uri, 0x04, (const unsigned char *)referral_uri, strlen(referral_uri));
		n = put_tlv(refs, 0xa3, uri, n);
		memcpy(result + r, refs, n);
		r += n;
	}
	body = req->msgid_len + 1 + (r < 0x80 ? 1 : r < 0x100 ? 2 : 3) + r;
	n = 0;
	out[n++] = 0x30;
	n += put_len(out + n, body);
	memcpy(out + n, req->msgid, req->msgid_len);
	n += req->msgid_len;
	return n + put_tlv(out + n, 0x65, result, r);
}

/* A successful SearchResultDone whose paged-results control cannot be read. */
static size_t search_done_badpage(const struct request *req, unsigned char *out)
{
	static const char oid[] = "1.2.840.113556.1.4.319";
	static const unsigned char result[] = {0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00};
	static const unsigned char value[] = {0x30, 0x05, 0x02, 0x01}; /* cut short */
	unsigned char body[512], ctl[128], tmp[128];
	size_t b = 0, c, t;

	memcpy(body, req->msgid, req->msgid_len);
	b = req->msgid_len;
	b += put_tlv(body + b, 0x65, result, sizeof(result));
	t = put_tlv(tmp, 0x04, (const unsigned char *)oid, sizeof(oid) - 1);
	t += put_tlv(tmp + t, 0x04, value, sizeof(value));
	c = put_tlv(ctl, 0x30, tmp, t);
	c = put_tlv(tmp, 0x30, ctl, c); /* SEQUENCE OF Control, one */
	tmp[0] = 0xa0;			/* controls [0] */
	memcpy(body + b, tmp, c);
	b += c;
	return put_tlv(out, 0x30, body, b);
}

/* A SearchResultReference naming the referral URI. */
static size_t search_reference(const struct request *req, unsigned char *out)
{
	unsigned char uri[600];
	size_t u = put_tlv(uri, 0x04, (const unsigned char *)referral_uri, strlen(referral_uri));
	size_t body = req->msgid_len + 1 + (u < 0x80 ? 1 : u < 0x100 ? 2 : 3) + u, n = 0;

	out[n++] = 0x30;
	n += put_len(out + n, body);
	memcpy(out + n, req->msgid, req->msgid_len);
	n += req->msgid_len;
	return n + put_tlv(out + n, 0x73, uri, u);
}

/*
 * Relay one connection to the real server, changing the answer to the Nth
 * search as `mode` says. Requests are answered one at a time, as our
 * client sends them: after a request, its whole answer is relayed before
 * the next request is read.
 */
static void proxy(int fd, enum mode mode)
{
	static unsigned char msg[4 * 1024 * 1024];
	struct sockaddr_in up = {.sin_family = AF_INET, .sin_port = htons((uint16_t)upstream_port)};
	struct timeval tv = {IO_TIMEOUT, 0};
	unsigned char made[2048];
	struct request req, ans;
	size_t len;
	int u, searches = 0;

	up.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	u = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (u < 0 || connect(u, (struct sockaddr *)&up, sizeof(up)) != 0) {
		perror("fake_ldap: upstream");
		if (u >= 0)
			close(u);
		return;
	}
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (read_message(fd, msg, sizeof(msg), &len, &req) == 0) {
		bool change = false;
		char base[256];

		if (write_full(u, msg, len) != 0)
			break;
		if (req.op == 0x42) /* unbind: no answer */
			break;
		if (req.op == 0x50) /* abandon: no answer */
			continue;
		if (req.op == 0x63) {
			search_base(msg, len, &req, base, sizeof(base));
			printf("search %d %s\n", ++searches, base);
			change = mode != PROXY && searches == nth;
			if (change)
				printf("changed %d %s\n", searches, mode_names[mode]);
			fflush(stdout);
		}
		for (;;) {
			if (read_message(u, msg, sizeof(msg), &len, &ans) != 0)
				goto out;
			if (change && ans.op == 0x64 && (mode == REFERRAL || mode == VANISH))
				continue; /* a referral carries no entries, nor a base that is gone
					   */
			if (change && ans.op == 0x65) {
				if (mode == REFS) {
					size_t n = search_reference(&ans, made);

					if (write_full(fd, made, n) != 0)
						goto out;
				} else if (mode == BADPAGE) {
					len = search_done_badpage(&ans, msg);
				} else {
					len = search_done(&ans, result_code(mode), msg);
				}
			}
			if (write_full(fd, msg, len) != 0)
				goto out;
			/* entries, references and intermediate responses come before the end */
			if (ans.op != 0x64 && ans.op != 0x73 && ans.op != 0x79)
				break;
		}
	}
out:
	close(u);
}

/* A connection to the real server; -1 when it cannot be made. */
static int upstream(void)
{
	struct sockaddr_in up = {.sin_family = AF_INET, .sin_port = htons((uint16_t)upstream_port)};
	int u = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	up.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (u < 0 || connect(u, (struct sockaddr *)&up, sizeof(up)) != 0) {
		perror("fake_ldap: upstream");
		if (u >= 0)
			close(u);
		return -1;
	}
	return u;
}

/* Bytes both ways between fd and u until either end closes or fails. */
static void splice_both(int fd, int u)
{
	static unsigned char buf[65536];
	struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = u, .events = POLLIN}};

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].revents == 0)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n <= 0 || write_full(p[1 - i].fd, buf, (size_t)n) != 0)
				return;
		}
	}
}

/* One connection relayed by a child of its own (it dies with us); the parent accepts on. */
static void relay_forked(int fd)
{
	pid_t pid = fork();
	int u;

	if (pid != 0) {
		close(fd);
		return;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(LIFETIME);
	u = upstream();
	if (u >= 0) {
		struct timeval none = {0, 0};

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
		splice_both(fd, u);
		close(u);
	}
	close(fd);
	_exit(0);
}

static int searches_seen; /* refreshrequired: searches over all connections */
static bool spoiled;	  /* refreshrequired: its answer was sent */

/*
 * refreshrequired: requests relayed one at a time until the Nth search of
 * all; its first 3 entries, then e-syncRefreshRequired, and the connection
 * closed (the rest of its answer is never read).
 */
static void refresh_required(int fd)
{
	static unsigned char msg[4 * 1024 * 1024];
	struct request req, ans;
	size_t len;
	int u = upstream(), entries = 0;

	while (u >= 0 && read_message(fd, msg, sizeof(msg), &len, &req) == 0) {
		bool change = false;
		char base[256];

		if (write_full(u, msg, len) != 0 || req.op == 0x42)
			break;
		if (req.op == 0x50)
			continue;
		if (req.op == 0x63) {
			search_base(msg, len, &req, base, sizeof(base));
			printf("search %d %s\n", ++searches_seen, base);
			change = searches_seen == nth;
			if (change)
				printf("changed %d refreshrequired\n", searches_seen);
			fflush(stdout);
		}
		for (;;) {
			if (read_message(u, msg, sizeof(msg), &len, &ans) != 0)
				goto out;
			if (change && (ans.op != 0x64 || ++entries > 3)) {
				len = search_done(&ans, 4096, msg);
				(void)write_full(fd, msg, len);
				spoiled = true;
				goto out;
			}
			if (write_full(fd, msg, len) != 0)
				goto out;
			if (ans.op != 0x64 && ans.op != 0x73 && ans.op != 0x79)
				break;
		}
	}
out:
	if (u >= 0)
		close(u);
}

/* Close so that the peer sees a reset, not an orderly end. */
static void reset(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* Serve one connection; returns the descriptor to keep open, or -1 when done with it. */
static int serve(int fd, enum mode mode)
{
	unsigned char out[512], hello[64];
	struct request req;
	size_t n;

	if (mode == SILENT)
		return fd;
	if (mode == RELAY || (mode == REFRESH_REQUIRED && spoiled)) {
		relay_forked(fd);
		return -1;
	}
	if (mode == REFRESH_REQUIRED) {
		refresh_required(fd);
		close(fd);
		return -1;
	}
	if (mode >= PROXY) {
		proxy(fd, mode);
		close(fd);
		return -1;
	}
	if (mode == TLS_RESET) {
		if (read(fd, hello, sizeof(hello)) > 0)
			reset(fd);
		else
			close(fd);
		return -1;
	}
	if (read_request(fd, &req) != 0) {
		close(fd);
		return -1;
	}
	switch (mode) {
	case STARTTLS_SILENT:
	case STARTTLS_RESET:
		if (req.op != 0x77)
			break;
		n = success(&req, 0x78, out);
		if (write_full(fd, out, n) != 0)
			break;
		if (mode == STARTTLS_SILENT)
			return fd;
		/* wait for the ClientHello so that the reset meets a handshake in progress */
		if (read(fd, hello, sizeof(hello)) < 0)
			break;
		reset(fd);
		return -1;
	case RESET_REQUEST: reset(fd); return -1;
	case HALF_REQUEST:
		n = success(&req, req.op == 0x77 ? 0x78 : 0x61, out);
		(void)write_full(fd, out, n / 2);
		close(fd);
		return -1;
	case RESET_SEARCH:
	case HALF_SEARCH:
	case TRICKLE_SEARCH:
	case HUGE_SEARCH:
		if (req.op != 0x60)
			break;
		n = success(&req, 0x61, out);
		if (write_full(fd, out, n) != 0 || read_request(fd, &req) != 0)
			break;
		n = half_entry(&req, mode == HUGE_SEARCH, out);
		if (mode == TRICKLE_SEARCH) {
			/* until the client gives up: then a write fails */
			memset(out + n, 'a', sizeof(out) - n);
			for (size_t i = 0; i < 203 && write_full(fd, out + i, 1) == 0; i++)
				usleep(100 * 1000);
			break;
		}
		(void)write_full(fd, out, n);
		if (mode == HUGE_SEARCH)
			return fd;
		if (mode == RESET_SEARCH) {
			reset(fd);
		} else {
			close(fd);
		}
		return -1;
	default: break;
	}
	close(fd);
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct timeval tv = {IO_TIMEOUT, 0};
	socklen_t len = sizeof(sa);
	int held[MAX_HELD], n_held = 0, s, one = 1;
	enum mode mode = SILENT;
	bool known = false;
	char tmp[4096];
	FILE *f;
	int opt;

	while ((opt = getopt(argc, argv, "u:n:r:")) != -1) {
		switch (opt) {
		case 'u': upstream_port = atoi(optarg); break;
		case 'n': nth = atoi(optarg); break;
		case 'r': referral_uri = optarg; break;
		default: argc = 0; break;
		}
	}
	if (argc == 0 || argc - optind < 2 || argc - optind > 3 || strlen(referral_uri) > 500) {
		fprintf(stderr,
			"usage: fake_ldap [-u PORT] [-n N] [-r URI] MODE PORTFILE [ADDRESS]\n");
		return 2;
	}
	argv += optind - 1;
	argc -= optind - 1;
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(argv[1], mode_names[i]) == 0) {
			mode = (enum mode)i;
			known = true;
		}
	if (!known) {
		fprintf(stderr, "fake_ldap: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	if (mode >= PROXY && (upstream_port <= 0 || upstream_port > 65535 || nth < 1)) {
		fprintf(stderr, "fake_ldap: mode %s needs -u PORT (and -n N >= 1)\n", argv[1]);
		return 2;
	}
	if (inet_pton(AF_INET, argc == 4 ? argv[3] : "127.0.0.1", &sa.sin_addr) != 1) {
		fprintf(stderr, "fake_ldap: not an IPv4 address\n");
		return 2;
	}
	/* our own writes must not kill us when a client gives up first */
	signal(SIGPIPE, SIG_IGN);
	/* relayed connections end by themselves: no zombies */
	signal(SIGCHLD, SIG_IGN);
	alarm(LIFETIME);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s, 16) != 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) != 0) {
		perror("fake_ldap: listen");
		return 1;
	}
	/* written whole, then renamed: the reader never sees half a port number */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]) >= (int)sizeof(tmp) ||
	    (f = fopen(tmp, "w")) == NULL) {
		perror("fake_ldap: port file");
		return 1;
	}
	fprintf(f, "%u\n", ntohs(sa.sin_port));
	if (fclose(f) != 0 || rename(tmp, argv[2]) != 0) {
		perror("fake_ldap: port file");
		return 1;
	}
	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("fake_ldap: accept");
			return 1;
		}
		printf("accept\n");
		fflush(stdout);
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		c = serve(c, mode);
		if (c >= 0) {
			/* silence is the point: keep it open, drop the oldest when full */
			if (n_held == MAX_HELD) {
				close(held[0]);
				memmove(held, held + 1, sizeof(held[0]) * (MAX_HELD - 1));
				n_held--;
			}
			held[n_held++] = c;
		}
	}
}
