/*
 * fl_verdict: the analysis. From scanned evidence (and optionally the
 * site inventory): per-host and per-device clock offsets (whole-hour zone
 * mistakes and small skews) found from instants many hosts saw, applied to
 * the evidence; per-host lanes; the site outage (hosts that stopped
 * together) lined up with power-device, BMC and security signals and with
 * the electrical topology; the competing hypotheses scored from a table
 * of weighted evidence (docs/REPORT.md); what was ruled out and with what
 * coverage; the recovery; all gathered in a struct fl_report.
 *
 * Ownership: fl_analyze corrects the clocks of the evidence in place
 * (event times, host activity, skew_us; raw_time_us is kept) and returns a
 * report owned by the caller (fl_report_free) that borrows strings from
 * the evidence and the rule set.
 */
#ifndef FL_VERDICT_H
#define FL_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "fl_clock.h"
#include "fl_evidence.h"
#include "fl_inventory.h"
#include "fl_lanes.h"
#include "fl_report.h"
#include "fl_rules.h"

/* --skew HOST=±SECONDS */
struct fl_skew_opt {
	const char *host;
	int64_t us;             /* added to the host's times */
};

struct fl_analyze_opts {
	const struct fl_inventory *inv;    /* NULL without --inventory */
	const struct fl_skew_opt *skews;
	size_t n_skews;
	const struct fl_zone *site_zone;   /* --tz, for local times in the
	                                    * summary; NULL for none */
	struct fl_zones *zones;            /* to name the zone a host really
	                                    * logs in; may be NULL */
	const char *version;               /* for the report's tool key */
	int evidence_status;               /* fl_cli_evidence_status */
	struct fl_lanes_opts lanes;
};
void fl_analyze_opts_default(struct fl_analyze_opts *o);

/* Parses "HOST=+SECONDS" / "HOST=-SECONDS" (a decimal fraction is
 * allowed). Returns 0 with out->host malloc'd (the caller frees it), or -1
 * when malformed. */
int fl_skew_parse(const char *arg, struct fl_skew_opt *out);

struct fl_report *fl_analyze(struct fl_evidence *ev,
    const struct fl_ruleset *rs, const struct fl_analyze_opts *o);

/* The hypotheses table (docs/REPORT.md): one row per kind of evidence,
 * the weight it adds to each cause when present (scaled by its strength
 * in 0..1). Exposed for the documentation test. */
struct fl_weight_row {
	const char *name;        /* short key, e.g. "mains-fault" */
	const char *meaning;
	double w[FL_N_HYPOTHESES]; /* accident, sabotage, cyberattack,
	                            * planned, no-incident */
};
const struct fl_weight_row *fl_weight_table(size_t *n);

#endif
