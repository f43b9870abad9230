/* The analysis on hand-built evidence: each cause, noise, zones, skew,
 * coverage, determinism and the report's promises. */
#include "config.h"

#include <stdio.h>

#include "fl_inventory.h"
#include "fl_report.h"
#include "fl_verdict.h"
#include "tap.h"
#include "test_verdict_fixture.h"

#define H (3600 * FL_US_PER_SEC)

struct srv {
	uint32_t host, sys, auth;
};

/* A server logging every minute from 00:00 to `stop`, then (when back is
 * not 0) booting at `back` with or without unclean recovery and logging
 * until 16:00. shift moves all of it (a clock in another zone). */
static struct srv
server(struct tb *t, const char *name, int64_t stop, int64_t back,
    int unclean, int64_t shift)
{
	struct srv s;
	char path[128];

	s.host = tb_host(t, name, FL_ZONE_OPTION);
	snprintf(path, sizeof path, "%s/var/log/syslog", name);
	s.sys = tb_stream(t, s.host, fl_arena_strdup(t->ev->arena, path),
	    FL_FMT_RFC3164);
	snprintf(path, sizeof path, "%s/var/log/auth.log", name);
	s.auth = tb_stream(t, s.host, fl_arena_strdup(t->ev->arena, path),
	    FL_FMT_RFC3164);
	tb_activity(t, s.host, AT(0, 0, 0) + shift, stop + shift, 1);
	if (back) {
		tb_activity(t, s.host, back + shift, AT(16, 0, 0) + shift, 1);
		tb_event(t, s.sys, back + 5 * FL_US_PER_SEC + shift, "boot",
		    "Linux version 6.1.0", NULL);
		if (unclean)
			tb_event(t, s.sys, back + 9 * FL_US_PER_SEC + shift,
			    "unclean_recovery", "EXT4-fs (sda1): recovery "
			    "complete", NULL);
		tb_event(t, s.sys, back + 60 * FL_US_PER_SEC + shift,
		    "service_up", "Started PostgreSQL database server.",
		    "service", "postgresql", NULL);
	}
	return s;
}

static struct fl_report *
analyze(struct tb *t, const struct fl_inventory *inv,
    const struct fl_skew_opt *skews, size_t n_skews)
{
	struct fl_analyze_opts o;

	fl_analyze_opts_default(&o);
	o.inv = inv;
	o.skews = skews;
	o.n_skews = n_skews;
	o.version = "test";
	return fl_analyze(tb_finish(t), t->rs, &o);
}

static int
affected_has(const struct fl_report *r, const char *h)
{
	size_t i;

	for (i = 0; i < r->n_affected; i++)
		if (strcmp(r->affected[i], h) == 0)
			return 1;
	return 0;
}

static int
list_has(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static const struct fl_report_host *
host_of(const struct fl_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_hosts; i++)
		if (strcmp(r->hosts[i].name, name) == 0)
			return &r->hosts[i];
	return NULL;
}

/* Every finding cites at least one line, and each cited line is an event
 * of the evidence with that provenance and text. */
static void
check_citations(const struct fl_report *r, const struct fl_evidence *ev,
    const char *what)
{
	size_t i, j, k, bad = 0, empty = 0;

	for (i = 0; i < r->n_findings; i++) {
		const struct fl_report_finding *f = &r->findings[i];

		if (f->n_cites == 0)
			empty++;
		for (j = 0; j < f->n_cites; j++) {
			const struct fl_cite *c = &f->cites[j];
			int found = 0;

			for (k = 0; k < ev->n_events && !found; k++) {
				const struct fl_event *e = &ev->events[k];
				const struct fl_stream_rec *s =
				    &ev->streams[e->stream];

				found = e->line == c->line &&
				    strcmp(s->member, c->member) == 0 &&
				    strcmp(e->raw, c->text) == 0;
			}
			if (!found)
				bad++;
		}
	}
	is_int(empty, 0, "%s: every finding cites a line", what);
	is_int(bad, 0, "%s: every cited line is in the evidence", what);
}

static void
check_render(const struct fl_report *r, const char *what)
{
	struct fl_buf a = {0}, b = {0};

	fl_report_json_buf(r, &a);
	fl_report_json_buf(r, &b);
	ok(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "%s: JSON rendering is repeatable", what);
	ok(strstr(a.data, "\"schema\": \"faultline/report/v1\"") != NULL,
	    "%s: JSON names its schema", what);
	fl_buf_reset(&a);
	fl_report_text_buf(r, &a);
	ok(strncmp(a.data, "VERDICT: ", 9) == 0, "%s: text opens with the "
	    "verdict", what);
	fl_buf_free(&a);
	fl_buf_free(&b);
}

/* ------------------------------------------------------------------ */

static void
build_accident(struct tb *t)
{
	uint32_t ups = 0, su;
	struct srv s[6];
	char ip[32];
	int i;

	s[0] = server(t, "srv-01", AT(10, 0, 0), AT(10, 45, 0), 1, 0);
	s[1] = server(t, "srv-02", AT(10, 0, 0), AT(10, 46, 0), 1, 0);
	s[2] = server(t, "srv-03", AT(10, 0, 0), AT(10, 47, 0), 1, 0);
	s[3] = server(t, "srv-04", AT(10, 1, 0), AT(10, 46, 0), 1, 0);
	s[4] = server(t, "srv-05", AT(10, 0, 0), AT(10, 45, 0), 1, 0);
	/* logs UTC while the site's zone was assumed: two hours early */
	s[5] = server(t, "srv-06", AT(10, 0, 0), AT(10, 46, 0), 1, -2 * H);
	ups = tb_host(t, "ups-a", FL_ZONE_FROM_LINE);
	su = tb_stream(t, ups, "power/ups-a.events", FL_FMT_APCUPSD_EVENTS);
	tb_event(t, su, AT(9, 30, 0), "utility_lost", "Power failure.", NULL);
	tb_event(t, su, AT(9, 30, 6), "on_battery",
	    "Running on UPS batteries.", NULL);
	tb_event(t, su, AT(10, 0, 30), "battery_exhausted",
	    "Battery power exhausted.", NULL);
	/* the Internet knocking, never let in */
	for (i = 0; i < 30; i++) {
		snprintf(ip, sizeof ip, "198.51.100.%d", i + 1);
		tb_event(t, s[i % 5].auth, AT(2, i, 0), "auth_fail",
		    "Failed password for root", "src_ip",
		    fl_arena_strdup(t->ev->arena, ip), "user", "root", NULL);
	}
	/* the admin, before and after */
	tb_event(t, s[1].auth, AT(8, 0, 0), "auth_success",
	    "Accepted publickey for admin", "src_ip", "10.0.0.9", "user",
	    "admin", NULL);
	tb_event(t, s[1].auth, AT(11, 0, 0), "auth_success",
	    "Accepted publickey for admin", "src_ip", "10.0.0.9", "user",
	    "admin", NULL);
	tb_event(t, s[1].auth, AT(11, 1, 0), "priv_escalation",
	    "admin : USER=root ; COMMAND=/bin/systemctl restart postgresql",
	    "user", "admin", "command", "/bin/systemctl restart postgresql",
	    NULL);
	(void)ups;
}

static void
test_accident(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	const struct fl_report_host *h;
	size_t i, noise = 0;

	build_accident(t);
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "accidental-power-fault",
	    "accident: cause");
	ok(r->confidence > 0.7, "accident: confident (%.2f)", r->confidence);
	is_int(fl_report_exit_status(r), 0, "accident: exit 0");
	ok(r->has_incident, "accident: an incident");
	is_int(r->incident_start_us, AT(9, 30, 0),
	    "accident: starts when the mains went");
	is_int(r->n_affected, 6, "accident: six hosts");
	ok(affected_has(r, "srv-06"), "accident: the UTC host is one of them");
	h = host_of(r, "srv-06");
	ok(h != NULL && h->zone_corrected && h->clock_offset_us == 2 * H,
	    "accident: srv-06 moved by +2 h");
	h = host_of(r, "srv-01");
	ok(h != NULL && h->clock_offset_us == 0, "accident: srv-01 untouched");
	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i].noise)
			noise++;
	is_int(noise, 2, "accident: scanning and recovery logins are noise");
	is_int(r->n_users + r->n_src_ips, 0, "accident: no actors");
	is_int(r->n_ruled_out, 4, "accident: four causes ruled out");
	ok(r->power_restored_us != FL_TIME_UNKNOWN, "accident: power back");
	ok(r->last_service_us != FL_TIME_UNKNOWN, "accident: services back");
	for (i = 0; i < r->n_rec_hosts; i++)
		if (r->rec_hosts[i].up_us == FL_TIME_UNKNOWN)
			break;
	is_int(i, 6, "accident: every host came back");
	check_citations(r, t->ev, "accident");
	check_render(r, "accident");
	fl_report_free(r);
	tb_free(t);
}

static const struct fl_report_finding *finding_with(const struct fl_report *r,
    const char *signal);

static void
test_sabotage(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct fl_inventory *inv = NULL;
	static const char inv_text[] =
	    "feed grid\nups ups-1 feed=grid\nups ups-2 feed=grid\n"
	    "pdu pdu-1 ups=ups-1\npdu pdu-2 ups=ups-2\n"
	    "host app-01 psu=pdu-1:1 psu=pdu-2:1 role=app\n"
	    "host app-02 psu=pdu-1:2 psu=pdu-2:2 role=app\n"
	    "host db-01 psu=pdu-1:3 role=db\n"
	    "host db-02 psu=pdu-2:4 role=db\n"
	    "host web-01 psu=pdu-1:5 role=web\n"
	    "host web-02 psu=pdu-2:5 role=web\n";
	uint32_t p1, p2, s1, s2;

	fl_inventory_parse("site.inv", inv_text, sizeof inv_text - 1, &inv,
	    NULL);
	ok(inv != NULL, "sabotage: inventory");
	server(t, "app-01", AT(16, 0, 0), 0, 0, 0);
	server(t, "app-02", AT(16, 0, 0), 0, 0, 0);
	server(t, "db-01", AT(10, 0, 0), AT(10, 30, 0), 1, 0);
	server(t, "db-02", AT(10, 0, 0), AT(10, 31, 0), 1, 0);
	p1 = tb_host(t, "pdu-1", FL_ZONE_FROM_LINE);
	p2 = tb_host(t, "pdu-2", FL_ZONE_FROM_LINE);
	server(t, "web-01", AT(16, 0, 0), 0, 0, 0);
	server(t, "web-02", AT(16, 0, 0), 0, 0, 0);
	s1 = tb_stream(t, p1, "power/pdu-1.csv", FL_FMT_CSV);
	s2 = tb_stream(t, p2, "power/pdu-2.csv", FL_FMT_CSV);
	tb_event(t, s1, AT(10, 0, 10), "outlet_off",
	    "Outlet 3 turned off by user jdoe from 10.1.1.5", "outlet", "3",
	    "user", "jdoe", "src_ip", "10.1.1.5", NULL);
	tb_event(t, s2, AT(10, 0, 40), "outlet_off",
	    "Outlet 4 turned off by user jdoe from 10.1.1.5", "outlet", "4",
	    "user", "jdoe", "src_ip", "10.1.1.5", NULL);
	tb_event(t, s1, AT(10, 29, 0), "outlet_on",
	    "Outlet 3 turned on by user jdoe", "outlet", "3", "user", "jdoe",
	    NULL);
	r = analyze(t, inv, NULL, 0);
	is_str(fl_cause_name(r->cause), "sabotage", "sabotage: cause");
	is_int(fl_report_exit_status(r), 3, "sabotage: exit 3");
	is_int(r->n_affected, 2, "sabotage: two hosts");
	ok(list_has(r->users, r->n_users, "jdoe"), "sabotage: jdoe named");
	ok(list_has(r->src_ips, r->n_src_ips, "10.1.1.5"),
	    "sabotage: from 10.1.1.5");
	ok(list_has(r->devices, r->n_devices, "pdu-1"), "sabotage: pdu-1");
	ok(finding_with(r, "topology") != NULL && strstr(finding_with(r,
	    "topology")->title, "do not follow") != NULL,
	    "sabotage: the set does not follow the topology");
	ok(r->incident_start_us >= AT(9, 59, 0) &&
	    r->incident_start_us <= AT(10, 0, 10),
	    "sabotage: starts with the first outlet");
	check_citations(r, t->ev, "sabotage");
	check_render(r, "sabotage");
	fl_report_free(r);
	fl_inventory_free(inv);
	tb_free(t);
}

static void
test_cyberattack(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct srv w;
	uint32_t sel;
	int i;

	server(t, "db-01", AT(9, 0, 0), AT(9, 40, 0), 1, 0);
	server(t, "db-02", AT(9, 0, 0), AT(9, 41, 0), 1, 0);
	server(t, "db-03", AT(9, 0, 0), AT(9, 41, 0), 1, 0);
	w = server(t, "web-01", AT(16, 0, 0), 0, 0, 0);
	sel = tb_stream(t, 0, "ipmi/sel-db-01.txt", FL_FMT_SEL);
	for (i = 0; i < 25; i++)
		tb_event(t, w.auth, AT(8, 0, i * 5), "auth_fail",
		    "Failed password for deploy", "src_ip", "203.0.113.7",
		    "user", "deploy", NULL);
	tb_event(t, w.auth, AT(8, 6, 0), "auth_success",
	    "Accepted password for deploy", "src_ip", "203.0.113.7", "user",
	    "deploy", NULL);
	tb_event(t, w.auth, AT(8, 7, 0), "priv_escalation",
	    "deploy : USER=root ; COMMAND=/bin/bash", "user", "deploy",
	    "command", "/bin/bash", NULL);
	tb_event(t, w.auth, AT(8, 30, 0), "log_tamper",
	    "deploy : USER=root ; COMMAND=/usr/bin/shred /var/log/syslog",
	    "user", "deploy", NULL);
	tb_event(t, w.auth, AT(8, 59, 50), "remote_power_command",
	    "deploy : COMMAND=/usr/bin/ipmitool -H 10.0.0.21 chassis power "
	    "off", "user", "deploy", "command",
	    "/usr/bin/ipmitool -H 10.0.0.21 chassis power off", NULL);
	tb_event(t, sel, AT(9, 0, 5), "bmc_power_off",
	    "Power off/down | Asserted", NULL);
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "cyberattack", "attack: cause");
	is_int(fl_report_exit_status(r), 3, "attack: exit 3");
	ok(list_has(r->src_ips, r->n_src_ips, "203.0.113.7"),
	    "attack: the source address");
	ok(list_has(r->users, r->n_users, "deploy"), "attack: the account");
	is_str(r->entry_host, "web-01", "attack: entry host");
	is_int(r->n_affected, 3, "attack: three hosts");
	ok(!affected_has(r, "web-01"), "attack: web-01 stayed up");
	check_citations(r, t->ev, "attack");
	check_render(r, "attack");
	fl_report_free(r);
	tb_free(t);
}

/* An intruder who shuts hosts down cleanly is still an attack. */
static void
test_attack_orderly(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct srv w, d[2];
	int i;

	d[0] = server(t, "db-01", AT(9, 0, 0), AT(11, 0, 0), 0, 0);
	d[1] = server(t, "db-02", AT(9, 2, 0), AT(11, 1, 0), 0, 0);
	w = server(t, "web-01", AT(16, 0, 0), 0, 0, 0);
	for (i = 0; i < 30; i++)
		tb_event(t, w.auth, AT(8, 0, i), "auth_fail",
		    "Failed password for deploy", "src_ip", "198.51.100.66",
		    "user", "deploy", NULL);
	tb_event(t, w.auth, AT(8, 1, 0), "auth_success",
	    "Accepted password for deploy", "src_ip", "198.51.100.66",
	    "user", "deploy", NULL);
	for (i = 0; i < 2; i++) {
		int64_t stop = AT(9, 2 * i, 0);

		tb_event(t, d[i].auth, stop - 120 * FL_US_PER_SEC,
		    "auth_success", "Accepted password for deploy", "src_ip",
		    "10.0.0.5", "user", "deploy", NULL);
		tb_event(t, d[i].auth, stop - 60 * FL_US_PER_SEC,
		    "priv_escalation", "deploy : USER=root ; COMMAND=/sbin/"
		    "poweroff", "user", "deploy", "command", "/sbin/poweroff",
		    NULL);
		tb_event(t, d[i].sys, stop - 30 * FL_US_PER_SEC,
		    "shutdown_begin", "Reached target Shutdown.", NULL);
	}
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "cyberattack",
	    "orderly attack: cause");
	ok(list_has(r->users, r->n_users, "deploy"), "orderly attack: deploy");
	ok(r->incident_start_us == AT(8, 1, 0),
	    "orderly attack: starts with the entry");
	check_citations(r, t->ev, "orderly attack");
	fl_report_free(r);
	tb_free(t);
}

static void
test_planned(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	static const char *const names[] = {"node-a", "node-b", "node-c"};
	int i;

	for (i = 0; i < 3; i++) {
		int64_t stop = AT(10, 10 * i, 0);
		struct srv s = server(t, names[i], stop, AT(13, 10 * i, 0), 0,
		    0);

		tb_event(t, s.auth, stop - 60 * FL_US_PER_SEC,
		    "priv_escalation", "alice : USER=root ; COMMAND=/sbin/"
		    "poweroff", "user", "alice", "command", "/sbin/poweroff",
		    NULL);
		tb_event(t, s.sys, stop - 30 * FL_US_PER_SEC, "shutdown_begin",
		    "Reached target Shutdown.", NULL);
		tb_event(t, s.sys, stop, "logger_stop",
		    "rsyslogd exiting on signal 15", NULL);
	}
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "planned-shutdown", "planned: cause");
	is_int(fl_report_exit_status(r), 0, "planned: exit 0");
	is_int(r->n_affected, 3, "planned: three hosts");
	ok(r->incident_start_us <= AT(10, 0, 0) &&
	    r->incident_start_us >= AT(9, 58, 0), "planned: starts with the "
	    "first shutdown");
	is_int(r->n_users, 0, "planned: no actors for a benign cause");
	check_citations(r, t->ev, "planned");
	check_render(r, "planned");
	fl_report_free(r);
	tb_free(t);
}

static void
test_no_incident(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct srv s;
	char ip[32];
	int i;

	server(t, "a-01", AT(16, 0, 0), 0, 0, 0);
	s = server(t, "b-01", AT(10, 0, 0), AT(10, 2, 0), 0, 0);
	tb_event(t, s.sys, AT(9, 59, 50), "shutdown_end", "Journal stopped",
	    NULL);
	server(t, "c-01", AT(16, 0, 0), 0, 0, 0);
	for (i = 0; i < 40; i++) {
		snprintf(ip, sizeof ip, "192.0.2.%d", i + 1);
		tb_event(t, s.auth, AT(3, i, 0), "auth_invalid_user",
		    "Invalid user oracle", "src_ip",
		    fl_arena_strdup(t->ev->arena, ip), NULL);
	}
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "no-incident", "quiet: cause");
	ok(!r->has_incident, "quiet: no incident");
	is_int(fl_report_exit_status(r), 0, "quiet: exit 0");
	check_citations(r, t->ev, "quiet");
	check_render(r, "quiet");
	fl_report_free(r);
	tb_free(t);

	/* nothing at all: no log shows that nothing happened */
	t = tb_new();
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "inconclusive", "empty: inconclusive");
	ok(!r->has_incident, "empty: no incident");
	/* nothing speaks for any cause: none is named as the rival */
	ok(strncmp(r->summary, "No incident was found, but too little", 37) == 0,
	    "empty: the summary says no incident was found, nor could be");
	ok(r->separate != NULL && strstr(r->separate, "sabotage") == NULL &&
	    strstr(r->separate, "too weak to decide") != NULL,
	    "empty: no cause without evidence is named against no-incident");
	check_render(r, "empty");
	fl_report_free(r);
	tb_free(t);
}

static void
test_inconclusive(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;

	server(t, "x-01", AT(10, 0, 0), AT(10, 30, 0), 1, 0);
	server(t, "x-02", AT(10, 0, 0), AT(10, 31, 0), 1, 0);
	server(t, "x-03", AT(10, 1, 0), AT(10, 31, 0), 1, 0);
	server(t, "x-04", AT(16, 0, 0), 0, 0, 0);
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "inconclusive",
	    "bare stops: inconclusive");
	is_int(fl_report_exit_status(r), 4, "bare stops: exit 4");
	ok(r->separate != NULL && strstr(r->separate, "would separate"),
	    "bare stops: says what would decide");
	is_int(r->n_ruled_out, 3, "bare stops: the two leaders stay open");
	check_render(r, "bare stops");
	fl_report_free(r);
	tb_free(t);
}

static const struct fl_report_finding *
finding_with(const struct fl_report *r, const char *signal)
{
	size_t i;

	for (i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].signal, signal) == 0)
			return &r->findings[i];
	return NULL;
}

/* A breaker on one PDU: exactly the hosts fed only through it stop. */
static void
test_topology_match(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct fl_inventory *inv = NULL;
	const struct fl_report_finding *f;
	static const char inv_text[] =
	    "feed grid\nups ups-1 feed=grid\n"
	    "pdu pdu-x ups=ups-1\npdu pdu-y ups=ups-1\n"
	    "host a-01 psu=pdu-x:1\nhost a-02 psu=pdu-x:2\n"
	    "host a-03 psu=pdu-x:3\nhost b-01 psu=pdu-y:1\n"
	    "host b-02 psu=pdu-y:2\nhost c-01 psu=pdu-x:4 psu=pdu-y:4\n";
	uint32_t px, sx;

	fl_inventory_parse("site.inv", inv_text, sizeof inv_text - 1, &inv,
	    NULL);
	server(t, "a-01", AT(10, 0, 0), AT(10, 40, 0), 1, 0);
	server(t, "a-02", AT(10, 0, 0), AT(10, 41, 0), 1, 0);
	server(t, "a-03", AT(10, 1, 0), AT(10, 41, 0), 1, 0);
	server(t, "b-01", AT(16, 0, 0), 0, 0, 0);
	server(t, "b-02", AT(16, 0, 0), 0, 0, 0);
	server(t, "c-01", AT(16, 0, 0), 0, 0, 0);
	px = tb_host(t, "pdu-x", FL_ZONE_FROM_LINE);
	sx = tb_stream(t, px, "power/pdu-x.csv", FL_FMT_CSV);
	tb_event(t, sx, AT(10, 1, 20), "breaker_trip", "Breaker Trip",
	    "outlet", "Bank 1", NULL);
	r = analyze(t, inv, NULL, 0);
	is_str(fl_cause_name(r->cause), "accidental-power-fault",
	    "breaker: cause");
	f = finding_with(r, "topology");
	ok(f != NULL && strstr(f->title, "exactly the hosts fed only through "
	    "pdu-x") != NULL, "breaker: the topology explains the stop");
	is_int(r->incident_start_us, AT(10, 1, 20),
	    "breaker: starts at the trip");
	fl_report_free(r);
	fl_inventory_free(inv);
	tb_free(t);
}

/* Two UPSes that run out an hour apart are not a zone mistake. */
static void
test_hour_apart_groups(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	uint32_t ua, ub, sa, sb;
	size_t i, moved = 0;

	server(t, "a-01", AT(10, 0, 0), AT(12, 0, 0), 1, 0);
	server(t, "a-02", AT(10, 0, 0), AT(12, 1, 0), 1, 0);
	server(t, "a-03", AT(10, 0, 0), AT(12, 1, 0), 1, 0);
	server(t, "b-01", AT(11, 3, 0), AT(12, 2, 0), 1, 0);
	server(t, "b-02", AT(11, 3, 0), AT(12, 2, 0), 1, 0);
	server(t, "b-03", AT(11, 3, 0), AT(12, 3, 0), 1, 0);
	server(t, "b-04", AT(11, 3, 0), AT(12, 3, 0), 1, 0);
	ua = tb_host(t, "ups-a", FL_ZONE_FROM_LINE);
	ub = tb_host(t, "ups-b", FL_ZONE_FROM_LINE);
	sa = tb_stream(t, ua, "power/ups-a.events", FL_FMT_APCUPSD_EVENTS);
	sb = tb_stream(t, ub, "power/ups-b.events", FL_FMT_APCUPSD_EVENTS);
	tb_event(t, sa, AT(9, 0, 0), "utility_lost", "Power failure.", NULL);
	tb_event(t, sb, AT(9, 0, 1), "utility_lost", "Power failure.", NULL);
	tb_event(t, sa, AT(10, 0, 20), "battery_exhausted",
	    "Battery power exhausted.", NULL);
	tb_event(t, sb, AT(11, 3, 20), "battery_exhausted",
	    "Battery power exhausted.", NULL);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_hosts; i++)
		if (r->hosts[i].zone_corrected)
			moved++;
	is_int(moved, 0, "groups an hour apart: no clock moved");
	is_int(r->n_affected, 7, "groups an hour apart: one incident");
	is_str(fl_cause_name(r->cause), "accidental-power-fault",
	    "groups an hour apart: accident");
	is_int(r->incident_start_us, AT(9, 0, 0),
	    "groups an hour apart: starts at the mains loss");
	fl_report_free(r);
	tb_free(t);
}

static void
test_skew_option(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct fl_skew_opt sk;
	const struct fl_report_host *h;
	size_t i, moved = 0, raw_kept = 1;

	build_accident(t);
	ok(fl_skew_parse("srv-03=+90", &sk) == 0, "skew: parses");
	is_int(sk.us, 90 * FL_US_PER_SEC, "skew: microseconds");
	r = analyze(t, NULL, &sk, 1);
	h = host_of(r, "srv-03");
	ok(h != NULL && h->clock_offset_us == 90 * FL_US_PER_SEC &&
	    h->clock_confidence == 1.0, "skew: applied as given");
	for (i = 0; i < t->ev->n_events; i++) {
		const struct fl_event *e = &t->ev->events[i];

		if (strcmp(t->ev->hosts[e->host].name, "srv-03") != 0)
			continue;
		moved += (e->tflags & FL_TF_SKEW_CORRECTED) != 0;
		if (e->time_us - e->raw_time_us != 90 * FL_US_PER_SEC)
			raw_kept = 0;
	}
	ok(moved > 0 && raw_kept, "skew: events moved, raw times kept");
	free((char *)sk.host);
	ok(fl_skew_parse("srv-03", &sk) != 0, "skew: needs =");
	ok(fl_skew_parse("srv-03=abc", &sk) != 0, "skew: needs a number");
	ok(fl_skew_parse("=5", &sk) != 0, "skew: needs a host");
	ok(fl_skew_parse("db=-1.5", &sk) == 0 && sk.us == -1500000,
	    "skew: negative fraction");
	free((char *)sk.host);
	fl_report_free(r);
	tb_free(t);
}

/* A host hears of the mains loss from its UPS daemon a little late
 * (polling), never early: early is a clock that is behind, and its last
 * line and boot agree. */
static void
test_small_skew(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	const struct fl_report_host *h1, *h2;
	struct srv late, slow;
	uint32_t ups, su;
	const int64_t behind = -180 * FL_US_PER_SEC;

	server(t, "a-01", AT(10, 0, 0), AT(10, 45, 0), 1, 0);
	server(t, "a-02", AT(10, 0, 0), AT(10, 46, 0), 1, 0);
	late = server(t, "late-01", AT(10, 0, 0), AT(10, 46, 0), 1, 0);
	slow = server(t, "slow-01", AT(10, 0, 0), AT(10, 45, 0), 1, behind);
	ups = tb_host(t, "ups-a", FL_ZONE_FROM_LINE);
	su = tb_stream(t, ups, "power/ups-a.events", FL_FMT_APCUPSD_EVENTS);
	tb_event(t, su, AT(9, 30, 0), "utility_lost", "Power failure.", NULL);
	tb_event(t, su, AT(10, 0, 30), "battery_exhausted",
	    "Battery power exhausted.", NULL);
	tb_event(t, slow.sys, AT(9, 30, 2) + behind, "on_battery",
	    "UPS ups-a@mon on battery", NULL);
	tb_event(t, late.sys, AT(9, 30, 20), "on_battery",
	    "UPS ups-a@mon on battery", NULL);
	r = analyze(t, NULL, NULL, 0);
	h1 = host_of(r, "slow-01");
	h2 = host_of(r, "late-01");
	ok(h1 != NULL && h1->clock_offset_us > 170 * FL_US_PER_SEC &&
	    h1->clock_offset_us <= 180 * FL_US_PER_SEC &&
	    h1->clock_confidence > 0, "skew: a clock three minutes behind "
	    "is moved (%lld s)", h1 ? (long long)(h1->clock_offset_us /
	    FL_US_PER_SEC) : 0);
	ok(h2 != NULL && h2->clock_offset_us == 0,
	    "skew: twenty seconds late is the daemon polling");
	is_int(r->n_affected, 4, "skew: four hosts stopped together");
	fl_report_free(r);
	tb_free(t);
}

static void
test_coverage_gap(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	size_t i, j;
	int named = 0;

	build_accident(t);
	/* a host with no authentication log at all */
	tb_stream(t, tb_host(t, "zz-noauth", FL_ZONE_OPTION),
	    "zz-noauth/var/log/messages", FL_FMT_RFC3164);
	tb_activity(t, t->ev->n_hosts - 1, AT(0, 0, 0), AT(16, 0, 0), 1);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_ruled_out; i++)
		if (r->ruled_out[i].cause == FL_CAUSE_CYBERATTACK)
			for (j = 0; j < r->ruled_out[i].n_gaps; j++)
				if (strstr(r->ruled_out[i].coverage_gaps[j],
				    "zz-noauth") != NULL)
					named = 1;
	ok(named, "coverage: a host without auth logs is named");
	fl_report_free(r);
	tb_free(t);
}

/* A host with only a kernel log: nothing shows who logged in. */
static uint32_t
kernel_only(struct tb *t, const char *name)
{
	uint32_t h = tb_host(t, name, FL_ZONE_OPTION);
	char path[128];

	snprintf(path, sizeof path, "%s/var/log/kern.log", name);
	tb_stream(t, h, fl_arena_strdup(t->ev->arena, path), FL_FMT_RFC3164);
	tb_activity(t, h, AT(0, 0, 0), AT(16, 0, 0), 1);
	return h;
}

/* No host stopped, but one host's logs have a hole with no reboot and
 * most hosts have no authentication log: neither is said to be absent,
 * and the quiet verdict is not as sure as on a clean set. */
static void
test_tamper_no_incident(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	uint32_t h, st;
	size_t i, j, n_tamper = 0, said_none = 0;

	server(t, "a-01", AT(16, 0, 0), 0, 0, 0);
	server(t, "c-01", AT(16, 0, 0), 0, 0, 0);
	kernel_only(t, "d-01");
	kernel_only(t, "e-01");
	h = tb_host(t, "b-01", FL_ZONE_OPTION);
	st = tb_stream(t, h, "b-01/var/log/kern.log", FL_FMT_RFC3164);
	tb_activity(t, h, AT(0, 0, 0), AT(5, 0, 0), 1);
	tb_activity(t, h, AT(6, 0, 0), AT(16, 0, 0), 1);
	tb_event(t, st, AT(5, 0, 10), "hw_error", "mce: corrected error",
	    NULL);
	tb_event(t, st, AT(6, 0, 5), "hw_error", "mce: corrected error",
	    NULL);
	r = analyze(t, NULL, NULL, 0);
	ok(r->cause != FL_CAUSE_NO_INCIDENT || r->confidence < 0.8,
	    "hole and blind hosts: no quiet verdict at full confidence "
	    "(%s %.2f)", fl_cause_name(r->cause), r->confidence);
	for (i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].signal, "log_gap") == 0)
			n_tamper++;
	is_int(n_tamper, 1, "hole and blind hosts: the hole is a finding");
	for (i = 0; i < r->n_ruled_out; i++)
		for (j = 0; j < r->ruled_out[i].n_checks; j++) {
			const struct fl_report_check *ck =
			    &r->ruled_out[i].checks[j];

			if (strstr(ck->check, "tampering") != NULL &&
			    strcmp(ck->result, "none") == 0)
				said_none++;
		}
	is_int(said_none, 0, "hole and blind hosts: no check says no "
	    "tampering");
	ok(strstr(r->summary, "no reboot") != NULL, "hole and blind hosts: "
	    "the summary names the hole: %s", r->summary);
	ok(strstr(r->summary, "no authentication logs") != NULL ||
	    strstr(r->summary, "No authentication logs") != NULL,
	    "hole and blind hosts: the summary says what was not seen");
	check_citations(r, t->ev, "hole and blind hosts");
	fl_report_free(r);
	tb_free(t);
}

/* No check of the ruled-out matrix says "none" for what a finding shows,
 * and none that no host could answer passes as done. */
static void
check_ruled_out(const struct fl_report *r, const char *needle,
    const char *what)
{
	size_t i, j, said_none = 0, empty = 0;

	for (i = 0; i < r->n_ruled_out; i++)
		for (j = 0; j < r->ruled_out[i].n_checks; j++) {
			const struct fl_report_check *ck =
			    &r->ruled_out[i].checks[j];

			if (strstr(ck->check, needle) != NULL &&
			    strncmp(ck->result, "none", 4) == 0)
				said_none++;
			if (ck->hosts_covered == 0 &&
			    strncmp(ck->result, "not checked", 11) != 0 &&
			    strncmp(ck->result, "found", 5) != 0)
				empty++;
		}
	is_int(said_none, 0, "%s: no check says none for %s", what, needle);
	is_int(empty, 0, "%s: a check over no host says it was not made",
	    what);
}

/* Outlets switched off by a named user while no host of the evidence
 * stopped (those they fed are not in it): weighed, said, never "none". */
static void
test_loads_off_unseen(void)
{
	struct tb *t;
	struct fl_report *r;
	uint32_t p, s;
	int only;

	for (only = 0; only < 2; only++) {
		t = tb_new();
		if (!only) {
			server(t, "app-01", AT(16, 0, 0), 0, 0, 0);
			server(t, "app-02", AT(16, 0, 0), 0, 0, 0);
		}
		p = tb_host(t, "pdu-1", FL_ZONE_FROM_LINE);
		s = tb_stream(t, p, "power/pdu-1.csv", FL_FMT_CSV);
		tb_event(t, s, AT(2, 45, 31), "outlet_off",
		    "Outlet 1 turned off by user jdoe from 10.1.1.5", "outlet",
		    "1", "user", "jdoe", "src_ip", "10.1.1.5", NULL);
		tb_event(t, s, AT(2, 45, 53), "outlet_off",
		    "Outlet 2 turned off by user jdoe from 10.1.1.5", "outlet",
		    "2", "user", "jdoe", "src_ip", "10.1.1.5", NULL);
		r = analyze(t, NULL, NULL, 0);
		is_str(fl_cause_name(r->cause), "inconclusive", "loads off%s: "
		    "no harm shown, so no verdict", only ? ", PDU log only" :
		    "");
		ok(r->scores[1].score >= r->scores[0].score &&
		    r->scores[1].score >= r->scores[2].score &&
		    r->scores[1].score >= r->scores[3].score &&
		    r->scores[1].score >= r->scores[4].score,
		    "loads off%s: sabotage leads", only ? ", PDU log only" : "");
		ok(r->separate != NULL && strstr(r->separate, "no-incident") &&
		    strstr(r->separate, "servers on those outlets") &&
		    strstr(r->separate, "change ticket"), "loads off%s: says "
		    "what would separate it from no incident: %s",
		    only ? ", PDU log only" : "", r->separate ? r->separate :
		    "(none)");
		ok(!r->has_incident, "loads off%s: no incident invented",
		    only ? ", PDU log only" : "");
		ok(finding_with(r, "power_command") != NULL,
		    "loads off%s: the command is a finding",
		    only ? ", PDU log only" : "");
		ok(strstr(r->summary, "jdoe") != NULL, "loads off%s: the "
		    "summary names who: %s", only ? ", PDU log only" : "",
		    r->summary);
		check_ruled_out(r, "power commands", only ? "loads off, PDU "
		    "log only" : "loads off");
		check_citations(r, t->ev, "loads off");
		fl_report_free(r);
		tb_free(t);
	}
}

/* One archive collected later than the others: the others' evidence
 * ends together, which is their collection, not a stop, and the real
 * incident (outlets switched off, two hosts down) stays the incident. */
static void
test_collection_end(void)
{
	struct tb *t;
	struct fl_report *r;
	uint32_t p, s;
	int with_cut;

	for (with_cut = 0; with_cut < 2; with_cut++) {
		t = tb_new();
		server(t, "app-01", AT(12, 0, 0), 0, 0, 0);
		server(t, "app-02", AT(12, 0, 0), 0, 0, 0);
		server(t, "app-03", AT(12, 1, 0), 0, 0, 0);
		server(t, "app-04", AT(12, 0, 0), 0, 0, 0);
		server(t, "mon-01", AT(13, 30, 0), 0, 0, 0);
		if (with_cut) {
			server(t, "db-01", AT(10, 0, 0), AT(10, 30, 0), 1, 0);
			server(t, "db-02", AT(10, 0, 0), AT(10, 31, 0), 1, 0);
			p = tb_host(t, "pdu-1", FL_ZONE_FROM_LINE);
			s = tb_stream(t, p, "power/pdu-1.csv", FL_FMT_CSV);
			tb_event(t, s, AT(10, 0, 10), "outlet_off",
			    "Outlet 3 turned off by user jdoe from 10.1.1.5",
			    "outlet", "3", "user", "jdoe", "src_ip", "10.1.1.5",
			    NULL);
		}
		r = analyze(t, NULL, NULL, 0);
		if (!with_cut) {
			ok(!r->has_incident, "collection end: no incident");
			is_str(fl_cause_name(r->cause), "no-incident",
			    "collection end: cause");
			ok(host_of(r, "app-01")->n_gaps == 0, "collection end: "
			    "the end of app-01's evidence is not a silence");
		} else {
			is_str(fl_cause_name(r->cause), "sabotage",
			    "collection end and a cut: cause");
			is_int(r->n_affected, 2, "collection end and a cut: the "
			    "two hosts on the outlets");
			ok(affected_has(r, "db-01") && affected_has(r, "db-02"),
			    "collection end and a cut: db-01, db-02");
			check_citations(r, t->ev, "collection end and a cut");
		}
		fl_report_free(r);
		tb_free(t);
	}
}

/* Power comes back once the last host has stopped: a UPS card restarting
 * while hosts still go down ends nothing. */
static void
test_restore_after_last_stop(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	uint32_t nmc, sn;

	build_accident(t);
	/* hosts stop from 10:00 to 10:01, come back from 10:45 */
	nmc = tb_host(t, "ups-b", FL_ZONE_FROM_LINE);
	sn = tb_stream(t, nmc, "power/ups-b-nmc.txt", FL_FMT_NMC);
	tb_event(t, sn, AT(10, 0, 40), "boot",
	    "System Network Interface coldstarted.", NULL);
	tb_event(t, sn, AT(10, 40, 0), "boot",
	    "System Network Interface coldstarted.", NULL);
	r = analyze(t, NULL, NULL, 0);
	is_int(r->power_restored_us, AT(10, 40, 0),
	    "restore: the card's restart after the last stop, not the one "
	    "between the stops");
	fl_report_free(r);
	tb_free(t);
}

/* An IPv4 address as a dual-stack sshd writes it is still internal. */
static void
test_mapped_address(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	size_t i;
	int odd = 0;

	build_accident(t);
	/* stream 3 is srv-02's auth.log */
	tb_event(t, 3, AT(11, 10, 0), "auth_success",
	    "Accepted password for ops from ::ffff:10.0.0.77 port 4242 ssh2",
	    "src_ip", "::ffff:10.0.0.77", "user", "ops", NULL);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_findings; i++)
		odd |= strstr(r->findings[i].title, "never seen before") != NULL;
	ok(!odd, "mapped address: ::ffff:10.0.0.77 is not a new public address");
	fl_report_free(r);
	tb_free(t);
}

/* A journal export holds the authentication lines: quiet servers whose
 * only log is the journal are no incident, not unseen. */
static void
test_journal_is_auth(void)
{
	int journal;

	for (journal = 0; journal < 2; journal++) {
		struct tb *t = tb_new();
		struct fl_report *r;
		const char *names[] = {"a-01", "b-01", "c-01"};
		int i;

		for (i = 0; i < 3; i++) {
			uint32_t h = tb_host(t, names[i], FL_ZONE_OPTION);
			char path[64];

			snprintf(path, sizeof path, "%s/export.json", names[i]);
			tb_stream(t, h, fl_arena_strdup(t->ev->arena, path),
			    journal ? FL_FMT_JOURNAL_JSON : FL_FMT_RFC3164);
			tb_activity(t, h, AT(0, 0, 0), AT(16, 0, 0), 1);
		}
		r = analyze(t, NULL, NULL, 0);
		is_str(fl_cause_name(r->cause), journal ? "no-incident" :
		    "inconclusive", journal ? "journal only: no incident" :
		    "no authentication log: not enough to say nothing happened");
		fl_report_free(r);
		tb_free(t);
	}
}

/* Hosts that log hourly and never come back, with the mains lost before
 * they would have logged again: a stop, not the end of the collection. */
static void
test_open_stop_with_later_power(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	uint32_t ups, su;
	const char *names[] = {"app-01", "app-02", "app-03"};
	int i;

	for (i = 0; i < 3; i++) {
		uint32_t h = tb_host(t, names[i], FL_ZONE_OPTION);
		char path[64];

		snprintf(path, sizeof path, "%s/var/log/syslog", names[i]);
		tb_stream(t, h, fl_arena_strdup(t->ev->arena, path),
		    FL_FMT_RFC3164);
		snprintf(path, sizeof path, "%s/var/log/auth.log", names[i]);
		tb_stream(t, h, fl_arena_strdup(t->ev->arena, path),
		    FL_FMT_RFC3164);
		tb_activity(t, h, AT(0, 17, 0), AT(10, 17, 0), 60);
	}
	tb_activity(t, tb_host(t, "mon-01", FL_ZONE_OPTION), AT(0, 0, 0),
	    AT(16, 0, 0), 1);
	ups = tb_host(t, "ups-a", FL_ZONE_FROM_LINE);
	su = tb_stream(t, ups, "power/ups-a.events", FL_FMT_APCUPSD_EVENTS);
	tb_event(t, su, AT(10, 25, 0), "utility_lost", "Power failure.", NULL);
	tb_event(t, su, AT(10, 57, 0), "battery_exhausted",
	    "Battery power exhausted.", NULL);
	r = analyze(t, NULL, NULL, 0);
	ok(r->has_incident, "hourly hosts, mains lost after their last line: "
	    "an incident");
	is_int(r->n_affected, 3, "hourly hosts: the three stopped");
	fl_report_free(r);
	tb_free(t);
}

/* A UPS that lost the mains while every host went on: no incident, and
 * the ruled-out checks say what the power-device logs show rather than
 * "none". */
static void
test_power_found_no_incident(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	uint32_t ups, su;
	size_t i, j, found = 0, checks = 0;

	server(t, "a-01", AT(16, 0, 0), 0, 0, 0);
	server(t, "b-01", AT(16, 0, 0), 0, 0, 0);
	ups = tb_host(t, "ups-a", FL_ZONE_FROM_LINE);
	su = tb_stream(t, ups, "power/ups-a.events", FL_FMT_APCUPSD_EVENTS);
	tb_event(t, su, AT(9, 30, 0), "utility_lost", "Power failure.", NULL);
	tb_event(t, su, AT(9, 30, 2), "utility_restored",
	    "Power is back. UPS running on mains.", NULL);
	r = analyze(t, NULL, NULL, 0);
	ok(!r->has_incident, "power found, no stop: no incident");
	for (i = 0; i < r->n_ruled_out; i++)
		for (j = 0; j < r->ruled_out[i].n_checks; j++) {
			const struct fl_report_check *k =
			    &r->ruled_out[i].checks[j];

			if (strncmp(k->check, "power-device", 12) != 0)
				continue;
			checks++;
			found += strncmp(k->result, "found: mains power lost",
			    23) == 0;
		}
	ok(checks > 0 && found == checks, "power found, no stop: the "
	    "power-device checks name the mains loss, not none");
	fl_report_free(r);
	tb_free(t);
}

/* A host whose kernel panics and never comes back has stopped: its last
 * lines are not the end of a collection, and the finding cites the panic. */
static void
test_panic_no_return(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct srv s;
	size_t i;
	int cited = 0;

	server(t, "a-01", AT(16, 0, 0), 0, 0, 0);
	s = server(t, "b-01", AT(10, 0, 0), 0, 0, 0);
	server(t, "c-01", AT(16, 0, 0), 0, 0, 0);
	tb_event(t, s.sys, AT(10, 0, 16), "kernel_panic",
	    "Kernel panic - not syncing: Fatal exception", NULL);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_findings; i++)
		if (strstr(r->findings[i].title, "kernel panic") != NULL &&
		    r->findings[i].n_cites > 0)
			cited = 1;
	ok(cited, "panic, no return: reported as a stop, citing the panic");
	check_citations(r, t->ev, "panic, no return");
	fl_report_free(r);
	tb_free(t);
}

/* systemd's housekeeping after a boot is not a site service coming back,
 * whether the line names the unit or only its description. */
static void
test_housekeeping_not_service(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	size_t i;
	int house = 0;

	build_accident(t);
	/* stream 0 is srv-01's syslog; srv-01 boots at 10:45 */
	tb_event(t, 0, AT(11, 3, 0), "service_up",
	    "Started Cleanup of Temporary Directories.", "service",
	    "Cleanup of Temporary Directories", NULL);
	tb_event(t, 0, AT(11, 5, 0), "service_up",
	    "Started apt-daily.service - Daily apt download activities.",
	    "unit", "apt-daily.service", "service",
	    "Daily apt download activities", NULL);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_rec_services; i++)
		if (strstr(r->rec_services[i].service, "Temporary") != NULL ||
		    strstr(r->rec_services[i].service, "apt") != NULL)
			house++;
	is_int(house, 0, "housekeeping: not among the services restored");
	ok(r->last_service_us != FL_TIME_UNKNOWN &&
	    r->last_service_us < AT(11, 0, 0), "housekeeping: the last "
	    "service restored is a site service");
	fl_report_free(r);
	tb_free(t);
}

/* A login after the outage from a public address never seen before is
 * not called recovery work. */
static void
test_recovery_login_source(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	size_t i, j;
	int in_rec = 0, apart = 0;

	build_accident(t);
	/* stream 3 is srv-02's auth.log */
	tb_event(t, 3, AT(11, 10, 12), "auth_success",
	    "Accepted password for deploy from 198.51.100.77 port 51234 ssh2",
	    "src_ip", "198.51.100.77", "user", "deploy", NULL);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_findings; i++)
		for (j = 0; j < r->findings[i].n_cites; j++)
			if (strstr(r->findings[i].cites[j].text,
			    "198.51.100.77") != NULL) {
				if (strstr(r->findings[i].title, "recovery work") !=
				    NULL && strstr(r->findings[i].title,
				    "not recovery") == NULL)
					in_rec++;
				else
					apart++;
			}
	is_int(in_rec, 0, "recovery login: a new public source is not "
	    "recovery work");
	is_int(apart, 1, "recovery login: it is reported apart");
	ok(strstr(r->summary, "deploy") == NULL ||
	    strstr(r->summary, "recovery work") == NULL ||
	    strstr(r->summary, "(admin)") != NULL, "recovery login: the "
	    "summary does not call deploy's login recovery: %s", r->summary);
	fl_report_free(r);
	tb_free(t);
}

/* A hole cites the kept lines at its edges, and when they are not kept,
 * the nearest kept ones on either side, saying so. */
static void
test_hole_citations(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	const struct fl_report_finding *f[2] = {NULL, NULL};
	uint32_t h, st;
	size_t i, n = 0;

	h = tb_host(t, "b-01", FL_ZONE_OPTION);
	st = tb_stream(t, h, "b-01/var/log/kern.log", FL_FMT_RFC3164);
	tb_activity(t, h, AT(0, 0, 0), AT(5, 0, 0), 1);
	tb_activity(t, h, AT(6, 0, 0), AT(9, 0, 0), 1);
	tb_activity(t, h, AT(10, 0, 0), AT(16, 0, 0), 1);
	tb_event(t, st, AT(5, 0, 10), "hw_error", "mce: before", NULL);
	tb_event(t, st, AT(6, 0, 5), "hw_error", "mce: after", NULL);
	tb_event(t, st, AT(12, 0, 0), "hw_error", "mce: later", NULL);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].signal, "log_gap") == 0 && n < 2)
			f[n++] = &r->findings[i];
	is_int(n, 2, "holes: two");
	if (n == 2) {
		is_int(f[0]->n_cites, 2, "hole at its edges: two lines");
		ok(f[0]->n_cites == 2 && f[0]->cites[0].line == 1 &&
		    f[0]->cites[1].line == 2, "hole at its edges: the line "
		    "before it and the line after it");
		ok(strstr(f[0]->title, "not kept") == NULL,
		    "hole at its edges: no caveat");
		ok(f[1]->n_cites == 2 && f[1]->cites[0].line == 2 &&
		    f[1]->cites[1].line == 3, "hole between kept lines: the "
		    "nearest on either side");
		ok(strstr(f[1]->title, "the nearest kept lines are cited") !=
		    NULL, "hole between kept lines: says so: %s", f[1]->title);
	}
	check_citations(r, t->ev, "holes");
	fl_report_free(r);
	tb_free(t);
}

/* Scanning noise: the finding's hosts, span and line count are those of
 * every attempt, folded ones included, not of the lines it cites. */
static void
test_noise_extent(void)
{
	static const char *const names[] = {"a-01", "b-01", "c-01"};
	struct tb *t = tb_new();
	struct fl_report *r;
	const struct fl_report_finding *f = NULL;
	struct srv sv[3];
	char ip[32];
	size_t i, k;
	int hh;

	for (i = 0; i < 3; i++)
		sv[i] = server(t, names[i], AT(16, 0, 0), 0, 0, 0);
	for (hh = 0; hh < 12; hh++) {
		snprintf(ip, sizeof ip, "198.51.100.%d", hh + 1);
		k = tb_event(t, sv[hh < 4 ? 0 : hh % 3].auth, AT(1 + hh, 0, 0),
		    "auth_fail", "Failed password for root", "src_ip",
		    fl_arena_strdup(t->ev->arena, ip), NULL);
		if (hh == 11) {  /* background noise folded into its line */
			t->ev->events[k].repeat = 50;
			t->ev->events[k].noise = FL_NOISE_COUNTED;
		}
	}
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i].noise &&
		    strcmp(r->findings[i].signal, "auth_fail") == 0)
			f = &r->findings[i];
	ok(f != NULL, "noise: a finding");
	if (f != NULL) {
		is_int(f->n_hosts, 3, "noise: every host it came to");
		ok(f->start_us == AT(1, 0, 0) && f->end_us == AT(12, 0, 0),
		    "noise: from the first attempt to the last");
		is_int(f->n_events, 11 + 50, "noise: every line behind it");
		ok(f->n_cites >= 1 && f->n_cites <= 5, "noise: a few lines "
		    "cited (%zu)", f->n_cites);
	}
	check_citations(r, t->ev, "noise");
	fl_report_free(r);
	tb_free(t);
}

/* A benign or open verdict's summary does not hide an intrusion found
 * beside the outage: brute force then success, then (second run) an
 * account created, which puts a cyberattack in contention. */
static void
test_accident_with_intrusion(void)
{
	struct tb *t;
	struct fl_report *r;
	uint32_t a;
	size_t i;
	int more;

	for (more = 0; more < 2; more++) {
		t = tb_new();
		build_accident(t);
		a = server(t, "web-09", AT(16, 0, 0), 0, 0, 0).auth;
		for (i = 0; i < 12; i++)
			tb_event(t, a, AT(3, 0, (int)i * 5), "auth_fail",
			    "Failed password for root", "src_ip",
			    "203.0.113.66", "user", "root", NULL);
		tb_event(t, a, AT(3, 2, 0), "auth_success",
		    "Accepted password for root", "src_ip", "203.0.113.66",
		    "user", "root", NULL);
		if (more)
			tb_event(t, a, AT(3, 3, 0), "account_change",
			    "new user: name=svc-backup", "user", "root", NULL);
		r = analyze(t, NULL, NULL, 0);
		is_str(fl_cause_name(r->cause), more ? "inconclusive" :
		    "accidental-power-fault", "intrusion beside an accident%s: "
		    "cause", more ? ", account created" : "");
		ok(strstr(r->summary, "compromise was found") != NULL &&
		    strstr(r->summary, "203.0.113.66") != NULL, "intrusion "
		    "beside an accident%s: the summary says it: %s",
		    more ? ", account created" : "", r->summary);
		check_citations(r, t->ev, "intrusion beside an accident");
		fl_report_free(r);
		tb_free(t);
	}
}

/* A server log in a format not understood: no line parsed or dated. It
 * shows nothing, so no incident is not shown either, and the report lists
 * it as not analysed. */
static void
test_unparsed(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	struct fl_buf b = {0};
	uint32_t h, s;

	h = tb_host(t, "bgl-01", FL_ZONE_OPTION);
	s = tb_stream(t, h, "bgl-01/BGL_2k.log", FL_FMT_UNKNOWN);
	t->ev->streams[s].lines = t->ev->streams[s].unparsed = 2000;
	r = analyze(t, NULL, NULL, 0);
	ok(r->cause != FL_CAUSE_NO_INCIDENT && r->confidence < 0.5,
	    "unparsed: no quiet verdict on logs not read (%s %.2f)",
	    fl_cause_name(r->cause), r->confidence);
	ok(strstr(r->summary, "could be parsed and dated") != NULL,
	    "unparsed: the summary says so: %s", r->summary);
	ok(r->separate != NULL && strstr(r->separate, "server logs that "
	    "can be read and dated") != NULL, "unparsed: what would decide "
	    "is logs that can be read");
	is_int(r->n_unparsed, 1, "unparsed: the stream is listed");
	if (r->n_unparsed == 1) {
		is_str(r->unparsed[0].path, "evidence.tar!bgl-01/BGL_2k.log",
		    "unparsed: by its path");
		is_int(r->unparsed[0].lines, 2000, "unparsed: its lines");
		is_str(r->unparsed[0].format, "unknown", "unparsed: its format");
	}
	is_int(r->n_unreadable, 0, "unparsed: not damage");
	fl_report_json_buf(r, &b);
	ok(strstr(b.data, "\"unparsed\": [\n    {\"path\": "
	    "\"evidence.tar!bgl-01/BGL_2k.log\", \"format\": \"unknown\", "
	    "\"lines\": 2000}") != NULL, "unparsed: in the JSON");
	fl_buf_reset(&b);
	fl_report_text_buf(r, &b);
	ok(strstr(b.data, "evidence.tar!bgl-01/BGL_2k.log: 2000 line(s), "
	    "format unknown") != NULL && strstr(b.data, "not analysed"),
	    "unparsed: in the text");
	fl_buf_free(&b);
	fl_report_free(r);
	tb_free(t);
}

static const struct fl_report_check *
check_named(const struct fl_report *r, enum fl_cause cause, const char *name)
{
	size_t i, j;

	for (i = 0; i < r->n_ruled_out; i++)
		for (j = 0; j < r->ruled_out[i].n_checks; j++)
			if (r->ruled_out[i].cause == cause &&
			    strncmp(r->ruled_out[i].checks[j].check, name,
			    strlen(name)) == 0)
				return &r->ruled_out[i].checks[j];
	return NULL;
}

/* Each ruled-out check counts only the logs that can show what it names:
 * UPS logs are not door logs, a badge reader is not a power device, and
 * a host's chassis and power button are seen in its BMC log or by logind. */
static void
test_coverage_sources(void)
{
	int with;

	for (with = 0; with < 2; with++) {
		struct tb *t = tb_new();
		struct fl_report *r;
		const struct fl_report_check *ck;
		const char *w = with ? "badge reader, SEL, logind" : "UPS only";
		uint32_t b, s;
		size_t k;

		if (with) {
			b = tb_host(t, "badge", FL_ZONE_FROM_LINE);
			s = tb_stream(t, b, "access/badge.csv", FL_FMT_CSV);
			tb_event(t, s, AT(8, 0, 0), "physical_access",
			    "Granted; Door=DC-1", "door", "DC-1", NULL);
		}
		build_accident(t);
		if (with) {
			/* srv-01 (host 1) gets its BMC log, srv-02 a logind
			 * line in its auth.log (stream 4) */
			s = tb_stream(t, 1, "ipmi/sel-srv-01.txt", FL_FMT_SEL);
			tb_event(t, s, AT(9, 0, 0), NULL, "Fan 1 | Lower "
			    "Critical going low | Asserted", NULL);
			k = tb_event(t, 4, AT(8, 5, 0), NULL,
			    "New session 3 of user admin.", NULL);
			t->ev->events[k].program = "systemd-logind";
		}
		r = analyze(t, NULL, NULL, 0);
		is_str(fl_cause_name(r->cause), "accidental-power-fault",
		    "coverage sources, %s: cause", w);
		ck = check_named(r, FL_CAUSE_PLANNED, "power-device faults");
		ok(ck != NULL && ck->hosts_covered == 1 && ck->hosts_total == 1,
		    "coverage sources, %s: one power device (%zu/%zu)", w,
		    ck ? ck->hosts_covered : 0, ck ? ck->hosts_total : 0);
		ck = check_named(r, FL_CAUSE_SABOTAGE, "physical access");
		if (with)
			ok(ck != NULL && ck->hosts_covered == 1 &&
			    ck->hosts_total == 1 && strcmp(ck->result, "none")
			    == 0, "coverage sources, %s: the door log read, "
			    "nothing near the stop (%zu/%zu %s)", w,
			    ck ? ck->hosts_covered : 0, ck ? ck->hosts_total :
			    0, ck ? ck->result : "-");
		else
			ok(ck != NULL && ck->hosts_covered == 0 &&
			    ck->hosts_total == 0 && strcmp(ck->result,
			    "not checked: no badge or door logs") == 0,
			    "coverage sources, %s: doors not checked (%zu/%zu "
			    "%s)", w, ck ? ck->hosts_covered : 0,
			    ck ? ck->hosts_total : 0, ck ? ck->result : "-");
		ck = check_named(r, FL_CAUSE_SABOTAGE, "at the machines");
		ok(ck != NULL && ck->hosts_covered == (with ? 2u : 0u) &&
		    ck->hosts_total == 6 && strncmp(ck->result, with ? "none" :
		    "not checked", with ? 4 : 11) == 0, "coverage sources, %s: "
		    "chassis and power button seen on %d of 6 hosts (%zu/%zu "
		    "%s)", w, with ? 2 : 0, ck ? ck->hosts_covered : 0,
		    ck ? ck->hosts_total : 0, ck ? ck->result : "-");
		ck = check_named(r, FL_CAUSE_SABOTAGE, "power commands");
		ok(ck != NULL && ck->hosts_total == 7, "coverage sources, %s: "
		    "power commands over the UPS and six servers (%zu)", w,
		    ck ? ck->hosts_total : 0);
		fl_report_free(r);
		tb_free(t);
	}
}

/* Every host's logs end at the stop with no shutdown line and no boot
 * after: the UPS ran out. The outage is still a finding, citing the
 * hosts' last kept lines and the UPS's record. */
static void
test_outage_open_ends(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	const struct fl_report_finding *f;
	struct srv s[3];
	uint32_t ups, su;
	size_t i, k;

	s[0] = server(t, "srv-01", AT(10, 0, 0), 0, 0, 0);
	s[1] = server(t, "srv-02", AT(10, 0, 0), 0, 0, 0);
	s[2] = server(t, "srv-03", AT(10, 1, 0), 0, 0, 0);
	/* on another feed: it keeps logging */
	server(t, "srv-04", AT(16, 0, 0), 0, 0, 0);
	for (i = 0; i < 3; i++)
		tb_event(t, s[i].auth, AT(9, 40, (int)i),
		    "auth_success", "Accepted publickey for admin", "src_ip",
		    "10.0.0.9", "user", "admin", NULL);
	ups = tb_host(t, "ups-a", FL_ZONE_FROM_LINE);
	su = tb_stream(t, ups, "power/ups-a.events", FL_FMT_APCUPSD_EVENTS);
	tb_event(t, su, AT(9, 30, 0), "utility_lost", "Power failure.", NULL);
	tb_event(t, su, AT(10, 0, 30), "battery_exhausted",
	    "Battery power exhausted.", NULL);
	r = analyze(t, NULL, NULL, 0);
	is_str(fl_cause_name(r->cause), "accidental-power-fault",
	    "open ends: cause");
	is_int(r->n_affected, 3, "open ends: three hosts");
	f = finding_with(r, "outage");
	ok(f != NULL, "open ends: the outage is a finding");
	if (f != NULL) {
		for (i = 0, k = 0; i < f->n_cites; i++)
			if (strstr(f->cites[i].text, "srv-01 prog: Accepted "
			    "publickey") ||
			    strstr(f->cites[i].text, "Battery power exhausted"))
				k++;
		is_int(k, 2, "open ends: it cites srv-01's last kept line and "
		    "the UPS running out");
		ok(f->start_us >= AT(10, 0, 0) && f->start_us <= AT(10, 1, 0),
		    "open ends: its time is the stop, not the lines cited");
		ok(strstr(f->title, "last kept line") != NULL,
		    "open ends: the title says what is cited: %s", f->title);
	}
	check_citations(r, t->ev, "open ends");
	fl_report_free(r);
	tb_free(t);
}

/* A unit whose description ends with a period logs "Started <it>.", the
 * rule's service capture keeping the description's own period: the
 * service restored is named without it, once for both lines. */
static void
test_service_description_period(void)
{
	struct tb *t = tb_new();
	struct fl_report *r;
	size_t i, snmp = 0, dotted = 0;

	build_accident(t);
	/* streams 0 and 2 are srv-01's and srv-02's syslogs */
	tb_event(t, 0, AT(10, 47, 0), "service_up", "Started Simple Network "
	    "Management Protocol (SNMP) Daemon..", "service", "Simple Network "
	    "Management Protocol (SNMP) Daemon.", NULL);
	tb_event(t, 2, AT(10, 48, 0), "service_up", "Started snmpd.service - "
	    "Simple Network Management Protocol (SNMP) Daemon..", "unit",
	    "snmpd.service", "service", "Simple Network Management Protocol "
	    "(SNMP) Daemon.", NULL);
	r = analyze(t, NULL, NULL, 0);
	for (i = 0; i < r->n_rec_services; i++) {
		const char *sv = r->rec_services[i].service;

		if (strcmp(sv, "Simple Network Management Protocol (SNMP) "
		    "Daemon") == 0 && r->rec_services[i].back_us !=
		    FL_TIME_UNKNOWN)
			snmp++;
		if (sv[strlen(sv) - 1] == '.')
			dotted++;
	}
	is_int(snmp, 2, "service description: named without its period on "
	    "both hosts, and back");
	is_int(dotted, 0, "service description: no service name ends with a "
	    "period");
	fl_report_free(r);
	tb_free(t);
}

static void
test_deterministic(void)
{
	struct fl_buf a = {0}, b = {0};
	int i;

	for (i = 0; i < 2; i++) {
		struct tb *t = tb_new();
		struct fl_report *r;

		build_accident(t);
		r = analyze(t, NULL, NULL, 0);
		fl_report_json_buf(r, i ? &b : &a);
		fl_report_free(r);
		tb_free(t);
	}
	ok(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "the same evidence gives the same report");
	fl_buf_free(&a);
	fl_buf_free(&b);
}

/* docs/REPORT.md shows the weights the code uses. */
static void
test_weights_documented(void)
{
	const char *src = getenv("srcdir");
	char path[4096], line[1024];
	const struct fl_weight_row *w;
	size_t n, i, found = 0, wrong = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/docs/REPORT.md", src ? src : ".");
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "docs/REPORT.md readable at %s", path);
		return;
	}
	w = fl_weight_table(&n);
	while (fgets(line, sizeof line, f) != NULL) {
		struct fl_buf want = {0};
		int h;

		for (i = 0; i < n; i++) {
			char key[80];

			snprintf(key, sizeof key, "| `%s` |", w[i].name);
			if (strncmp(line, key, strlen(key)) != 0)
				continue;
			fl_buf_adds(&want, key);
			for (h = 0; h < FL_N_HYPOTHESES; h++) {
				if (w[i].w[h] == 0)
					fl_buf_adds(&want, " 0 |");
				else
					fl_buf_printf(&want, " %+.1f |", w[i].w[h]);
			}
			fl_buf_printf(&want, " %s |\n", w[i].meaning);
			found++;
			if (strcmp(line, want.data) != 0) {
				wrong++;
				printf("#   doc:  %s#   code: %s", line, want.data);
			}
		}
		fl_buf_free(&want);
	}
	fclose(f);
	is_int(found, n, "every weight row is documented");
	is_int(wrong, 0, "with the weights and meaning the code uses");
}

int
main(void)
{
	test_weights_documented();
	test_accident();
	test_sabotage();
	test_cyberattack();
	test_planned();
	test_attack_orderly();
	test_no_incident();
	test_inconclusive();
	test_hour_apart_groups();
	test_topology_match();
	test_skew_option();
	test_small_skew();
	test_coverage_gap();
	test_tamper_no_incident();
	test_loads_off_unseen();
	test_unparsed();
	test_hole_citations();
	test_noise_extent();
	test_accident_with_intrusion();
	test_collection_end();
	test_restore_after_last_stop();
	test_mapped_address();
	test_journal_is_auth();
	test_open_stop_with_later_power();
	test_power_found_no_incident();
	test_panic_no_return();
	test_housekeeping_not_service();
	test_recovery_login_source();
	test_coverage_sources();
	test_outage_open_ends();
	test_service_description_period();
	test_deterministic();
	return tap_done();
}
