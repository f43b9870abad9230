#include "config.h"

#include "fl_report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fl_clock.h"

#define SEC FL_US_PER_SEC

const char *
fl_cause_name(enum fl_cause c)
{
	switch (c) {
	case FL_CAUSE_ACCIDENT: return "accidental-power-fault";
	case FL_CAUSE_SABOTAGE: return "sabotage";
	case FL_CAUSE_CYBERATTACK: return "cyberattack";
	case FL_CAUSE_PLANNED: return "planned-shutdown";
	case FL_CAUSE_NO_INCIDENT: return "no-incident";
	case FL_CAUSE_INCONCLUSIVE: return "inconclusive";
	}
	return "?";
}

void
fl_report_free(struct fl_report *r)
{
	if (r == NULL)
		return;
	free(r->hosts);
	free(r->findings);
	free(r->ruled_out);
	free(r->rec_hosts);
	free(r->rec_services);
	free(r->timeline);
	free(r->unreadable);
	free(r->unparsed);
	fl_arena_free(r->arena);
	free(r);
}

int
fl_report_exit_status(const struct fl_report *r)
{
	if (r->cause == FL_CAUSE_SABOTAGE || r->cause == FL_CAUSE_CYBERATTACK)
		return 3;
	if (r->cause == FL_CAUSE_INCONCLUSIVE)
		return 4;
	return r->evidence_status != 0 ? 1 : 0;
}

/* Seconds, or microseconds when the time has a fraction. */
static void
fmt_time(char out[FL_TIME_STRLEN], int64_t us)
{
	fl_format_time(out, us, us != FL_TIME_UNKNOWN && us % SEC != 0);
}

/* ------------------------------------------------------------------ */
/* JSON */

static void
ind(struct fl_buf *b, int n)
{
	fl_buf_addc(b, '\n');
	while (n-- > 0)
		fl_buf_add(b, "  ", 2);
}

static void
jtime(struct fl_buf *b, int64_t us)
{
	char t[FL_TIME_STRLEN];

	if (us == FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "null");
		return;
	}
	fmt_time(t, us);
	fl_buf_printf(b, "\"%s\"", t);
}

static void
jdur(struct fl_buf *b, int64_t a, int64_t z)
{
	if (a == FL_TIME_UNKNOWN || z == FL_TIME_UNKNOWN)
		fl_buf_adds(b, "null");
	else
		fl_buf_printf(b, "%" PRId64, (z - a) / SEC);
}

/* key: at the given depth, after a comma when not first */
static void
jkey(struct fl_buf *b, int in, int *first, const char *k)
{
	if (!*first)
		fl_buf_addc(b, ',');
	*first = 0;
	ind(b, in);
	fl_buf_printf(b, "\"%s\": ", k);
}

static void
jstrlist(struct fl_buf *b, const char *const *v, size_t n)
{
	size_t i;

	fl_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			fl_buf_adds(b, ", ");
		fl_buf_json_strz(b, v[i]);
	}
	fl_buf_addc(b, ']');
}

static void
jcite(struct fl_buf *b, const struct fl_cite *c, int in)
{
	char q[128];
	int f = 1;

	fl_buf_addc(b, '{');
	jkey(b, in + 1, &f, "input");
	fl_buf_json_strz(b, c->input);
	jkey(b, in + 1, &f, "member");
	fl_buf_json_strz(b, c->member);
	jkey(b, in + 1, &f, "line");
	fl_buf_printf(b, "%" PRIu64, c->line);
	jkey(b, in + 1, &f, "time");
	jtime(b, c->time_us);
	jkey(b, in + 1, &f, "raw_time");
	jtime(b, c->raw_time_us);
	jkey(b, in + 1, &f, "time_quality");
	fl_time_quality_str(c->tflags, q, sizeof q);
	fl_buf_json_strz(b, q);
	jkey(b, in + 1, &f, "host");
	fl_buf_json_strz(b, c->host);
	jkey(b, in + 1, &f, "rule");
	fl_buf_json_strz(b, c->rule);
	jkey(b, in + 1, &f, "signal");
	fl_buf_json_strz(b, c->signal);
	jkey(b, in + 1, &f, "text");
	fl_buf_json_strz(b, c->text);
	ind(b, in);
	fl_buf_addc(b, '}');
}

static void
jcites(struct fl_buf *b, const struct fl_cite *v, size_t n, int in)
{
	size_t i;

	fl_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			fl_buf_addc(b, ',');
		ind(b, in + 1);
		jcite(b, &v[i], in + 1);
	}
	if (n)
		ind(b, in);
	fl_buf_addc(b, ']');
}

static void
json_hosts(const struct fl_report *r, struct fl_buf *b)
{
	size_t i, j;

	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_hosts; i++) {
		const struct fl_report_host *h = &r->hosts[i];
		int f = 1;

		if (i)
			fl_buf_addc(b, ',');
		ind(b, 2);
		fl_buf_addc(b, '{');
		jkey(b, 3, &f, "name");
		fl_buf_json_strz(b, h->name);
		jkey(b, 3, &f, "kind");
		fl_buf_json_strz(b, h->kind);
		jkey(b, 3, &f, "zone");
		fl_buf_json_strz(b, h->zone);
		jkey(b, 3, &f, "zone_source");
		fl_buf_json_strz(b, h->zone_source);
		jkey(b, 3, &f, "zone_corrected");
		fl_buf_adds(b, h->zone_corrected ? "true" : "false");
		jkey(b, 3, &f, "clock_offset_s");
		fl_buf_printf(b, "%.3f", (double)h->clock_offset_us / SEC);
		jkey(b, 3, &f, "clock_confidence");
		fl_buf_printf(b, "%.2f", h->clock_confidence);
		jkey(b, 3, &f, "clock_basis");
		fl_buf_json_strz(b, h->clock_basis);
		jkey(b, 3, &f, "bmc_clock_offset_s");
		fl_buf_printf(b, "%.3f", (double)h->bmc_offset_us / SEC);
		jkey(b, 3, &f, "lines");
		fl_buf_printf(b, "%" PRIu64, h->lines);
		jkey(b, 3, &f, "first");
		jtime(b, h->first_us);
		jkey(b, 3, &f, "last");
		jtime(b, h->last_us);
		jkey(b, 3, &f, "gaps");
		fl_buf_addc(b, '[');
		for (j = 0; j < h->n_gaps; j++) {
			const struct fl_report_gap *g = &h->gaps[j];
			int gf = 1;

			if (j)
				fl_buf_addc(b, ',');
			ind(b, 4);
			fl_buf_addc(b, '{');
			jkey(b, 5, &gf, "start");
			jtime(b, g->start_us);
			jkey(b, 5, &gf, "end");
			jtime(b, g->end_us);
			jkey(b, 5, &gf, "duration_s");
			jdur(b, g->start_us, g->end_us);
			jkey(b, 5, &gf, "kind");
			fl_buf_json_strz(b, g->kind);
			jkey(b, 5, &gf, "began");
			fl_buf_json_strz(b, g->began);
			jkey(b, 5, &gf, "ended");
			fl_buf_json_strz(b, g->ended);
			jkey(b, 5, &gf, "requested_by");
			fl_buf_json_strz(b, g->requested_by);
			jkey(b, 5, &gf, "user");
			fl_buf_json_strz(b, g->user);
			jkey(b, 5, &gf, "in_incident");
			fl_buf_adds(b, g->in_incident ? "true" : "false");
			jkey(b, 5, &gf, "evidence");
			jcites(b, g->cites, g->n_cites, 5);
			ind(b, 4);
			fl_buf_addc(b, '}');
		}
		if (h->n_gaps)
			ind(b, 3);
		fl_buf_addc(b, ']');
		ind(b, 2);
		fl_buf_addc(b, '}');
	}
	if (r->n_hosts)
		ind(b, 1);
	fl_buf_addc(b, ']');
}

static void
json_verdict(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;
	int f = 1, af = 1;

	fl_buf_addc(b, '{');
	jkey(b, 2, &f, "cause");
	fl_buf_json_strz(b, fl_cause_name(r->cause));
	jkey(b, 2, &f, "confidence");
	fl_buf_printf(b, "%.2f", r->confidence);
	jkey(b, 2, &f, "summary");
	fl_buf_json_strz(b, r->summary);
	jkey(b, 2, &f, "reasons");
	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_reasons; i++) {
		if (i)
			fl_buf_addc(b, ',');
		ind(b, 3);
		fl_buf_json_strz(b, r->reasons[i]);
	}
	if (r->n_reasons)
		ind(b, 2);
	fl_buf_addc(b, ']');
	jkey(b, 2, &f, "would_separate");
	fl_buf_json_strz(b, r->separate);
	jkey(b, 2, &f, "actors");
	fl_buf_addc(b, '{');
	jkey(b, 3, &af, "users");
	jstrlist(b, r->users, r->n_users);
	jkey(b, 3, &af, "src_ips");
	jstrlist(b, r->src_ips, r->n_src_ips);
	jkey(b, 3, &af, "devices");
	jstrlist(b, r->devices, r->n_devices);
	jkey(b, 3, &af, "entry_host");
	fl_buf_json_strz(b, r->entry_host);
	ind(b, 2);
	fl_buf_addc(b, '}');
	jkey(b, 2, &f, "scores");
	fl_buf_addc(b, '[');
	for (i = 0; i < FL_N_HYPOTHESES; i++) {
		const struct fl_report_score *s = &r->scores[i];
		int sf = 1;

		if (i)
			fl_buf_addc(b, ',');
		ind(b, 3);
		fl_buf_addc(b, '{');
		jkey(b, 4, &sf, "cause");
		fl_buf_json_strz(b, fl_cause_name(s->cause));
		jkey(b, 4, &sf, "score");
		fl_buf_printf(b, "%.2f", s->score);
		jkey(b, 4, &sf, "probability");
		fl_buf_printf(b, "%.3f", s->probability);
		jkey(b, 4, &sf, "for");
		jstrlist(b, s->for_, s->n_for);
		jkey(b, 4, &sf, "against");
		jstrlist(b, s->against, s->n_against);
		ind(b, 3);
		fl_buf_addc(b, '}');
	}
	ind(b, 2);
	fl_buf_adds(b, "]");
	ind(b, 1);
	fl_buf_addc(b, '}');
}

static void
json_findings(const struct fl_report *r, struct fl_buf *b)
{
	size_t i, j, k;

	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_findings; i++) {
		const struct fl_report_finding *fd = &r->findings[i];
		int f = 1, ff = 1;

		if (i)
			fl_buf_addc(b, ',');
		ind(b, 2);
		fl_buf_addc(b, '{');
		jkey(b, 3, &f, "id");
		fl_buf_json_strz(b, fd->id);
		jkey(b, 3, &f, "category");
		fl_buf_json_strz(b, fd->category);
		jkey(b, 3, &f, "signal");
		fl_buf_json_strz(b, fd->signal);
		jkey(b, 3, &f, "title");
		fl_buf_json_strz(b, fd->title);
		jkey(b, 3, &f, "noise");
		fl_buf_adds(b, fd->noise ? "true" : "false");
		jkey(b, 3, &f, "start");
		jtime(b, fd->start_us);
		jkey(b, 3, &f, "end");
		jtime(b, fd->end_us);
		jkey(b, 3, &f, "hosts");
		jstrlist(b, fd->hosts, fd->n_hosts);
		jkey(b, 3, &f, "fields");
		fl_buf_addc(b, '{');
		/* each key once, its values in order */
		for (j = 0; j < fd->n_fields; j++) {
			int seen = 0, n = 0;

			for (k = 0; k < j; k++)
				if (strcmp(fd->fields[k].key, fd->fields[j].key) == 0)
					seen = 1;
			if (seen)
				continue;
			jkey(b, 4, &ff, fd->fields[j].key);
			fl_buf_addc(b, '[');
			for (k = j; k < fd->n_fields; k++)
				if (strcmp(fd->fields[k].key,
				    fd->fields[j].key) == 0) {
					if (n++)
						fl_buf_adds(b, ", ");
					fl_buf_json_strz(b, fd->fields[k].value);
				}
			fl_buf_addc(b, ']');
		}
		if (fd->n_fields)
			ind(b, 3);
		fl_buf_addc(b, '}');
		jkey(b, 3, &f, "evidence");
		jcites(b, fd->cites, fd->n_cites, 3);
		jkey(b, 3, &f, "evidence_total");
		fl_buf_printf(b, "%" PRIu64, fd->n_events);
		ind(b, 2);
		fl_buf_addc(b, '}');
	}
	if (r->n_findings)
		ind(b, 1);
	fl_buf_addc(b, ']');
}

static void
json_ruled_out(const struct fl_report *r, struct fl_buf *b)
{
	size_t i, j;

	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_ruled_out; i++) {
		const struct fl_report_ruled_out *ro = &r->ruled_out[i];
		int f = 1;

		if (i)
			fl_buf_addc(b, ',');
		ind(b, 2);
		fl_buf_addc(b, '{');
		jkey(b, 3, &f, "cause");
		fl_buf_json_strz(b, fl_cause_name(ro->cause));
		jkey(b, 3, &f, "score");
		fl_buf_printf(b, "%.2f", ro->score);
		jkey(b, 3, &f, "checks");
		fl_buf_addc(b, '[');
		for (j = 0; j < ro->n_checks; j++) {
			const struct fl_report_check *ck = &ro->checks[j];
			int cf = 1;

			if (j)
				fl_buf_addc(b, ',');
			ind(b, 4);
			fl_buf_addc(b, '{');
			jkey(b, 5, &cf, "check");
			fl_buf_json_strz(b, ck->check);
			jkey(b, 5, &cf, "hosts");
			fl_buf_printf(b, "%zu", ck->hosts_covered);
			jkey(b, 5, &cf, "hosts_total");
			fl_buf_printf(b, "%zu", ck->hosts_total);
			jkey(b, 5, &cf, "from");
			jtime(b, ck->from_us);
			jkey(b, 5, &cf, "to");
			jtime(b, ck->to_us);
			jkey(b, 5, &cf, "result");
			fl_buf_json_strz(b, ck->result);
			ind(b, 4);
			fl_buf_addc(b, '}');
		}
		if (ro->n_checks)
			ind(b, 3);
		fl_buf_addc(b, ']');
		jkey(b, 3, &f, "coverage_gaps");
		fl_buf_addc(b, '[');
		for (j = 0; j < ro->n_gaps; j++) {
			if (j)
				fl_buf_addc(b, ',');
			ind(b, 4);
			fl_buf_json_strz(b, ro->coverage_gaps[j]);
		}
		if (ro->n_gaps)
			ind(b, 3);
		fl_buf_addc(b, ']');
		ind(b, 2);
		fl_buf_addc(b, '}');
	}
	if (r->n_ruled_out)
		ind(b, 1);
	fl_buf_addc(b, ']');
}

static void
json_recovery(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;
	int f = 1;

	fl_buf_addc(b, '{');
	jkey(b, 2, &f, "power_restored");
	jtime(b, r->power_restored_us);
	jkey(b, 2, &f, "hosts");
	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_rec_hosts; i++) {
		const struct fl_recovery_host *h = &r->rec_hosts[i];

		if (i)
			fl_buf_addc(b, ',');
		ind(b, 3);
		fl_buf_adds(b, "{\"host\": ");
		fl_buf_json_strz(b, h->host);
		fl_buf_adds(b, ", \"down\": ");
		jtime(b, h->down_us);
		fl_buf_adds(b, ", \"up\": ");
		jtime(b, h->up_us);
		fl_buf_adds(b, ", \"outage_s\": ");
		jdur(b, h->down_us, h->up_us);
		fl_buf_addc(b, '}');
	}
	if (r->n_rec_hosts)
		ind(b, 2);
	fl_buf_addc(b, ']');
	jkey(b, 2, &f, "services");
	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_rec_services; i++) {
		const struct fl_recovery_service *s = &r->rec_services[i];

		if (i)
			fl_buf_addc(b, ',');
		ind(b, 3);
		fl_buf_adds(b, "{\"service\": ");
		fl_buf_json_strz(b, s->service);
		fl_buf_adds(b, ", \"host\": ");
		fl_buf_json_strz(b, s->host);
		fl_buf_adds(b, ", \"last_healthy\": ");
		jtime(b, s->last_healthy_us);
		fl_buf_adds(b, ", \"back\": ");
		jtime(b, s->back_us);
		fl_buf_addc(b, '}');
	}
	if (r->n_rec_services)
		ind(b, 2);
	fl_buf_addc(b, ']');
	jkey(b, 2, &f, "last_service_restored");
	jtime(b, r->last_service_us);
	jkey(b, 2, &f, "power_to_last_service_s");
	jdur(b, r->power_restored_us, r->last_service_us);
	ind(b, 1);
	fl_buf_addc(b, '}');
}

static void
json_timeline(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;

	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_timeline; i++) {
		const struct fl_timeline_entry *e = &r->timeline[i];
		int f = 1;

		if (i)
			fl_buf_addc(b, ',');
		ind(b, 2);
		fl_buf_addc(b, '{');
		jkey(b, 3, &f, "time");
		jtime(b, e->time_us);
		jkey(b, 3, &f, "host");
		fl_buf_json_strz(b, e->host);
		jkey(b, 3, &f, "what");
		fl_buf_json_strz(b, e->what);
		jkey(b, 3, &f, "evidence");
		if (e->has_cite)
			jcite(b, &e->cite, 3);
		else
			fl_buf_adds(b, "null");
		ind(b, 2);
		fl_buf_addc(b, '}');
	}
	if (r->n_timeline)
		ind(b, 1);
	fl_buf_addc(b, ']');
}

void
fl_report_json_buf(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;
	int f = 1;

	fl_buf_addc(b, '{');
	jkey(b, 1, &f, "schema");
	fl_buf_json_strz(b, "faultline/report/v1");
	jkey(b, 1, &f, "tool");
	fl_buf_adds(b, "{\"name\": \"faultline\", \"version\": ");
	fl_buf_json_strz(b, r->version);
	fl_buf_adds(b, ", \"rules_digest\": ");
	fl_buf_json_strz(b, r->rules_digest && r->rules_digest[0] ? r->rules_digest : NULL);
	fl_buf_adds(b, "}");
	jkey(b, 1, &f, "site_zone");
	fl_buf_json_strz(b, r->site_zone);
	jkey(b, 1, &f, "inputs");
	if (r->ev != NULL)
		fl_evidence_inputs_json(r->ev, b, 1);
	else
		fl_buf_adds(b, "[]");
	jkey(b, 1, &f, "hosts");
	json_hosts(r, b);
	jkey(b, 1, &f, "incident");
	if (r->has_incident) {
		fl_buf_adds(b, "{\"start\": ");
		jtime(b, r->incident_start_us);
		fl_buf_adds(b, ", \"end\": ");
		jtime(b, r->incident_end_us);
		fl_buf_adds(b, ", \"affected_hosts\": ");
		jstrlist(b, r->affected, r->n_affected);
		fl_buf_addc(b, '}');
	} else {
		fl_buf_adds(b, "null");
	}
	jkey(b, 1, &f, "verdict");
	json_verdict(r, b);
	jkey(b, 1, &f, "findings");
	json_findings(r, b);
	jkey(b, 1, &f, "ruled_out");
	json_ruled_out(r, b);
	jkey(b, 1, &f, "recovery");
	json_recovery(r, b);
	jkey(b, 1, &f, "timeline");
	json_timeline(r, b);
	jkey(b, 1, &f, "unreadable");
	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_unreadable; i++) {
		if (i)
			fl_buf_addc(b, ',');
		ind(b, 2);
		fl_buf_json_strz(b, r->unreadable[i]);
	}
	if (r->n_unreadable)
		ind(b, 1);
	fl_buf_addc(b, ']');
	jkey(b, 1, &f, "unparsed");
	fl_buf_addc(b, '[');
	for (i = 0; i < r->n_unparsed; i++) {
		if (i)
			fl_buf_addc(b, ',');
		ind(b, 2);
		fl_buf_adds(b, "{\"path\": ");
		fl_buf_json_strz(b, r->unparsed[i].path);
		fl_buf_adds(b, ", \"format\": ");
		fl_buf_json_strz(b, r->unparsed[i].format);
		fl_buf_printf(b, ", \"lines\": %" PRIu64 "}",
		    r->unparsed[i].lines);
	}
	if (r->n_unparsed)
		ind(b, 1);
	fl_buf_addc(b, ']');
	ind(b, 0);
	fl_buf_adds(b, "}\n");
}

/* ------------------------------------------------------------------ */
/* Text */

#define WIDTH 78
#define MAX_TEXT 200

/* Appends words of s wrapped at WIDTH, each line after the first
 * indented by indent spaces (the first line starts at col). */
static void
wrap(struct fl_buf *b, const char *s, int col, int indent)
{
	struct fl_buf safe = {0};
	const char *p, *end;

	int first = 1;

	fl_buf_text_safe(&safe, s, strlen(s));
	p = safe.data ? safe.data : "";
	end = p + safe.len;
	while (p < end) {
		const char *w = p;
		int n;

		while (w < end && *w != ' ')
			w++;
		n = (int)(w - p);
		if (!first && col + 1 + n > WIDTH) {
			fl_buf_addc(b, '\n');
			fl_buf_printf(b, "%*s", indent, "");
			col = indent;
		} else if (!first) {
			fl_buf_addc(b, ' ');
			col++;
		}
		first = 0;
		fl_buf_add(b, p, (size_t)n);
		col += n;
		p = w;
		while (p < end && *p == ' ')
			p++;
	}
	fl_buf_free(&safe);
}

/* ANSI colours for a terminal: SGR codes, added only when color is set
 * and never inside wrapped text, so that removing them gives the plain
 * report byte for byte. */
#define SGR_BOLD "1"
#define SGR_DIM "2"
#define SGR_YELLOW "33"
#define SGR_RESET "0"

static void
sgr(struct fl_buf *b, int color, const char *code)
{
	if (color)
		fl_buf_printf(b, "\x1b[%sm", code);
}

static const char *
cause_sgr(enum fl_cause c)
{
	switch (c) {
	case FL_CAUSE_SABOTAGE:
	case FL_CAUSE_CYBERATTACK: return "1;31";
	case FL_CAUSE_ACCIDENT: return "1;33";
	case FL_CAUSE_PLANNED: return "1;34";
	case FL_CAUSE_NO_INCIDENT: return "1;32";
	case FL_CAUSE_INCONCLUSIVE: return "1;35";
	}
	return SGR_BOLD;
}

static void
heading(struct fl_buf *b, int color, const char *title)
{
	fl_buf_addc(b, '\n');
	sgr(b, color, SGR_BOLD);
	fl_buf_adds(b, title);
	sgr(b, color, SGR_RESET);
	fl_buf_addc(b, '\n');
}

static void
text_cite(struct fl_buf *b, const struct fl_cite *c, const char *pre,
    int color)
{
	size_t n = strlen(c->text);

	fl_buf_adds(b, pre);
	sgr(b, color, SGR_DIM);
	fl_buf_text_safe(b, c->input, strlen(c->input));
	if (c->member[0]) {
		fl_buf_addc(b, '!');
		fl_buf_text_safe(b, c->member, strlen(c->member));
	}
	fl_buf_printf(b, ":%" PRIu64 ":", c->line);
	sgr(b, color, SGR_RESET);
	fl_buf_addc(b, ' ');
	fl_buf_text_safe(b, c->text, n > MAX_TEXT ? MAX_TEXT : n);
	if (n > MAX_TEXT)
		fl_buf_adds(b, " [...]");
	if (c->tflags & (FL_TF_ZONE_CORRECTED | FL_TF_SKEW_CORRECTED)) {
		char t[FL_TIME_STRLEN];

		fmt_time(t, c->time_us);
		fl_buf_printf(b, "  (clock corrected: %s)", t);
	}
	fl_buf_addc(b, '\n');
}

static void
text_dur(char out[64], int64_t a, int64_t z)
{
	int64_t s;

	if (a == FL_TIME_UNKNOWN || z == FL_TIME_UNKNOWN) {
		snprintf(out, 64, "-");
		return;
	}
	s = (z - a) / SEC;
	if (s < 120)
		snprintf(out, 64, "%" PRId64 " s", s);
	else if (s < 2 * 3600)
		snprintf(out, 64, "%" PRId64 " min", (s + 30) / 60);
	else
		snprintf(out, 64, "%" PRId64 " h %02" PRId64 " min", s / 3600,
		    (s % 3600 + 30) / 60);
}

static void
text_head(const struct fl_report *r, struct fl_buf *b, int color)
{
	char a[FL_TIME_STRLEN], z[FL_TIME_STRLEN], d[64];
	size_t i;
	int col;

	sgr(b, color, SGR_BOLD);
	fl_buf_adds(b, "VERDICT: ");
	sgr(b, color, cause_sgr(r->cause));
	fl_buf_adds(b, fl_cause_name(r->cause));
	sgr(b, color, SGR_RESET);
	fl_buf_printf(b, " (confidence %.2f)\n\n", r->confidence);
	wrap(b, r->summary, 0, 0);
	fl_buf_adds(b, "\n\n");
	if (r->has_incident) {
		fmt_time(a, r->incident_start_us);
		fmt_time(z, r->incident_end_us);
		text_dur(d, r->incident_start_us, r->incident_end_us);
		fl_buf_printf(b, "Incident: %s to %s (%s)\n", a, z, d);
		{
			size_t before = b->len;

			fl_buf_printf(b, "Affected hosts (%zu):", r->n_affected);
			col = (int)(b->len - before);
		}
		for (i = 0; i < r->n_affected; i++) {
			struct fl_buf w = {0};

			fl_buf_printf(&w, "%s%s", r->affected[i],
			    i + 1 < r->n_affected ? "," : "");
			if (col + 1 + (int)w.len > WIDTH) {
				fl_buf_adds(b, "\n ");
				col = 1;
			}
			fl_buf_addc(b, ' ');
			fl_buf_text_safe(b, w.data, w.len);
			col += 1 + (int)w.len;
			fl_buf_free(&w);
		}
		fl_buf_adds(b, "\n");
	} else {
		fl_buf_adds(b, "Incident: none (no hosts stopped together)\n");
	}
	if (r->n_users + r->n_src_ips + r->n_devices > 0 || r->entry_host) {
		fl_buf_adds(b, "Actors:");
		for (i = 0; i < r->n_users; i++) {
			fl_buf_adds(b, i ? ", user " : " user ");
			fl_buf_text_safe(b, r->users[i], strlen(r->users[i]));
		}
		for (i = 0; i < r->n_src_ips; i++) {
			fl_buf_adds(b, i || r->n_users ? ", address " : " address ");
			fl_buf_text_safe(b, r->src_ips[i], strlen(r->src_ips[i]));
		}
		for (i = 0; i < r->n_devices; i++) {
			fl_buf_adds(b, i || r->n_users || r->n_src_ips ?
			    ", device " : " device ");
			fl_buf_text_safe(b, r->devices[i], strlen(r->devices[i]));
		}
		if (r->entry_host) {
			fl_buf_adds(b, "; entry host ");
			fl_buf_text_safe(b, r->entry_host, strlen(r->entry_host));
		}
		fl_buf_addc(b, '\n');
	}
}

static void
text_report(const struct fl_report *r, struct fl_buf *b, int color)
{
	char a[FL_TIME_STRLEN], z[FL_TIME_STRLEN], d[64];
	size_t i, j;
	int any;

	text_head(r, b, color);
	heading(b, color, "Why");
	for (i = 0; i < r->n_reasons; i++) {
		fl_buf_adds(b, "  - ");
		wrap(b, r->reasons[i], 4, 4);
		fl_buf_addc(b, '\n');
	}
	fl_buf_adds(b, "  Scores:");
	for (i = 0; i < FL_N_HYPOTHESES; i++)
		fl_buf_printf(b, "%s %s %.2f", i ? "," : "",
		    fl_cause_name(r->scores[i].cause), r->scores[i].score);
	fl_buf_addc(b, '\n');

	heading(b, color, "Key findings");
	for (i = 0; i < r->n_findings; i++) {
		const struct fl_report_finding *f = &r->findings[i];
		struct fl_buf t = {0};

		fmt_time(a, f->start_us);
		fl_buf_printf(&t, "%s%s", f->noise ? "[noise] " : "", f->title);
		fl_buf_adds(b, "  ");
		sgr(b, color, SGR_BOLD);
		fl_buf_printf(b, "%-3s", f->id);
		sgr(b, color, SGR_RESET);
		fl_buf_printf(b, " %s ", a);
		wrap(b, t.data, 6 + (int)strlen(a), 8);
		fl_buf_free(&t);
		fl_buf_addc(b, '\n');
		for (j = 0; j < f->n_cites; j++)
			text_cite(b, &f->cites[j], "        ", color);
		if (f->n_events > f->n_cites)
			fl_buf_printf(b, "        (%" PRIu64 " more line(s))\n",
			    f->n_events - f->n_cites);
	}
	if (r->n_findings == 0)
		fl_buf_adds(b, "  none\n");

	heading(b, color, "Ruled out");
	for (i = 0; i < r->n_ruled_out; i++) {
		const struct fl_report_ruled_out *ro = &r->ruled_out[i];

		fl_buf_printf(b, "  %s (score %.2f)\n",
		    fl_cause_name(ro->cause), ro->score);
		for (j = 0; j < ro->n_checks; j++) {
			const struct fl_report_check *ck = &ro->checks[j];
			struct fl_buf t = {0};

			fmt_time(a, ck->from_us);
			fmt_time(z, ck->to_us);
			fl_buf_printf(&t, "%s: %zu/%zu hosts, %s to %s: %s",
			    ck->check, ck->hosts_covered, ck->hosts_total, a, z,
			    ck->result);
			fl_buf_adds(b, "    - ");
			wrap(b, t.data, 6, 8);
			fl_buf_addc(b, '\n');
			fl_buf_free(&t);
		}
		for (j = 0; j < ro->n_gaps; j++) {
			fl_buf_adds(b, "    ");
			sgr(b, color, SGR_YELLOW);
			fl_buf_addc(b, '!');
			sgr(b, color, SGR_RESET);
			fl_buf_addc(b, ' ');
			wrap(b, ro->coverage_gaps[j], 6, 8);
			fl_buf_addc(b, '\n');
		}
	}
	if (r->n_ruled_out == 0)
		fl_buf_adds(b, "  nothing\n");

	if (r->has_incident) {
		heading(b, color, "Recovery");
		fmt_time(a, r->power_restored_us);
		fl_buf_printf(b, "  power restored: %s\n", a);
		for (i = 0; i < r->n_rec_hosts; i++) {
			const struct fl_recovery_host *h = &r->rec_hosts[i];

			fmt_time(a, h->down_us);
			fmt_time(z, h->up_us);
			text_dur(d, h->down_us, h->up_us);
			fl_buf_adds(b, "  ");
			fl_buf_text_safe(b, h->host, strlen(h->host));
			fl_buf_printf(b, ": down %s, up %s (%s)\n", a,
			    h->up_us == FL_TIME_UNKNOWN ? "not seen" : z, d);
		}
		for (i = 0; i < r->n_rec_services; i++) {
			const struct fl_recovery_service *s = &r->rec_services[i];

			fmt_time(a, s->last_healthy_us);
			fmt_time(z, s->back_us);
			fl_buf_adds(b, "  service ");
			fl_buf_text_safe(b, s->service, strlen(s->service));
			fl_buf_adds(b, " on ");
			fl_buf_text_safe(b, s->host, strlen(s->host));
			fl_buf_printf(b, ": last healthy %s, back %s\n", a,
			    s->back_us == FL_TIME_UNKNOWN ? "not seen" : z);
		}
		if (r->last_service_us != FL_TIME_UNKNOWN) {
			fmt_time(a, r->last_service_us);
			text_dur(d, r->power_restored_us, r->last_service_us);
			fl_buf_printf(b, "  last service restored: %s (%s after "
			    "power returned)\n", a, d);
		}
	}

	any = 0;
	for (i = 0; i < r->n_hosts; i++) {
		const struct fl_report_host *h = &r->hosts[i];

		if (h->clock_offset_us == 0 && h->bmc_offset_us == 0)
			continue;
		if (!any++)
			heading(b, color, "Clock corrections");
		fl_buf_adds(b, "  ");
		fl_buf_text_safe(b, h->name, strlen(h->name));
		if (h->clock_offset_us != 0)
			fl_buf_printf(b, ": %+.0f s (confidence %.2f)",
			    (double)h->clock_offset_us / SEC,
			    h->clock_confidence);
		if (h->bmc_offset_us != 0)
			fl_buf_printf(b, "%s BMC/device log %+.0f s",
			    h->clock_offset_us ? ";" : ":",
			    (double)h->bmc_offset_us / SEC);
		fl_buf_addc(b, '\n');
		if (h->clock_offset_us != 0 && h->clock_basis != NULL) {
			fl_buf_adds(b, "      ");
			wrap(b, h->clock_basis, 6, 6);
			fl_buf_addc(b, '\n');
		}
	}

	heading(b, color, "Could not be read");
	for (i = 0; i < r->n_unreadable; i++) {
		fl_buf_adds(b, "  ");
		fl_buf_text_safe(b, r->unreadable[i], strlen(r->unreadable[i]));
		fl_buf_addc(b, '\n');
	}
	if (r->n_unreadable == 0)
		fl_buf_adds(b, r->n_unparsed == 0 ? "  nothing: every input was "
		    "read\n" : "  no input damaged or unreadable\n");
	if (r->n_unparsed > 0) {
		fl_buf_adds(b, "  ");
		wrap(b, FL_UNPARSED_NOTE, 2, 2);
		fl_buf_addc(b, '\n');
	}
	for (i = 0; i < r->n_unparsed; i++) {
		fl_buf_adds(b, "    ");
		fl_buf_text_safe(b, r->unparsed[i].path,
		    strlen(r->unparsed[i].path));
		fl_buf_printf(b, ": %" PRIu64 " line(s), format %s\n",
		    r->unparsed[i].lines, r->unparsed[i].format);
	}
}

void
fl_report_text_buf(const struct fl_report *r, struct fl_buf *b)
{
	text_report(r, b, 0);
}

void
fl_report_text_color_buf(const struct fl_report *r, struct fl_buf *b)
{
	text_report(r, b, 1);
}

static int
emit(struct fl_buf *b, FILE *out)
{
	int rc = 0;

	if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
		rc = -1;
	fl_buf_free(b);
	return rc;
}

int
fl_report_text(const struct fl_report *r, FILE *out)
{
	struct fl_buf b = {0};

	fl_report_text_buf(r, &b);
	return emit(&b, out);
}

int
fl_report_json(const struct fl_report *r, FILE *out)
{
	struct fl_buf b = {0};

	fl_report_json_buf(r, &b);
	return emit(&b, out);
}
