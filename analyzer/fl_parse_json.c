/*
 * journalctl -o json: one flat JSON object per line. A small scanner of
 * its own: strings (escapes and \uXXXX decoded into the parser's scratch
 * only when a field is used), numbers, literals, and nested values that
 * are skipped. MESSAGE may be an array of bytes (non-UTF-8 messages).
 */
#include "config.h"

#include "fl_parse.h"
#include "fl_parse_int.h"

#include <string.h>

#define JSON_MAX_DEPTH 64

struct jstr {
	const char *p;  /* raw text between the quotes */
	size_t n;
	int esc;        /* holds backslash escapes */
};

static size_t
ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	return i;
}

/* A string at s[*i] (on the opening quote). */
static int
jstring(const char *s, size_t n, size_t *i, struct jstr *out)
{
	size_t j = *i + 1;

	out->esc = 0;
	for (; j < n; j++) {
		if (s[j] == '"')
			break;
		if (s[j] == '\\') {
			out->esc = 1;
			if (++j >= n)
				return -1;
		} else if ((unsigned char)s[j] < 0x20) {
			return -1;
		}
	}
	if (j >= n)
		return -1;
	out->p = s + *i + 1;
	out->n = j - *i - 1;
	*i = j + 1;
	return 0;
}

/* Skips any value at s[*i]. */
static int
jskip(const char *s, size_t n, size_t *i)
{
	unsigned depth = 0;
	struct jstr tmp;
	size_t j = *i;

	do {
		j = ws(s, n, j);
		if (j >= n)
			return -1;
		switch (s[j]) {
		case '"':
			if (jstring(s, n, &j, &tmp) < 0)
				return -1;
			break;
		case '{':
		case '[':
			if (++depth > JSON_MAX_DEPTH)
				return -1;
			j++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return -1;
			depth--;
			j++;
			break;
		case ',':
		case ':':
			if (depth == 0)
				return -1;
			j++;
			break;
		default:
			if (!(fl_isalpha(s[j]) || fl_isdigit(s[j]) ||
			    s[j] == '-' || s[j] == '+' || s[j] == '.'))
				return -1;
			while (j < n && (fl_isalpha(s[j]) || fl_isdigit(s[j]) ||
			    s[j] == '-' || s[j] == '+' || s[j] == '.'))
				j++;
			break;
		}
	} while (depth > 0);
	*i = j;
	return 0;
}

static size_t
put_utf8(char *d, uint32_t c)
{
	if (c < 0x80) {
		d[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		d[0] = (char)(0xc0 | (c >> 6));
		d[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		d[0] = (char)(0xe0 | (c >> 12));
		d[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		d[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | (c >> 18));
	d[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	d[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static int
hex4(const char *s, size_t n, size_t i, uint32_t *v)
{
	int a, b, c, d;

	if (i > n || n - i < 4 || (a = fl_hexval(s[i])) < 0 ||
	    (b = fl_hexval(s[i + 1])) < 0 || (c = fl_hexval(s[i + 2])) < 0 ||
	    (d = fl_hexval(s[i + 3])) < 0)
		return -1;
	*v = (uint32_t)(a << 12 | b << 8 | c << 4 | d);
	return 0;
}

/* The decoded value of a string (escapes resolved into scratch; a \u
 * escape of 6 bytes never yields more than 4). */
static void
jdecode(struct fl_parser *p, const struct jstr *js, struct fl_span *out)
{
	const char *s = js->p;
	size_t n = js->n, i, k = 0;
	char *d;

	out->p = s;
	out->n = n;
	if (!js->esc || (d = fl_parse_scratch(p, n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		uint32_t c, lo;

		if (s[i] != '\\' || i + 1 >= n) {
			d[k++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'b': d[k++] = '\b'; break;
		case 'f': d[k++] = '\f'; break;
		case 'n': d[k++] = '\n'; break;
		case 'r': d[k++] = '\r'; break;
		case 't': d[k++] = '\t'; break;
		case 'u':
			if (hex4(s, n, i + 1, &c) < 0) {
				d[k++] = 'u';
				break;
			}
			i += 4;
			if (c >= 0xd800 && c < 0xdc00 && i + 2 < n &&
			    s[i + 1] == '\\' && s[i + 2] == 'u' &&
			    hex4(s, n, i + 3, &lo) == 0 && lo >= 0xdc00 &&
			    lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			} else if (c >= 0xd800 && c < 0xe000) {
				c = 0xfffd;
			}
			k += put_utf8(d + k, c);
			break;
		default:
			d[k++] = s[i]; /* \" \\ \/ and unknown escapes */
			break;
		}
	}
	out->p = d;
	out->n = k;
}

/* MESSAGE as an array of byte values: "[72, 105]". */
static int
jbytes(struct fl_parser *p, const char *s, size_t n, size_t *i,
    struct fl_span *out)
{
	size_t j = ws(s, n, *i + 1), k = 0;
	char *d = fl_parse_scratch(p, n - *i);

	if (d == NULL)
		return -1;
	if (j < n && s[j] == ']') {
		*i = j + 1;
		out->p = d;
		out->n = 0;
		return 0;
	}
	for (;;) {
		int v = 0;
		size_t st = j;

		while (j < n && fl_isdigit(s[j]) && j - st < 3)
			v = v * 10 + (s[j++] - '0');
		if (j == st || v > 255)
			return -1;
		d[k++] = (char)v;
		j = ws(s, n, j);
		if (j < n && s[j] == ',') {
			j = ws(s, n, j + 1);
			continue;
		}
		if (j < n && s[j] == ']')
			break;
		return -1;
	}
	*i = j + 1;
	out->p = d;
	out->n = k;
	return 0;
}

static int
small_int(const struct fl_span *v, int max)
{
	int r = 0;

	if (v->n == 0 || v->n > 3)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		if (!fl_isdigit(v->p[i]))
			return -1;
		r = r * 10 + (v->p[i] - '0');
	}
	return r <= max ? r : -1;
}

enum jkey {
	K_NONE, K_RT, K_SRC_RT, K_HOST, K_IDENT, K_COMM, K_PID, K_SPID,
	K_MSG, K_PRIO, K_FAC, K_BOOT, K_TRANSPORT, K_UNIT, K_COUNT
};

static enum jkey
key_of(const struct jstr *k)
{
	static const char *const names[K_COUNT] = {
		[K_RT] = "__REALTIME_TIMESTAMP",
		[K_SRC_RT] = "_SOURCE_REALTIME_TIMESTAMP",
		[K_HOST] = "_HOSTNAME", [K_IDENT] = "SYSLOG_IDENTIFIER",
		[K_COMM] = "_COMM", [K_PID] = "_PID", [K_SPID] = "SYSLOG_PID",
		[K_MSG] = "MESSAGE", [K_PRIO] = "PRIORITY",
		[K_FAC] = "SYSLOG_FACILITY", [K_BOOT] = "_BOOT_ID",
		[K_TRANSPORT] = "_TRANSPORT", [K_UNIT] = "_SYSTEMD_UNIT",
	};

	if (k->esc || k->n == 0 || (k->p[0] != '_' && !fl_isupper(k->p[0])))
		return K_NONE;
	for (int f = 1; f < K_COUNT; f++)
		if (fl_span_eq(k->p, k->n, names[f]))
			return (enum jkey)f;
	return K_NONE;
}

static int
epoch_us(const struct fl_span *v, int64_t *us)
{
	int64_t r = 0;

	if (v->n == 0 || v->n > 18)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		if (!fl_isdigit(v->p[i]))
			return -1;
		r = r * 10 + (v->p[i] - '0');
	}
	*us = r;
	return 0;
}

int
fl_parse_journal_json(struct fl_parser *p, const char *s, size_t n,
    struct fl_parsed *o)
{
	struct fl_span val[K_COUNT];
	unsigned char have[K_COUNT];
	size_t i = ws(s, n, 0);
	int64_t us;
	int v;

	if (i >= n || s[i] != '{')
		return 0;
	memset(have, 0, sizeof have);
	memset(val, 0, sizeof val);
	i = ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		return 0;
	for (;;) {
		struct jstr key, str;
		enum jkey k;

		if (i >= n || s[i] != '"' || jstring(s, n, &i, &key) < 0)
			return 0;
		i = ws(s, n, i);
		if (i >= n || s[i] != ':')
			return 0;
		i = ws(s, n, i + 1);
		if (i >= n)
			return 0;
		k = key_of(&key);
		if (s[i] == '"') {
			if (jstring(s, n, &i, &str) < 0)
				return 0;
			if (k != K_NONE) {
				jdecode(p, &str, &val[k]);
				have[k] = 1;
			}
		} else if (s[i] == '[' && k == K_MSG) {
			if (jbytes(p, s, n, &i, &val[k]) < 0)
				return 0;
			have[k] = 1;
		} else {
			size_t st = i;

			if (jskip(s, n, &i) < 0)
				return 0;
			if (k != K_NONE && fl_isdigit(s[st])) {
				val[k].p = s + st;
				val[k].n = i - st;
				have[k] = 1;
			}
		}
		i = ws(s, n, i);
		if (i < n && s[i] == ',') {
			i = ws(s, n, i + 1);
			continue;
		}
		if (i < n && s[i] == '}')
			break;
		return 0;
	}
	if (ws(s, n, i + 1) != n || (!have[K_RT] && !have[K_SRC_RT] &&
	    !have[K_MSG]))
		return 0;
	if ((have[K_RT] && epoch_us(&val[K_RT], &us) == 0) ||
	    (have[K_SRC_RT] && epoch_us(&val[K_SRC_RT], &us) == 0)) {
		o->t.kind = FL_LT_EPOCH;
		o->t.epoch_us = us;
		o->t.has_usec = 1;
	}
	o->host = val[K_HOST];
	o->program = have[K_IDENT] ? val[K_IDENT] : val[K_COMM];
	o->pid = have[K_PID] ? val[K_PID] : val[K_SPID];
	o->message = val[K_MSG];
	if (have[K_PRIO] && (v = small_int(&val[K_PRIO], 7)) >= 0)
		o->severity = v;
	if (have[K_FAC] && (v = small_int(&val[K_FAC], 23)) >= 0)
		o->facility = v;
	if (have[K_BOOT])
		fl_parse_extra(o, "boot_id", val[K_BOOT].p, val[K_BOOT].n);
	if (have[K_TRANSPORT])
		fl_parse_extra(o, "transport", val[K_TRANSPORT].p,
		    val[K_TRANSPORT].n);
	if (have[K_UNIT])
		fl_parse_extra(o, "unit", val[K_UNIT].p, val[K_UNIT].n);
	return 1;
}
