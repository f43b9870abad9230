#include "config.h"

#include "fl_util.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
fl_err_str(enum fl_err err)
{
	switch (err) {
	case FL_OK: return "success";
	case FL_ERR_NOMEM: return "out of memory";
	case FL_ERR_IO: return "input/output error";
	case FL_ERR_FORMAT: return "damaged or unrecognised data";
	case FL_ERR_LIMIT: return "limit reached";
	case FL_ERR_USAGE: return "usage error";
	case FL_ERR_RULE: return "rule error";
	case FL_ERR_INTERNAL: return "internal error";
	}
	return "unknown error";
}

void
fl_diagf(const struct fl_diag *diag, enum fl_diag_level level,
    const char *where, const char *fmt, ...)
{
	struct fl_buf b = {0};
	va_list ap;

	if (diag == NULL || diag->emit == NULL)
		return;
	va_start(ap, fmt);
	fl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag->emit(diag->ctx, level, where, b.data ? b.data : "");
	fl_buf_free(&b);
}

static void
oom(void)
{
	fputs("faultline: out of memory\n", stderr);
	abort();
}

void *
fl_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
fl_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
fl_xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
fl_xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	return fl_xrealloc(p, n * size);
}

char *
fl_xstrdup(const char *s)
{
	return fl_xstrndup(s, strlen(s));
}

char *
fl_xstrndup(const char *s, size_t n)
{
	char *p = fl_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
fl_xasprintf(const char *fmt, ...)
{
	struct fl_buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	fl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return fl_buf_take(&b);
}

void
fl_buf_reserve(struct fl_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		oom();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->data = fl_xrealloc(b->data, b->cap);
	/* Terminated even when nothing is added after the reservation. */
	b->data[b->len] = '\0';
}

void
fl_buf_add(struct fl_buf *b, const void *p, size_t n)
{
	fl_buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
fl_buf_adds(struct fl_buf *b, const char *s)
{
	fl_buf_add(b, s, strlen(s));
}

void
fl_buf_addc(struct fl_buf *b, char c)
{
	fl_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
fl_buf_vprintf(struct fl_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	fl_buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
fl_buf_printf(struct fl_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fl_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
fl_buf_reset(struct fl_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
fl_buf_free(struct fl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
fl_buf_take(struct fl_buf *b)
{
	char *s = b->data ? b->data : fl_xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Code points that can disguise text: C1 controls, bidirectional
 * overrides and isolates, line/paragraph separators, and the
 * noncharacters that XML refuses. */
static int
hostile_seq(const unsigned char *p, size_t k)
{
	uint32_t cp;

	if (k == 2)
		return p[0] == 0xc2 && p[1] < 0xa0;
	if (k != 3)
		return 0;
	cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
	    (p[2] & 0x3f);
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x200e || cp == 0x200f ||
	    cp == 0xfffe || cp == 0xffff || (cp >= 0xfdd0 && cp <= 0xfdef);
}

int
fl_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(p + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

void
fl_buf_json_str(struct fl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	fl_buf_reserve(b, n + 2);
	fl_buf_addc(b, '"');
	while (i < n) {
		unsigned c = p[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			size_t j = i + 1;

			while (j < n && p[j] >= 0x20 && p[j] < 0x7f &&
			    p[j] != '"' && p[j] != '\\')
				j++;
			fl_buf_add(b, s + i, j - i);
			i = j;
			continue;
		}
		switch (c) {
		case '"': fl_buf_add(b, "\\\"", 2); i++; continue;
		case '\\': fl_buf_add(b, "\\\\", 2); i++; continue;
		case '\n': fl_buf_add(b, "\\n", 2); i++; continue;
		case '\r': fl_buf_add(b, "\\r", 2); i++; continue;
		case '\t': fl_buf_add(b, "\\t", 2); i++; continue;
		default: break;
		}
		if (c >= 0x80 && (k = utf8_seq(p + i, n - i)) > 0) {
			fl_buf_add(b, s + i, k);
			i += k;
			continue;
		}
		fl_buf_printf(b, "\\u%04x", c);
		i++;
	}
	fl_buf_addc(b, '"');
}

void
fl_buf_json_strz(struct fl_buf *b, const char *s)
{
	if (s == NULL)
		fl_buf_adds(b, "null");
	else
		fl_buf_json_str(b, s, strlen(s));
}

void
fl_buf_text_safe(struct fl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	fl_buf_reserve(b, n);
	while (i < n) {
		unsigned c = p[i];

		if (c == '\\') {
			fl_buf_add(b, "\\\\", 2);
			i++;
		} else if (c >= 0x20 && c < 0x7f) {
			fl_buf_addc(b, (char)c);
			i++;
		} else if (c == '\t') {
			fl_buf_addc(b, ' ');
			i++;
		} else if (c >= 0x80 && (k = utf8_seq(p + i, n - i)) > 0 &&
		    !hostile_seq(p + i, k)) {
			fl_buf_add(b, s + i, k);
			i += k;
		} else {
			fl_buf_printf(b, "\\x%02x", c);
			i++;
		}
	}
}

void
fl_buf_html(struct fl_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	fl_buf_reserve(b, n);
	while (i < n) {
		unsigned c = p[i];

		switch (c) {
		case '<': fl_buf_adds(b, "&lt;"); i++; continue;
		case '>': fl_buf_adds(b, "&gt;"); i++; continue;
		case '&': fl_buf_adds(b, "&amp;"); i++; continue;
		case '"': fl_buf_adds(b, "&quot;"); i++; continue;
		case '\'': fl_buf_adds(b, "&#39;"); i++; continue;
		default: break;
		}
		if ((c >= 0x20 && c < 0x7f) || c == '\t') {
			fl_buf_addc(b, (char)c);
			i++;
		} else if (c >= 0x80 && (k = utf8_seq(p + i, n - i)) > 0 &&
		    !hostile_seq(p + i, k)) {
			fl_buf_add(b, s + i, k);
			i += k;
		} else {
			fl_buf_printf(b, "\\x%02x", c);
			i++;
		}
	}
}

/* Arena: a chain of blocks; large requests get a block of their own. */
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct fl_arena {
	struct arena_block *head;
	size_t next_block;        /* grows from small: many arenas stay tiny */
};

#define ARENA_BLOCK (64 * 1024)
#define ARENA_FIRST_BLOCK 1024

struct fl_arena *
fl_arena_new(void)
{
	return fl_xcalloc(1, sizeof(struct fl_arena));
}

/* size bytes at the given alignment (a power of two): strings need none,
 * and packing them saves a few bytes on each of the many kept. */
static void *
arena_take(struct fl_arena *a, size_t size, size_t align)
{
	struct arena_block *blk = a->head;
	size_t at = 0, bsize;

	if (blk != NULL)
		at = (blk->used + align - 1) & ~(align - 1);
	if (blk == NULL || at > blk->size || blk->size - at < size) {
		if (a->next_block == 0)
			a->next_block = ARENA_FIRST_BLOCK;
		bsize = size > ARENA_BLOCK / 4 ? size : a->next_block;
		if (bsize < size)
			bsize = size;
		if (a->next_block < ARENA_BLOCK)
			a->next_block *= 2;
		blk = fl_xmalloc(sizeof *blk + bsize);
		blk->size = bsize;
		if (size > ARENA_BLOCK / 4 && a->head != NULL) {
			/* Keep filling the current block after a big one. */
			blk->next = a->head->next;
			a->head->next = blk;
		} else {
			blk->next = a->head;
			a->head = blk;
		}
		at = 0;
	}
	blk->used = at + size;
	return (char *)blk->data + at;
}

void *
fl_arena_alloc(struct fl_arena *a, size_t size)
{
	return arena_take(a, size, sizeof(max_align_t));
}

char *
fl_arena_strndup(struct fl_arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1, 1);

	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
fl_arena_strdup(struct fl_arena *a, const char *s)
{
	return fl_arena_strndup(a, s, strlen(s));
}

void
fl_arena_adopt(struct fl_arena *dst, struct fl_arena *src)
{
	struct arena_block *tail;

	if (src->head == NULL)
		return;
	for (tail = src->head; tail->next != NULL; tail = tail->next)
		;
	/* src's blocks go behind dst's current block so it keeps filling. */
	if (dst->head == NULL) {
		dst->head = src->head;
	} else {
		tail->next = dst->head->next;
		dst->head->next = src->head;
	}
	src->head = NULL;
}

void
fl_arena_free(struct fl_arena *a)
{
	struct arena_block *blk, *next;

	if (a == NULL)
		return;
	for (blk = a->head; blk != NULL; blk = next) {
		next = blk->next;
		free(blk);
	}
	free(a);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Quickselect with a median-of-three pivot; a range that shrinks too
 * slowly (crafted input) is sorted instead, which bounds the time. */
int64_t
fl_select_i64(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, rounds = 0;

	while (hi > lo) {
		size_t i = lo, j = hi, mid = lo + (hi - lo) / 2;
		int64_t a = v[lo], b = v[mid], c = v[hi], pivot, t;

		if (++rounds > 64) {
			qsort(v + lo, hi - lo + 1, sizeof *v, cmp_int64);
			break;
		}
		pivot = a < b ? (b < c ? b : a < c ? c : a) :
		    (a < c ? a : b < c ? c : b);
		/* Hoare: afterwards v[lo..j] <= pivot <= v[i..hi], j < i */
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		if (k <= j && j < hi)
			hi = j;
		else if (k >= i && i > lo)
			lo = i;
		else
			break;          /* k lies between: v[k] == pivot */
	}
	return v[k];
}

void
fl_msort(void *base, size_t n, size_t size,
    int (*cmp)(const void *a, const void *b, void *ctx), void *ctx)
{
	char *v = base, *tmp;
	size_t width, i;

	if (n < 2)
		return;
	tmp = fl_xreallocarray(NULL, n, size);
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t mid = i + width < n ? i + width : n;
			size_t hi = i + 2 * width < n ? i + 2 * width : n;
			size_t a = i, b = mid, k = i;

			/* the left run wins ties: stable */
			while (a < mid && b < hi)
				memcpy(tmp + size * k++, cmp(v + size * b,
				    v + size * a, ctx) < 0 ? v + size * b++ :
				    v + size * a++, size);
			if (a < mid)
				memcpy(tmp + size * k, v + size * a,
				    size * (mid - a));
			k += mid - a;
			if (b < hi)
				memcpy(tmp + size * k, v + size * b,
				    size * (hi - b));
		}
		memcpy(v, tmp, n * size);
	}
	free(tmp);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t
fl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
fl_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int64_t
fl_civil_to_sec(int64_t y, unsigned mon, unsigned day, unsigned h,
    unsigned mi, unsigned s)
{
	return fl_days_from_civil(y, mon, day) * 86400 + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + s;
}

int
fl_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned
fl_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31,
		30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && fl_is_leap(y) ? 29 : dim[m - 1];
}

void
fl_format_time(char *out, int64_t utc_us, int with_us)
{
	int64_t sec, days, y;
	int64_t us, sod;
	unsigned m, d;

	if (utc_us == FL_TIME_UNKNOWN) {
		snprintf(out, FL_TIME_STRLEN, "unknown");
		return;
	}
	sec = utc_us / FL_US_PER_SEC;
	us = utc_us % FL_US_PER_SEC;
	if (us < 0) {
		us += FL_US_PER_SEC;
		sec--;
	}
	days = sec / 86400;
	sod = sec % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	fl_civil_from_days(days, &y, &m, &d);
	if (with_us)
		snprintf(out, FL_TIME_STRLEN,
		    "%04lld-%02u-%02uT%02d:%02d:%02d.%06lldZ", (long long)y, m,
		    d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
		    (long long)us);
	else
		snprintf(out, FL_TIME_STRLEN, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
		    (long long)y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60),
		    (int)(sod % 60));
}

static int
take_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int
fl_parse_time_arg(const char *s, int64_t *utc_us)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh, om;
	int64_t us = 0, off = 0, scale = 100000;
	const char *p = s;

	if (take_digits(&p, 4, &y) || *p++ != '-' || take_digits(&p, 2, &mo) ||
	    *p++ != '-' || take_digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > fl_days_in_month(y, (unsigned)mo))
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (take_digits(&p, 2, &h) || *p++ != ':' ||
		    take_digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (take_digits(&p, 2, &se))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9')
					return -1;
				while (*p >= '0' && *p <= '9') {
					us += (*p - '0') * scale;
					scale /= 10;
					p++;
				}
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			return -1;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;

		if (take_digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (take_digits(&p, 2, &om))
			return -1;
		off = sign * (oh * 3600 + om * 60);
	}
	if (*p != '\0')
		return -1;
	*utc_us = (fl_civil_to_sec(y, (unsigned)mo, (unsigned)d, (unsigned)h,
	    (unsigned)mi, (unsigned)se) - off) * FL_US_PER_SEC + us;
	return 0;
}

int
fl_parse_duration(const char *s, int64_t *us)
{
	char *end;
	long long v;
	int64_t unit = 1;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno != 0 || v < 0)
		return -1;
	switch (*end) {
	case '\0': case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > INT64_MAX / FL_US_PER_SEC / unit)
		return -1;
	*us = (int64_t)v * unit * FL_US_PER_SEC;
	return 0;
}

void
fl_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	static const char hex[] = "0123456789abcdef";

	EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}
