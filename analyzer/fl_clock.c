/*
 * fl_clock: time zones from TZif files (64-bit data of version 2+ files,
 * plus the POSIX TZ footer for instants after the last transition), fixed
 * offsets, local-to-UTC conversion with DST gaps and repeats, and RFC 3164
 * year inference.
 */
#include "config.h"

#include "fl_clock.h"
#include "fl_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZIF_MAX_BYTES (1 << 20)
#define MAX_OFFSET 93600 /* 26 hours: no zone is further from UTC */

static const char *const quality_names[] = {
	"year-inferred", "zone-assumed", "ambiguous", "nonexistent",
	"approx", "unknown", "boot-relative", "skew-corrected",
	"zone-corrected", "year-suspect", "abbr-by-zone", "abbr-ambiguous",
	"abbr-unknown",
};

void
fl_time_quality_str(unsigned tflags, char *out, size_t outlen)
{
	size_t len = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (tflags == 0) {
		snprintf(out, outlen, "exact");
		return;
	}
	for (unsigned b = 0; b < sizeof quality_names / sizeof quality_names[0];
	    b++) {
		int w;

		if (!(tflags & (1u << b)))
			continue;
		w = snprintf(out + len, outlen - len, "%s%s", len ? "," : "",
		    quality_names[b]);
		if (w < 0 || (size_t)w >= outlen - len) {
			out[len] = '\0'; /* only whole names */
			return;
		}
		len += (size_t)w;
	}
}

const char *
fl_year_source_name(enum fl_year_source src)
{
	switch (src) {
	case FL_YEAR_IN_LINE: return "in-line";
	case FL_YEAR_OPTION: return "option";
	case FL_YEAR_STREAM: return "stream";
	case FL_YEAR_MTIME_ARCHIVE: return "archive-mtime";
	case FL_YEAR_MTIME_GZIP: return "gzip-mtime";
	case FL_YEAR_MTIME_FILE: return "file-mtime";
	case FL_YEAR_ROTATION: return "rotation";
	case FL_YEAR_NONE: return "none";
	}
	return "none";
}

/* Zones */

/* A POSIX TZ rule date: Mm.w.d, Jn (1-365, no Feb 29) or n (0-365). */
struct rule_date {
	char kind;     /* 'M', 'J' or 'D' */
	int m, w, d;   /* for 'M'; d is also n for 'J' and 'D' */
	int32_t secs;  /* local time of day of the change */
};

struct posix_tz {
	int32_t std_off, dst_off; /* seconds east of UTC */
	int has_dst;
	struct rule_date start, end;
	char std_abbr[16], dst_abbr[16]; /* "CET", "CEST"; "+08" for <+08> */
};

struct fl_zone {
	char *name;
	int64_t *trans;        /* UTC seconds, ascending */
	int32_t *trans_off;    /* offset in force from trans[i] on */
	uint32_t *trans_abbr;  /* its abbreviation, an index into abbrs */
	size_t n;
	int32_t first_off;     /* before the first transition */
	uint32_t first_abbr;
	char *abbrs;           /* NUL-terminated abbreviations; NULL: none */
	int has_rule;          /* tz applies after the last transition */
	struct posix_tz tz;
};

struct fl_zones {
	struct fl_zone **v;
	size_t n, cap;
};

struct fl_zones *
fl_zones_new(void)
{
	return fl_xcalloc(1, sizeof(struct fl_zones));
}

static void
zone_free(struct fl_zone *z)
{
	if (z == NULL)
		return;
	free(z->name);
	free(z->trans);
	free(z->trans_off);
	free(z->trans_abbr);
	free(z->abbrs);
	free(z);
}

void
fl_zones_free(struct fl_zones *zs)
{
	if (zs == NULL)
		return;
	for (size_t i = 0; i < zs->n; i++)
		zone_free(zs->v[i]);
	free(zs->v);
	free(zs);
}

const char *
fl_zone_name(const struct fl_zone *z)
{
	return z->name;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Day of the year (0-based) a rule date falls on in year y. */
static int64_t
rule_day(const struct rule_date *r, int64_t y)
{
	int64_t jan1 = fl_days_from_civil(y, 1, 1);

	switch (r->kind) {
	case 'J':
		return r->d - 1 + (fl_is_leap(y) && r->d >= 60);
	case 'D':
		return r->d;
	default: {
		int64_t first = fl_days_from_civil(y, (unsigned)r->m, 1);
		int dow = (int)((first + 4) % 7 + 7) % 7; /* 1970-01-01: Thu */
		int mday = 1 + (r->d - dow + 7) % 7 + (r->w - 1) * 7;

		while (mday > (int)fl_days_in_month(y, (unsigned)r->m))
			mday -= 7;
		return first - jan1 + mday - 1;
	}
	}
}

static int32_t
posix_offset(const struct posix_tz *tz, int64_t t, const char **abbr)
{
	int64_t y, jan1, start, end;
	unsigned m, d;
	int dst;

	*abbr = tz->std_abbr;
	if (!tz->has_dst)
		return tz->std_off;
	fl_civil_from_days(floor_div(t + tz->std_off, 86400), &y, &m, &d);
	jan1 = fl_days_from_civil(y, 1, 1) * 86400;
	start = jan1 + rule_day(&tz->start, y) * 86400 + tz->start.secs -
	    tz->std_off;
	end = jan1 + rule_day(&tz->end, y) * 86400 + tz->end.secs -
	    tz->dst_off;
	if (start < end)
		dst = t >= start && t < end;
	else
		dst = !(t >= end && t < start);
	if (dst)
		*abbr = tz->dst_abbr;
	return dst ? tz->dst_off : tz->std_off;
}

/* The offset in force at UTC instant t, and its abbreviation ("" when the
 * zone has none). */
static int32_t
zone_at(const struct fl_zone *z, int64_t t, const char **abbr)
{
	size_t lo = 0, hi;

	*abbr = z->abbrs ? z->abbrs + z->first_abbr : "";
	if (z->n == 0)
		return z->has_rule ? posix_offset(&z->tz, t, abbr) :
		    z->first_off;
	if (t < z->trans[0])
		return z->first_off;
	if (t >= z->trans[z->n - 1] && z->has_rule)
		return posix_offset(&z->tz, t, abbr);
	hi = z->n; /* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	*abbr = z->abbrs + z->trans_abbr[lo];
	return z->trans_off[lo];
}

int32_t
fl_zone_offset_at(const struct fl_zone *z, int64_t t)
{
	const char *abbr;

	return zone_at(z, t, &abbr);
}

int
fl_zone_abbr_offset(const struct fl_zone *z, int64_t local_sec,
    const char *abbr, size_t n, int32_t *off)
{
	/* Each offset in force within a day of the wall time is a reading;
	 * it holds when the zone had that offset, under that name, then. */
	int32_t cand[2] = {
		fl_zone_offset_at(z, local_sec - MAX_OFFSET),
		fl_zone_offset_at(z, local_sec + MAX_OFFSET),
	};
	const char *a;

	for (int i = 0; i < 2; i++)
		if (zone_at(z, local_sec - cand[i], &a) == cand[i] &&
		    strlen(a) == n && memcmp(a, abbr, n) == 0) {
			*off = cand[i];
			return 1;
		}
	return 0;
}

int64_t
fl_zone_local_to_utc(const struct fl_zone *z, int64_t local_sec,
    int64_t not_before_utc, unsigned *tflags)
{
	int32_t o1 = fl_zone_offset_at(z, local_sec - MAX_OFFSET);
	int32_t o2 = fl_zone_offset_at(z, local_sec + MAX_OFFSET);
	int64_t u1 = local_sec - o1, u2 = local_sec - o2, early, late;
	int v1 = fl_zone_offset_at(z, u1) == o1;
	int v2 = fl_zone_offset_at(z, u2) == o2;

	if (o1 == o2 || (v1 && !v2))
		return u1;
	if (v2 && !v1)
		return u2;
	if (v1 && v2) {
		/* The repeated hour: both readings are real instants. */
		if (tflags)
			*tflags |= FL_TF_AMBIGUOUS;
		early = u1 < u2 ? u1 : u2;
		late = u1 < u2 ? u2 : u1;
		return early < not_before_utc ? late : early;
	}
	/* The skipped hour: read with the offset before the change, which
	 * moves the wall clock forward by the gap. */
	if (tflags)
		*tflags |= FL_TF_NONEXISTENT;
	return u1;
}

/* POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3") */

static const char *
tz_name(const char *s)
{
	const char *b = s;

	if (*s == '<') {
		while (*s && *s != '>')
			s++;
		return *s == '>' && s - b >= 2 ? s + 1 : NULL;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	return s - b >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] with hh up to 167; *v in seconds. */
static const char *
tz_hms(const char *s, int32_t *v)
{
	int sign = 1, h = 0, m = 0, sec = 0, k = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	while (*s >= '0' && *s <= '9' && k < 3) {
		h = h * 10 + (*s++ - '0');
		k++;
	}
	if (k == 0 || h > 167)
		return NULL;
	if (*s == ':') {
		if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
			return NULL;
		m = (s[1] - '0') * 10 + (s[2] - '0');
		s += 3;
		if (*s == ':') {
			if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
				return NULL;
			sec = (s[1] - '0') * 10 + (s[2] - '0');
			s += 3;
		}
	}
	if (m > 59 || sec > 59)
		return NULL;
	*v = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *
tz_num(const char *s, int *v, int lo, int hi)
{
	int r = 0, k = 0;

	while (*s >= '0' && *s <= '9' && k < 4) {
		r = r * 10 + (*s++ - '0');
		k++;
	}
	if (k == 0 || r < lo || r > hi)
		return NULL;
	*v = r;
	return s;
}

static const char *
tz_date(const char *s, struct rule_date *r)
{
	if (*s == 'M') {
		r->kind = 'M';
		if (!(s = tz_num(s + 1, &r->m, 1, 12)) || *s != '.' ||
		    !(s = tz_num(s + 1, &r->w, 1, 5)) || *s != '.' ||
		    !(s = tz_num(s + 1, &r->d, 0, 6)))
			return NULL;
	} else if (*s == 'J') {
		r->kind = 'J';
		if (!(s = tz_num(s + 1, &r->d, 1, 365)))
			return NULL;
	} else {
		r->kind = 'D';
		if (!(s = tz_num(s, &r->d, 0, 365)))
			return NULL;
	}
	r->secs = 7200;
	if (*s == '/' && !(s = tz_hms(s + 1, &r->secs)))
		return NULL;
	return s;
}

/* Copies the name that tz_name found in [b, e), without <>. */
static void
tz_name_copy(char *dst, size_t cap, const char *b, const char *e)
{
	size_t n;

	if (*b == '<') {
		b++;
		e--;
	}
	n = (size_t)(e - b) < cap ? (size_t)(e - b) : cap - 1;
	memcpy(dst, b, n);
	dst[n] = '\0';
}

/* Parses a POSIX TZ string; returns 0 or -1. An empty string is -1. */
static int
parse_posix_tz(const char *s, struct posix_tz *tz)
{
	const char *b = s;
	int32_t v;

	memset(tz, 0, sizeof *tz);
	if (!(s = tz_name(s)))
		return -1;
	tz_name_copy(tz->std_abbr, sizeof tz->std_abbr, b, s);
	if (!(s = tz_hms(s, &v)))
		return -1;
	tz->std_off = -v;
	if (*s == '\0')
		return 0;
	b = s;
	if (!(s = tz_name(s)))
		return -1;
	tz_name_copy(tz->dst_abbr, sizeof tz->dst_abbr, b, s);
	tz->dst_off = tz->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (!(s = tz_hms(s, &v)))
			return -1;
		tz->dst_off = -v;
	}
	if (*s == '\0') {
		/* DST named without rules: the US rules are POSIX's default. */
		tz->start = (struct rule_date){'M', 3, 2, 0, 7200};
		tz->end = (struct rule_date){'M', 11, 1, 0, 7200};
	} else if (*s != ',' || !(s = tz_date(s + 1, &tz->start)) ||
	    *s != ',' || !(s = tz_date(s + 1, &tz->end)) || *s != '\0') {
		return -1;
	}
	tz->has_dst = 1;
	return 0;
}

/* TZif */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chr;
};

static int
tzif_header(const unsigned char *b, size_t len, size_t off,
    struct tzif_counts *c, int *version)
{
	if (off > len || len - off < 44 || memcmp(b + off, "TZif", 4) != 0)
		return -1;
	*version = b[off + 4] == 0 ? 1 : b[off + 4] - '0';
	c->isut = be32(b + off + 20);
	c->isstd = be32(b + off + 24);
	c->leap = be32(b + off + 28);
	c->time = be32(b + off + 32);
	c->type = be32(b + off + 36);
	c->chr = be32(b + off + 40);
	if (c->type == 0 || c->type > 256 || c->time > 100000 ||
	    c->leap > 100000 || c->chr > 100000 ||
	    (c->isut && c->isut != c->type) ||
	    (c->isstd && c->isstd != c->type))
		return -1;
	return 0;
}

static size_t
tzif_data_len(const struct tzif_counts *c, unsigned tsize)
{
	return (size_t)c->time * tsize + c->time + (size_t)c->type * 6 +
	    c->chr + (size_t)c->leap * (tsize + 4) + c->isstd + c->isut;
}

static int
parse_tzif(const unsigned char *b, size_t len, struct fl_zone *z)
{
	struct tzif_counts c;
	size_t off = 0, p, types;
	unsigned tsize = 4;
	int version;

	if (tzif_header(b, len, 0, &c, &version) < 0)
		return -1;
	if (version >= 2) {
		off = 44 + tzif_data_len(&c, 4);
		if (tzif_header(b, len, off, &c, &version) < 0)
			return -1;
		tsize = 8;
	}
	p = off + 44;
	if (len - p < tzif_data_len(&c, tsize))
		return -1;
	types = p + (size_t)c.time * tsize + c.time;
	for (uint32_t k = 0; k < c.type; k++) {
		int32_t o = (int32_t)be32(b + types + 6 * k);

		if (o < -MAX_OFFSET || o > MAX_OFFSET ||
		    b[types + 6 * k + 5] >= c.chr)
			return -1;
	}
	/* The abbreviations, NUL-terminated even where the file is not. */
	z->abbrs = fl_xmalloc((size_t)c.chr + 1);
	memcpy(z->abbrs, b + types + (size_t)c.type * 6, c.chr);
	z->abbrs[c.chr] = '\0';
	z->first_off = (int32_t)be32(b + types);
	z->first_abbr = b[types + 5];
	z->trans = fl_xreallocarray(NULL, c.time ? c.time : 1, sizeof *z->trans);
	z->trans_off = fl_xreallocarray(NULL, c.time ? c.time : 1,
	    sizeof *z->trans_off);
	z->trans_abbr = fl_xreallocarray(NULL, c.time ? c.time : 1,
	    sizeof *z->trans_abbr);
	for (uint32_t k = 0; k < c.time; k++) {
		int64_t t = tsize == 8 ? be64(b + p + 8 * k) :
		    (int64_t)(int32_t)be32(b + p + 4 * k);
		unsigned idx = b[p + (size_t)c.time * tsize + k];

		if (idx >= c.type || (z->n > 0 && t <= z->trans[z->n - 1]))
			return -1;
		z->trans[z->n] = t;
		z->trans_off[z->n] = (int32_t)be32(b + types + 6 * idx);
		z->trans_abbr[z->n] = b[types + 6 * idx + 5];
		z->n++;
	}
	if (version >= 2) {
		/* Footer: "\nTZ\n" */
		size_t f = p + tzif_data_len(&c, tsize), e;
		char tz[256];

		if (f < len && b[f] == '\n') {
			for (e = f + 1; e < len && b[e] != '\n'; e++)
				;
			if (e < len && e - f - 1 < sizeof tz && e > f + 1) {
				memcpy(tz, b + f + 1, e - f - 1);
				tz[e - f - 1] = '\0';
				z->has_rule = parse_posix_tz(tz, &z->tz) == 0;
			}
		}
	}
	return 0;
}

static int
valid_zone_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 255 || name[0] == '/' || strstr(name, "..") != NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '_' ||
		    c == '-' || c == '+' || c == '.'))
			return 0;
	}
	return 1;
}

/* "+02:00", "-0500", "+02", "UTC", "Z", "GMT" */
static int
fixed_offset(const char *s, int32_t *off)
{
	int h, m = 0, sign;
	size_t n = strlen(s);

	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 ||
	    strcmp(s, "GMT") == 0) {
		*off = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || n < 3)
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
		return -1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (*s == ':')
		s++;
	if (*s) {
		if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
		    s[2] != '\0')
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

static struct fl_zone *
load_tzif(const char *name, char **err)
{
	const char *dir = getenv("TZDIR");
	unsigned char *buf = NULL;
	struct fl_zone *z;
	char *path;
	size_t len = 0;
	FILE *f;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	path = fl_xasprintf("%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		*err = fl_xasprintf("unknown time zone '%s' (not in %s)", name,
		    dir);
		free(path);
		return NULL;
	}
	buf = fl_xmalloc(TZIF_MAX_BYTES);
	len = fread(buf, 1, TZIF_MAX_BYTES, f);
	fclose(f);
	z = fl_xcalloc(1, sizeof *z);
	if (len == 0 || len == TZIF_MAX_BYTES || parse_tzif(buf, len, z) < 0) {
		*err = fl_xasprintf("time zone '%s': %s is not a valid TZif "
		    "file", name, path);
		zone_free(z);
		z = NULL;
	}
	free(buf);
	free(path);
	return z;
}

const struct fl_zone *
fl_zones_get(struct fl_zones *zs, const char *name, char **err)
{
	struct fl_zone *z;
	int32_t off;

	*err = NULL;
	if (name == NULL || *name == '\0') {
		*err = fl_xstrdup("empty time zone name");
		return NULL;
	}
	for (size_t i = 0; i < zs->n; i++)
		if (strcmp(zs->v[i]->name, name) == 0)
			return zs->v[i];
	if (fixed_offset(name, &off) == 0) {
		z = fl_xcalloc(1, sizeof *z);
		z->first_off = off;
	} else if (!valid_zone_name(name)) {
		*err = fl_xasprintf("invalid time zone name '%s'", name);
		return NULL;
	} else if ((z = load_tzif(name, err)) == NULL) {
		return NULL;
	}
	z->name = fl_xstrdup(name);
	FL_GROW(zs->v, zs->cap, zs->n + 1);
	zs->v[zs->n++] = z;
	return z;
}

/* Year inference */

struct yrun {
	uint8_t mon, day;
	int32_t year;
};

/* Year-bearing lines at one position of the stream (after pos runs): the
 * first and the last of them. */
struct yanchor {
	size_t pos;
	int32_t y0, y1;
	uint8_t m0, d0, m1, d1;
};

struct fl_year_infer {
	struct yrun *runs;
	size_t n, cap;
	struct yanchor *anch;
	size_t na, cap_a;
	int suspect;
};

struct fl_year_infer *
fl_year_infer_new(void)
{
	return fl_xcalloc(1, sizeof(struct fl_year_infer));
}

void
fl_year_infer_free(struct fl_year_infer *yi)
{
	if (yi == NULL)
		return;
	free(yi->runs);
	free(yi->anch);
	free(yi);
}

uint32_t
fl_year_infer_add(struct fl_year_infer *yi, unsigned mon, unsigned day)
{
	if (yi->n > 0 && yi->runs[yi->n - 1].mon == mon &&
	    yi->runs[yi->n - 1].day == day &&
	    (yi->na == 0 || yi->anch[yi->na - 1].pos < yi->n))
		return (uint32_t)(yi->n - 1);
	FL_GROW(yi->runs, yi->cap, yi->n + 1);
	yi->runs[yi->n].mon = (uint8_t)mon;
	yi->runs[yi->n].day = (uint8_t)day;
	yi->runs[yi->n].year = 0;
	return (uint32_t)yi->n++;
}

void
fl_year_infer_anchor(struct fl_year_infer *yi, int32_t year, unsigned mon,
    unsigned day)
{
	struct yanchor *a;

	if (year <= 0 || mon < 1 || mon > 12 || day < 1 || day > 31)
		return;
	if (yi->na == 0 || yi->anch[yi->na - 1].pos != yi->n) {
		FL_GROW(yi->anch, yi->cap_a, yi->na + 1);
		a = &yi->anch[yi->na++];
		a->pos = yi->n;
		a->y0 = year;
		a->m0 = (uint8_t)mon;
		a->d0 = (uint8_t)day;
	}
	a = &yi->anch[yi->na - 1];
	a->y1 = year;
	a->m1 = (uint8_t)mon;
	a->d1 = (uint8_t)day;
}

/* Day of a (month, day) in a leap year, 0-based: orders dates within a
 * year, Feb 29 included. */
static int
ord(unsigned mon, unsigned day)
{
	static const int cum[12] = {0, 31, 60, 91, 121, 152, 182, 213, 244,
		274, 305, 335};

	return cum[(mon - 1) % 12] + (int)day - 1;
}

/* Between neighbouring lines, a date more than half a year earlier is a
 * New Year; a date almost a year later is a line out of order by up to a
 * week across New Year (a longer forward jump is a quiet gap). */
#define ROLLOVER_DAYS 183
#define STRADDLE_DAYS 358

/* The year of (mon, day) that is latest but not after y-m-d plus slack
 * days (slack > 0), or earliest but not before it minus slack (slack <
 * 0). */
static int32_t
seed_year(int64_t y, unsigned m, unsigned d, int slack, unsigned mon,
    unsigned day)
{
	int64_t yy;
	unsigned mm, dd;

	fl_civil_from_days(fl_days_from_civil(y, m, d) + slack, &yy, &mm, &dd);
	if (slack >= 0)
		return (int32_t)(ord(mon, day) <= ord(mm, dd) ? yy : yy - 1);
	return (int32_t)(ord(mon, day) >= ord(mm, dd) ? yy : yy + 1);
}

/* Runs [from, to) get years walking backwards from runs[to], whose year
 * is set. */
static void
walk_back(struct fl_year_infer *yi, size_t from, size_t to)
{
	for (size_t r = to; r-- > from;) {
		const struct yrun *next = &yi->runs[r + 1];
		int d = ord(yi->runs[r].mon, yi->runs[r].day) -
		    ord(next->mon, next->day);

		yi->runs[r].year = next->year - (d > ROLLOVER_DAYS) +
		    (d < -STRADDLE_DAYS);
	}
}

/* Runs (from, to) get years walking forwards from runs[from]. */
static void
walk_forward(struct fl_year_infer *yi, size_t from, size_t to)
{
	for (size_t r = from + 1; r < to; r++) {
		const struct yrun *prev = &yi->runs[r - 1];
		int d = ord(yi->runs[r].mon, yi->runs[r].day) -
		    ord(prev->mon, prev->day);

		yi->runs[r].year = prev->year + (d < -ROLLOVER_DAYS) -
		    (d > STRADDLE_DAYS);
	}
}

static void
solve_from_anchors(struct fl_year_infer *yi)
{
	const struct yanchor *last = &yi->anch[yi->na - 1];
	size_t lo;

	/* After the last year-bearing line: forwards from it. */
	if (last->pos < yi->n) {
		struct yrun *r = &yi->runs[last->pos];

		r->year = seed_year(last->y1, last->m1, last->d1, -1, r->mon,
		    r->day);
		walk_forward(yi, last->pos, yi->n);
	}
	/* Before each one: backwards from it. */
	for (size_t k = yi->na; k-- > 0;) {
		const struct yanchor *a = &yi->anch[k];
		struct yrun *r;

		lo = k > 0 ? yi->anch[k - 1].pos : 0;
		if (a->pos == 0 || a->pos <= lo)
			continue;
		r = &yi->runs[a->pos - 1];
		r->year = seed_year(a->y0, a->m0, a->d0, 1, r->mon, r->day);
		walk_back(yi, lo, a->pos - 1);
	}
}

enum fl_year_source
fl_year_infer_solve(struct fl_year_infer *yi,
    const struct fl_year_evidence *ev)
{
	enum fl_year_source src;
	struct yrun *last;
	int64_t ly = 0, limit = INT64_MAX;
	unsigned lm = 0, ld = 0;
	int have_mtime = ev->mtime != INT64_MIN && ev->mtime > 0 &&
	    ev->mtime_source != FL_MTIME_NONE;

	yi->suspect = 0;
	if (yi->n == 0)
		return FL_YEAR_IN_LINE;
	last = &yi->runs[yi->n - 1];
	if (have_mtime) {
		fl_civil_from_days(floor_div(ev->mtime, 86400), &ly, &lm, &ld);
		limit = fl_days_from_civil(ly, lm, ld) + 1;
	}
	if (ev->forced_year > 0) {
		last->year = ev->forced_year;
		walk_back(yi, 0, yi->n - 1);
		src = FL_YEAR_OPTION;
	} else if (yi->na > 0) {
		solve_from_anchors(yi);
		src = FL_YEAR_STREAM;
	} else if (have_mtime) {
		last->year = seed_year(ly, lm, ld, 1, last->mon, last->day);
		walk_back(yi, 0, yi->n - 1);
		src = ev->mtime_source == FL_MTIME_ARCHIVE ?
		    FL_YEAR_MTIME_ARCHIVE : ev->mtime_source == FL_MTIME_GZIP ?
		    FL_YEAR_MTIME_GZIP : FL_YEAR_MTIME_FILE;
	} else {
		for (size_t r = 0; r < yi->n; r++)
			yi->runs[r].year = 0;
		return FL_YEAR_NONE;
	}
	for (size_t r = 0; r < yi->n; r++) {
		const struct yrun *x = &yi->runs[r];

		/* Feb 29 in a common year, or lines after the evidence */
		if (x->day > fl_days_in_month(x->year, x->mon) ||
		    fl_days_from_civil(x->year, x->mon, x->day) > limit)
			yi->suspect = 1;
	}
	return src;
}

int32_t
fl_year_infer_year(const struct fl_year_infer *yi, uint32_t run)
{
	return run < yi->n ? yi->runs[run].year : 0;
}

int
fl_year_infer_suspect(const struct fl_year_infer *yi)
{
	return yi->suspect;
}
