/* The HTML and Markdown views and the manifest on a hand-built report
 * whose every string is hostile: markup, terminal escapes, characters XML
 * refuses, bidirectional overrides, Markdown table and fence breakers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fl_manifest.h"
#include "fl_report_views.h"
#include "tap.h"

#define HOSTILE "<script>alert(1)</script> \x1b[2J a|b ```x``` " \
	"\xef\xbf\xbe \xe2\x80\xae]]> & \" ' \x01 *em* _u_ [l](http://x) # h"

static struct fl_cite
cite(const char *host, int64_t t)
{
	struct fl_cite c;

	memset(&c, 0, sizeof c);
	c.input = "in/" HOSTILE ".log";
	c.member = "var/log/" HOSTILE;
	c.line = 7;
	c.time_us = t;
	c.raw_time_us = t;
	c.host = host;
	c.rule = "rule-" HOSTILE;
	c.signal = "outlet_off";
	c.text = "Nov 20 02:45:31 " HOSTILE;
	return c;
}

static struct fl_evidence *
evidence(int64_t t0)
{
	struct fl_evidence *ev = fl_xcalloc(1, sizeof *ev);
	size_t i, m;

	ev->arena = fl_arena_new();
	ev->n_hosts = 2;
	ev->hosts = fl_xcalloc(2, sizeof *ev->hosts);
	ev->hosts[0].name = "web-" HOSTILE;
	ev->hosts[1].name = "pdu-1";
	for (i = 0; i < 2; i++) {
		ev->hosts[i].zone = "UTC";
		ev->hosts[i].n_minutes = 120;
		ev->hosts[i].minutes = fl_xcalloc(120,
		    sizeof *ev->hosts[i].minutes);
		for (m = 0; m < 120; m++) {
			ev->hosts[i].minutes[m].minute = t0 / (60 *
			    FL_US_PER_SEC) + (int64_t)m;
			ev->hosts[i].minutes[m].lines = (uint32_t)(m % 40);
		}
	}
	ev->n_inputs = 1;
	ev->inputs = fl_xcalloc(1, sizeof *ev->inputs);
	ev->inputs[0].path = "in/" HOSTILE ".log";
	ev->inputs[0].bytes = 123;
	ev->inputs[0].error = HOSTILE;
	memcpy(ev->inputs[0].sha256, "ab12", 5);
	return ev;
}

/* What XML 1.0 accepts as characters, and nothing a terminal or a
 * bidirectional algorithm would act on. */
static int
clean_chars(const char *s, size_t n)
{
	size_t i;

	if (!fl_utf8_valid(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return 0;
		if (i + 2 < n && c == 0xef && (unsigned char)s[i + 1] == 0xbf &&
		    (unsigned char)s[i + 2] >= 0xbe)
			return 0;
		if (i + 2 < n && c == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] >= 0xaa &&
		    (unsigned char)s[i + 2] <= 0xae)
			return 0;
	}
	return 1;
}

int
main(void)
{
	const int64_t t0 = INT64_C(1732067100) * FL_US_PER_SEC;
	const int64_t min = 60 * FL_US_PER_SEC;
	struct fl_report *r = fl_xcalloc(1, sizeof *r);
	struct fl_buf html = {0}, html2 = {0}, md = {0}, man = {0};
	struct fl_manifest m;
	static struct fl_report_gap gap;
	static struct fl_cite cites[2], gcite;
	static struct fl_report_finding f;
	static struct fl_kv fields[2];
	static struct fl_report_check ck;
	static struct fl_report_ruled_out ro;
	static struct fl_recovery_host rh;
	static struct fl_recovery_service rs;
	static struct fl_timeline_entry tl;
	static const char *affected[1], *hosts[1], *unreadable[1];
	static const char *reasons[1], *users[1];
	size_t i;

	r->arena = fl_arena_new();
	r->ev = evidence(t0);
	r->version = "0-test";
	r->rules_digest = "d1g35t";
	r->cause = FL_CAUSE_SABOTAGE;
	r->confidence = 0.9;
	r->summary = "summary " HOSTILE;
	reasons[0] = "reason " HOSTILE " [F1]";
	r->reasons = reasons;
	r->n_reasons = 1;
	users[0] = HOSTILE;
	r->users = users;
	r->n_users = 1;
	r->has_incident = 1;
	r->incident_start_us = t0 + 30 * min;
	r->incident_end_us = t0 + 70 * min;
	affected[0] = r->ev->hosts[0].name;
	r->affected = affected;
	r->n_affected = 1;
	r->n_hosts = 2;
	r->hosts = fl_xcalloc(2, sizeof *r->hosts);
	for (i = 0; i < 2; i++) {
		r->hosts[i].name = r->ev->hosts[i].name;
		r->hosts[i].kind = i ? "device" : "server";
		r->hosts[i].zone = "UTC";
		r->hosts[i].zone_source = "default-utc";
		r->hosts[i].first_us = t0;
		r->hosts[i].last_us = t0 + 119 * min;
	}
	gcite = cite(r->hosts[0].name, t0 + 31 * min);
	gap.start_us = t0 + 31 * min;
	gap.end_us = t0 + 80 * min;
	gap.kind = "abrupt-stop";
	gap.began = "abrupt";
	gap.ended = "boot-unclean";
	gap.requested_by = "person";
	gap.user = HOSTILE;
	gap.in_incident = 1;
	gap.n_cites = 1;
	gap.cites = &gcite;
	r->hosts[0].gaps = &gap;
	r->hosts[0].n_gaps = 1;
	cites[0] = cite("pdu-1", t0 + 30 * min);
	cites[1] = cite(r->hosts[0].name, t0 + 30 * min + 5);
	cites[1].tflags = FL_TF_SKEW_CORRECTED;
	f.id = "F1";
	f.category = "power";
	f.signal = "outlet_off";
	f.title = "title " HOSTILE;
	f.start_us = t0 + 30 * min;
	f.end_us = t0 + 31 * min;
	hosts[0] = "pdu-1";
	f.hosts = hosts;
	f.n_hosts = 1;
	fields[0].key = "user";
	fields[0].value = HOSTILE;
	fields[1].key = "user";
	fields[1].value = "second";
	f.fields = fields;
	f.n_fields = 2;
	f.cites = cites;
	f.n_cites = 2;
	f.n_events = 5;
	r->findings = &f;
	r->n_findings = 1;
	ck.check = "check " HOSTILE;
	ck.hosts_covered = 1;
	ck.hosts_total = 2;
	ck.from_us = t0;
	ck.to_us = t0 + 70 * min;
	ck.result = "result " HOSTILE;
	ro.cause = FL_CAUSE_ACCIDENT;
	ro.checks = &ck;
	ro.n_checks = 1;
	unreadable[0] = "gap " HOSTILE;
	ro.coverage_gaps = unreadable;
	ro.n_gaps = 1;
	r->ruled_out = &ro;
	r->n_ruled_out = 1;
	r->power_restored_us = t0 + 70 * min;
	rh.host = r->hosts[0].name;
	rh.down_us = gap.start_us;
	rh.up_us = gap.end_us;
	r->rec_hosts = &rh;
	r->n_rec_hosts = 1;
	rs.service = "service " HOSTILE;
	rs.host = rh.host;
	rs.last_healthy_us = gap.start_us;
	rs.back_us = FL_TIME_UNKNOWN;
	r->rec_services = &rs;
	r->n_rec_services = 1;
	r->last_service_us = FL_TIME_UNKNOWN;
	tl.time_us = t0 + 30 * min;
	tl.host = "pdu-1";
	tl.what = "F1: " HOSTILE;
	r->timeline = &tl;
	r->n_timeline = 1;
	r->unreadable = unreadable;
	r->n_unreadable = 1;

	fl_report_html_buf(r, NULL, &html);
	fl_report_html_buf(r, NULL, &html2);
	ok(html.len > 1000, "the HTML page is written");
	ok(html.len == html2.len && memcmp(html.data, html2.data, html.len) ==
	    0, "the HTML page is the same twice");
	ok(clean_chars(html.data, html.len), "only characters XML accepts, no "
	    "terminal escapes, no bidirectional overrides");
	ok(strstr(html.data, "<script") == NULL, "no script element");
	ok(strstr(html.data, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	    "markup from the logs is shown as text");
	ok(strstr(html.data, "\\x1b[2J") != NULL, "escape bytes are shown as "
	    "\\xNN");
	ok(strstr(html.data, "\\ufffe") != NULL &&
	    strstr(html.data, "\\u202e") != NULL, "non-characters and overrides "
	    "are shown as \\uXXXX");
	ok(strstr(html.data, "]]>") == NULL, "no CDATA end in the text");
	ok(strstr(html.data, "href=\"http") == NULL &&
	    strstr(html.data, "src=") == NULL, "nothing fetched or linked out");
	ok(strstr(html.data, "<a href=\"#F1\">F1</a>") != NULL, "finding "
	    "references are links");
	ok(strstr(html.data, "class=\"m-power\"") != NULL, "a power mark on "
	    "the device lane");
	ok(strstr(html.data, "class=\"m-abrupt\"") != NULL &&
	    strstr(html.data, "m-boot unclean") != NULL, "stop and boot marks");
	ok(strstr(html.data, "class=\"a4\"") != NULL, "activity shading");
	ok(strstr(html.data, "<h3>Services</h3>") != NULL, "services of the "
	    "recovery");
	ok(strstr(html.data, "ab12") != NULL, "the inputs with their digest");

	fl_report_markdown_buf(r, &md);
	ok(clean_chars(md.data, md.len), "Markdown: no control characters");
	ok(strstr(md.data, "````text\nNov 20 02:45:31 ") != NULL, "a fence "
	    "longer than the backticks of the line");
	ok(strstr(md.data, "a\\|b") != NULL && strstr(md.data, "a|b ") != NULL,
	    "pipes escaped in text, kept in code");
	ok(strstr(md.data, "\\<script\\>") != NULL, "markup escaped");
	ok(strstr(md.data, "\\[l\\](http://x)") != NULL, "no link made from "
	    "log text");
	ok(strstr(md.data, "\n# Post-mortem: Sabotage") == NULL &&
	    strncmp(md.data, "# Post-mortem: Sabotage", 23) == 0, "the title");
	ok(strstr(md.data, "\n\\# h") == NULL && strstr(md.data, "\n# h") ==
	    NULL, "no heading made from log text");
	for (i = 0; i + 1 < md.len; i++)
		if (md.data[i] == '\n' && md.data[i + 1] == '|') {
			size_t e = i + 1, bars = 0;

			while (e < md.len && md.data[e] != '\n') {
				if (md.data[e] == '|' && md.data[e - 1] != '\\')
					bars++;
				e++;
			}
			if (bars < 3)
				break;
		}
	ok(i + 1 >= md.len, "every table row has its cells");

	memset(&m, 0, sizeof m);
	m.version = "0-test";
	m.format = "html";
	m.inventory = "/nonexistent/inventory";
	m.ev = r->ev;
	m.report = r;
	m.report_data = "abc";
	m.report_len = 3;
	fl_manifest_json(&m, &man);
	ok(strstr(man.data, "\"schema\": \"faultline/manifest/v1\"") != NULL,
	    "manifest schema");
	ok(strstr(man.data, "\"sha256\": \"ba7816bf8f01cfea414140de5dae2223b0"
	    "0361a396177a9cb410ff61f20015ad\"") != NULL, "the report digest");
	ok(strstr(man.data, "\"error\": \"No such file or directory\"") != NULL,
	    "an unreadable inventory is recorded, not fatal");
	ok(fl_utf8_valid(man.data, man.len) && strchr(man.data, '\x1b') == NULL,
	    "manifest: escaped JSON");

	fl_buf_free(&html);
	fl_buf_free(&html2);
	fl_buf_free(&md);
	fl_buf_free(&man);
	fl_evidence_free((struct fl_evidence *)r->ev);
	free(r->hosts);
	fl_arena_free(r->arena);
	free(r);
	return tap_done();
}
