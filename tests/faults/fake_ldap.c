/* SPDX-License-Identifier: BSD-2-Clause */
/* A misbehaving LDAP server for the fault tests: silent, resetting, truncating or dragging. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/*
 * usage: fake_ldap MODE PORTFILE [ADDRESS]
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
 * Wire format (RFC 4511, BER): LDAPMessage ::= SEQUENCE (0x30) { messageID
 * INTEGER (0x02), protocolOp [APPLICATION n] }. Requests: BindRequest 0x60,
 * SearchRequest 0x63, UnbindRequest 0x42, ExtendedRequest 0x77. Responses
 * carry LDAPResult { resultCode ENUMERATED (0x0a), matchedDN OCTET STRING
 * (0x04), diagnosticMessage OCTET STRING (0x04) } in BindResponse 0x61 or
 * ExtendedResponse 0x78; SearchResultEntry is 0x64.
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
};

static const char *const mode_names[] = {
    "silent",	    "starttls-silent", "starttls-reset", "tls-reset",	   "reset-request",
    "half-request", "reset-search",    "half-search",	 "trickle-search", "huge-search",
};

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

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: fake_ldap MODE PORTFILE [ADDRESS]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(argv[1], mode_names[i]) == 0) {
			mode = (enum mode)i;
			known = true;
		}
	if (!known) {
		fprintf(stderr, "fake_ldap: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	if (inet_pton(AF_INET, argc == 4 ? argv[3] : "127.0.0.1", &sa.sin_addr) != 1) {
		fprintf(stderr, "fake_ldap: not an IPv4 address\n");
		return 2;
	}
	/* our own writes must not kill us when a client gives up first */
	signal(SIGPIPE, SIG_IGN);
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
