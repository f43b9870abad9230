/*
 * auditd records: "[node=HOST ]type=T msg=audit(EPOCH.MS:SERIAL): k=v ...".
 * Untrusted strings (acct, cmd, exe, proctitle, EXECVE arguments, ...)
 * are written by the kernel and auditd as unquoted hex when they hold
 * spaces, quotes or control bytes; they are decoded here so that rules see
 * the text. The message is the decoded command line for USER_CMD, EXECVE
 * and PROCTITLE records, and the record body with hex values replaced by
 * their quoted decoded text for the others. The raw line stays with the
 * caller.
 */
#include "config.h"

#include "fl_parse.h"
#include "fl_parse_int.h"

#include <string.h>

#define AUDIT_MAX_FIELDS 96

struct afield {
	size_t key, key_n;        /* offsets into the line */
	size_t val, val_n;        /* value without quotes */
	size_t raw, raw_end;      /* value with its quotes */
	int quoted;
	int top;                  /* not inside msg='...' */
};

/* Keys whose values audit may hex-encode: EXECVE arguments (aN, aN[i])
 * and untrusted strings. SYSCALL aN are register values, never text. */
static int
hexable(const char *k, size_t n, int execve)
{
	if (n >= 2 && k[0] == 'a' && fl_isdigit(k[1])) {
		if (!execve)
			return 0;
		size_t i = 1;

		while (i < n && fl_isdigit(k[i]))
			i++;
		if (i == n)
			return 1;
		if (k[i] != '[')
			return 0;
		for (i++; i < n && fl_isdigit(k[i]); i++)
			;
		return i + 1 == n && k[i] == ']';
	}
	return fl_span_eq(k, n, "acct") || fl_span_eq(k, n, "cmd") ||
	    fl_span_eq(k, n, "comm") || fl_span_eq(k, n, "cwd") ||
	    fl_span_eq(k, n, "exe") || fl_span_eq(k, n, "name") ||
	    fl_span_eq(k, n, "proctitle") || fl_span_eq(k, n, "data");
}

/* Keys given to rules as fields. */
static int
wanted(const char *k, size_t n)
{
	static const char *const keys[] = {
		"op", "acct", "exe", "cmd", "res", "addr", "hostname",
		"terminal", "auid", "uid", "unit", "comm", "cwd", "name",
		"key", "success", "proctitle",
	};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (fl_span_eq(k, n, keys[i]))
			return 1;
	return 0;
}

static int
is_hex(const char *v, size_t n)
{
	if (n < 2 || n % 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (fl_hexval(v[i]) < 0)
			return 0;
	return 1;
}

static size_t
hex_decode(const char *v, size_t n, char *d)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		/* Callers pass only what is_hex() accepted: no digit is -1.
		 * NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
		d[i / 2] = (char)(fl_hexval(v[i]) << 4 | fl_hexval(v[i + 1]));
	return n / 2;
}

/* Splits s[i..end) into key=value fields; msg='...' is entered. */
static unsigned
scan_fields(const char *s, size_t i, size_t end, struct afield *f,
    unsigned max)
{
	unsigned nf = 0;
	int inner = 0;

	while (i < end && nf < max) {
		size_t k, eq;

		while (i < end && s[i] == ' ')
			i++;
		if (inner && i < end && s[i] == '\'') {
			inner = 0;
			i++;
			continue;
		}
		if (i >= end)
			break;
		k = i;
		while (i < end && s[i] != '=' && s[i] != ' ' &&
		    !(inner && s[i] == '\''))
			i++;
		if (i >= end || s[i] != '=') {
			continue; /* a bare word such as "user" */
		}
		eq = i++;
		f[nf].key = k;
		f[nf].key_n = eq - k;
		f[nf].top = !inner;
		f[nf].raw = i;
		f[nf].quoted = 0;
		if (i < end && s[i] == '"') {
			size_t q = ++i;

			while (i < end && s[i] != '"')
				i++;
			f[nf].val = q;
			f[nf].val_n = i - q;
			f[nf].quoted = 1;
			if (i < end)
				i++;
		} else if (!inner && i < end && s[i] == '\'') {
			/* msg='op=... res=success': its fields follow. */
			inner = 1;
			i++;
			continue;
		} else {
			size_t v = i;

			while (i < end && s[i] != ' ' &&
			    !(inner && s[i] == '\''))
				i++;
			f[nf].val = v;
			f[nf].val_n = i - v;
		}
		f[nf].raw_end = i;
		nf++;
	}
	return nf;
}

static int
type_is(const char *s, size_t n, const char *t)
{
	return fl_span_eq(s, n, t);
}

int
fl_parse_audit(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	struct afield f[AUDIT_MAX_FIELDS];
	size_t i = 0, type, type_n, serial, body, end, j;
	int64_t sec = 0;
	unsigned nf, k;
	char *msg = NULL, *d;
	size_t msg_n = 0, copied;
	int special;

	if (n < 20 || (s[0] != 't' && s[0] != 'n'))
		return 0;
	if (fl_starts(s, n, 0, "node=")) {
		for (i = 5; i < n && s[i] != ' '; i++)
			;
		o->host.p = s + 5;
		o->host.n = i - 5;
		i++;
	}
	if (!fl_starts(s, n, i, "type="))
		return 0;
	type = i += 5;
	while (i < n && (fl_isupper(s[i]) || fl_isdigit(s[i]) || s[i] == '_' ||
	    s[i] == '[' || s[i] == ']'))
		i++;
	type_n = i - type;
	if (type_n == 0 || !fl_starts(s, n, i, " msg=audit("))
		return 0;
	for (i += 11, j = i; i < n && fl_isdigit(s[i]) && i - j < 12; i++)
		sec = sec * 10 + (s[i] - '0');
	if (i == j)
		return 0;
	fl_parse_frac(s, n, &i, &o->t);
	if (i >= n || s[i] != ':')
		return 0;
	serial = ++i;
	while (i < n && fl_isdigit(s[i]))
		i++;
	if (i == serial || !fl_starts(s, n, i, "):"))
		return 0;
	o->t.kind = FL_LT_EPOCH;
	o->t.epoch_us = sec * 1000000 + o->t.usec;
	o->program.p = "audit";
	o->program.n = 5;
	fl_parse_extra(o, "audit_type", s + type, type_n);
	fl_parse_extra(o, "audit_serial", s + serial, i - serial);
	body = i + 2;
	if (body < n && s[body] == ' ')
		body++;
	/* The enriched format appends translations after 0x1d. */
	for (end = body; end < n && s[end] != 0x1d; end++)
		;
	while (end > body && s[end - 1] == ' ')
		end--;
	o->message.p = s + body;
	o->message.n = end - body;

	nf = scan_fields(s, body, end, f, AUDIT_MAX_FIELDS);
	special = type_is(s + type, type_n, "USER_CMD") ? 1 :
	    type_is(s + type, type_n, "EXECVE") ? 2 :
	    type_is(s + type, type_n, "PROCTITLE") ? 3 : 0;
	/* The joined arguments, or the rewritten body: a hex value of 2k
	 * bytes becomes k+2 bytes, so nf bytes of slack suffice. */
	if (special == 2 || special == 0)
		msg = fl_parse_scratch(p, end - body + nf);
	copied = body;
	for (k = 0; k < nf; k++) {
		const char *key = s + f[k].key, *v = s + f[k].val;
		size_t kn = f[k].key_n, vn = f[k].val_n;
		int hex = !f[k].quoted && hexable(key, kn, special == 2) &&
		    is_hex(v, vn);

		if (f[k].top && fl_span_eq(key, kn, "pid") && o->pid.n == 0 &&
		    vn > 0 && fl_isdigit(v[0])) {
			o->pid.p = v;
			o->pid.n = vn;
		}
		if (special == 0 && hex && msg != NULL) {
			/* The body with the value decoded and quoted; the
			 * decoded text is also the field given to rules. */
			memcpy(msg + msg_n, s + copied, f[k].raw - copied);
			msg_n += f[k].raw - copied;
			msg[msg_n++] = '"';
			v = msg + msg_n;
			vn = hex_decode(s + f[k].val, vn, msg + msg_n);
			msg_n += vn;
			msg[msg_n++] = '"';
			copied = f[k].raw_end;
		} else if (hex && (d = fl_parse_scratch(p, vn / 2)) != NULL) {
			vn = hex_decode(v, vn, d);
			v = d;
			if (special == 3)
				for (j = 0; j < vn; j++)
					if (d[j] == '\0')
						d[j] = ' ';
		}
		if (special == 2 && msg != NULL && key[0] == 'a' &&
		    hexable(key, kn, 1)) {
			/* a1[0]=... a1[1]=... are pieces of one argument */
			int piece = memchr(key, '[', kn) != NULL &&
			    !fl_starts(key, kn, kn - 3, "[0]");

			if (msg_n > 0 && !piece)
				msg[msg_n++] = ' ';
			memcpy(msg + msg_n, v, vn);
			msg_n += vn;
			continue;
		}
		if (special == 3 && fl_span_eq(key, kn, "proctitle")) {
			while (vn > 0 && v[vn - 1] == ' ')
				vn--;
			o->message.p = v;
			o->message.n = vn;
		} else if (special == 1 && fl_span_eq(key, kn, "cmd")) {
			o->message.p = v;
			o->message.n = vn;
		}
		if (wanted(key, kn))
			fl_parse_extra_n(o, key, kn, v, vn);
	}
	if (special == 2 && msg != NULL) {
		o->message.p = msg;
		o->message.n = msg_n;
	} else if (special == 0 && msg != NULL && copied != body) {
		memcpy(msg + msg_n, s + copied, end - copied);
		msg_n += end - copied;
		o->message.p = msg;
		o->message.n = msg_n;
	}
	return 1;
}
