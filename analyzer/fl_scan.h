/*
 * fl_scan: the expensive half. Collects the inputs, reads them on worker
 * threads (one input file per task, each stream parsed, put on the clock
 * and matched against the rules by the worker that reads it), then merges
 * the per-stream results into one struct fl_evidence in a deterministic
 * order that never depends on the number of threads.
 *
 * Ownership: the caller owns struct fl_scan_opts and everything it points
 * to for the duration of fl_scan_run; the evidence returned is the
 * caller's, released with fl_evidence_free.
 */
#ifndef FL_SCAN_H
#define FL_SCAN_H

#include "fl_clock.h"
#include "fl_evidence.h"
#include "fl_input.h"
#include "fl_parse.h"
#include "fl_rules.h"

struct fl_tz_host {
	const char *host;
	const char *zone;
};

struct fl_scan_progress {
	uint64_t bytes_done, bytes_total;   /* input bytes on disk */
	size_t files_done, files_total;
	double elapsed;                      /* seconds since the scan began */
	int done;                            /* the last call */
};

struct fl_scan_opts {
	const char *const *paths;
	size_t n_paths;
	struct fl_limits limits;
	struct fl_parse_opts parse;
	const struct fl_ruleset *rules;  /* NULL: no matching */
	int keep_all;                    /* keep every line as an event */
	unsigned threads;                /* 0: one per core */
	const char *tz;                  /* --tz, NULL for UTC */
	const struct fl_tz_host *tz_hosts;
	size_t n_tz_hosts;
	int32_t year;                    /* --year, 0 if not given */
	int64_t since_us, until_us;      /* FL_TIME_UNKNOWN when open */
	const char *const *only_hosts;   /* --host filters, NULL-terminated or NULL */
	unsigned shard_k, shard_n;       /* --shard K/N: read only share K (1-based)
	                                  * of N, balanced by size; 0/0 = all */
	/* Called about four times a second from a helper thread while the
	 * scan runs (and once with done=1 at the end), when not NULL. */
	void (*progress)(void *ctx, const struct fl_scan_progress *p);
	void *progress_ctx;
};
void fl_scan_opts_default(struct fl_scan_opts *o);

/* Scans the evidence. Fails only on usage errors (an unknown zone) with
 * FL_ERR_USAGE; unreadable or damaged inputs are recorded in the evidence
 * and reported through diag. The evidence is not yet canonical: merge it
 * with other pieces if any, then fl_evidence_finish it. */
enum fl_err fl_scan_run(const struct fl_scan_opts *o, struct fl_zones *zones,
    struct fl_evidence **out, const struct fl_diag *diag);

/* True for a site inventory (a file named "inventory" or "*.inventory"):
 * it describes the site and is not a log, so the scan lists it as skipped
 * and analyze reads it as the inventory. */
int fl_scan_is_inventory(const char *path);

/* Keeps only share k (1-based) of n of the inputs: inputs sorted by size
 * (largest first, then path) go one by one to the least loaded share. */
void fl_scan_shard(struct fl_input_list *list, unsigned k, unsigned n);

#endif
