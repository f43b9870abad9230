/*
 * fl_lanes: the life of each host as the evidence shows it. From a host's
 * activity (lines per minute) and its rule hits, finds the silences (the
 * host said nothing for much longer than it normally does, or it booted)
 * and, for each, how it began (a clean shutdown sequence and who asked for
 * it, a logger stopped on its own, or an abrupt stop: last line, then
 * nothing) and how it ended (a boot with or without unclean-shutdown
 * evidence, lines that resume with no boot at all, or not at all).
 *
 * Also the analysis's view of signals: the normalised signal of each kept
 * event as a small enum, so that reasoning code can switch on it.
 *
 * Ownership: fl_lanes_build returns a struct fl_lanes owned by the caller,
 * released with fl_lanes_free. It keeps no pointer into the evidence other
 * than strings (requested_by), which live as long as the evidence.
 */
#ifndef FL_LANES_H
#define FL_LANES_H

#include <stddef.h>
#include <stdint.h>

#include "fl_evidence.h"
#include "fl_rules.h"

/* The signals of analyzer/fl_signals.c. */
enum fl_sig {
	FL_SIG_NONE = 0,
	FL_SIG_UTILITY_LOST, FL_SIG_ON_BATTERY, FL_SIG_BATTERY_LOW,
	FL_SIG_BATTERY_EXHAUSTED, FL_SIG_UPS_FAULT, FL_SIG_UPS_OUTPUT_OFF,
	FL_SIG_UPS_SELFTEST, FL_SIG_UTILITY_RESTORED,
	FL_SIG_UPS_COMMANDED_SHUTDOWN, FL_SIG_UPS_COMM_LOST,
	FL_SIG_PDU_INPUT_LOST, FL_SIG_BREAKER_TRIP, FL_SIG_OUTLET_OFF,
	FL_SIG_OUTLET_ON, FL_SIG_EPO, FL_SIG_GENERATOR_START,
	FL_SIG_GENERATOR_STOP, FL_SIG_GENERATOR_FAIL, FL_SIG_ATS_TRANSFER,
	FL_SIG_PSU_AC_LOST, FL_SIG_PSU_AC_RESTORED, FL_SIG_PSU_REDUNDANCY_LOST,
	FL_SIG_BMC_POWER_OFF, FL_SIG_BMC_POWER_ON,
	FL_SIG_BOOT, FL_SIG_SHUTDOWN_BEGIN, FL_SIG_SHUTDOWN_END,
	FL_SIG_SHUTDOWN_REQUEST, FL_SIG_LOGGER_START, FL_SIG_LOGGER_STOP,
	FL_SIG_UNCLEAN_RECOVERY, FL_SIG_SERVICE_UP, FL_SIG_SERVICE_DOWN,
	FL_SIG_SERVICE_FAILED, FL_SIG_CLOCK_STEP, FL_SIG_KERNEL_PANIC,
	FL_SIG_HW_ERROR,
	FL_SIG_AUTH_FAIL, FL_SIG_AUTH_INVALID_USER, FL_SIG_AUTH_SUCCESS,
	FL_SIG_SCAN_NOISE, FL_SIG_PRIV_ESCALATION, FL_SIG_ACCOUNT_CHANGE,
	FL_SIG_PERSISTENCE, FL_SIG_FIREWALL_CHANGE, FL_SIG_REMOTE_POWER_COMMAND,
	FL_SIG_DESTRUCTIVE_COMMAND, FL_SIG_LOG_TAMPER, FL_SIG_AUDIT_STOP,
	FL_SIG_HISTORY_CLEAR, FL_SIG_MALWARE_INDICATOR, FL_SIG_PHYSICAL_ACCESS,
	FL_SIG_CHASSIS_INTRUSION, FL_SIG_BMC_AUTH_FAIL, FL_SIG_BMC_LOGIN,
	FL_SIG_BRUTE_FORCE, FL_SIG_BRUTE_FORCE_SUCCESS, FL_SIG_LATERAL_MOVEMENT,
	FL_SIG_ESCALATION_AFTER_LOGIN, FL_SIG_BATTERY_UNRESTORED,
	FL_SIG_SHUTDOWN_INCOMPLETE,
	FL_SIG_SEGFAULT, FL_SIG_ADMIN_LOGIN,
	FL_SIG_COUNT
};
const char *fl_sig_name(enum fl_sig sig);
/* FL_SIG_NONE for NULL or a name outside the table. */
enum fl_sig fl_sig_from_name(const char *name);
/* The signal of every kept event (FL_SIG_NONE for plain lines and rules
 * without a signal); a malloc'd array of ev->n_events entries. */
enum fl_sig *fl_event_signals(const struct fl_evidence *ev,
    const struct fl_ruleset *rs);
/* The value of a captured field of an event, or NULL. */
const char *fl_event_field(const struct fl_event *e, const char *name);

/* What a host is, from the formats of its lines. */
enum fl_host_kind {
	FL_HOST_SERVER,    /* an operating system logs for it */
	FL_HOST_BMC_ONLY,  /* only its BMC's event log is in the evidence */
	FL_HOST_DEVICE     /* UPS, PDU, badge reader, ATS ... */
};
const char *fl_host_kind_name(enum fl_host_kind k);
/* Fills kinds[ev->n_hosts] from the formats of each host's streams and
 * events. */
void fl_host_kinds(const struct fl_evidence *ev, enum fl_host_kind *kinds);
/* True for the formats of device and BMC logs (their own clocks). */
int fl_format_is_device(enum fl_format fmt);

enum fl_gap_began {
	FL_BEGAN_CLEAN,        /* shutdown sequence just before */
	FL_BEGAN_LOGGER_STOP,  /* the logger stopped with no shutdown around */
	FL_BEGAN_ABRUPT        /* last line, then nothing */
};
enum fl_gap_ended {
	FL_ENDED_BOOT_UNCLEAN, /* a boot with unclean-shutdown recovery */
	FL_ENDED_BOOT,         /* a boot, no unclean evidence */
	FL_ENDED_RESUMED,      /* lines resume with no boot: a hole */
	FL_ENDED_OPEN          /* the host never spoke again */
};
enum fl_requester {
	FL_REQ_NONE,           /* nothing asked for it */
	FL_REQ_PERSON,         /* sudo/logind/shutdown by a user */
	FL_REQ_UPS,            /* a UPS daemon (low battery) */
	FL_REQ_REMOTE,         /* a power command (ipmitool, BMC) */
	FL_REQ_BUTTON,         /* power key at the machine */
	FL_REQ_UNKNOWN         /* a request with no author */
};
const char *fl_gap_began_name(enum fl_gap_began b);
const char *fl_gap_ended_name(enum fl_gap_ended e);
const char *fl_requester_name(enum fl_requester r);

#define FL_NO_EVENT SIZE_MAX

struct fl_gap {
	int64_t begin_us;      /* last sign of life before */
	int64_t end_us;        /* first sign of life after; FL_TIME_UNKNOWN
	                        * when open */
	enum fl_gap_began began;
	enum fl_gap_ended ended;
	enum fl_requester requester;
	const char *requested_by; /* user, or NULL */
	/* Evidence (event indexes, FL_NO_EVENT when none): the last
	 * shutdown/stop line, the request, the boot, the unclean recovery. */
	size_t ev_began, ev_request, ev_boot, ev_unclean;
};
/* A short word for a gap: "orderly-restart", "orderly-shutdown",
 * "abrupt-stop", "logger-stopped", "tamper-suspect". */
const char *fl_gap_kind(const struct fl_gap *g);

struct fl_lane {
	uint32_t host;
	enum fl_host_kind kind;
	uint32_t active_minutes;
	int64_t threshold_us;  /* silences longer than this are gaps */
	struct fl_gap *gaps;   /* in time order */
	size_t n_gaps;
};

struct fl_lanes {
	struct fl_lane *v;     /* one per evidence host, same order */
	size_t n;
	int64_t end_us;        /* last activity of any server */
};

struct fl_lanes_opts {
	int64_t min_silence_us; /* floor of the silence threshold */
	int64_t max_silence_us; /* ceiling of the silence threshold */
	int64_t context_us;     /* how far before a stop to look for a
	                         * shutdown sequence */
};
void fl_lanes_opts_default(struct fl_lanes_opts *o);

/* Builds the lanes from the evidence as it stands (after any clock
 * correction). kinds gives each host's kind (fl_host_kinds or adjusted). */
struct fl_lanes *fl_lanes_build(const struct fl_evidence *ev,
    const enum fl_sig *sig, const enum fl_host_kind *kinds,
    const struct fl_lanes_opts *o);
void fl_lanes_free(struct fl_lanes *l);

#endif
