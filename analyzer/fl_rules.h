/*
 * fl_rules: the rule set (a documented subset of Sigma plus the faultline:
 * extension block), its loader, the per-thread line matcher and the
 * event-time correlator. See docs/RULES.md.
 *
 * Ownership: a struct fl_ruleset owns its rules, their strings and compiled
 * patterns; it is built single-threaded, then read-only and shared by all
 * threads. Each thread makes its own struct fl_matcher (it owns the PCRE2
 * match data) and frees it. Strings in struct fl_rule_info live as long as
 * the ruleset. Captures handed to a hit callback, and the group and events
 * of a correlation hit, are valid only during the callback.
 */
#ifndef FL_RULES_H
#define FL_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "fl_parse.h"
#include "fl_util.h"

enum fl_rule_kind {
	FL_RULE_DETECTION,
	FL_RULE_EVENT_COUNT,
	FL_RULE_VALUE_COUNT,
	FL_RULE_TEMPORAL,
	FL_RULE_TEMPORAL_ORDERED,
	FL_RULE_ABSENCE
};

/* "detection", "event_count", "value_count", "temporal",
 * "temporal_ordered", "absence". */
const char *fl_rule_kind_name(enum fl_rule_kind kind);

struct fl_rule_info {
	const char *id;
	const char *title;
	const char *level;      /* informational, low, medium, high, critical */
	const char *signal;     /* normalised signal (design §2), may be NULL
	                         * for plain Sigma rules */
	const char *category;   /* power, host, security, ... */
	const char *file;       /* source file, or "builtin:<name>" */
	enum fl_rule_kind kind;
	const char *const *keep_fields; /* faultline.fields, NULL-terminated */
};

struct fl_ruleset;
struct fl_ruleset *fl_ruleset_new(void);
void fl_ruleset_free(struct fl_ruleset *rs);
/* The library built into the binary. */
enum fl_err fl_ruleset_add_builtin(struct fl_ruleset *rs,
    const struct fl_diag *diag);
/* Every *.yml / *.yaml below dir, in sorted order (hidden entries
 * skipped); a regular file given as dir is loaded as one rule file. */
enum fl_err fl_ruleset_add_dir(struct fl_ruleset *rs, const char *dir,
    const struct fl_diag *diag);
enum fl_err fl_ruleset_add_file(struct fl_ruleset *rs, const char *path,
    const struct fl_diag *diag);
/* Parses text as if read from name (used for tests and the builtin set). */
enum fl_err fl_ruleset_add_text(struct fl_ruleset *rs, const char *name,
    const char *text, size_t len, const struct fl_diag *diag);
/* Resolves references and compiles patterns (PCRE2 JIT, interpreter when
 * JIT memory is refused). All-or-nothing: any error fails the whole set,
 * with file:line:column diagnostics. Rules that use an unsupported Sigma
 * feature are reported by name and skipped (a warning, not an error). */
enum fl_err fl_ruleset_compile(struct fl_ruleset *rs,
    const struct fl_diag *diag);
size_t fl_ruleset_count(const struct fl_ruleset *rs);
/* Number of rules skipped because they use an unsupported Sigma feature. */
size_t fl_ruleset_skipped(const struct fl_ruleset *rs);
const struct fl_rule_info *fl_ruleset_rule(const struct fl_ruleset *rs,
    size_t index);
/* What a detection rule waits for before it is tried on a line: one of
 * its programs (none: any program), and for each clause of literals one
 * of the clause's literals, case-insensitively, in the message or the raw
 * line (no literals: every line of those programs). The set must be
 * compiled; correlation rules wait for nothing (all counts zero). */
struct fl_rule_literal {
	const char *s;             /* lower-cased */
	size_t n;
	unsigned clause;           /* 0 .. 3 */
	int raw;                   /* in the raw line, else in the message */
};
struct fl_rule_gate {
	struct fl_span *progs;     /* lower-cased */
	size_t nprogs;
	struct fl_rule_literal *lits;
	size_t nlits;
	unsigned all_clauses;      /* bit per clause, all set */
};
const struct fl_rule_gate *fl_ruleset_gate(const struct fl_ruleset *rs,
    size_t index);
/* Index of the rule with this id, or -1. */
long fl_ruleset_find(const struct fl_ruleset *rs, const char *id);
/* Whether a correlation reads this field of the rule's events (groups by
 * it or counts its values), directly or through the correlations its hits
 * feed. The set must be compiled. */
int fl_ruleset_field_correlated(const struct fl_ruleset *rs, size_t index,
    const char *field);
/* SHA-256 over the canonical text of every loaded rule, in load order. */
void fl_ruleset_digest(const struct fl_ruleset *rs, char out[65]);
/* Runs every rule's examples and counterexamples; reports failures through
 * diag; returns the number of failures. tested gets the number of lines
 * checked. */
size_t fl_ruleset_selftest(const struct fl_ruleset *rs,
    const struct fl_parse_opts *popts, size_t *tested,
    const struct fl_diag *diag);

/* What a detection rule can look at. */
struct fl_match_input {
	const struct fl_parsed *parsed;  /* host, program, pid, message,
	                                  * facility, severity, extra fields */
	struct fl_span raw;              /* the whole line */
	struct fl_span source;           /* stream name, e.g. "auth.log" */
	struct fl_span host;             /* attributed host (may differ from
	                                  * parsed->host when the line names none) */
};

struct fl_capture {
	const char *name;
	struct fl_span value;
};
struct fl_hit {
	uint32_t rule;                   /* index in the ruleset */
	size_t n_captures;
	const struct fl_capture *captures;
};
typedef void (*fl_hit_cb)(void *ctx, const struct fl_hit *hit);

struct fl_matcher;
struct fl_matcher *fl_matcher_new(const struct fl_ruleset *rs);
void fl_matcher_free(struct fl_matcher *m);
/* Optional, for speed: the block of bytes the next lines lie in. The
 * literals of the lines that lie whole in it are then found by one search
 * over the block; other lines are searched on their own. Matches are the
 * same either way. data must stay valid while its lines are matched. */
void fl_matcher_prescan(struct fl_matcher *m, const char *data, size_t n);
/* Calls cb once per detection rule that matches, in rule order. Returns the
 * number of hits. A rule that exceeds the PCRE2 match or depth limit counts
 * as no match and is counted in fl_matcher_errors. */
size_t fl_matcher_run(struct fl_matcher *m, const struct fl_match_input *in,
    fl_hit_cb cb, void *ctx);
/* Per rule: number of lines on which the rule hit a PCRE2 limit. */
uint64_t fl_matcher_errors(const struct fl_matcher *m, size_t rule);

/* Correlation on event time. Events must be fed in time order (the merged
 * evidence); a late event inside the current window is accepted. */
struct fl_corr_event {
	int64_t time_us;
	uint32_t rule;                   /* the detection rule that produced it */
	uint32_t id;                     /* caller's index of the event */
	const char *host;
	size_t n_fields;
	const char *const *field_names;
	const char *const *field_values;
};
#define FL_CORR_MAX_EVENTS 64      /* event ids kept per hit */
struct fl_corr_hit {
	uint32_t rule;                   /* the correlation rule */
	int64_t start_us, end_us;
	const char *group;               /* "src_ip=203.0.113.7" or "" */
	uint64_t value;                  /* count or distinct values seen */
	size_t n_events;                 /* contributing event ids (bounded) */
	const uint32_t *events;
};
typedef void (*fl_corr_cb)(void *ctx, const struct fl_corr_hit *hit);
struct fl_correlator;
struct fl_correlator *fl_correlator_new(const struct fl_ruleset *rs,
    fl_corr_cb cb, void *ctx);
void fl_correlator_free(struct fl_correlator *c);
void fl_correlator_feed(struct fl_correlator *c,
    const struct fl_corr_event *ev);
/* Flushes open windows. An absence fires when a later event passes its
 * deadline, or here: at the end of the evidence every expectation still
 * open fires (the awaited event never came). Count windows with lt, lte
 * or eq are judged when they close; one cut short by end_us is not.
 * end_us is the end of the evidence (last event time). Windows are
 * inclusive at both ends; see docs/RULES.md. */
void fl_correlator_finish(struct fl_correlator *c, int64_t end_us);
/* What the bounded state had to leave out. */
struct fl_corr_stats {
	uint64_t untimed_events;   /* FL_TIME_UNKNOWN (or absurd): ignored */
	uint64_t late_events;      /* older than the window: ignored */
	uint64_t dropped_events;   /* a group held FL_CORR_MAX_GROUP_EVENTS */
	uint64_t dropped_groups;   /* FL_CORR_MAX_GROUPS groups were open */
};
#define FL_CORR_MAX_GROUP_EVENTS 4096
#define FL_CORR_MAX_GROUPS 100000
void fl_correlator_stats(const struct fl_correlator *c,
    struct fl_corr_stats *out);

#endif
