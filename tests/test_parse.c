/* Unit tests of fl_parse: fields of tricky lines, the per-stream format
 * switching, continuation lines, and robustness against damaged input
 * (every prefix of valid lines, random bytes, huge lines). Lines are
 * always handed over in buffers of exactly their length, so that a
 * sanitizer build catches any read past the end. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fl_parse.h"
#include "fl_util.h"
#include "tap.h"

static char *held;

/* Parses s (copied into an exact-size buffer, kept until the next call). */
static int
parse(struct fl_parser *p, const char *s, size_t n, struct fl_parsed *o)
{
	free(held);
	held = fl_xmalloc(n);
	memcpy(held, s, n);
	return fl_parse_line(p, held, n, o);
}

static int
parse_str(struct fl_parser *p, const char *s, struct fl_parsed *o)
{
	return parse(p, s, strlen(s), o);
}

static const char *
span(struct fl_span s)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ % 4];
	size_t n = s.n < 511 ? s.n : 511;

	if (n)
		memcpy(b, s.p, n);
	b[n] = '\0';
	return b;
}

static const char *
extra(const struct fl_parsed *o, const char *name)
{
	for (size_t k = 0; k < o->n_extra; k++)
		if (o->extra_name[k].n == strlen(name) &&
		    memcmp(o->extra_name[k].p, name, o->extra_name[k].n) == 0)
			return span(o->extra_value[k]);
	return NULL;
}

/* Every span lies in the line or is a literal/scratch string; the return
 * value and the format agree. */
static int
consistent(int r, const struct fl_parsed *o, const char *line, size_t n)
{
	const struct fl_span *sp[] = {&o->host, &o->program, &o->pid,
		&o->message};

	if (r != (o->format != FL_FMT_UNKNOWN) || o->n_extra >
	    FL_PARSED_MAX_EXTRA)
		return 0;
	if (!r && (o->message.p != line || o->message.n != n))
		return 0;
	for (size_t k = 0; k < sizeof sp / sizeof sp[0]; k++)
		if (sp[k]->n > 0 && sp[k]->p == NULL)
			return 0;
	return 1;
}

static const char *const samples[] = {
	"Aug  3 09:41:12 web-01 sshd[1234]: Accepted publickey for alice",
	"<38>Aug  3 09:41:13 db-07 su[99]: (to root) alice on pts/1",
	"Aug  3 09:41:14 <4.3> fbsd-1 sshd[55624]: error: PAM",
	"Dec 21 06:54:12 ups-pi daemon.crit apcupsd[10]: Power failure.",
	"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure",
	"Sep  2 15:33:53 gw-1 Server Administrator: Instrumentation Service",
	"2025-12-16T19:07:38.950303+00:00 nut-1 upsd[1294]: Connected",
	"<165>1 2003-10-11T22:14:15.003Z host evntslog - ID47 [ex@1 a=\"3\"] x",
	"{\"__REALTIME_TIMESTAMP\":\"1722670872000001\",\"MESSAGE\":\"a\\u00e9\\ud83d\\ude00\",\"_PID\":\"1\"}",
	"{ \"MESSAGE\" : [72, 105], \"_BOOT_ID\" : \"e2b0\" }",
	"type=USER_CMD msg=audit(1642979137.352:1331): pid=1 msg='cwd=\"/\" cmd=636174202F6574632F736861646F77 res=success'",
	"node=h type=EXECVE msg=audit(1.5:2): argc=2 a0=\"x\" a1[0]=6162 a1[1]=\"c\"",
	"type=PROCTITLE msg=audit(1.5:2): proctitle=61620063",
	"2018-02-12 20:51:49 +0100  Power failure.",
	"Wed Jan 11 11:29:43 CST 2023  Power failure.",
	"10/11/2016 05:41:36 Device UPS: On battery power. 0x0109",
	"  35 | 12/08/2024 | 09:31:56 PM EST | Physical Security | Intrusion | Asserted",
	"   5 |  Pre-Init  |0000000123| System Event #0x01 | Clock Sync | Asserted",
	"1,09/07/2021,12:12:35,Drive Slot / Bay #0x42,Drive Present,Deasserted",
	"[   37.749084] systemd-journald[470]: Received SIGTERM",
	"-- Boot be39038bd9534c1fb8e6d45974be00a4 --",
	"Date,Time,Device,Outlet,Event,User,Interface",
	"08/03/2024,09:41:13 PM,pdu-a1,,\"Outlet \"\"3\"\" On, delayed\",,SNMP",
	"08/03/2024\t09:41:12\tapc\tSystem: Password changed.\t0x0000",
	"  37 | 12/08/24 | 14:00:00 +07 | Temp | High | Asserted | Reading 95 > 90",
};

static void
test_fields(void)
{
	struct fl_parser *p = fl_parser_new(NULL, NULL);
	struct fl_parsed o;

	ok(parse_str(p, samples[0], &o) == 1, "RFC 3164 line parses");
	is_int(o.format, FL_FMT_RFC3164, "format rfc3164");
	is_int(o.t.kind, FL_LT_NO_YEAR, "no year");
	is_int(o.t.mon * 100 + o.t.day, 803, "month and space-padded day");
	is_int(o.t.hour * 10000 + o.t.min * 100 + o.t.sec, 94112, "clock");
	is_str(span(o.host), "web-01", "host");
	is_str(span(o.program), "sshd", "program");
	is_str(span(o.pid), "1234", "pid");
	is_str(span(o.message), "Accepted publickey for alice", "message");
	ok(o.message.p == held + 35, "message points into the line");
	is_int(o.facility, -1, "no facility without PRI");

	parse_str(p, samples[1], &o);
	is_int(o.facility * 10 + o.severity, 46, "<38> is auth.info");
	parse_str(p, samples[2], &o);
	is_int(o.facility * 10 + o.severity, 43, "FreeBSD <4.3>");
	is_str(span(o.host), "fbsd-1", "host after FreeBSD fac.pri");
	parse_str(p, samples[3], &o);
	is_int(o.facility * 10 + o.severity, 32, "BusyBox daemon.crit");
	is_str(span(o.program), "apcupsd", "program after BusyBox fac.pri");
	parse_str(p, samples[4], &o);
	is_str(span(o.program), "sshd", "sshd(pam_unix)[pid] gives sshd");
	is_str(extra(&o, "subsystem"), "pam_unix", "and the subsystem");
	parse_str(p, samples[5], &o);
	is_str(span(o.program), "Server Administrator", "OpenManage tag");
	parse_str(p, "Jun  1 22:20:06 secserv exiting on signal 15: now", &o);
	is_int(o.program.n, 0, "no program in old sysklogd lines");
	is_str(span(o.message), "exiting on signal 15: now", "their message");

	ok(parse_str(p, samples[6], &o) && o.format == FL_FMT_ISO &&
	    o.t.kind == FL_LT_OFFSET && o.t.usec == 950303 &&
	    o.t.utc_offset == 0, "rsyslog high precision");
	ok(parse_str(p, samples[7], &o) && o.format == FL_FMT_RFC5424 &&
	    o.t.usec == 3000, "RFC 5424");
	is_str(extra(&o, "structured_data"), "[ex@1 a=\"3\"]", "its SD");

	ok(parse_str(p, samples[8], &o) && o.format == FL_FMT_JOURNAL_JSON,
	    "journal JSON");
	is_str(span(o.message), "a\xc3\xa9\xf0\x9f\x98\x80",
	    "\\u escapes and surrogate pairs become UTF-8");
	is_int(o.t.epoch_us, INT64_C(1722670872000001), "realtime stamp");
	parse_str(p, samples[9], &o);
	is_str(span(o.message), "Hi", "MESSAGE as a byte array");
	is_str(extra(&o, "boot_id"), "e2b0", "boot id");

	parse_str(p, samples[10], &o);
	is_str(span(o.message), "cat /etc/shadow", "USER_CMD hex cmd decoded");
	is_str(extra(&o, "cwd"), "/", "quoted field given as is");
	is_int(o.t.epoch_us, INT64_C(1642979137352000), "audit epoch");
	parse_str(p, samples[11], &o);
	is_str(span(o.message), "x abc", "EXECVE pieces joined");
	is_str(span(o.host), "h", "node= gives the host");
	parse_str(p, samples[12], &o);
	is_str(span(o.message), "ab c", "PROCTITLE NUL becomes a space");

	parse_str(p, samples[13], &o);
	ok(o.format == FL_FMT_APCUPSD_EVENTS && o.t.kind == FL_LT_OFFSET &&
	    o.t.utc_offset == 3600, "apcupsd events with %%z");
	parse_str(p, samples[14], &o);
	ok(o.t.kind == FL_LT_LOCAL && o.t.year == 2023 && o.t.zone_abbr &&
	    o.t.zone_abbr_len == 3 && memcmp(o.t.zone_abbr, "CST", 3) == 0,
	    "old apcupsd events: local time with its zone abbreviation");
	is_str(span(o.program), "apcupsd", "apcupsd events program");

	parse_str(p, samples[15], &o);
	ok(o.format == FL_FMT_NMC && o.t.kind == FL_LT_LOCAL &&
	    o.t.year == 2016 && o.t.mon == 10 && o.t.day == 11, "NMC date");
	is_str(span(o.message), "UPS: On battery power.", "NMC text");
	is_str(extra(&o, "nmc_code"), "0x0109", "NMC code");
	is_str(span(o.program), "nmc", "NMC program");

	parse_str(p, samples[16], &o);
	ok(o.format == FL_FMT_SEL && o.t.hour == 21 && o.t.zone_abbr,
	    "SEL with PM and a zone");
	is_str(span(o.message), "Physical Security | Intrusion | Asserted",
	    "SEL message");
	is_str(extra(&o, "sel_direction"), "Asserted", "SEL direction");
	parse_str(p, samples[17], &o);
	ok(o.t.kind == FL_LT_PREINIT && o.t.epoch_us == 123000000,
	    "SEL Pre-Init");
	parse_str(p, samples[18], &o);
	ok(o.format == FL_FMT_SEL_CSV && o.t.year == 2021, "SEL CSV");
	is_str(extra(&o, "sel_sensor"), "Drive Slot / Bay #0x42", "its sensor");

	parse_str(p, samples[19], &o);
	ok(o.format == FL_FMT_DMESG && o.t.kind == FL_LT_UPTIME &&
	    o.t.epoch_us == 37749084, "dmesg uptime");
	is_str(span(o.program), "kernel", "dmesg program");

	ok(parse_str(p, samples[20], &o) && (o.flags & FL_PF_BOOT) &&
	    o.t.kind == FL_LT_NONE, "journal boot separator");
	is_str(span(o.program), "journal", "separator program");
	fl_parser_free(p);
}

static void
test_stream(void)
{
	struct fl_parse_opts opts = {FL_FMT_SEL, NULL};
	struct fl_parser *p = fl_parser_new(NULL, NULL);
	struct fl_parsed o;

	parse_str(p, "Mar  1 10:00:00 app java[7]: Exception", &o);
	ok(parse_str(p, "\tat Main.main(Main.java:5)", &o) &&
	    (o.flags & FL_PF_CONTINUATION) && o.format == FL_FMT_RFC3164,
	    "indented line after a record continues it");
	ok(!parse_str(p, "garbage between good lines", &o) &&
	    o.format == FL_FMT_UNKNOWN && o.message.n == 26,
	    "a corrupt line is unparsed and kept whole");
	ok(!parse_str(p, "\tindented after garbage", &o),
	    "no continuation after an unparsed line");
	ok(parse_str(p, "Mar  1 10:00:01 app java[7]: next", &o) &&
	    o.format == FL_FMT_RFC3164, "the next good line parses");
	ok(parse_str(p, "type=LOGIN msg=audit(1.000:1): pid=1", &o) &&
	    o.format == FL_FMT_AUDIT, "another format is accepted");
	ok(parse_str(p, "type=LOGIN msg=audit(2.000:2): pid=1", &o) &&
	    parse_str(p, "Mar  1 10:00:02 app x: y", &o),
	    "and the stream switches back");
	is_int(fl_parser_format(p), FL_FMT_RFC3164, "most lines were rfc3164");
	ok(parse_str(p, "", &o) && (o.flags & FL_PF_COMMENT), "empty line");
	ok(parse_str(p, "# comment", &o) && (o.flags & FL_PF_COMMENT),
	    "# comment");
	ok(!parse_str(p, "Dec  2 13:14:2", &o), "truncated time: unparsed");
	fl_parser_free(p);

	p = fl_parser_new(&opts, NULL);
	ok(!parse_str(p, samples[0], &o), "a hint limits the formats tried");
	ok(parse_str(p, samples[16], &o) && o.format == FL_FMT_SEL,
	    "and the hinted format parses");
	fl_parser_free(p);

	is_str(fl_format_name(FL_FMT_JOURNAL_JSON), "journal-json",
	    "format name");
	for (int f = 1; f < FL_FMT_COUNT; f++)
		if ((int)fl_format_from_name(fl_format_name((enum fl_format)f)) != f)
			ok(0, "format %d name round trip", f);
	is_int(fl_format_from_name("syslog"), FL_FMT_RFC3164, "alias syslog");
	is_int(fl_format_from_name("nope"), FL_FMT_UNKNOWN, "unknown name");
}

static void
test_csv(void)
{
	static const struct fl_csv_mapping maps[] = {
		{"door", NULL, "Day", "Clock", "dmy", "Site", "What,Who",
		    "badge"},
		{NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	};
	struct fl_parse_opts opts = {FL_FMT_UNKNOWN, maps};
	struct fl_parser *p = fl_parser_new(&opts, NULL);
	struct fl_parsed o;

	ok(!parse_str(p, "03/08/2024,09:41:12,dc1,open,bob", &o),
	    "CSV data before its header is unparsed");
	ok(parse_str(p, "Day,Clock,Site,What,Who", &o) &&
	    o.format == FL_FMT_CSV && (o.flags & FL_PF_COMMENT),
	    "a header matching a mapping is a comment");
	ok(parse_str(p, "03/08/2024,09:41:12,dc1,\"open, \"\"forced\"\"\",bob",
	    &o) && o.t.mon == 8 && o.t.day == 3, "day-first mapping");
	is_str(span(o.message), "open, \"forced\"; Who=bob",
	    "quoted field unescaped, further columns named");
	is_str(span(o.host), "dc1", "host column");
	is_str(extra(&o, "Who"), "bob", "columns as fields");
	ok(!parse_str(p, "Timestamp,Door,Badge,Name,Result", &o),
	    "builtin mappings are not used when the options give some");
	fl_parser_free(p);
}

/* Deterministic pseudo-random numbers (xorshift). */
static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
test_damage(void)
{
	static const char alphabet[] = "0123456789:-+.,/ |[](){}<>\"'=\\Tx"
	    "AZaz#\t\x01\xff\xc3\xa9";
	struct fl_parser *p = fl_parser_new(NULL, NULL);
	struct fl_parsed o;
	unsigned bad = 0, n = 0;
	char buf[600];
	int r;

	/* Every prefix of every sample. */
	for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
		size_t len = strlen(samples[k]);

		for (size_t cut = 0; cut <= len; cut++, n++) {
			r = parse(p, samples[k], cut, &o);
			if (!consistent(r, &o, held, cut))
				bad++;
		}
	}
	/* Random bytes, and samples with random bytes overwritten. */
	for (unsigned k = 0; k < 40000; k++, n++) {
		size_t len = rnd() % sizeof buf;

		if (k % 2) {
			const char *s = samples[rnd() % (sizeof samples /
			    sizeof samples[0])];

			len = strlen(s);
			memcpy(buf, s, len);
			for (unsigned m = rnd() % 4 + 1; m > 0; m--)
				buf[rnd() % len] = alphabet[rnd() %
				    (sizeof alphabet - 1)];
		} else {
			for (size_t i = 0; i < len; i++)
				buf[i] = k % 4 ? alphabet[rnd() %
				    (sizeof alphabet - 1)] : (char)rnd();
		}
		r = parse(p, buf, len, &o);
		if (!consistent(r, &o, held, len))
			bad++;
	}
	is_int(bad, 0, "%u damaged lines: never a crash, always consistent", n);
	fl_parser_free(p);
}

static void
test_huge(void)
{
	struct fl_parser *p = fl_parser_new(NULL, NULL);
	size_t n = 4 << 20;
	char *big = fl_xmalloc(n);
	struct fl_parsed o;

	memset(big, 'A', n);
	ok(!fl_parse_line(p, big, n, &o) && o.message.n == n,
	    "a 4 MiB line of letters is unparsed");
	memcpy(big, "Aug  3 09:41:12 h p: ", 21);
	ok(fl_parse_line(p, big, n, &o) && o.message.n == n - 21,
	    "a 4 MiB syslog line parses");
	memset(big, '"', n);
	memcpy(big, "{\"MESSAGE\":\"", 12);
	ok(!fl_parse_line(p, big, n, &o), "4 MiB of quotes in JSON");
	memset(big, '[', n);
	ok(!fl_parse_line(p, big, n, &o), "4 MiB of brackets");
	free(big);
	fl_parser_free(p);
}

int
main(void)
{
	test_fields();
	test_stream();
	test_csv();
	test_damage();
	test_huge();
	free(held);
	return tap_done();
}
