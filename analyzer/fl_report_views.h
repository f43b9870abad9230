/*
 * fl_report_views: the analysis report as people read it. HTML: one
 * self-contained page (inline CSS and SVG, no script, nothing fetched)
 * with the verdict, a swimlane timeline per host and power device, the
 * findings with their evidence lines, the ruled-out matrix, the recovery
 * and the inputs; well-formed XML (polyglot XHTML) so that any XML parser
 * can check it. Markdown: a post-mortem skeleton for a wiki. Both render a
 * struct fl_report as it is: no analysis is redone, so they always agree
 * with the text and JSON reports.
 *
 * Ownership: nothing is kept; the report, the inventory and the buffer
 * stay the caller's. Text from the evidence is escaped on output.
 */
#ifndef FL_REPORT_VIEWS_H
#define FL_REPORT_VIEWS_H

#include "fl_clock.h"
#include "fl_inventory.h"
#include "fl_report.h"
#include "fl_util.h"

/* Appends the HTML page. inv (may be NULL) groups the host lanes by rack
 * and power path; without it lanes are grouped as devices and servers and
 * sorted by name. */
void fl_report_html_buf(const struct fl_report *r,
    const struct fl_inventory *inv, struct fl_buf *b);

/* Appends the Markdown post-mortem skeleton (GitHub-flavoured). */
void fl_report_markdown_buf(const struct fl_report *r, struct fl_buf *b);

/* Cause of a report in words, e.g. "Accidental power fault". */
const char *fl_cause_title(enum fl_cause c);

/* Length of the character at s that a view must not show as it is (the
 * non-characters U+FFFE and U+FFFF, bidirectional embeddings, overrides
 * and isolates), its code point in *cp; 0 for any other. */
size_t fl_view_hostile(const char *s, size_t n, unsigned *cp);

/* Local time at the site for the views: the site zone's offset at each
 * instant (the zone loaded again by name; UTC when it cannot be loaded).
 * known is 0 without a site zone. */
struct fl_site_time {
	int known;
	struct fl_zones *zones;
	const struct fl_zone *zone;
};
void fl_site_time_init(struct fl_site_time *st, const struct fl_report *r);
int32_t fl_site_time_offset(const struct fl_site_time *st, int64_t us);
void fl_site_time_free(struct fl_site_time *st);

#endif
