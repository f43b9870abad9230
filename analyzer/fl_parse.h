/*
 * fl_parse: one line of a stream → fields. Formats are sniffed per stream
 * (each line is tried with the stream's current format first, then with the
 * others), never by file name alone. No regex, no heap allocation per line:
 * the fields of struct fl_parsed point into the line or into the parser's
 * scratch space and are valid until the next call on the same parser.
 *
 * Ownership: fl_parser_new returns a parser owned by the caller, released
 * with fl_parser_free. A parser belongs to one stream and one thread.
 */
#ifndef FL_PARSE_H
#define FL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "fl_input.h"

enum fl_format {
	FL_FMT_UNKNOWN = 0,     /* unparsed */
	FL_FMT_RFC3164,         /* "Mmm dd HH:MM:SS host prog[pid]: msg", also
	                         * <PRI>, FreeBSD -v <fac.pri>, BusyBox fac.pri,
	                         * no-program and prog(pam_unix)[pid] variants,
	                         * and journalctl short/short-precise */
	FL_FMT_RFC5424,         /* "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG" */
	FL_FMT_ISO,             /* rsyslog high precision, journalctl short-iso:
	                         * "2024-08-03T09:41:12.123456+02:00 host prog[pid]: msg" */
	FL_FMT_JOURNAL_JSON,    /* journalctl -o json, one object per line */
	FL_FMT_AUDIT,           /* auditd "type=X msg=audit(EPOCH.MS:SERIAL): ..." */
	FL_FMT_APCUPSD_EVENTS,  /* "2024-08-03 09:41:12 +0200  Power failure." and
	                         * "Wed Jan 11 11:29:43 CST 2023  Power failure." */
	FL_FMT_NMC,             /* APC NMC "MM/DD/YYYY HH:MM:SS Device|System text 0xNNNN" */
	FL_FMT_SEL,             /* ipmitool sel list / elist (pipe-separated) */
	FL_FMT_SEL_CSV,         /* ipmitool -c sel list */
	FL_FMT_CSV,             /* PDU/UPS/badge CSV through a column mapping */
	FL_FMT_DMESG,           /* "[   37.749084] text" (seconds since boot) */
	FL_FMT_COUNT
};
const char *fl_format_name(enum fl_format fmt);  /* "rfc3164", "iso", ... */
/* Looks up a name given to --format-hint; FL_FMT_UNKNOWN if none. */
enum fl_format fl_format_from_name(const char *name);

/* A time as written in the line, before any zone or year is applied. */
enum fl_ltime_kind {
	FL_LT_NONE = 0,   /* no time in the line */
	FL_LT_NO_YEAR,    /* month, day and time; no year, no zone (RFC 3164) */
	FL_LT_LOCAL,      /* full date and time, no zone: local time */
	FL_LT_OFFSET,     /* full date and time with a UTC offset (utc_offset) */
	FL_LT_EPOCH,      /* absolute: epoch_us is UTC microseconds */
	FL_LT_UPTIME,     /* seconds since boot (dmesg): epoch_us holds µs since boot */
	FL_LT_PREINIT     /* IPMI Pre-Init: epoch_us holds µs since BMC init */
};
struct fl_ltime {
	enum fl_ltime_kind kind;
	int32_t year;              /* 0 when absent */
	uint8_t mon, day;          /* 1-12, 1-31 */
	uint8_t hour, min, sec;    /* sec may be 60 (leap second) */
	uint8_t has_usec;          /* fraction present in the line */
	int32_t usec;
	int32_t utc_offset;        /* seconds east of UTC, for FL_LT_OFFSET */
	int64_t epoch_us;          /* for EPOCH, UPTIME, PREINIT */
	const char *zone_abbr;     /* "CET", "EST" when the line names one, else NULL */
	size_t zone_abbr_len;
};

struct fl_span {
	const char *p;
	size_t n;
};

#define FL_PARSED_MAX_EXTRA 12

/* Flags of a parsed line. */
#define FL_PF_BOOT         0x1u  /* journal "-- Reboot --"/"-- Boot ID --" separator */
#define FL_PF_CONTINUATION 0x2u  /* continuation of the previous record:
                                  * an indented line after a syslog-family
                                  * record, or text no format takes after a
                                  * tagged record with an empty message;
                                  * message = the whole line, no time */
#define FL_PF_COMMENT      0x4u  /* comment or header line (counted as parsed,
                                  * carries no event): CSV header, "#" line,
                                  * blank line, journal "-- Logs begin at",
                                  * journalctl -x catalog text */

struct fl_parsed {
	enum fl_format format;     /* FL_FMT_UNKNOWN when no format accepted it */
	unsigned flags;            /* FL_PF_* */
	struct fl_ltime t;
	struct fl_span host;       /* empty when the line names none */
	struct fl_span program;    /* "sshd"; for audit "audit"; for SEL "ipmi-sel" */
	struct fl_span pid;
	struct fl_span message;    /* the text after the header; the whole line
	                            * when unparsed */
	int facility, severity;    /* syslog numbers, -1 when absent */
	/* Format-specific fields: journal _BOOT_ID, audit type and decoded
	 * fields, SEL sensor/event/direction, NMC code, CSV mapped columns.
	 * Names used: subsystem ("pam_unix" of sshd(pam_unix)[pid]); msgid,
	 * structured_data (RFC 5424); boot_id (journal JSON and "-- Boot"
	 * separators), transport, unit (journal JSON); audit_type,
	 * audit_serial and the audit keys op, acct, exe, cmd, res, addr,
	 * hostname, terminal, auid, uid, unit, comm, cwd, name, key, success,
	 * proctitle (hex values decoded); sel_id, sel_sensor, sel_event,
	 * sel_direction, sel_reading; nmc_category, nmc_code, nmc_user; CSV:
	 * every column under its header name. */
	size_t n_extra;
	struct fl_span extra_name[FL_PARSED_MAX_EXTRA];
	struct fl_span extra_value[FL_PARSED_MAX_EXTRA];
};

/* A column mapping for CSV exports of PDUs, UPSes and door-badge systems.
 * Vendors differ; the mapping names which header columns hold what. */
struct fl_csv_mapping {
	const char *name;          /* "generic-pdu", "badge", ... */
	const char *time_col;      /* header name of a combined date+time column */
	const char *date_col, *clock_col; /* or separate date and time columns */
	const char *date_order;    /* "ymd", "mdy" or "dmy" */
	const char *host_col;      /* device/host column, may be NULL */
	const char *message_cols;  /* comma-separated columns joined as message */
	const char *program;       /* program name given to events ("pdu", "badge") */
};

struct fl_parse_opts {
	enum fl_format hint;       /* force a format; FL_FMT_UNKNOWN to sniff */
	const struct fl_csv_mapping *csv_maps; /* NULL-terminated by name==NULL */
};

struct fl_parser;
struct fl_parser *fl_parser_new(const struct fl_parse_opts *opts,
    const struct fl_stream_info *info);
void fl_parser_free(struct fl_parser *p);
/* Parses one line (as given by fl_input: no newline). Always fills *out;
 * returns 1 when a format accepted the line, 0 when it is unparsed
 * (out->format == FL_FMT_UNKNOWN, out->message = the whole line). */
int fl_parse_line(struct fl_parser *p, const char *line, size_t len,
    struct fl_parsed *out);
/* The format most lines of the stream had so far (for reports). */
enum fl_format fl_parser_format(const struct fl_parser *p);

#endif
