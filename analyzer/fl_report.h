/*
 * fl_report: the analysis result (what fl_analyze decided and why) and its
 * renderings. The struct is the report contract of docs/REPORT.md; text
 * and JSON are views of it, and further views (HTML, Markdown) render the
 * same struct without redoing any analysis.
 *
 * Ownership: a struct fl_report owns its arrays and the strings it built
 * (in its arena). It borrows the strings of the evidence it was made from
 * (paths, members, host names, raw lines) and of the rule set (rule ids):
 * free the report before either. fl_report_free releases it.
 */
#ifndef FL_REPORT_H
#define FL_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fl_evidence.h"
#include "fl_util.h"

/* The causes, in the order of the hypotheses table. */
enum fl_cause {
	FL_CAUSE_ACCIDENT,      /* accidental-power-fault */
	FL_CAUSE_SABOTAGE,      /* sabotage */
	FL_CAUSE_CYBERATTACK,   /* cyberattack */
	FL_CAUSE_PLANNED,       /* planned-shutdown */
	FL_CAUSE_NO_INCIDENT,   /* no-incident */
	FL_CAUSE_INCONCLUSIVE   /* the evidence does not separate them */
};
#define FL_N_HYPOTHESES 5
const char *fl_cause_name(enum fl_cause c);

/* One cited line, with its provenance. */
struct fl_cite {
	const char *input;      /* input file path */
	const char *member;     /* "" for the file itself */
	uint64_t line;
	int64_t time_us;        /* corrected UTC */
	int64_t raw_time_us;    /* as first resolved */
	unsigned tflags;
	const char *host;
	const char *rule;       /* rule id, or NULL */
	const char *signal;     /* or NULL */
	const char *text;       /* the raw line */
};

struct fl_kv {
	const char *key;
	const char *value;
};

struct fl_report_gap {
	int64_t start_us, end_us;   /* end FL_TIME_UNKNOWN when open */
	const char *kind;           /* fl_gap_kind */
	const char *began, *ended;  /* fl_gap_began_name, fl_gap_ended_name */
	const char *requested_by;   /* fl_requester_name */
	const char *user;           /* or NULL */
	int in_incident;
	size_t n_cites;
	struct fl_cite *cites;
};

struct fl_report_host {
	const char *name;
	const char *kind;           /* server, bmc-only, device */
	const char *zone;
	const char *zone_source;    /* line, tz-host, tz, default-utc */
	int64_t clock_offset_us;    /* applied correction */
	double clock_confidence;    /* 0..1, 0 when none applied */
	const char *clock_basis;    /* how it was found, or NULL */
	int zone_corrected;
	int64_t bmc_offset_us;      /* BMC log of this host, when corrected */
	uint64_t lines;
	int64_t first_us, last_us;
	size_t n_gaps;
	struct fl_report_gap *gaps;
};

struct fl_report_finding {
	const char *id;             /* "F1", "F2"... in time order */
	const char *category;       /* power, host, security, context */
	const char *signal;
	const char *title;
	int noise;                  /* reported but not a cause */
	int64_t start_us, end_us;
	size_t n_hosts;
	const char **hosts;
	size_t n_fields;
	struct fl_kv *fields;
	size_t n_cites;             /* cited lines (bounded) */
	struct fl_cite *cites;
	uint64_t n_events;          /* lines behind the finding */
};

struct fl_report_check {
	const char *check;          /* what was looked for */
	size_t hosts_covered, hosts_total;
	int64_t from_us, to_us;     /* span of the evidence consulted */
	const char *result;
};

struct fl_report_ruled_out {
	enum fl_cause cause;
	double score;
	size_t n_checks;
	struct fl_report_check *checks;
	size_t n_gaps;
	const char **coverage_gaps;
};

struct fl_report_score {
	enum fl_cause cause;
	double score;               /* sum of weighted evidence */
	double probability;         /* share after normalisation */
	size_t n_for, n_against;
	const char **for_, **against;
};

struct fl_recovery_host {
	const char *host;
	int64_t down_us, up_us;     /* up FL_TIME_UNKNOWN when not seen */
};
struct fl_recovery_service {
	const char *service, *host;
	int64_t last_healthy_us, back_us;
};

struct fl_timeline_entry {
	int64_t time_us;
	const char *host;
	const char *what;
	struct fl_cite cite;
	int has_cite;
};

/* A stream of which no line could be parsed or dated: read, but its
 * contents were not analysed. Not damage: the exit status ignores it. */
struct fl_report_unparsed {
	const char *path;               /* "input" or "input!member" */
	const char *format;             /* "unknown", or what its lines had */
	uint64_t lines;
};

/* The sentence every rendering puts before the unparsed streams. */
#define FL_UNPARSED_NOTE "No line of these could be parsed or dated: they " \
	"were read, but their contents were not analysed."

struct fl_report {
	struct fl_arena *arena;
	const struct fl_evidence *ev;   /* for the inputs section */
	const char *version;
	const char *rules_digest;
	const char *site_zone;          /* --tz, or NULL */

	size_t n_hosts;
	struct fl_report_host *hosts;

	int has_incident;
	int64_t incident_start_us, incident_end_us;
	size_t n_affected;
	const char **affected;

	enum fl_cause cause;
	double confidence;
	const char *summary;
	size_t n_reasons;
	const char **reasons;
	const char *separate;           /* inconclusive: what would decide */
	size_t n_users, n_src_ips, n_devices;
	const char **users, **src_ips, **devices;
	const char *entry_host;
	struct fl_report_score scores[FL_N_HYPOTHESES];

	size_t n_findings;
	struct fl_report_finding *findings;
	size_t n_ruled_out;
	struct fl_report_ruled_out *ruled_out;

	int64_t power_restored_us;
	size_t n_rec_hosts;
	struct fl_recovery_host *rec_hosts;
	size_t n_rec_services;
	struct fl_recovery_service *rec_services;
	int64_t last_service_us;

	size_t n_timeline;
	struct fl_timeline_entry *timeline;

	size_t n_unreadable;
	const char **unreadable;        /* "path: why" */
	size_t n_unparsed;
	struct fl_report_unparsed *unparsed;
	int evidence_status;            /* fl_cli_evidence_status */
};

void fl_report_free(struct fl_report *r);

/* Renders the report; returns 0 or -1 when the stream fails. */
int fl_report_text(const struct fl_report *r, FILE *out);
int fl_report_json(const struct fl_report *r, FILE *out);
/* The same into a buffer (for tests). */
void fl_report_text_buf(const struct fl_report *r, struct fl_buf *b);
void fl_report_json_buf(const struct fl_report *r, struct fl_buf *b);
/* The text report with ANSI colours (verdict, headings, finding ids,
 * provenance dimmed, coverage gaps), for a terminal: the caller decides,
 * never in files nor with NO_COLOR set. Without its SGR codes it is the
 * plain text report byte for byte. */
void fl_report_text_color_buf(const struct fl_report *r, struct fl_buf *b);

/* The process exit status for a report: 3 sabotage or cyberattack, 4
 * inconclusive, else 1 when some evidence was unreadable, else 0. */
int fl_report_exit_status(const struct fl_report *r);

#endif
