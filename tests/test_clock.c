/* Unit tests of fl_clock: zones (TZif, POSIX TZ footer, fixed offsets),
 * DST gaps and repeats, and RFC 3164 year inference. The tz database
 * tests are skipped when the system has no Europe/Paris. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fl_clock.h"
#include "fl_util.h"
#include "tap.h"

static int64_t
utc(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
	return fl_civil_to_sec(y, mo, d, h, mi, s);
}

static void
test_strings(void)
{
	char q[64];

	fl_time_quality_str(0, q, sizeof q);
	is_str(q, "exact", "quality exact");
	fl_time_quality_str(FL_TF_YEAR_INFERRED | FL_TF_ZONE_ASSUMED, q,
	    sizeof q);
	is_str(q, "year-inferred,zone-assumed", "quality list");
	fl_time_quality_str(FL_TF_AMBIGUOUS | FL_TF_YEAR_SUSPECT, q, 12);
	is_str(q, "ambiguous", "quality truncated at a whole name");
	fl_time_quality_str(FL_TF_ZONE_ASSUMED | FL_TF_ABBR_UNKNOWN, q,
	    sizeof q);
	is_str(q, "zone-assumed,abbr-unknown", "quality of an unknown zone "
	    "abbreviation");
	is_str(fl_year_source_name(FL_YEAR_MTIME_GZIP), "gzip-mtime",
	    "year source name");
}

static void
test_fixed(struct fl_zones *zs)
{
	const struct fl_zone *z;
	char *err;
	unsigned tf = 0;

	z = fl_zones_get(zs, "+02:00", &err);
	ok(z && fl_zone_offset_at(z, 0) == 7200, "+02:00");
	ok(z && fl_zone_local_to_utc(z, 7200, INT64_MIN, &tf) == 0 && tf == 0,
	    "fixed offset local to UTC");
	ok(fl_zones_get(zs, "+02:00", &err) == z, "zones are loaded once");
	z = fl_zones_get(zs, "-0500", &err);
	ok(z && fl_zone_offset_at(z, 0) == -18000, "-0500");
	z = fl_zones_get(zs, "UTC", &err);
	ok(z && fl_zone_offset_at(z, 123) == 0, "UTC");
	is_str(z ? fl_zone_name(z) : NULL, "UTC", "zone name");

	ok(fl_zones_get(zs, "../../etc/passwd", &err) == NULL && err != NULL,
	    "a name with .. is refused");
	free(err);
	ok(fl_zones_get(zs, "/etc/localtime", &err) == NULL && err != NULL,
	    "an absolute name is refused");
	free(err);
	ok(fl_zones_get(zs, "+25:00", &err) == NULL && err != NULL,
	    "offset out of range");
	free(err);
	ok(fl_zones_get(zs, "Mars/Olympus_Mons", &err) == NULL &&
	    err != NULL && strstr(err, "Mars/Olympus_Mons") != NULL,
	    "an unknown zone is an error naming it");
	free(err);
}

/* Europe/Paris 2024: CET (+1) until 03-31 01:00Z, CEST (+2) until 10-27
 * 01:00Z. */
static void
test_paris(struct fl_zones *zs)
{
	const struct fl_zone *z;
	char *err;
	unsigned tf;
	int64_t u;

	z = fl_zones_get(zs, "Europe/Paris", &err);
	if (z == NULL) {
		printf("ok %d # SKIP no Europe/Paris in the tz database: %s\n",
		    ++tap_n, err);
		free(err);
		return;
	}
	is_int(fl_zone_offset_at(z, utc(2024, 1, 15, 12, 0, 0)), 3600,
	    "Paris winter +1");
	is_int(fl_zone_offset_at(z, utc(2024, 7, 15, 12, 0, 0)), 7200,
	    "Paris summer +2");
	is_int(fl_zone_offset_at(z, utc(2024, 3, 31, 0, 59, 59)), 3600,
	    "just before the spring change");
	is_int(fl_zone_offset_at(z, utc(2024, 3, 31, 1, 0, 0)), 7200,
	    "at the spring change");
	is_int(fl_zone_offset_at(z, utc(2100, 7, 1, 0, 0, 0)), 7200,
	    "2100 summer from the TZ footer rule");
	is_int(fl_zone_offset_at(z, utc(2100, 12, 1, 0, 0, 0)), 3600,
	    "2100 winter from the TZ footer rule");
	is_int(fl_zone_offset_at(z, utc(1850, 1, 1, 0, 0, 0)), 561,
	    "before the first transition: local mean time");

	tf = 0;
	u = fl_zone_local_to_utc(z, utc(2024, 1, 15, 12, 0, 0), INT64_MIN, &tf);
	ok(u == utc(2024, 1, 15, 11, 0, 0) && tf == 0, "plain winter time");

	tf = 0;
	u = fl_zone_local_to_utc(z, utc(2024, 3, 31, 2, 30, 0), INT64_MIN, &tf);
	ok(u == utc(2024, 3, 31, 1, 30, 0), "spring gap 02:30 is 03:30 CEST");
	is_int(tf, FL_TF_NONEXISTENT, "and is flagged nonexistent");

	tf = 0;
	u = fl_zone_local_to_utc(z, utc(2024, 10, 27, 2, 30, 0), INT64_MIN, &tf);
	ok(u == utc(2024, 10, 27, 0, 30, 0),
	    "autumn repeat 02:30: the earlier instant without a hint");
	is_int(tf, FL_TF_AMBIGUOUS, "and is flagged ambiguous");

	tf = 0;
	u = fl_zone_local_to_utc(z, utc(2024, 10, 27, 2, 30, 0),
	    utc(2024, 10, 27, 0, 50, 0), &tf);
	ok(u == utc(2024, 10, 27, 1, 30, 0) && tf == FL_TF_AMBIGUOUS,
	    "autumn repeat after an event at 00:50Z: the later instant");
	tf = 0;
	u = fl_zone_local_to_utc(z, utc(2024, 10, 27, 2, 30, 0),
	    utc(2024, 10, 27, 0, 30, 0), &tf);
	ok(u == utc(2024, 10, 27, 0, 30, 0),
	    "an event at the same instant keeps the earlier reading");
	tf = 0;
	u = fl_zone_local_to_utc(z, utc(2024, 10, 27, 3, 0, 0), INT64_MIN, &tf);
	ok(u == utc(2024, 10, 27, 2, 0, 0) && tf == 0,
	    "03:00 after the repeat is plain");

	tf = 0;
	u = fl_zone_local_to_utc(z, utc(2100, 3, 28, 2, 30, 0), INT64_MIN, &tf);
	ok(u == utc(2100, 3, 28, 1, 30, 0) && tf == FL_TF_NONEXISTENT,
	    "2100 spring gap from the footer rule");
}

static void
test_mixed(struct fl_zones *zs)
{
	const struct fl_zone *ny, *syd, *paris;
	char *err = NULL;
	unsigned tf = 0;

	ny = fl_zones_get(zs, "America/New_York", &err);
	free(err);
	syd = fl_zones_get(zs, "Australia/Sydney", &err);
	free(err);
	paris = fl_zones_get(zs, "Europe/Paris", &err);
	free(err);
	if (!ny || !syd || !paris) {
		printf("ok %d # SKIP zones missing from the tz database\n",
		    ++tap_n);
		return;
	}
	/* One instant, 2024-08-03 07:41:12Z, written by three hosts. */
	ok(fl_zone_local_to_utc(paris, utc(2024, 8, 3, 9, 41, 12), INT64_MIN,
	    &tf) == utc(2024, 8, 3, 7, 41, 12) &&
	    fl_zone_local_to_utc(ny, utc(2024, 8, 3, 3, 41, 12), INT64_MIN,
	    &tf) == utc(2024, 8, 3, 7, 41, 12) &&
	    fl_zone_local_to_utc(syd, utc(2024, 8, 3, 17, 41, 12), INT64_MIN,
	    &tf) == utc(2024, 8, 3, 7, 41, 12) && tf == 0,
	    "mixed zones put one instant on one UTC clock");
	is_int(fl_zone_offset_at(syd, utc(2100, 1, 15, 0, 0, 0)), 39600,
	    "southern summer in 2100 (footer rule across New Year)");
	is_int(fl_zone_offset_at(syd, utc(2100, 7, 15, 0, 0, 0)), 36000,
	    "southern winter in 2100");
	is_int(fl_zone_offset_at(ny, utc(2100, 11, 10, 12, 0, 0)), -18000,
	    "New York 2100 after the first Sunday of November");
}

/* Zone abbreviations as the zone itself used them. */
static void
test_abbr(struct fl_zones *zs)
{
	const struct fl_zone *sh, *chi;
	char *err = NULL;
	int32_t off = 0;

	sh = fl_zones_get(zs, "Asia/Shanghai", &err);
	free(err);
	chi = fl_zones_get(zs, "America/Chicago", &err);
	free(err);
	if (!sh || !chi) {
		printf("ok %d # SKIP zones missing from the tz database\n",
		    ++tap_n);
		return;
	}
	ok(fl_zone_abbr_offset(sh, utc(2023, 1, 11, 11, 29, 43), "CST", 3,
	    &off) && off == 8 * 3600, "CST in Shanghai is UTC+8");
	ok(fl_zone_abbr_offset(chi, utc(2023, 1, 11, 11, 29, 43), "CST", 3,
	    &off) && off == -6 * 3600, "CST in Chicago in winter is UTC-6");
	ok(!fl_zone_abbr_offset(chi, utc(2023, 7, 11, 11, 29, 43), "CST", 3,
	    &off), "Chicago does not go by CST in summer");
	ok(fl_zone_abbr_offset(chi, utc(2023, 7, 11, 11, 29, 43), "CDT", 3,
	    &off) && off == -5 * 3600, "but by CDT");
	ok(!fl_zone_abbr_offset(sh, utc(2023, 1, 11, 11, 29, 43), "JST", 3,
	    &off), "nor Shanghai by JST");
	ok(fl_zone_abbr_offset(chi, utc(2024, 11, 3, 1, 30, 0), "CST", 3,
	    &off) && off == -6 * 3600 &&
	    fl_zone_abbr_offset(chi, utc(2024, 11, 3, 1, 30, 0), "CDT", 3,
	    &off) && off == -5 * 3600,
	    "the abbreviation tells the repeated hour's two readings apart");
}

/* A TZif v2 file without transitions: only the footer rule counts. */
static void
test_footer_only(void)
{
	static const unsigned char head[44 - 24] = "TZif2";
	const char *footer = "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
	char dir[] = "/tmp/fl-tz-XXXXXX", path[300];
	unsigned char counts[24] = {0}, types[6 + 4] = {0};
	const struct fl_zone *z;
	struct fl_zones *zs;
	char *err = NULL, *old;
	int32_t off = 0;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		ok(0, "temporary directory");
		return;
	}
	snprintf(path, sizeof path, "%s/Test", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/Test/Zone", dir);
	f = fopen(path, "wb");
	counts[19] = 1;         /* typecnt */
	counts[23] = 4;         /* charcnt */
	types[3] = 0x10;        /* utoff 3600 (0x0e10) */
	types[2] = 0x0e;
	memcpy(types + 6, "CET", 4);
	for (int pass = 0; pass < 2; pass++) {
		fwrite(head, 1, sizeof head, f);
		fwrite(counts, 1, sizeof counts, f);
		fwrite(types, 1, sizeof types, f);
	}
	fputs(footer, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/Bad", dir);
	f = fopen(path, "wb");
	fputs("TZif2 but nothing else", f);
	fclose(f);

	old = getenv("TZDIR") ? fl_xstrdup(getenv("TZDIR")) : NULL;
	setenv("TZDIR", dir, 1);
	zs = fl_zones_new();
	z = fl_zones_get(zs, "Test/Zone", &err);
	ok(z != NULL, "a TZif v2 file from TZDIR loads");
	ok(z && fl_zone_offset_at(z, utc(2024, 7, 1, 0, 0, 0)) == 7200 &&
	    fl_zone_offset_at(z, utc(2024, 12, 1, 0, 0, 0)) == 3600,
	    "its footer rule gives summer and winter time");
	ok(z && fl_zone_offset_at(z, utc(2024, 10, 27, 0, 59, 59)) == 7200 &&
	    fl_zone_offset_at(z, utc(2024, 10, 27, 1, 0, 0)) == 3600,
	    "the change at 03:00 local on the last Sunday of October");
	ok(z && fl_zone_abbr_offset(z, utc(2024, 7, 1, 12, 0, 0), "CEST", 4,
	    &off) && off == 7200 && fl_zone_abbr_offset(z,
	    utc(2024, 12, 1, 12, 0, 0), "CET", 3, &off) && off == 3600,
	    "the footer rule names summer and winter time");
	free(err);
	ok(fl_zones_get(zs, "Bad", &err) == NULL && err != NULL,
	    "a damaged TZif file is an error");
	free(err);
	fl_zones_free(zs);
	if (old) {
		setenv("TZDIR", old, 1);
		free(old);
	} else {
		unsetenv("TZDIR");
	}
	snprintf(path, sizeof path, "%s/Test/Zone", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/Test", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/Bad", dir);
	unlink(path);
	rmdir(dir);
}

static struct fl_year_evidence
evidence(int64_t mtime, enum fl_mtime_source src)
{
	struct fl_year_evidence ev = {0, mtime, src};

	return ev;
}

static void
test_years(void)
{
	struct fl_year_infer *yi = fl_year_infer_new();
	struct fl_year_evidence ev = evidence(utc(2025, 1, 3, 10, 0, 0),
	    FL_MTIME_FILE);
	uint32_t r[6];

	/* Across New Year with only an mtime. */
	r[0] = fl_year_infer_add(yi, 12, 30);
	ok(fl_year_infer_add(yi, 12, 30) == r[0], "one run per day");
	r[1] = fl_year_infer_add(yi, 12, 31);
	r[2] = fl_year_infer_add(yi, 1, 1);
	r[3] = fl_year_infer_add(yi, 1, 2);
	is_int(fl_year_infer_solve(yi, &ev), FL_YEAR_MTIME_FILE,
	    "year from the file mtime");
	ok(fl_year_infer_year(yi, r[0]) == 2024 &&
	    fl_year_infer_year(yi, r[1]) == 2024 &&
	    fl_year_infer_year(yi, r[2]) == 2025 &&
	    fl_year_infer_year(yi, r[3]) == 2025,
	    "Dec 30, 31 in 2024; Jan 1, 2 in 2025");
	ok(!fl_year_infer_suspect(yi), "not suspect");
	ev.mtime_source = FL_MTIME_GZIP;
	is_int(fl_year_infer_solve(yi, &ev), FL_YEAR_MTIME_GZIP,
	    "gzip mtime source");

	/* The mtime a little earlier than the last line (zones). */
	ev = evidence(utc(2025, 1, 1, 22, 0, 0), FL_MTIME_ARCHIVE);
	is_int(fl_year_infer_solve(yi, &ev), FL_YEAR_MTIME_ARCHIVE,
	    "archive mtime source");
	ok(fl_year_infer_year(yi, r[3]) == 2025 &&
	    fl_year_infer_year(yi, r[0]) == 2024,
	    "an mtime up to a day before the last line is tolerated");
	/* An mtime long before: the last line goes to the year before. */
	ev = evidence(utc(2024, 12, 15, 0, 0, 0), FL_MTIME_FILE);
	fl_year_infer_solve(yi, &ev);
	ok(fl_year_infer_year(yi, r[3]) == 2024 &&
	    fl_year_infer_year(yi, r[0]) == 2023, "mtime in mid-December");

	/* --year: the newest line gets it, older ones roll back. */
	ev = evidence(INT64_MIN, FL_MTIME_NONE);
	ev.forced_year = 2020;
	is_int(fl_year_infer_solve(yi, &ev), FL_YEAR_OPTION, "--year wins");
	ok(fl_year_infer_year(yi, r[3]) == 2020 &&
	    fl_year_infer_year(yi, r[1]) == 2019, "and rolls back at New Year");
	ev.mtime = utc(2019, 6, 1, 0, 0, 0);
	ev.mtime_source = FL_MTIME_FILE;
	fl_year_infer_solve(yi, &ev);
	ok(fl_year_infer_suspect(yi), "lines after the mtime are suspect");

	/* No evidence at all. */
	ev = evidence(INT64_MIN, FL_MTIME_NONE);
	is_int(fl_year_infer_solve(yi, &ev), FL_YEAR_NONE, "no evidence");
	is_int(fl_year_infer_year(yi, r[0]), 0, "year left unknown");
	is_int(fl_year_infer_year(yi, 99), 0, "unknown run");
	fl_year_infer_free(yi);

	/* Out-of-order lines around New Year. */
	yi = fl_year_infer_new();
	r[0] = fl_year_infer_add(yi, 12, 31);
	r[1] = fl_year_infer_add(yi, 1, 1);
	r[2] = fl_year_infer_add(yi, 12, 31);
	r[3] = fl_year_infer_add(yi, 1, 1);
	r[4] = fl_year_infer_add(yi, 1, 5);
	r[5] = fl_year_infer_add(yi, 1, 3);
	ev = evidence(utc(2025, 1, 6, 0, 0, 0), FL_MTIME_FILE);
	fl_year_infer_solve(yi, &ev);
	ok(fl_year_infer_year(yi, r[0]) == 2024 &&
	    fl_year_infer_year(yi, r[1]) == 2025 &&
	    fl_year_infer_year(yi, r[2]) == 2024 &&
	    fl_year_infer_year(yi, r[3]) == 2025 &&
	    fl_year_infer_year(yi, r[4]) == 2025 &&
	    fl_year_infer_year(yi, r[5]) == 2025,
	    "small backward steps do not change the year");
	fl_year_infer_free(yi);

	/* A quiet log: months without lines are a gap, not a New Year. */
	yi = fl_year_infer_new();
	r[0] = fl_year_infer_add(yi, 1, 5);
	r[1] = fl_year_infer_add(yi, 12, 20);
	ev = evidence(utc(2024, 12, 21, 0, 0, 0), FL_MTIME_FILE);
	fl_year_infer_solve(yi, &ev);
	ok(fl_year_infer_year(yi, r[0]) == 2024 &&
	    fl_year_infer_year(yi, r[1]) == 2024, "an eleven-month gap");
	fl_year_infer_free(yi);

	/* Leap day. */
	yi = fl_year_infer_new();
	fl_year_infer_add(yi, 2, 28);
	r[0] = fl_year_infer_add(yi, 2, 29);
	fl_year_infer_add(yi, 3, 1);
	ev = evidence(utc(2024, 3, 2, 0, 0, 0), FL_MTIME_FILE);
	fl_year_infer_solve(yi, &ev);
	ok(fl_year_infer_year(yi, r[0]) == 2024 && !fl_year_infer_suspect(yi),
	    "Feb 29 in 2024 is fine");
	ev = evidence(utc(2023, 3, 2, 0, 0, 0), FL_MTIME_FILE);
	fl_year_infer_solve(yi, &ev);
	ok(fl_year_infer_year(yi, r[0]) == 2023 && fl_year_infer_suspect(yi),
	    "Feb 29 in 2023 is suspect");
	fl_year_infer_free(yi);

	/* Year-bearing lines in the same stream beat the mtime. */
	yi = fl_year_infer_new();
	r[0] = fl_year_infer_add(yi, 12, 30);
	fl_year_infer_anchor(yi, 2021, 12, 31);
	r[1] = fl_year_infer_add(yi, 12, 31);
	r[2] = fl_year_infer_add(yi, 1, 1);
	ev = evidence(utc(2025, 1, 3, 0, 0, 0), FL_MTIME_FILE);
	is_int(fl_year_infer_solve(yi, &ev), FL_YEAR_STREAM,
	    "a year in the stream is the evidence");
	ok(fl_year_infer_year(yi, r[0]) == 2021 &&
	    fl_year_infer_year(yi, r[2]) == 2022, "years around it");
	r[3] = fl_year_infer_add(yi, 12, 31);
	r[4] = fl_year_infer_add(yi, 1, 2);
	ok(fl_year_infer_solve(yi, &ev) == FL_YEAR_STREAM &&
	    fl_year_infer_year(yi, r[0]) == 2021 &&
	    fl_year_infer_year(yi, r[1]) == 2021 &&
	    fl_year_infer_year(yi, r[2]) == 2022 &&
	    fl_year_infer_year(yi, r[3]) == 2021 &&
	    fl_year_infer_year(yi, r[4]) == 2022,
	    "before it backwards, after it forwards across New Year, with "
	    "a line out of order");
	fl_year_infer_free(yi);
}

int
main(void)
{
	struct fl_zones *zs = fl_zones_new();

	test_strings();
	test_fixed(zs);
	test_paris(zs);
	test_mixed(zs);
	test_abbr(zs);
	fl_zones_free(zs);
	test_footer_only();
	test_years();
	return tap_done();
}
