/* The Markdown report: a post-mortem skeleton (GitHub-flavoured). */
#include "config.h"

#include "fl_report_views.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fl_clock.h"

#define SEC FL_US_PER_SEC
#define MAX_CITE_TEXT 2000

static int
alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* Inline text: control bytes escaped as in the text report, then every
 * character Markdown or a wiki would act on (emphasis, links, HTML, table
 * cells, headings) backslash-escaped; an underscore inside a word is
 * left alone, as GitHub does not read it as emphasis. */
static void
md(struct fl_buf *b, const char *s)
{
	struct fl_buf t = {0};
	size_t i;

	if (s == NULL)
		return;
	fl_buf_text_safe(&t, s, strlen(s));
	for (i = 0; i < t.len; i++) {
		char c = t.data[i];
		unsigned cp;
		size_t k = fl_view_hostile(t.data + i, t.len - i, &cp);

		if (k > 0) {
			fl_buf_printf(b, "\\\\u%04x", cp);
			i += k - 1;
			continue;
		}
		if (c == '_' && i > 0 && i + 1 < t.len && alnum(t.data[i - 1]) &&
		    alnum(t.data[i + 1]))
			;
		else if (strchr("\\`*_[]<>|~&#!", c) != NULL)
			fl_buf_addc(b, '\\');
		fl_buf_addc(b, c);
	}
	fl_buf_free(&t);
}

/* Raw text for code: control bytes escaped as in the text report, the
 * characters of fl_view_hostile as \uXXXX. */
static void
raw_safe(struct fl_buf *out, const char *s, size_t n)
{
	struct fl_buf t = {0};
	size_t i, from = 0, k;
	unsigned cp;

	fl_buf_text_safe(&t, s, n);
	for (i = 0; i < t.len; i++) {
		if ((k = fl_view_hostile(t.data + i, t.len - i, &cp)) == 0)
			continue;
		fl_buf_add(out, t.data + from, i - from);
		fl_buf_printf(out, "\\u%04x", cp);
		i += k - 1;
		from = i + 1;
	}
	fl_buf_add(out, t.data + from, t.len - from);
	fl_buf_free(&t);
}

/* A code span, its delimiter longer than any run of backticks inside. */
static void
md_code(struct fl_buf *b, const char *s)
{
	struct fl_buf t = {0};
	size_t i, run = 0, longest = 0;

	raw_safe(&t, s, strlen(s));
	for (i = 0; i < t.len; i++) {
		run = t.data[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i <= longest; i++)
		fl_buf_addc(b, '`');
	if (longest)
		fl_buf_addc(b, ' ');
	if (t.len)
		fl_buf_add(b, t.data, t.len);
	if (longest)
		fl_buf_addc(b, ' ');
	for (i = 0; i <= longest; i++)
		fl_buf_addc(b, '`');
	fl_buf_free(&t);
}

/* Fenced code block around one raw line, the fence longer than any run of
 * backticks in it. */
static void
md_fence(struct fl_buf *b, const char *s)
{
	struct fl_buf t = {0};
	size_t i, run = 0, longest = 0, n = strlen(s), cut = n;

	if (cut > MAX_CITE_TEXT) {
		cut = MAX_CITE_TEXT;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	raw_safe(&t, s, cut);
	for (i = 0; i < t.len; i++) {
		run = t.data[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		fl_buf_addc(b, '`');
	fl_buf_adds(b, "text\n");
	if (t.len)
		fl_buf_add(b, t.data, t.len);
	if (cut < n)
		fl_buf_printf(b, " [... %zu more bytes]", n - cut);
	fl_buf_addc(b, '\n');
	for (i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		fl_buf_addc(b, '`');
	fl_buf_adds(b, "\n\n");
	fl_buf_free(&t);
}

/* "2024-08-03 07:52:10Z", seconds only; "-" when unknown. */
static void
mtime(struct fl_buf *b, int64_t us)
{
	char t[FL_TIME_STRLEN], *p;

	if (us == FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "not seen");
		return;
	}
	fl_format_time(t, us - (((us % SEC) + SEC) % SEC), 0);
	if ((p = strchr(t, 'T')) != NULL)
		*p = ' ';
	fl_buf_adds(b, t);
}

static void
mlocal(const struct fl_site_time *st, struct fl_buf *b, int64_t us)
{
	char t[FL_TIME_STRLEN], *p;
	int64_t l;

	if (us == FL_TIME_UNKNOWN)
		return;
	l = us + (int64_t)fl_site_time_offset(st, us) * SEC;
	fl_format_time(t, l - (((l % SEC) + SEC) % SEC), 0);
	if ((p = strchr(t, 'T')) != NULL)
		*p = ' ';
	if ((p = strchr(t, 'Z')) != NULL)
		*p = '\0';
	fl_buf_adds(b, t);
}

static void
mdur(struct fl_buf *b, int64_t a, int64_t z)
{
	int64_t s;

	if (a == FL_TIME_UNKNOWN || z == FL_TIME_UNKNOWN) {
		fl_buf_adds(b, "-");
		return;
	}
	s = (z - a) / SEC;
	if (s < 0)
		s = 0;
	if (s < 120)
		fl_buf_printf(b, "%" PRId64 " s", s);
	else if (s < 2 * 3600)
		fl_buf_printf(b, "%" PRId64 " min", (s + 30) / 60);
	else
		fl_buf_printf(b, "%" PRId64 " h %02" PRId64 " min", s / 3600,
		    (s % 3600 + 30) / 60 % 60);
}

static void
md_cite(struct fl_buf *b, const struct fl_cite *c)
{
	char t[FL_TIME_STRLEN];
	struct fl_buf w = {0};

	fl_buf_adds(&w, c->input);
	if (c->member && c->member[0]) {
		fl_buf_addc(&w, '!');
		fl_buf_adds(&w, c->member);
	}
	fl_buf_printf(&w, ":%" PRIu64, c->line);
	md_code(b, w.data);
	fl_buf_free(&w);
	if (c->host) {
		fl_buf_adds(b, " · ");
		md(b, c->host);
	}
	fl_buf_adds(b, " · ");
	fl_format_time(t, c->time_us, c->time_us != FL_TIME_UNKNOWN &&
	    c->time_us % SEC != 0);
	fl_buf_adds(b, t);
	if (c->tflags & (FL_TF_ZONE_CORRECTED | FL_TF_SKEW_CORRECTED)) {
		fl_format_time(t, c->raw_time_us, c->raw_time_us !=
		    FL_TIME_UNKNOWN && c->raw_time_us % SEC != 0);
		fl_buf_printf(b, " (clock corrected; logged as %s)", t);
	}
	if (c->rule) {
		fl_buf_adds(b, " · rule ");
		md(b, c->rule);
	}
	fl_buf_adds(b, "\n\n");
	md_fence(b, c->text ? c->text : "");
}

static size_t
count_servers(const struct fl_report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_hosts; i++)
		if (strcmp(r->hosts[i].kind, "device") != 0)
			n++;
	return n;
}

static void
md_summary(const struct fl_report *r, const struct fl_site_time *st,
    struct fl_buf *b)
{
	size_t i;
	const char *sep = "";

	fl_buf_adds(b, "# Post-mortem: ");
	md(b, fl_cause_title(r->cause));
	if (r->has_incident) {
		char t[FL_TIME_STRLEN];

		fl_format_time(t, r->incident_start_us, 0);
		t[10] = '\0';
		fl_buf_printf(b, ", %s", t);
	}
	fl_buf_adds(b, "\n\n_Draft written by faultline ");
	md(b, r->version);
	fl_buf_adds(b, " from the evidence alone; every finding cites its "
	    "lines in the appendix. Times are UTC");
	if (r->site_zone) {
		fl_buf_adds(b, ", local times ");
		md(b, r->site_zone);
	}
	fl_buf_adds(b, "._\n\n## Summary\n\n");
	fl_buf_printf(b, "**Verdict: %s** (confidence %.2f)\n\n",
	    fl_cause_name(r->cause), r->confidence);
	md(b, r->summary);
	fl_buf_adds(b, "\n\n| | |\n|---|---|\n| Incident window | ");
	if (r->has_incident) {
		mtime(b, r->incident_start_us);
		fl_buf_adds(b, " to ");
		mtime(b, r->incident_end_us);
		fl_buf_adds(b, " (");
		mdur(b, r->incident_start_us, r->incident_end_us);
		fl_buf_adds(b, ") |\n");
		if (r->site_zone) {
			fl_buf_adds(b, "| Local time (");
			md(b, r->site_zone);
			fl_buf_adds(b, ") | ");
			mlocal(st, b, r->incident_start_us);
			fl_buf_adds(b, " to ");
			mlocal(st, b, r->incident_end_us);
			fl_buf_adds(b, " |\n");
		}
	} else {
		fl_buf_adds(b, "none: no hosts stopped together |\n");
	}
	fl_buf_printf(b, "| Affected hosts | %zu of %zu servers |\n",
	    r->n_affected, count_servers(r));
	if (r->has_incident) {
		fl_buf_adds(b, "| Power restored | ");
		mtime(b, r->power_restored_us);
		fl_buf_adds(b, " |\n| Last service restored | ");
		mtime(b, r->last_service_us);
		if (r->last_service_us != FL_TIME_UNKNOWN &&
		    r->power_restored_us != FL_TIME_UNKNOWN) {
			fl_buf_adds(b, " (");
			mdur(b, r->power_restored_us, r->last_service_us);
			fl_buf_adds(b, " after power returned)");
		}
		fl_buf_adds(b, " |\n");
	}
	if (r->n_users + r->n_src_ips + r->n_devices > 0 || r->entry_host) {
		fl_buf_adds(b, "| Actors | ");
		for (i = 0; i < r->n_users; i++, sep = ", ") {
			fl_buf_printf(b, "%suser ", sep);
			md(b, r->users[i]);
		}
		for (i = 0; i < r->n_src_ips; i++, sep = ", ") {
			fl_buf_printf(b, "%saddress ", sep);
			md(b, r->src_ips[i]);
		}
		for (i = 0; i < r->n_devices; i++, sep = ", ") {
			fl_buf_printf(b, "%sdevice ", sep);
			md(b, r->devices[i]);
		}
		if (r->entry_host) {
			fl_buf_printf(b, "%sentry host ", sep);
			md(b, r->entry_host);
		}
		fl_buf_adds(b, " |\n");
	}
	fl_buf_addc(b, '\n');
}

static void
md_impact(const struct fl_report *r, struct fl_buf *b)
{
	size_t i, j;

	fl_buf_adds(b, "## Impact\n\n");
	if (!r->has_incident || r->n_rec_hosts == 0) {
		fl_buf_adds(b, "No host stopped because of an incident.\n\n");
		return;
	}
	fl_buf_printf(b, "%zu host(s) stopped: ", r->n_affected);
	for (i = 0; i < r->n_affected; i++) {
		if (i)
			fl_buf_adds(b, ", ");
		md(b, r->affected[i]);
	}
	fl_buf_adds(b, ".\n\n| Host | Down (UTC) | Up (UTC) | Outage | "
	    "Services | Last service back |\n|---|---|---|---|---:|---|\n");
	for (i = 0; i < r->n_rec_hosts; i++) {
		const struct fl_recovery_host *h = &r->rec_hosts[i];
		int64_t last = FL_TIME_UNKNOWN;
		size_t n = 0, missing = 0;

		for (j = 0; j < r->n_rec_services; j++) {
			const struct fl_recovery_service *s = &r->rec_services[j];

			if (strcmp(s->host, h->host) != 0)
				continue;
			n++;
			if (s->back_us == FL_TIME_UNKNOWN)
				missing++;
			else if (last == FL_TIME_UNKNOWN || s->back_us > last)
				last = s->back_us;
		}
		fl_buf_adds(b, "| ");
		md(b, h->host);
		fl_buf_adds(b, " | ");
		mtime(b, h->down_us);
		fl_buf_adds(b, " | ");
		mtime(b, h->up_us);
		fl_buf_adds(b, " | ");
		mdur(b, h->down_us, h->up_us);
		fl_buf_printf(b, " | %zu | ", n);
		if (n == 0)
			fl_buf_adds(b, "-");
		else if (missing)
			fl_buf_printf(b, "%zu not seen back", missing);
		else
			mtime(b, last);
		fl_buf_adds(b, " |\n");
	}
	fl_buf_addc(b, '\n');
}

static void
md_timeline(const struct fl_report *r, const struct fl_site_time *st,
    struct fl_buf *b)
{
	size_t i;

	fl_buf_adds(b, "## Timeline\n\nKey events only; the appendix has the "
	    "evidence of each finding (F1, F2 ...).\n\n| Time (UTC) |");
	if (r->site_zone)
		fl_buf_adds(b, " Local |");
	fl_buf_adds(b, " Host | Event |\n|---|");
	if (r->site_zone)
		fl_buf_adds(b, "---|");
	fl_buf_adds(b, "---|---|\n");
	for (i = 0; i < r->n_timeline; i++) {
		const struct fl_timeline_entry *e = &r->timeline[i];

		fl_buf_adds(b, "| ");
		mtime(b, e->time_us);
		fl_buf_adds(b, " | ");
		if (r->site_zone) {
			mlocal(st, b, e->time_us);
			fl_buf_adds(b, " | ");
		}
		md(b, e->host);
		fl_buf_adds(b, " | ");
		md(b, e->what);
		fl_buf_adds(b, " |\n");
	}
	if (r->n_timeline == 0)
		fl_buf_printf(b, "| - |%s | no key events |\n",
		    r->site_zone ? " - |" : "");
	fl_buf_addc(b, '\n');
}

static void
md_cause(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;

	fl_buf_adds(b, "## Root cause\n\n**");
	md(b, fl_cause_title(r->cause));
	fl_buf_printf(b, "** (confidence %.2f).\n\n", r->confidence);
	for (i = 0; i < r->n_reasons; i++) {
		fl_buf_adds(b, "- ");
		md(b, r->reasons[i]);
		fl_buf_addc(b, '\n');
	}
	if (r->n_reasons)
		fl_buf_addc(b, '\n');
	if (r->separate) {
		fl_buf_adds(b, "What would decide: ");
		md(b, r->separate);
		fl_buf_adds(b, "\n\n");
	}
	fl_buf_adds(b, "| Hypothesis | Score | Probability |\n|---|---:|---:|\n");
	for (i = 0; i < FL_N_HYPOTHESES; i++)
		fl_buf_printf(b, "| %s | %.2f | %.0f%% |\n",
		    fl_cause_name(r->scores[i].cause), r->scores[i].score,
		    r->scores[i].probability * 100);
	fl_buf_addc(b, '\n');
}

static void
md_ruled_out(const struct fl_report *r, struct fl_buf *b)
{
	size_t i, j;

	fl_buf_adds(b, "## What was ruled out and how\n\n");
	if (r->n_ruled_out == 0)
		fl_buf_adds(b, "Nothing.\n\n");
	for (i = 0; i < r->n_ruled_out; i++) {
		const struct fl_report_ruled_out *ro = &r->ruled_out[i];

		fl_buf_printf(b, "### %s (score %.2f)\n\n",
		    fl_cause_name(ro->cause), ro->score);
		if (ro->n_checks > 0)
			fl_buf_adds(b, "| Check | Hosts | Evidence consulted "
			    "(UTC) | Result |\n|---|---:|---|---|\n");
		for (j = 0; j < ro->n_checks; j++) {
			const struct fl_report_check *ck = &ro->checks[j];

			fl_buf_adds(b, "| ");
			md(b, ck->check);
			fl_buf_printf(b, " | %zu/%zu | ", ck->hosts_covered,
			    ck->hosts_total);
			mtime(b, ck->from_us);
			fl_buf_adds(b, " to ");
			mtime(b, ck->to_us);
			fl_buf_adds(b, " | ");
			md(b, ck->result);
			fl_buf_adds(b, " |\n");
		}
		if (ro->n_checks > 0)
			fl_buf_addc(b, '\n');
		if (ro->n_gaps > 0)
			fl_buf_adds(b, "Coverage gaps:\n\n");
		for (j = 0; j < ro->n_gaps; j++) {
			fl_buf_adds(b, "- ");
			md(b, ro->coverage_gaps[j]);
			fl_buf_addc(b, '\n');
		}
		if (ro->n_gaps > 0)
			fl_buf_addc(b, '\n');
	}
}

static void
md_recovery(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;

	fl_buf_adds(b, "## Recovery\n\n");
	if (!r->has_incident) {
		fl_buf_adds(b, "Nothing to recover.\n\n");
		return;
	}
	fl_buf_adds(b, "Power restored: ");
	mtime(b, r->power_restored_us);
	fl_buf_adds(b, ". Last service restored: ");
	mtime(b, r->last_service_us);
	fl_buf_adds(b, ".\n\n");
	if (r->n_rec_services == 0)
		return;
	fl_buf_adds(b, "| Host | Service | Last healthy (UTC) | Back (UTC) | "
	    "Down for |\n|---|---|---|---|---|\n");
	for (i = 0; i < r->n_rec_services; i++) {
		const struct fl_recovery_service *s = &r->rec_services[i];

		fl_buf_adds(b, "| ");
		md(b, s->host);
		fl_buf_adds(b, " | ");
		md(b, s->service);
		fl_buf_adds(b, " | ");
		mtime(b, s->last_healthy_us);
		fl_buf_adds(b, " | ");
		mtime(b, s->back_us);
		fl_buf_adds(b, " | ");
		mdur(b, s->last_healthy_us, s->back_us);
		fl_buf_adds(b, " |\n");
	}
	fl_buf_addc(b, '\n');
}

static void
md_appendix(const struct fl_report *r, struct fl_buf *b)
{
	size_t i, j;

	fl_buf_adds(b, "## Evidence appendix\n\n");
	if (r->n_findings == 0)
		fl_buf_adds(b, "No findings.\n\n");
	for (i = 0; i < r->n_findings; i++) {
		const struct fl_report_finding *f = &r->findings[i];

		fl_buf_adds(b, "### ");
		md(b, f->id);
		fl_buf_adds(b, ": ");
		if (f->noise)
			fl_buf_adds(b, "(noise, not a cause) ");
		md(b, f->title);
		fl_buf_adds(b, "\n\n");
		md(b, f->category);
		fl_buf_adds(b, ", signal ");
		md(b, f->signal);
		fl_buf_adds(b, ", ");
		mtime(b, f->start_us);
		if (f->end_us != FL_TIME_UNKNOWN && f->end_us != f->start_us) {
			fl_buf_adds(b, " to ");
			mtime(b, f->end_us);
		}
		fl_buf_printf(b, ", %" PRIu64 " line(s)", f->n_events);
		if (f->n_hosts > 0) {
			fl_buf_adds(b, ", hosts: ");
			for (j = 0; j < f->n_hosts; j++) {
				if (j)
					fl_buf_adds(b, ", ");
				md(b, f->hosts[j]);
			}
		}
		fl_buf_adds(b, "\n\n");
		for (j = 0; j < f->n_cites; j++)
			md_cite(b, &f->cites[j]);
		if (f->n_events > f->n_cites)
			fl_buf_printf(b, "(%" PRIu64 " more line(s) not cited "
			    "here)\n\n", f->n_events - f->n_cites);
	}
}

static void
md_inputs(const struct fl_report *r, struct fl_buf *b)
{
	size_t i;

	fl_buf_adds(b, "## Inputs\n\n");
	if (r->ev != NULL && r->ev->n_inputs > 0) {
		fl_buf_adds(b, "| Input | Bytes | SHA-256 |\n|---|---:|---|\n");
		for (i = 0; i < r->ev->n_inputs; i++) {
			const struct fl_input_rec *in = &r->ev->inputs[i];

			fl_buf_adds(b, "| ");
			md(b, in->path);
			fl_buf_printf(b, " | %" PRIu64 " | %s |\n", in->bytes,
			    in->sha256[0] ? in->sha256 : "-");
		}
		fl_buf_addc(b, '\n');
	}
	fl_buf_adds(b, "Could not be read: ");
	if (r->n_unreadable == 0)
		fl_buf_adds(b, r->n_unparsed == 0 ? "nothing, every input was "
		    "read.\n" : "no input damaged or unreadable.\n");
	else
		fl_buf_addc(b, '\n');
	for (i = 0; i < r->n_unreadable; i++) {
		fl_buf_adds(b, "\n- ");
		md(b, r->unreadable[i]);
	}
	if (r->n_unreadable)
		fl_buf_addc(b, '\n');
	if (r->n_unparsed)
		fl_buf_adds(b, "\n" FL_UNPARSED_NOTE "\n");
	for (i = 0; i < r->n_unparsed; i++) {
		fl_buf_adds(b, "\n- ");
		md(b, r->unparsed[i].path);
		fl_buf_printf(b, ": %" PRIu64 " line(s), format ",
		    r->unparsed[i].lines);
		md(b, r->unparsed[i].format);
	}
	if (r->n_unparsed)
		fl_buf_addc(b, '\n');
	fl_buf_adds(b, "\nRules digest: ");
	md(b, r->rules_digest && r->rules_digest[0] ? r->rules_digest :
	    "none");
	fl_buf_addc(b, '\n');
}

void
fl_report_markdown_buf(const struct fl_report *r, struct fl_buf *b)
{
	struct fl_site_time st;

	fl_site_time_init(&st, r);
	md_summary(r, &st, b);
	md_impact(r, b);
	md_timeline(r, &st, b);
	md_cause(r, b);
	md_ruled_out(r, b);
	md_recovery(r, b);
	fl_buf_adds(b, "## Actions\n\n- [ ] (to be written by the incident "
	    "owner)\n\n");
	md_appendix(r, b);
	md_inputs(r, b);
	fl_site_time_free(&st);
}
