/*
 * fl_clock: puts every event on one UTC clock and says how.
 *
 * Zones come from the TZif files of the system tz database (TZDIR or
 * /usr/share/zoneinfo), read once into a table of transitions: no
 * localtime/mktime, no TZ environment, safe across threads once loaded.
 * Years of RFC 3164 lines are inferred for each stream on its own from
 * evidence (a year in the stream, the member's or file's mtime, --year),
 * walking backwards from the newest line and stepping back a year at each
 * December→January rollover. A year written in the log is never changed.
 *
 * Ownership: struct fl_zones owns every struct fl_zone it returns
 * (fl_zones_free releases them); struct fl_year_infer is owned by its
 * creator.
 */
#ifndef FL_CLOCK_H
#define FL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "fl_parse.h"

/* How an event's time was obtained (bits; 0 = exact, from the line). */
#define FL_TF_YEAR_INFERRED  0x001u /* the line had no year */
#define FL_TF_ZONE_ASSUMED   0x002u /* the line had no offset: zone from options or UTC */
#define FL_TF_AMBIGUOUS      0x004u /* local time in a repeated (autumn) hour */
#define FL_TF_NONEXISTENT    0x008u /* local time in a skipped (spring) hour */
#define FL_TF_APPROX         0x010u /* no time in the line: a neighbour's time */
#define FL_TF_UNKNOWN        0x020u /* no time could be given at all */
#define FL_TF_BOOT_RELATIVE  0x040u /* seconds since boot plus a known boot time */
#define FL_TF_SKEW_CORRECTED 0x080u /* a per-host clock offset was applied */
#define FL_TF_ZONE_CORRECTED 0x100u /* the zone assumed was found wrong and fixed */
#define FL_TF_YEAR_SUSPECT   0x200u /* year inference had conflicting evidence */
/* A zone abbreviation written in the line ("CST")... */
#define FL_TF_ABBR_BY_ZONE   0x400u /* ...read as the configured zone's, which
                                     * went by it then, not as commonly */
#define FL_TF_ABBR_AMBIGUOUS 0x800u /* ...names several zones, none of them the
                                     * configured one: read as commonly, and
                                     * FL_TF_ZONE_ASSUMED */
#define FL_TF_ABBR_UNKNOWN  0x1000u /* ...unknown, and not the configured
                                     * zone's: FL_TF_ZONE_ASSUMED */
/* Writes "exact" or a comma-separated list: "year-inferred,zone-assumed". */
void fl_time_quality_str(unsigned tflags, char *out, size_t outlen);

/* Where a year came from. */
enum fl_year_source {
	FL_YEAR_IN_LINE = 0,   /* the line carries its year */
	FL_YEAR_OPTION,        /* --year */
	FL_YEAR_STREAM,        /* another line of the same stream carries a year */
	FL_YEAR_MTIME_ARCHIVE, /* the archive member's mtime */
	FL_YEAR_MTIME_GZIP,    /* the gzip header's mtime */
	FL_YEAR_MTIME_FILE,    /* the file system mtime */
	FL_YEAR_ROTATION,      /* never given; holds FL_YEAR_NONE's number
	                        * in part files */
	FL_YEAR_NONE           /* no evidence: year left unknown */
};
const char *fl_year_source_name(enum fl_year_source src);

/* Zones */
struct fl_zone;
struct fl_zones;
struct fl_zones *fl_zones_new(void);
void fl_zones_free(struct fl_zones *zs);
/* "UTC", "Europe/Paris", "+02:00", "-0500". Returns NULL and sets *err
 * (malloc'd message) when the zone is unknown. Not thread-safe: load every
 * zone before starting workers. */
const struct fl_zone *fl_zones_get(struct fl_zones *zs, const char *name,
    char **err);
const char *fl_zone_name(const struct fl_zone *z);
/* Offset east of UTC in seconds at a UTC instant. */
int32_t fl_zone_offset_at(const struct fl_zone *z, int64_t utc_sec);
/* The offset (seconds east of UTC) zone z had at local civil seconds
 * local_sec if it went by abbreviation abbr[0..n) then ("CST" in
 * Asia/Shanghai, "CDT" in America/Chicago in summer); 0 when it did not. */
int fl_zone_abbr_offset(const struct fl_zone *z, int64_t local_sec,
    const char *abbr, size_t n, int32_t *off);
/* Converts local civil seconds (fl_civil_to_sec of the wall clock) to UTC
 * seconds. In a repeated hour, the earlier instant is chosen unless it lies
 * before not_before_utc (the previous event of the stream, UTC seconds;
 * INT64_MIN for none), which keeps a stream monotonic across the autumn
 * change; *tflags gets FL_TF_AMBIGUOUS or FL_TF_NONEXISTENT (a time in the
 * spring gap is moved forward by the gap). tflags may be NULL. */
int64_t fl_zone_local_to_utc(const struct fl_zone *z, int64_t local_sec,
    int64_t not_before_utc, unsigned *tflags);

/* Year inference for one stream. Lines without a year are added in stream
 * order; consecutive lines on the same month and day share one run, so the
 * memory used grows with the days covered, not the lines. */
struct fl_year_infer;
struct fl_year_infer *fl_year_infer_new(void);
void fl_year_infer_free(struct fl_year_infer *yi);
/* Adds a year-less line; returns the run index to ask fl_year_infer_year. */
uint32_t fl_year_infer_add(struct fl_year_infer *yi, unsigned mon,
    unsigned day);
/* A line of the same stream that carries a full date (year evidence). */
void fl_year_infer_anchor(struct fl_year_infer *yi, int32_t year,
    unsigned mon, unsigned day);
struct fl_year_evidence {
	int32_t forced_year;          /* --year, 0 if not given */
	int64_t mtime;                /* INT64_MIN if unknown */
	enum fl_mtime_source mtime_source;
};
/* Solves the years of all runs. Returns the source used (FL_YEAR_IN_LINE
 * when no year-less line was added). Neighbouring runs more than half a
 * year apart backwards are a New Year; a line out of order by up to a week
 * across New Year keeps its own year. An mtime may be up to a day before
 * the newest line. */
enum fl_year_source fl_year_infer_solve(struct fl_year_infer *yi,
    const struct fl_year_evidence *ev);
/* Year of a run after solve; 0 when no evidence gave one. */
int32_t fl_year_infer_year(const struct fl_year_infer *yi, uint32_t run);
/* Set after solve when the evidence disagreed (e.g. Feb 29 in a non-leap
 * year, lines later than the mtime). */
int fl_year_infer_suspect(const struct fl_year_infer *yi);

#endif
