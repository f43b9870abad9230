/*
 * Fuzz target: the format sniffer, every line scanner and the clock.
 * The first byte picks a format hint (low nibble: 0 sniffs) and a CSV
 * header put in front of the lines (high nibble); the rest is split into
 * lines as fl_input delivers them. Each line is parsed from a buffer of
 * exactly its length, so a read past the end is caught. The times found
 * go through year inference and zone conversion as the scan does.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fl_clock.h"
#include "fl_parse.h"
#include "fl_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const headers[] = {
	NULL,
	"Date,Time,Device,Event,Outlet,User,Interface",
	"Timestamp,Device,Event,User,Source",
	"Date,Time,UPS,Event",
	"Timestamp,Door,Badge,Name,Result",
	"\"Date\",\"Time\",\"UPS\",\"Event\"",
};

struct kept {
	struct fl_ltime t;
	uint32_t run;
};

static void
check_span(const struct fl_span *s)
{
	/* A span points into the line or into the parser's scratch; either
	 * way it must be readable over its whole length. */
	volatile unsigned char sink = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		sink ^= (unsigned char)s->p[i];
	(void)sink;
}

static void
check_parsed(const struct fl_parsed *o)
{
	size_t i;

	if ((unsigned)o->format >= FL_FMT_COUNT ||
	    o->n_extra > FL_PARSED_MAX_EXTRA)
		abort();
	check_span(&o->host);
	check_span(&o->program);
	check_span(&o->pid);
	check_span(&o->message);
	for (i = 0; i < o->n_extra; i++) {
		check_span(&o->extra_name[i]);
		check_span(&o->extra_value[i]);
	}
	if (o->t.zone_abbr != NULL) {
		struct fl_span z = {o->t.zone_abbr, o->t.zone_abbr_len};

		check_span(&z);
	}
	switch (o->t.kind) {
	case FL_LT_NO_YEAR:
	case FL_LT_LOCAL:
	case FL_LT_OFFSET:
		/* Scanners check ranges: the clock relies on it. */
		if (o->t.mon < 1 || o->t.mon > 12 || o->t.day < 1 ||
		    o->t.day > 31 || o->t.hour > 23 || o->t.min > 59 ||
		    o->t.sec > 60 || o->t.usec < 0 || o->t.usec > 999999)
			abort();
		break;
	default:
		break;
	}
}

static struct fl_zones *zones;
static const struct fl_zone *zone;

static void
parse_one(struct fl_parser *p, struct fl_year_infer *yi, const char *src,
    size_t len, struct kept **kept, size_t *nkept, size_t *capkept)
{
	struct fl_parsed o;
	char *line;

	if (len > 0 && src[len - 1] == '\r')
		len--;
	line = fl_xmalloc(len ? len : 1);
	memcpy(line, src, len);
	fl_parse_line(p, line, len, &o);
	check_parsed(&o);
	if (o.t.kind != FL_LT_NONE) {
		struct kept *k;

		FL_GROW(*kept, *capkept, *nkept + 1);
		k = &(*kept)[(*nkept)++];
		k->t = o.t;
		k->t.zone_abbr = NULL;
		k->run = 0;
		if (o.t.kind == FL_LT_NO_YEAR)
			k->run = fl_year_infer_add(yi, o.t.mon, o.t.day);
		else if (o.t.kind == FL_LT_LOCAL || o.t.kind == FL_LT_OFFSET)
			fl_year_infer_anchor(yi, o.t.year, o.t.mon, o.t.day);
	}
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_parse_opts opts;
	struct fl_parser *p;
	struct fl_year_infer *yi;
	struct fl_year_evidence yev;
	struct kept *kept = NULL;
	size_t nkept = 0, capkept = 0, i, start, hdr;
	int64_t not_before = INT64_MIN;
	char ts[FL_TIME_STRLEN], q[128];

	if (size == 0)
		return 0;
	if (zones == NULL) {
		char *err = NULL;

		zones = fl_zones_new();
		zone = fl_zones_get(zones, "Europe/Paris", &err);
		free(err);
		err = NULL;
		if (zone == NULL)
			zone = fl_zones_get(zones, "+02:00", &err);
		free(err);
	}
	memset(&opts, 0, sizeof opts);
	opts.hint = (enum fl_format)((data[0] & 0x0f) % FL_FMT_COUNT);
	hdr = (size_t)(data[0] >> 4) % (sizeof headers / sizeof headers[0]);
	data++;
	size--;
	p = fl_parser_new(&opts, NULL);
	yi = fl_year_infer_new();
	if (headers[hdr] != NULL)
		parse_one(p, yi, headers[hdr], strlen(headers[hdr]), &kept,
		    &nkept, &capkept);
	/* Lines as fl_input gives them: no empty line after a final newline. */
	for (start = 0, i = 0; i < size; i++) {
		if (data[i] != '\n')
			continue;
		parse_one(p, yi, (const char *)data + start, i - start, &kept,
		    &nkept, &capkept);
		start = i + 1;
	}
	if (start < size)
		parse_one(p, yi, (const char *)data + start, size - start,
		    &kept, &nkept, &capkept);
	fl_parser_format(p);

	memset(&yev, 0, sizeof yev);
	yev.mtime = (int64_t)1722676872;
	yev.mtime_source = FL_MTIME_FILE;
	fl_year_infer_solve(yi, &yev);
	for (i = 0; i < nkept; i++) {
		const struct fl_ltime *t = &kept[i].t;
		int32_t year = t->year;
		unsigned tf = 0;
		int64_t local, us = FL_TIME_UNKNOWN;

		/* The arithmetic of fl_scan's resolve_time. */
		switch (t->kind) {
		case FL_LT_EPOCH:
		case FL_LT_UPTIME:
		case FL_LT_PREINIT:
			us = t->epoch_us;
			break;
		case FL_LT_OFFSET:
			us = (fl_civil_to_sec(year, t->mon, t->day, t->hour,
			    t->min, t->sec) - t->utc_offset) * FL_US_PER_SEC +
			    t->usec;
			break;
		case FL_LT_NO_YEAR:
			year = fl_year_infer_year(yi, kept[i].run);
			if (year == 0)
				break;
			/* FALLTHROUGH */
		case FL_LT_LOCAL:
			local = fl_civil_to_sec(year, t->mon, t->day, t->hour,
			    t->min, t->sec);
			not_before = fl_zone_local_to_utc(zone, local,
			    not_before, &tf);
			us = not_before * FL_US_PER_SEC + t->usec;
			break;
		default:
			break;
		}
		fl_format_time(ts, us, 1);
		fl_time_quality_str(tf, q, sizeof q);
	}
	free(kept);
	fl_year_infer_free(yi);
	fl_parser_free(p);
	return 0;
}
