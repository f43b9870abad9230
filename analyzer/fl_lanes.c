#include "config.h"

#include "fl_lanes.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MINUTE_US (60 * FL_US_PER_SEC)

static const char *const sig_names[FL_SIG_COUNT] = {
	[FL_SIG_NONE] = "",
	[FL_SIG_UTILITY_LOST] = "utility_lost",
	[FL_SIG_ON_BATTERY] = "on_battery",
	[FL_SIG_BATTERY_LOW] = "battery_low",
	[FL_SIG_BATTERY_EXHAUSTED] = "battery_exhausted",
	[FL_SIG_UPS_FAULT] = "ups_fault",
	[FL_SIG_UPS_OUTPUT_OFF] = "ups_output_off",
	[FL_SIG_UPS_SELFTEST] = "ups_selftest",
	[FL_SIG_UTILITY_RESTORED] = "utility_restored",
	[FL_SIG_UPS_COMMANDED_SHUTDOWN] = "ups_commanded_shutdown",
	[FL_SIG_UPS_COMM_LOST] = "ups_comm_lost",
	[FL_SIG_PDU_INPUT_LOST] = "pdu_input_lost",
	[FL_SIG_BREAKER_TRIP] = "breaker_trip",
	[FL_SIG_OUTLET_OFF] = "outlet_off",
	[FL_SIG_OUTLET_ON] = "outlet_on",
	[FL_SIG_EPO] = "epo",
	[FL_SIG_GENERATOR_START] = "generator_start",
	[FL_SIG_GENERATOR_STOP] = "generator_stop",
	[FL_SIG_GENERATOR_FAIL] = "generator_fail",
	[FL_SIG_ATS_TRANSFER] = "ats_transfer",
	[FL_SIG_PSU_AC_LOST] = "psu_ac_lost",
	[FL_SIG_PSU_AC_RESTORED] = "psu_ac_restored",
	[FL_SIG_PSU_REDUNDANCY_LOST] = "psu_redundancy_lost",
	[FL_SIG_BMC_POWER_OFF] = "bmc_power_off",
	[FL_SIG_BMC_POWER_ON] = "bmc_power_on",
	[FL_SIG_BOOT] = "boot",
	[FL_SIG_SHUTDOWN_BEGIN] = "shutdown_begin",
	[FL_SIG_SHUTDOWN_END] = "shutdown_end",
	[FL_SIG_SHUTDOWN_REQUEST] = "shutdown_request",
	[FL_SIG_LOGGER_START] = "logger_start",
	[FL_SIG_LOGGER_STOP] = "logger_stop",
	[FL_SIG_UNCLEAN_RECOVERY] = "unclean_recovery",
	[FL_SIG_SERVICE_UP] = "service_up",
	[FL_SIG_SERVICE_DOWN] = "service_down",
	[FL_SIG_SERVICE_FAILED] = "service_failed",
	[FL_SIG_CLOCK_STEP] = "clock_step",
	[FL_SIG_KERNEL_PANIC] = "kernel_panic",
	[FL_SIG_HW_ERROR] = "hw_error",
	[FL_SIG_AUTH_FAIL] = "auth_fail",
	[FL_SIG_AUTH_INVALID_USER] = "auth_invalid_user",
	[FL_SIG_AUTH_SUCCESS] = "auth_success",
	[FL_SIG_SCAN_NOISE] = "scan_noise",
	[FL_SIG_PRIV_ESCALATION] = "priv_escalation",
	[FL_SIG_ACCOUNT_CHANGE] = "account_change",
	[FL_SIG_PERSISTENCE] = "persistence",
	[FL_SIG_FIREWALL_CHANGE] = "firewall_change",
	[FL_SIG_REMOTE_POWER_COMMAND] = "remote_power_command",
	[FL_SIG_DESTRUCTIVE_COMMAND] = "destructive_command",
	[FL_SIG_LOG_TAMPER] = "log_tamper",
	[FL_SIG_AUDIT_STOP] = "audit_stop",
	[FL_SIG_HISTORY_CLEAR] = "history_clear",
	[FL_SIG_MALWARE_INDICATOR] = "malware_indicator",
	[FL_SIG_PHYSICAL_ACCESS] = "physical_access",
	[FL_SIG_CHASSIS_INTRUSION] = "chassis_intrusion",
	[FL_SIG_BMC_AUTH_FAIL] = "bmc_auth_fail",
	[FL_SIG_BMC_LOGIN] = "bmc_login",
	[FL_SIG_BRUTE_FORCE] = "brute_force",
	[FL_SIG_BRUTE_FORCE_SUCCESS] = "brute_force_success",
	[FL_SIG_LATERAL_MOVEMENT] = "lateral_movement",
	[FL_SIG_ESCALATION_AFTER_LOGIN] = "escalation_after_login",
	[FL_SIG_BATTERY_UNRESTORED] = "battery_unrestored",
	[FL_SIG_SHUTDOWN_INCOMPLETE] = "shutdown_incomplete",
	[FL_SIG_SEGFAULT] = "segfault",
	[FL_SIG_ADMIN_LOGIN] = "admin_login",
};

const char *
fl_sig_name(enum fl_sig sig)
{
	return (unsigned)sig < FL_SIG_COUNT ? sig_names[sig] : "";
}

enum fl_sig
fl_sig_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return FL_SIG_NONE;
	for (i = 1; i < FL_SIG_COUNT; i++)
		if (strcmp(sig_names[i], name) == 0)
			return (enum fl_sig)i;
	return FL_SIG_NONE;
}

enum fl_sig *
fl_event_signals(const struct fl_evidence *ev, const struct fl_ruleset *rs)
{
	size_t nr = rs ? fl_ruleset_count(rs) : 0, i;
	enum fl_sig *by_rule = fl_xcalloc(nr + 1, sizeof *by_rule);
	enum fl_sig *out = fl_xcalloc(ev->n_events + 1, sizeof *out);

	for (i = 0; i < nr; i++)
		by_rule[i] = fl_sig_from_name(fl_ruleset_rule(rs, i)->signal);
	for (i = 0; i < ev->n_events; i++) {
		const struct fl_event *e = &ev->events[i];

		if (e->rule >= 0 && (size_t)e->rule < nr)
			out[i] = by_rule[e->rule];
		else if (e->boot)
			out[i] = FL_SIG_BOOT;
	}
	free(by_rule);
	return out;
}

const char *
fl_event_field(const struct fl_event *e, const char *name)
{
	uint32_t i;

	for (i = 0; i < e->n_fields; i++)
		if (strcmp(e->fields[i].name, name) == 0 &&
		    e->fields[i].value[0] != '\0')
			return e->fields[i].value;
	return NULL;
}

const char *
fl_host_kind_name(enum fl_host_kind k)
{
	switch (k) {
	case FL_HOST_SERVER: return "server";
	case FL_HOST_BMC_ONLY: return "bmc-only";
	case FL_HOST_DEVICE: return "device";
	}
	return "?";
}

int
fl_format_is_device(enum fl_format fmt)
{
	switch (fmt) {
	case FL_FMT_APCUPSD_EVENTS:
	case FL_FMT_NMC:
	case FL_FMT_SEL:
	case FL_FMT_SEL_CSV:
	case FL_FMT_CSV:
		return 1;
	default:
		return 0;
	}
}

static int
format_is_sel(enum fl_format fmt)
{
	return fmt == FL_FMT_SEL || fmt == FL_FMT_SEL_CSV;
}

void
fl_host_kinds(const struct fl_evidence *ev, enum fl_host_kind *kinds)
{
	unsigned char *os = fl_xcalloc(ev->n_hosts + 1, 1);
	unsigned char *sel = fl_xcalloc(ev->n_hosts + 1, 1);
	unsigned char *dev = fl_xcalloc(ev->n_hosts + 1, 1);
	size_t i;

	for (i = 0; i < ev->n_streams; i++) {
		const struct fl_stream_rec *s = &ev->streams[i];

		if (s->host == UINT32_MAX || s->format == FL_FMT_UNKNOWN)
			continue;
		if (format_is_sel(s->format))
			sel[s->host] = 1;
		else if (fl_format_is_device(s->format))
			dev[s->host] = 1;
		else
			os[s->host] = 1;
	}
	for (i = 0; i < ev->n_events; i++) {
		const struct fl_event *e = &ev->events[i];

		if (e->format == FL_FMT_UNKNOWN)
			continue;
		if (format_is_sel(e->format))
			sel[e->host] = 1;
		else if (fl_format_is_device(e->format))
			dev[e->host] = 1;
		else
			os[e->host] = 1;
	}
	for (i = 0; i < ev->n_hosts; i++) {
		if (os[i] || (!sel[i] && !dev[i]))
			kinds[i] = FL_HOST_SERVER;
		else if (sel[i] && !dev[i])
			kinds[i] = FL_HOST_BMC_ONLY;
		else
			kinds[i] = FL_HOST_DEVICE;
	}
	free(os);
	free(sel);
	free(dev);
}

const char *
fl_gap_began_name(enum fl_gap_began b)
{
	switch (b) {
	case FL_BEGAN_CLEAN: return "clean-shutdown";
	case FL_BEGAN_LOGGER_STOP: return "logger-stopped";
	case FL_BEGAN_ABRUPT: return "abrupt";
	}
	return "?";
}

const char *
fl_gap_ended_name(enum fl_gap_ended e)
{
	switch (e) {
	case FL_ENDED_BOOT_UNCLEAN: return "boot-unclean";
	case FL_ENDED_BOOT: return "boot";
	case FL_ENDED_RESUMED: return "resumed-without-boot";
	case FL_ENDED_OPEN: return "open";
	}
	return "?";
}

const char *
fl_requester_name(enum fl_requester r)
{
	switch (r) {
	case FL_REQ_NONE: return "none";
	case FL_REQ_PERSON: return "person";
	case FL_REQ_UPS: return "ups";
	case FL_REQ_REMOTE: return "remote-command";
	case FL_REQ_BUTTON: return "power-button";
	case FL_REQ_UNKNOWN: return "unknown";
	}
	return "?";
}

const char *
fl_gap_kind(const struct fl_gap *g)
{
	if (g->ended == FL_ENDED_RESUMED)
		return "tamper-suspect";
	switch (g->began) {
	case FL_BEGAN_CLEAN:
		return g->ended == FL_ENDED_OPEN ? "orderly-shutdown" :
		    "orderly-restart";
	case FL_BEGAN_LOGGER_STOP:
		return g->ended == FL_ENDED_OPEN ? "logger-stopped" :
		    "orderly-restart";
	case FL_BEGAN_ABRUPT:
		break;
	}
	return "abrupt-stop";
}

void
fl_lanes_opts_default(struct fl_lanes_opts *o)
{
	o->min_silence_us = 10 * MINUTE_US;
	o->max_silence_us = 4 * 60 * MINUTE_US;
	o->context_us = 10 * MINUTE_US;
}

/* Everything known about one host while its lane is built. */
struct hostctx {
	const struct fl_evidence *ev;
	const enum fl_sig *sig;
	const struct fl_lanes_opts *o;
	uint32_t host;
	size_t *evs;            /* the host's events, time order */
	size_t n_evs;
	struct fl_minute *act;  /* activity without device/BMC lines */
	size_t n_act;
	struct fl_gap *gaps;
	size_t n_gaps, cap_gaps;
};

static int64_t
floor_minute(int64_t us)
{
	int64_t q = us / MINUTE_US;

	return (us % MINUTE_US != 0 && us < 0) ? q - 1 : q;
}

static int
cmp_minute(const void *va, const void *vb)
{
	const struct fl_minute *a = va, *b = vb;

	return a->minute < b->minute ? -1 : a->minute > b->minute;
}

/* The host's minutes less the lines of its BMC or device logs, which keep
 * their own clocks and would otherwise fill the host's silences. */
static void
build_activity(struct hostctx *hc)
{
	const struct fl_host_rec *h = &hc->ev->hosts[hc->host];
	int64_t shift = h->skew_us >= 0 ?
	    (h->skew_us + MINUTE_US / 2) / MINUTE_US :
	    -((-h->skew_us + MINUTE_US / 2) / MINUTE_US);
	size_t i, n = 0;

	hc->act = fl_xcalloc(h->n_minutes + 1, sizeof *hc->act);
	if (h->n_minutes)
		memcpy(hc->act, h->minutes, h->n_minutes * sizeof *hc->act);
	for (i = 0; i < hc->n_evs; i++) {
		const struct fl_event *e = &hc->ev->events[hc->evs[i]];
		struct fl_minute key = {0}, *m;
		int64_t minute;

		if (!fl_format_is_device(e->format) ||
		    e->raw_time_us == FL_TIME_UNKNOWN)
			continue;
		minute = floor_minute(e->raw_time_us) + shift;
		if (minute < INT32_MIN || minute > INT32_MAX)
			continue;
		key.minute = (int32_t)minute;
		m = bsearch(&key, hc->act, h->n_minutes, sizeof *hc->act,
		    cmp_minute);
		if (m != NULL && m->lines > 0)
			m->lines--;
	}
	for (i = 0; i < h->n_minutes; i++)
		if (hc->act[i].lines > 0)
			hc->act[n++] = hc->act[i];
	hc->n_act = n;
}

static int
boot_in_minute(const struct hostctx *hc, int64_t minute)
{
	size_t i;

	for (i = 0; i < hc->n_evs; i++) {
		const struct fl_event *e = &hc->ev->events[hc->evs[i]];

		if (e->time_us != FL_TIME_UNKNOWN &&
		    floor_minute(e->time_us) == minute &&
		    (hc->sig[hc->evs[i]] == FL_SIG_BOOT || e->boot))
			return 1;
	}
	return 0;
}

/* A lone minute of a few lines inside a long silence is not the host
 * speaking again: it is a BMC or device record filed under the host's
 * name (their lines keep their own clock) or a stray line. */
static void
drop_islands(struct hostctx *hc, int64_t threshold_us)
{
	int64_t th = threshold_us / MINUTE_US;
	size_t i, n = 0;

	for (i = 0; i < hc->n_act; i++) {
		int64_t before = i > 0 ? (int64_t)hc->act[i].minute -
		    hc->act[i - 1].minute : INT64_MAX;
		int64_t after = i + 1 < hc->n_act ?
		    (int64_t)hc->act[i + 1].minute - hc->act[i].minute :
		    INT64_MAX;

		if (hc->act[i].lines <= 5 && before > th && after > th &&
		    !(i == 0 && after == INT64_MAX) &&
		    !boot_in_minute(hc, hc->act[i].minute))
			continue;
		hc->act[n++] = hc->act[i];
	}
	hc->n_act = n;
}

/* Latest event time of the host in [lo, hi), or FL_TIME_UNKNOWN. */
static int64_t
last_event_in(const struct hostctx *hc, int64_t lo, int64_t hi)
{
	size_t i;

	for (i = hc->n_evs; i-- > 0;) {
		int64_t t = hc->ev->events[hc->evs[i]].time_us;

		if (t == FL_TIME_UNKNOWN || t >= hi)
			continue;
		if (t < lo)
			break;
		if (!fl_format_is_device(hc->ev->events[hc->evs[i]].format))
			return t;
	}
	return FL_TIME_UNKNOWN;
}

static int64_t
first_event_in(const struct hostctx *hc, int64_t lo, int64_t hi)
{
	size_t i;

	for (i = 0; i < hc->n_evs; i++) {
		int64_t t = hc->ev->events[hc->evs[i]].time_us;

		if (t == FL_TIME_UNKNOWN || t < lo)
			continue;
		if (t >= hi)
			break;
		if (!fl_format_is_device(hc->ev->events[hc->evs[i]].format))
			return t;
	}
	return FL_TIME_UNKNOWN;
}

/* Last sign of life in an active minute: the second of its last line, or
 * its latest event when that is later (to the microsecond). */
static int64_t
last_seen(const struct hostctx *hc, const struct fl_minute *m)
{
	int64_t last = fl_minute_last_us(m);
	int64_t t = last_event_in(hc, fl_minute_us(m->minute),
	    fl_minute_us(m->minute) + MINUTE_US);

	return t != FL_TIME_UNKNOWN && t > last ? t : last;
}

static int64_t
first_seen(const struct hostctx *hc, int64_t minute)
{
	int64_t t = first_event_in(hc, minute * MINUTE_US,
	    (minute + 1) * MINUTE_US);

	return t != FL_TIME_UNKNOWN ? t : minute * MINUTE_US;
}

/* Silences longer than a few times the host's usual spacing (90th
 * percentile of the distance between active minutes) are gaps. */
static int64_t
silence_threshold(const struct hostctx *hc)
{
	int64_t *d, p90, th;
	size_t i, n = 0;

	if (hc->n_act < 2)
		return hc->o->min_silence_us;
	d = fl_xcalloc(hc->n_act, sizeof *d);
	for (i = 0; i + 1 < hc->n_act; i++)
		d[n++] = (int64_t)hc->act[i + 1].minute - hc->act[i].minute;
	p90 = fl_select_i64(d, n, (n * 9) / 10 < n ? (n * 9) / 10 : n - 1);
	free(d);
	th = 3 * p90 * MINUTE_US;
	if (th < hc->o->min_silence_us)
		th = hc->o->min_silence_us;
	if (th > hc->o->max_silence_us)
		th = hc->o->max_silence_us;
	return th;
}

static struct fl_gap *
add_gap(struct hostctx *hc, int64_t begin, int64_t end)
{
	struct fl_gap *g;

	FL_GROW(hc->gaps, hc->cap_gaps, hc->n_gaps + 1);
	g = &hc->gaps[hc->n_gaps++];
	memset(g, 0, sizeof *g);
	g->begin_us = begin;
	g->end_us = end;
	g->ended = end == FL_TIME_UNKNOWN ? FL_ENDED_OPEN : FL_ENDED_RESUMED;
	g->ev_began = g->ev_request = g->ev_boot = g->ev_unclean = FL_NO_EVENT;
	return g;
}

/* Boots of the host: the first boot line of each group of boot lines
 * (a kernel banner, journald start, a journal separator...). A journal
 * separator carries its predecessor's time; its boot is the next line. */
struct boot {
	int64_t t;
	size_t ev;
};

static size_t
find_boots(const struct hostctx *hc, struct boot **out)
{
	struct boot *b = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < hc->n_evs; i++) {
		const struct fl_event *e = &hc->ev->events[hc->evs[i]];
		int64_t t = e->time_us;

		if (hc->sig[hc->evs[i]] != FL_SIG_BOOT || t == FL_TIME_UNKNOWN)
			continue;
		if (e->tflags & FL_TF_APPROX) {
			int64_t m = floor_minute(t), nt = FL_TIME_UNKNOWN;

			for (j = 0; j < hc->n_act; j++)
				if (hc->act[j].minute > m) {
					nt = first_seen(hc, hc->act[j].minute);
					break;
				}
			if (nt == FL_TIME_UNKNOWN)
				continue;
			t = nt;
		}
		if (n > 0 && t - b[n - 1].t < 5 * MINUTE_US && t >= b[n - 1].t)
			continue;
		FL_GROW(b, cap, n + 1);
		b[n].t = t;
		b[n].ev = hc->evs[i];
		n++;
	}
	*out = b;
	return n;
}

/* When a boot began: its first line, or the boot and logger-start lines
 * just before it (rsyslog logs its own start before the kernel banner it
 * reads from the ring buffer). Those lines are the boot, not the last
 * sign of life before it. */
static int64_t
boot_start(const struct hostctx *hc, const struct boot *b)
{
	size_t i;
	int64_t t = b->t;

	for (i = 0; i < hc->n_evs && hc->evs[i] != b->ev; i++)
		;
	while (i-- > 0) {
		size_t k = hc->evs[i];
		const struct fl_event *e = &hc->ev->events[k];

		if (e->time_us == FL_TIME_UNKNOWN ||
		    fl_format_is_device(e->format))
			continue;
		if (e->time_us < b->t - 2 * MINUTE_US ||
		    !(hc->sig[k] == FL_SIG_BOOT || e->boot ||
		    hc->sig[k] == FL_SIG_LOGGER_START))
			break;
		if (e->time_us < t)
			t = e->time_us;
	}
	return t;
}

static int
is_shutdown_command(const char *cmd)
{
	static const char *const words[] = {"shutdown", "poweroff", "halt",
	    "reboot", "init 0", "init 6", "systemctl power", "sysrq"};
	size_t i;

	if (cmd == NULL)
		return 0;
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(cmd, words[i]) != NULL)
			return 1;
	return 0;
}

static int
contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; s != NULL && *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return 1;
	return 0;
}

static const char *
event_user(const struct fl_event *e)
{
	const char *u = fl_event_field(e, "user");

	return u ? u : fl_event_field(e, "target_user");
}

/* How the gap began: the shutdown sequence, a logger stop or nothing
 * within context before its start; and who asked for it. */
static void
classify_began(struct hostctx *hc, struct fl_gap *g)
{
	int64_t lo = g->begin_us - hc->o->context_us;
	int64_t hi = g->begin_us + MINUTE_US;
	int64_t rlo = g->begin_us - 3 * hc->o->context_us;
	size_t i, n_down = 0, last_down = FL_NO_EVENT;
	size_t shut = FL_NO_EVENT, logger = FL_NO_EVENT;

	for (i = 0; i < hc->n_evs; i++) {
		size_t k = hc->evs[i];
		const struct fl_event *e = &hc->ev->events[k];
		enum fl_sig s = hc->sig[k];
		enum fl_requester r = FL_REQ_NONE;
		const char *cmd;

		if (e->time_us == FL_TIME_UNKNOWN || e->time_us < rlo)
			continue;
		if (e->time_us > hi)
			break;
		if (e->time_us >= lo) {
			switch (s) {
			case FL_SIG_SHUTDOWN_BEGIN:
			case FL_SIG_SHUTDOWN_END:
				shut = k;
				break;
			case FL_SIG_LOGGER_STOP:
			case FL_SIG_LOG_TAMPER:
			case FL_SIG_AUDIT_STOP:
				logger = k;
				break;
			case FL_SIG_SERVICE_DOWN:
				n_down++;
				last_down = k;
				break;
			default:
				break;
			}
		}
		cmd = fl_event_field(e, "command");
		switch (s) {
		case FL_SIG_UPS_COMMANDED_SHUTDOWN:
			r = FL_REQ_UPS;
			break;
		case FL_SIG_SHUTDOWN_REQUEST:
			if (contains_ci(e->message, "power key") ||
			    contains_ci(e->message, "power button") ||
			    contains_ci(e->message, "button pressed"))
				r = FL_REQ_BUTTON;
			else
				r = event_user(e) ? FL_REQ_PERSON :
				    FL_REQ_UNKNOWN;
			break;
		case FL_SIG_REMOTE_POWER_COMMAND:
			r = contains_ci(cmd, "ipmi") ||
			    contains_ci(cmd, "chassis") || event_user(e) == NULL ?
			    FL_REQ_REMOTE : FL_REQ_PERSON;
			break;
		case FL_SIG_PRIV_ESCALATION:
			if (is_shutdown_command(cmd))
				r = FL_REQ_PERSON;
			break;
		default:
			break;
		}
		if (r == FL_REQ_NONE)
			continue;
		/* A known author beats an anonymous request of the same
		 * shutdown (sudo or a UPS daemon, then logind's "System is
		 * powering down"). */
		if (g->requester != FL_REQ_NONE &&
		    g->requester != FL_REQ_UNKNOWN && r == FL_REQ_UNKNOWN &&
		    e->time_us - hc->ev->events[g->ev_request].time_us <
		    5 * MINUTE_US)
			continue;
		g->requester = r;
		g->ev_request = k;
		g->requested_by = event_user(e);
	}
	if (shut != FL_NO_EVENT || n_down >= 3) {
		g->began = FL_BEGAN_CLEAN;
		g->ev_began = shut != FL_NO_EVENT ? shut : last_down;
		if (logger != FL_NO_EVENT && logger > g->ev_began)
			g->ev_began = logger;
	} else if (logger != FL_NO_EVENT) {
		g->began = FL_BEGAN_LOGGER_STOP;
		g->ev_began = logger;
	} else {
		g->began = FL_BEGAN_ABRUPT;
		/* Only a request just before explains an abrupt stop. */
		if (g->ev_request != FL_NO_EVENT &&
		    hc->ev->events[g->ev_request].time_us <
		    g->begin_us - 5 * MINUTE_US) {
			g->requester = FL_REQ_NONE;
			g->ev_request = FL_NO_EVENT;
			g->requested_by = NULL;
		}
	}
}

static void
classify_ended(struct hostctx *hc, struct fl_gap *g, const struct boot *b)
{
	size_t i;

	if (b == NULL)
		return;
	g->ended = FL_ENDED_BOOT;
	g->ev_boot = b->ev;
	for (i = 0; i < hc->n_evs; i++) {
		size_t k = hc->evs[i];
		int64_t t = hc->ev->events[k].time_us;

		if (t == FL_TIME_UNKNOWN || t < b->t - MINUTE_US)
			continue;
		if (t > b->t + 15 * MINUTE_US)
			break;
		if (hc->sig[k] == FL_SIG_UNCLEAN_RECOVERY) {
			g->ended = FL_ENDED_BOOT_UNCLEAN;
			g->ev_unclean = k;
			break;
		}
	}
}

static int
cmp_gap(const void *va, const void *vb)
{
	const struct fl_gap *a = va, *b = vb;

	return a->begin_us < b->begin_us ? -1 : a->begin_us > b->begin_us;
}

static void
server_gaps(struct hostctx *hc, struct fl_lane *lane, int64_t end_us)
{
	struct boot *boots = NULL;
	size_t n_boots, i, j;
	unsigned char *used;

	lane->threshold_us = silence_threshold(hc);
	drop_islands(hc, lane->threshold_us);
	n_boots = find_boots(hc, &boots);
	used = fl_xcalloc(n_boots + 1, 1);
	/* Long silences between active minutes. */
	for (i = 0; i + 1 < hc->n_act; i++) {
		int64_t silent = ((int64_t)hc->act[i + 1].minute -
		    hc->act[i].minute - 1) * MINUTE_US;
		struct fl_gap *g;
		const struct boot *bt = NULL;
		int64_t b0, e0;

		if (silent < lane->threshold_us)
			continue;
		b0 = last_seen(hc, &hc->act[i]);
		e0 = first_seen(hc, hc->act[i + 1].minute);
		for (j = 0; j < n_boots; j++)
			if (!used[j] && boots[j].t >= e0 - 2 * MINUTE_US &&
			    boots[j].t <= e0 + 10 * MINUTE_US) {
				bt = &boots[j];
				break;
			}
		/* Days of nothing and no boot: logs from another period
		 * (retention, an old BMC record), not a hole in one. */
		if (bt == NULL && silent > 2 * 24 * 60 * MINUTE_US)
			continue;
		if (bt != NULL) {
			int64_t bs = boot_start(hc, bt);

			used[bt - boots] = 1;
			/* Lines before the boot are not the host's: a BMC
			 * line that is not a rule hit is counted in the
			 * host's minutes all the same. */
			if (bs > e0)
				e0 = bs;
		}
		g = add_gap(hc, b0, e0);
		classify_began(hc, g);
		classify_ended(hc, g, bt);
	}
	/* Boots after a short silence: a restart is a gap however short. */
	for (j = 0; j < n_boots; j++) {
		int64_t before = FL_TIME_UNKNOWN, start, m;
		struct fl_gap *g;

		if (used[j])
			continue;
		start = boot_start(hc, &boots[j]);
		m = floor_minute(start);
		for (i = hc->n_act; i-- > 0;)
			if (hc->act[i].minute < m) {
				before = last_seen(hc, &hc->act[i]);
				break;
			}
		{
			int64_t same = last_event_in(hc, m * MINUTE_US, start);

			if (same != FL_TIME_UNKNOWN)
				before = same;
		}
		if (before == FL_TIME_UNKNOWN)
			continue; /* the logs begin with this boot */
		g = add_gap(hc, before, boots[j].t);
		classify_began(hc, g);
		classify_ended(hc, g, &boots[j]);
	}
	/* Never heard from again, while other hosts went on for a while:
	 * not just the end of the collection. */
	if (hc->n_act > 0) {
		int64_t last = last_seen(hc, &hc->act[hc->n_act - 1]);

		if (end_us - last >= lane->threshold_us &&
		    end_us - last >= 30 * MINUTE_US) {
			struct fl_gap *g = add_gap(hc, last, FL_TIME_UNKNOWN);

			classify_began(hc, g);
		}
	}
	free(used);
	free(boots);
	if (hc->n_gaps > 1)
		qsort(hc->gaps, hc->n_gaps, sizeof *hc->gaps, cmp_gap);
}

/* A host known only from its BMC: off at AC loss or power-off, on at
 * power-on. */
static void
bmc_gaps(struct hostctx *hc)
{
	struct fl_gap *open = NULL;
	size_t i;

	for (i = 0; i < hc->n_evs; i++) {
		size_t k = hc->evs[i];
		const struct fl_event *e = &hc->ev->events[k];

		if (e->time_us == FL_TIME_UNKNOWN)
			continue;
		if ((hc->sig[k] == FL_SIG_PSU_AC_LOST ||
		    hc->sig[k] == FL_SIG_BMC_POWER_OFF) && open == NULL) {
			open = add_gap(hc, e->time_us, FL_TIME_UNKNOWN);
			open->began = FL_BEGAN_ABRUPT;
			open->ev_began = k;
			if (hc->sig[k] == FL_SIG_BMC_POWER_OFF) {
				open->requester = FL_REQ_REMOTE;
				open->ev_request = k;
			}
		} else if (hc->sig[k] == FL_SIG_BMC_POWER_ON && open != NULL) {
			open->end_us = e->time_us;
			open->ended = FL_ENDED_BOOT;
			open->ev_boot = k;
			open = NULL;
		}
	}
}

struct fl_lanes *
fl_lanes_build(const struct fl_evidence *ev, const enum fl_sig *sig,
    const enum fl_host_kind *kinds, const struct fl_lanes_opts *o)
{
	struct fl_lanes *l = fl_xcalloc(1, sizeof *l);
	size_t *count = fl_xcalloc(ev->n_hosts + 1, sizeof *count);
	size_t **per = fl_xcalloc(ev->n_hosts + 1, sizeof *per);
	size_t h, i;

	l->n = ev->n_hosts;
	l->v = fl_xcalloc(l->n + 1, sizeof *l->v);
	l->end_us = FL_TIME_UNKNOWN;
	for (h = 0; h < ev->n_hosts; h++) {
		const struct fl_host_rec *hr = &ev->hosts[h];

		if (kinds[h] == FL_HOST_SERVER && hr->n_minutes > 0) {
			int64_t t = hr->minutes[hr->n_minutes - 1].minute *
			    MINUTE_US;

			if (l->end_us == FL_TIME_UNKNOWN || t > l->end_us)
				l->end_us = t;
		}
	}
	for (i = 0; i < ev->n_events; i++)
		count[ev->events[i].host]++;
	for (h = 0; h < ev->n_hosts; h++) {
		per[h] = fl_xcalloc(count[h] + 1, sizeof **per);
		count[h] = 0;
	}
	for (i = 0; i < ev->n_events; i++) {
		uint32_t hh = ev->events[i].host;

		per[hh][count[hh]++] = i;
	}
	for (h = 0; h < ev->n_hosts; h++) {
		struct hostctx hc;
		struct fl_lane *lane = &l->v[h];

		memset(&hc, 0, sizeof hc);
		hc.ev = ev;
		hc.sig = sig;
		hc.o = o;
		hc.host = (uint32_t)h;
		hc.evs = per[h];
		hc.n_evs = count[h];
		lane->host = (uint32_t)h;
		lane->kind = kinds[h];
		build_activity(&hc);
		lane->active_minutes = (uint32_t)hc.n_act;
		if (kinds[h] == FL_HOST_SERVER)
			server_gaps(&hc, lane, l->end_us);
		else if (kinds[h] == FL_HOST_BMC_ONLY)
			bmc_gaps(&hc);
		lane->gaps = hc.gaps;
		lane->n_gaps = hc.n_gaps;
		free(hc.act);
		free(per[h]);
	}
	free(per);
	free(count);
	return l;
}

void
fl_lanes_free(struct fl_lanes *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i].gaps);
	free(l->v);
	free(l);
}
