/* Lanes: how a host's silences began and ended. */
#include "config.h"

#include <stdio.h>

#include "fl_lanes.h"
#include "tap.h"
#include "test_verdict_fixture.h"

static const struct fl_gap *
only_gap(const struct fl_lanes *l, uint32_t h, const char *what)
{
	if (l->v[h].n_gaps != 1) {
		ok(0, "%s: one gap (got %zu)", what, l->v[h].n_gaps);
		return NULL;
	}
	return &l->v[h].gaps[0];
}

static void
test_kinds_of_silence(void)
{
	struct tb *t = tb_new();
	uint32_t a, b, c, d, e, ups, sa, sb, sc, sd, se, su;
	struct fl_evidence *ev;
	enum fl_sig *sig;
	enum fl_host_kind *kinds;
	struct fl_lanes_opts o;
	struct fl_lanes *l;
	const struct fl_gap *g;

	a = tb_host(t, "abrupt", FL_ZONE_DEFAULT_UTC);
	b = tb_host(t, "clean", FL_ZONE_DEFAULT_UTC);
	c = tb_host(t, "hole", FL_ZONE_DEFAULT_UTC);
	d = tb_host(t, "logger", FL_ZONE_DEFAULT_UTC);
	e = tb_host(t, "restart", FL_ZONE_DEFAULT_UTC);
	ups = tb_host(t, "ups-a", FL_ZONE_FROM_LINE);
	sa = tb_stream(t, a, "abrupt/var/log/syslog", FL_FMT_RFC3164);
	sb = tb_stream(t, b, "clean/var/log/syslog", FL_FMT_RFC3164);
	sc = tb_stream(t, c, "hole/var/log/syslog", FL_FMT_RFC3164);
	(void)sc;
	sd = tb_stream(t, d, "logger/var/log/syslog", FL_FMT_RFC3164);
	se = tb_stream(t, e, "restart/var/log/syslog", FL_FMT_RFC3164);
	su = tb_stream(t, ups, "power/ups-a.events", FL_FMT_APCUPSD_EVENTS);

	/* abrupt: last line, nothing, then a boot with journal recovery */
	tb_activity(t, a, AT(0, 0, 0), AT(10, 0, 0), 1);
	tb_activity(t, a, AT(10, 40, 0), AT(12, 0, 0), 1);
	tb_event(t, sa, AT(10, 40, 5), "boot", "Linux version 6.1", NULL);
	tb_event(t, sa, AT(10, 40, 9), "unclean_recovery",
	    "EXT4-fs (sda1): recovery complete", NULL);

	/* clean: alice asks, the shutdown sequence runs, a clean boot */
	tb_activity(t, b, AT(0, 0, 0), AT(10, 0, 0), 1);
	tb_activity(t, b, AT(10, 40, 0), AT(12, 0, 0), 1);
	tb_event(t, sb, AT(9, 58, 0), "priv_escalation",
	    "alice : USER=root ; COMMAND=/sbin/shutdown -h now", "user",
	    "alice", "command", "/sbin/shutdown -h now", NULL);
	tb_event(t, sb, AT(9, 58, 1), "shutdown_request",
	    "System is powering down.", NULL);
	tb_event(t, sb, AT(9, 59, 30), "shutdown_begin",
	    "Reached target Shutdown.", NULL);
	tb_event(t, sb, AT(10, 0, 10), "logger_stop",
	    "rsyslogd exiting on signal 15", NULL);
	tb_event(t, sb, AT(10, 40, 5), "boot", "Linux version 6.1", NULL);

	/* a hole: lines stop and resume, no boot; the last line before it,
	 * not a rule hit, at 10:00:37 */
	tb_activity(t, c, AT(0, 0, 0), AT(10, 0, 0), 1);
	t->ev->hosts[c].minutes[t->ev->hosts[c].n_minutes - 1].last = 37;
	tb_activity(t, c, AT(11, 0, 0), AT(12, 0, 0), 1);

	/* the logger stops on its own; the host reboots later */
	tb_activity(t, d, AT(0, 0, 0), AT(10, 0, 0), 1);
	tb_activity(t, d, AT(10, 40, 0), AT(12, 0, 0), 1);
	tb_event(t, sd, AT(10, 0, 20), "logger_stop",
	    "rsyslogd exiting on signal 15", NULL);
	tb_event(t, sd, AT(10, 40, 5), "boot", "Linux version 6.1", NULL);

	/* a quick restart with no silence to speak of, asked by a UPS */
	tb_activity(t, e, AT(0, 0, 0), AT(12, 0, 0), 1);
	tb_event(t, se, AT(9, 59, 0), "ups_commanded_shutdown",
	    "Initiating system shutdown!", NULL);
	tb_event(t, se, AT(9, 59, 2), "shutdown_request",
	    "System is powering down.", NULL);
	tb_event(t, se, AT(9, 59, 30), "shutdown_end", "Journal stopped",
	    NULL);
	tb_event(t, se, AT(10, 1, 30), "boot", "Linux version 6.1", NULL);

	/* a device: no lanes */
	tb_event(t, su, AT(9, 30, 0), "utility_lost", "Power failure.", NULL);

	ev = tb_finish(t);
	sig = fl_event_signals(ev, t->rs);
	kinds = calloc(ev->n_hosts, sizeof *kinds);
	fl_host_kinds(ev, kinds);
	is_int(kinds[a], FL_HOST_SERVER, "syslog host is a server");
	is_int(kinds[ups], FL_HOST_DEVICE, "apcupsd events file is a device");
	fl_lanes_opts_default(&o);
	l = fl_lanes_build(ev, sig, kinds, &o);

	if ((g = only_gap(l, a, "abrupt")) != NULL) {
		is_str(fl_gap_began_name(g->began), "abrupt", "abrupt: began");
		is_str(fl_gap_ended_name(g->ended), "boot-unclean",
		    "abrupt: unclean boot");
		is_str(fl_gap_kind(g), "abrupt-stop", "abrupt: kind");
		is_int(g->begin_us, AT(10, 0, 0), "abrupt: last seen");
		is_int(g->end_us, AT(10, 40, 5), "abrupt: back at the boot line");
		ok(g->ev_unclean != FL_NO_EVENT, "abrupt: recovery cited");
	}
	if ((g = only_gap(l, b, "clean")) != NULL) {
		is_str(fl_gap_began_name(g->began), "clean-shutdown",
		    "clean: began");
		is_str(fl_gap_ended_name(g->ended), "boot", "clean: clean boot");
		is_str(fl_requester_name(g->requester), "person",
		    "clean: a person asked");
		is_str(g->requested_by, "alice", "clean: alice");
		is_int(g->begin_us, AT(10, 0, 10), "clean: last line time");
		is_str(fl_gap_kind(g), "orderly-restart", "clean: kind");
	}
	if ((g = only_gap(l, c, "hole")) != NULL) {
		is_str(fl_gap_ended_name(g->ended), "resumed-without-boot",
		    "hole: no boot");
		is_str(fl_gap_kind(g), "tamper-suspect", "hole: tamper suspect");
		is_int(g->begin_us, AT(10, 0, 37),
		    "hole: begins at the second of the last line before it");
	}
	if ((g = only_gap(l, d, "logger")) != NULL) {
		is_str(fl_gap_began_name(g->began), "logger-stopped",
		    "logger: began");
		is_str(fl_gap_ended_name(g->ended), "boot", "logger: boot");
	}
	if ((g = only_gap(l, e, "restart")) != NULL) {
		is_str(fl_requester_name(g->requester), "ups",
		    "restart: the UPS daemon asked, logind only relayed");
		is_str(fl_gap_began_name(g->began), "clean-shutdown",
		    "restart: clean");
		is_int(g->end_us, AT(10, 1, 30), "restart: ends at the boot");
	}
	is_int(l->v[ups].n_gaps, 0, "devices have no lanes");
	fl_lanes_free(l);
	free(kinds);
	free(sig);
	tb_free(t);
}

static void
test_threshold_and_islands(void)
{
	struct tb *t = tb_new();
	uint32_t q, s, sq, ss, sel;
	struct fl_evidence *ev;
	enum fl_sig *sig;
	enum fl_host_kind *kinds;
	struct fl_lanes_opts o;
	struct fl_lanes *l;

	q = tb_host(t, "quiet", FL_ZONE_DEFAULT_UTC);
	s = tb_host(t, "withsel", FL_ZONE_DEFAULT_UTC);
	sq = tb_stream(t, q, "quiet/var/log/syslog", FL_FMT_RFC3164);
	ss = tb_stream(t, s, "withsel/var/log/syslog", FL_FMT_RFC3164);
	sel = tb_stream(t, s, "ipmi/sel-withsel.txt", FL_FMT_SEL);
	(void)sq;
	/* a host that logs every 20 minutes: 40 minutes apart is normal */
	tb_activity(t, q, AT(0, 0, 0), AT(16, 0, 0), 20);
	/* a host down 10:00-14:00 whose BMC logged a line at 11:00 */
	tb_activity(t, s, AT(0, 0, 0), AT(10, 0, 0), 1);
	tb_activity(t, s, AT(14, 0, 0), AT(16, 0, 0), 1);
	tb_event(t, ss, AT(14, 0, 5), "boot", "Linux version 6.1", NULL);
	tb_event(t, sel, AT(11, 0, 0), NULL, "Power Supply AC lost", NULL);
	ev = tb_finish(t);
	sig = fl_event_signals(ev, t->rs);
	kinds = calloc(ev->n_hosts, sizeof *kinds);
	fl_host_kinds(ev, kinds);
	fl_lanes_opts_default(&o);
	l = fl_lanes_build(ev, sig, kinds, &o);
	is_int(l->v[q].n_gaps, 0, "sparse logging is not a silence");
	ok(l->v[q].threshold_us >= 60 * 60 * FL_US_PER_SEC,
	    "threshold follows the host's rate");
	is_int(l->v[s].n_gaps, 1, "a lone BMC line does not end the silence");
	if (l->v[s].n_gaps == 1)
		is_str(fl_gap_ended_name(l->v[s].gaps[0].ended), "boot",
		    "ended by the boot");
	fl_lanes_free(l);
	free(kinds);
	free(sig);
	tb_free(t);
}

/* rsyslog logs its start before the kernel banner: that line is the
 * boot, not the last line before the silence, and a host whose logs
 * begin with a boot has no silence before it. */
static void
test_boot_after_logger_start(void)
{
	struct tb *t = tb_new();
	uint32_t a, b, f, sa, sb, sf;
	struct fl_evidence *ev;
	enum fl_sig *sig;
	enum fl_host_kind *kinds;
	struct fl_lanes_opts o;
	struct fl_lanes *l;
	const struct fl_gap *g;

	a = tb_host(t, "a", FL_ZONE_DEFAULT_UTC);
	b = tb_host(t, "b", FL_ZONE_DEFAULT_UTC);
	f = tb_host(t, "first", FL_ZONE_DEFAULT_UTC);
	sa = tb_stream(t, a, "a/var/log/syslog", FL_FMT_RFC3164);
	sb = tb_stream(t, b, "b/var/log/syslog", FL_FMT_RFC3164);
	sf = tb_stream(t, f, "first/var/log/syslog", FL_FMT_RFC3164);
	/* the logger's start in the boot's minute */
	tb_activity(t, a, AT(0, 0, 0), AT(10, 0, 0), 1);
	tb_activity(t, a, AT(10, 4, 0), AT(12, 0, 0), 1);
	tb_event(t, sa, AT(10, 4, 10), "logger_start", "rsyslogd: start",
	    NULL);
	tb_event(t, sa, AT(10, 4, 11), "boot", "Linux version 6.1", NULL);
	/* in the minute before it */
	tb_activity(t, b, AT(0, 0, 0), AT(10, 0, 0), 1);
	tb_activity(t, b, AT(10, 3, 0), AT(12, 0, 0), 1);
	tb_event(t, sb, AT(10, 3, 59), "logger_start", "rsyslogd: start",
	    NULL);
	tb_event(t, sb, AT(10, 4, 0), "boot", "Linux version 6.1", NULL);
	/* the logs begin with a boot */
	tb_activity(t, f, AT(10, 4, 0), AT(12, 0, 0), 1);
	tb_event(t, sf, AT(10, 4, 10), "logger_start", "rsyslogd: start",
	    NULL);
	tb_event(t, sf, AT(10, 4, 11), "boot", "Linux version 6.1", NULL);
	ev = tb_finish(t);
	sig = fl_event_signals(ev, t->rs);
	kinds = calloc(ev->n_hosts, sizeof *kinds);
	fl_host_kinds(ev, kinds);
	fl_lanes_opts_default(&o);
	l = fl_lanes_build(ev, sig, kinds, &o);
	if ((g = only_gap(l, a, "logger start, same minute")) != NULL) {
		is_int(g->begin_us, AT(10, 0, 0), "logger start, same minute: "
		    "down at the last minute with lines");
		is_int(g->end_us, AT(10, 4, 11), "logger start, same minute: "
		    "up at the boot");
	}
	if ((g = only_gap(l, b, "logger start, minute before")) != NULL)
		is_int(g->begin_us, AT(10, 0, 0), "logger start, minute "
		    "before: down at the last minute with lines");
	is_int(l->v[f].n_gaps, 0, "logs that begin with a boot: no silence");
	fl_lanes_free(l);
	free(kinds);
	free(sig);
	tb_free(t);
}

/* A BMC line that is not a rule hit is counted in the host's minutes: a
 * silence ended by a boot ends at the boot, not at that minute. */
static void
test_boot_after_bmc_line(void)
{
	struct tb *t = tb_new();
	uint32_t a, sa;
	struct fl_evidence *ev;
	enum fl_sig *sig;
	enum fl_host_kind *kinds;
	struct fl_lanes_opts o;
	struct fl_lanes *l;
	const struct fl_gap *g;

	a = tb_host(t, "a", FL_ZONE_DEFAULT_UTC);
	sa = tb_stream(t, a, "a/var/log/syslog", FL_FMT_RFC3164);
	tb_activity(t, a, AT(0, 0, 0), AT(10, 0, 0), 1);
	tb_activity(t, a, AT(10, 40, 0), AT(10, 40, 0), 1);
	tb_activity(t, a, AT(10, 42, 0), AT(12, 0, 0), 1);
	tb_event(t, sa, AT(10, 42, 5), "boot", "Linux version 6.1", NULL);
	ev = tb_finish(t);
	sig = fl_event_signals(ev, t->rs);
	kinds = calloc(ev->n_hosts, sizeof *kinds);
	fl_host_kinds(ev, kinds);
	fl_lanes_opts_default(&o);
	l = fl_lanes_build(ev, sig, kinds, &o);
	if ((g = only_gap(l, a, "a line before the boot")) != NULL)
		is_int(g->end_us, AT(10, 42, 5), "a line before the boot: up "
		    "at the boot");
	fl_lanes_free(l);
	free(kinds);
	free(sig);
	tb_free(t);
}

static void
test_signal_names(void)
{
	size_t n, i, bad = 0;
	const struct fl_signal_def *tab = fl_signal_table(&n);

	for (i = 0; i < n; i++)
		if (fl_sig_from_name(tab[i].name) == FL_SIG_NONE ||
		    strcmp(fl_sig_name(fl_sig_from_name(tab[i].name)),
		    tab[i].name) != 0)
			bad++;
	is_int(bad, 0, "every signal of the table has an analysis name");
	is_int(n, FL_SIG_COUNT - 1, "and no more");
	is_int(fl_sig_from_name("nonsense"), FL_SIG_NONE, "unknown name");
}

int
main(void)
{
	test_signal_names();
	test_kinds_of_silence();
	test_threshold_and_islands();
	test_boot_after_logger_start();
	test_boot_after_bmc_line();
	return tap_done();
}
