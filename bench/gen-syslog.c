/*
 * gen-syslog: a deterministic generator of realistic RFC 3164 syslog for
 * the benchmark. One run writes one host's log to stdout:
 *
 *   gen-syslog [-b BYTES] [-h HOSTNO] [-s SEED] > web-03.syslog
 *
 * The same arguments give the same bytes on every machine (own PRNG, no
 * locale, no clock). The mix follows what a busy Linux server's syslog
 * holds: mostly background (cron, systemd timers and sessions, kernel
 * firewall drops, postfix, chrony, snmpd, an application's request log),
 * about 2% internet SSH scanning (invalid users, failed passwords,
 * pre-auth disconnects from a pool of scanner addresses, in bursts from
 * one address: most of 1 to 5 attempts, one in five a brute force of 20
 * to 500), a few real
 * logins and sudo commands, and rare power and host events (an apcupsd
 * power failure, a reboot with its kernel banner and journal recovery).
 * Message lengths range from 30 to about 400 bytes (kernel firewall
 * lines and postfix rejects are the long ones).
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_state;

/* xorshift64*: small, fast, identical everywhere. */
static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static unsigned
below(unsigned n)
{
	return (unsigned)((rnd() >> 32) % n);
}

#define PICK(arr) (arr[below(sizeof arr / sizeof arr[0])])

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static const char *const hostkinds[] = { "web", "db", "app", "cache", "mq",
    "lb", "build", "mail" };
static const char *const scan_users[] = { "admin", "test", "user", "oracle",
    "postgres", "ubuntu", "guest", "git", "ftpuser", "support", "pi",
    "deploy", "hadoop", "jenkins", "minecraft", "www", "mysql", "nagios",
    "debian", "centos", "ec2-user", "steam", "teamspeak", "usuario", "1234",
    "tomcat", "student", "dev", "backup", "operator" };
static const char *const real_users[] = { "deploy", "alice", "bob", "ops",
    "backup" };
static const char *const app_paths[] = { "/api/v1/orders", "/api/v1/users",
    "/api/v2/search", "/healthz", "/static/app.js", "/login",
    "/api/v1/cart/items", "/metrics", "/api/v1/payments/authorize",
    "/images/product/thumbnail.jpg" };
static const char *const app_methods[] = { "GET", "GET", "GET", "POST",
    "PUT", "GET", "DELETE" };
static const char *const units[] = { "apt-daily.service",
    "apt-daily-upgrade.service", "logrotate.service", "man-db.service",
    "fstrim.service", "phpsessionclean.service", "certbot.service",
    "sysstat-collect.service" };
static const char *const unit_desc[] = { "Daily apt download activities",
    "Daily apt upgrade and clean activities", "Rotate log files",
    "Daily man-db regeneration", "Discard unused blocks on filesystems",
    "Clean php session files", "Certbot", "system activity accounting tool" };
static const char *const cron_cmds[] = {
    "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
    "cd / && run-parts --report /etc/cron.hourly",
    "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
    "/usr/local/bin/backup-db.sh --incremental >/dev/null 2>&1",
    "/opt/app/bin/rotate-cache" };
static const char *const mail_domains[] = { "example.com", "example.net",
    "example.org", "mail.example.com" };

struct gen {
	char host[32];
	int mon, day, hour, min, sec;
	uint64_t step_ms;     /* mean gap between lines */
	uint64_t ms;          /* sub-second accumulator */
	unsigned pid_base;
	unsigned session;
	unsigned uptime;      /* seconds since the last boot, for kernel lines */
	uint32_t scanners[2048];
	char *out;
	size_t len, cap;
	uint64_t written;     /* bytes already on stdout */
};

static void
flush_out(struct gen *g)
{
	fwrite(g->out, 1, g->len, stdout);
	g->written += g->len;
	g->len = 0;
}

static void
put(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(g->out + g->len, g->cap - g->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < g->cap - g->len)
			break;
		flush_out(g);
	}
	g->len += (size_t)n;
}

static void
advance(struct gen *g)
{
	uint64_t d = g->step_ms ? rnd() % (2 * g->step_ms + 1) : 0;

	g->ms += d;
	while (g->ms >= 1000) {
		g->ms -= 1000;
		g->uptime++;
		if (++g->sec < 60)
			continue;
		g->sec = 0;
		if (++g->min < 60)
			continue;
		g->min = 0;
		if (++g->hour < 24)
			continue;
		g->hour = 0;
		if (++g->day <= mdays[g->mon])
			continue;
		g->day = 1;
		if (++g->mon == 12)
			g->mon = 0;
	}
}

/* "Mar  7 18:53:20 web-03 " */
static void
head(struct gen *g)
{
	put(g, "%s %2d %02d:%02d:%02d %s ", months[g->mon], g->day, g->hour,
	    g->min, g->sec, g->host);
}

static unsigned
pid(struct gen *g)
{
	return g->pid_base + below(30000);
}

static void
ip_str(uint32_t a, char *buf)
{
	sprintf(buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
	    a & 255);
}

static void
line_ssh_scan(struct gen *g, uint32_t addr)
{
	char ip[20];
	const char *u = PICK(scan_users);
	unsigned p = pid(g), port = 1024 + below(64000);

	ip_str(addr, ip);
	switch (below(6)) {
	case 0:
		head(g);
		put(g, "sshd[%u]: Invalid user %s from %s port %u\n", p, u, ip,
		    port);
		break;
	case 1:
		head(g);
		put(g, "sshd[%u]: Failed password for invalid user %s from %s "
		    "port %u ssh2\n", p, u, ip, port);
		break;
	case 2:
		head(g);
		put(g, "sshd[%u]: Failed password for root from %s port %u "
		    "ssh2\n", p, ip, port);
		break;
	case 3:
		head(g);
		put(g, "sshd[%u]: Received disconnect from %s port %u:11: Bye "
		    "Bye [preauth]\n", p, ip, port);
		break;
	case 4:
		head(g);
		put(g, "sshd[%u]: Connection closed by invalid user %s %s port "
		    "%u [preauth]\n", p, u, ip, port);
		break;
	default:
		head(g);
		put(g, "sshd[%u]: Disconnected from authenticating user root %s "
		    "port %u [preauth]\n", p, ip, port);
		break;
	}
}

static void
line_background(struct gen *g)
{
	unsigned r = below(1000), p = pid(g), i;
	char ip[20], ip2[20];

	head(g);
	if (r < 180) {
		put(g, "CRON[%u]: (root) CMD (%s)\n", p, PICK(cron_cmds));
	} else if (r < 260) {
		put(g, "CRON[%u]: pam_unix(cron:session): session %s for user "
		    "root%s\n", p, below(2) ? "opened" : "closed",
		    below(2) ? " by (uid=0)" : "");
	} else if (r < 330) {
		g->session++;
		put(g, "systemd[1]: %s Session %u of user %s.\n",
		    below(2) ? "Started" : "Stopped", g->session,
		    PICK(real_users));
	} else if (r < 345) {
		i = below(sizeof units / sizeof units[0]);
		switch (below(3)) {
		case 0:
			put(g, "systemd[1]: Starting %s - %s...\n", units[i],
			    unit_desc[i]);
			break;
		case 1:
			put(g, "systemd[1]: %s: Deactivated successfully.\n",
			    units[i]);
			break;
		default:
			put(g, "systemd[1]: Finished %s - %s.\n", units[i],
			    unit_desc[i]);
			break;
		}
	} else if (r < 470) {
		ip_str((uint32_t)rnd(), ip);
		ip_str(UINT32_C(0x0a000000) | below(65536), ip2);
		put(g, "kernel: [%u.%06u] [UFW BLOCK] IN=eth0 OUT= "
		    "MAC=52:54:00:%02x:%02x:%02x:fe:ff:ff:ff:ff:ff:08:00 SRC=%s "
		    "DST=%s LEN=%u TOS=0x00 PREC=0x00 TTL=%u ID=%u PROTO=TCP "
		    "SPT=%u DPT=%u WINDOW=%u RES=0x00 SYN URGP=0\n", g->uptime,
		    below(1000000), below(256), below(256), below(256), ip, ip2,
		    40 + below(24), 32 + below(220), below(65536),
		    1024 + below(64000), PICK(((const unsigned[]){ 23, 445,
		    3389, 8080, 5900, 1433, 6379 })), 1024 + below(64000));
	} else if (r < 560) {
		ip_str((uint32_t)rnd(), ip);
		switch (below(4)) {
		case 0:
			put(g, "postfix/smtpd[%u]: connect from unknown[%s]\n",
			    p, ip);
			break;
		case 1:
			put(g, "postfix/smtpd[%u]: disconnect from unknown[%s] "
			    "ehlo=1 mail=1 rcpt=0/1 data=0 quit=1 commands=3/4\n",
			    p, ip);
			break;
		case 2:
			put(g, "postfix/smtpd[%u]: NOQUEUE: reject: RCPT from "
			    "unknown[%s]: 554 5.7.1 <user%u@%s>: Relay access "
			    "denied; from=<spam%u@%s> to=<user%u@%s> "
			    "proto=ESMTP helo=<%s>\n", p, ip, below(1000),
			    PICK(mail_domains), below(100000),
			    PICK(mail_domains), below(1000),
			    PICK(mail_domains), ip);
			break;
		default:
			put(g, "postfix/qmgr[%u]: %05X%05X: from=<app@%s>, "
			    "size=%u, nrcpt=1 (queue active)\n", p,
			    below(0xfffff), below(0xfffff), PICK(mail_domains),
			    500 + below(40000));
			break;
		}
	} else if (r < 600) {
		put(g, "chronyd[%u]: Selected source 192.0.2.%u (%u.debian.pool."
		    "ntp.org)\n", p, 1 + below(250), below(4));
	} else if (r < 660) {
		put(g, "snmpd[%u]: Connection from UDP: [10.0.%u.%u]:%u->"
		    "[10.0.0.%u]:161\n", p, below(256), below(256),
		    1024 + below(64000), below(256));
	} else if (r < 680) {
		put(g, "dhclient[%u]: DHCPREQUEST for 10.0.%u.%u on eth0 to "
		    "10.0.0.1 port 67\n", p, below(256), below(256));
	} else {
		/* The application's request log: most lines, varied length. */
		unsigned status = below(50) ? 200 : PICK(((const unsigned[]){
		    301, 404, 500, 503 }));

		put(g, "app[%u]: %s %s%s status=%u bytes=%u dur=%ums "
		    "req=%08x%08x ua=\"Mozilla/5.0 (X11; Linux x86_64)\"%s\n",
		    g->pid_base + 7, PICK(app_methods), PICK(app_paths),
		    below(3) ? "" : "?page=2&sort=desc&filter=active",
		    status, below(200000), below(900), (unsigned)rnd(),
		    (unsigned)rnd(), status >= 500 ?
		    " error=\"upstream timed out (110: Connection timed out) "
		    "while reading response header from upstream\"" : "");
	}
}

static void
line_login(struct gen *g)
{
	unsigned p = pid(g);
	const char *u = PICK(real_users);

	head(g);
	switch (below(4)) {
	case 0:
		put(g, "sshd[%u]: Accepted publickey for %s from 10.1.%u.%u "
		    "port %u ssh2: ED25519 SHA256:%08x%08x%08x%08x\n", p, u,
		    below(256), below(256), 1024 + below(64000),
		    (unsigned)rnd(), (unsigned)rnd(), (unsigned)rnd(),
		    (unsigned)rnd());
		break;
	case 1:
		put(g, "sshd[%u]: pam_unix(sshd:session): session opened for "
		    "user %s(uid=1000) by (uid=0)\n", p, u);
		break;
	case 2:
		put(g, "sudo: %8s : TTY=pts/%u ; PWD=/home/%s ; USER=root ; "
		    "COMMAND=/usr/bin/systemctl restart app.service\n", u,
		    below(4), u);
		break;
	default:
		put(g, "sshd[%u]: pam_unix(sshd:session): session closed for "
		    "user %s\n", p, u);
		break;
	}
}

/* A power event on the UPS, or a reboot: a short burst of lines. */
static void
burst_event(struct gen *g)
{
	unsigned p = pid(g);

	if (below(2)) {
		head(g);
		put(g, "apcupsd[%u]: Power failure.\n", p);
		advance(g);
		head(g);
		put(g, "apcupsd[%u]: Running on UPS batteries.\n", p);
		advance(g);
		head(g);
		put(g, "apcupsd[%u]: Mains returned. No longer on UPS "
		    "batteries.\n", p);
		advance(g);
		head(g);
		put(g, "apcupsd[%u]: Power is back. UPS running on mains.\n", p);
		return;
	}
	head(g);
	put(g, "systemd[1]: Stopping rsyslog.service - System Logging "
	    "Service...\n");
	head(g);
	put(g, "rsyslogd[%u]: [origin software=\"rsyslogd\" "
	    "swVersion=\"8.2302.0\" x-pid=\"%u\" x-info=\"https://www.rsyslog."
	    "com\"] exiting on signal 15.\n", p, p);
	g->uptime = 0;
	advance(g);
	head(g);
	put(g, "kernel: [    0.000000] Linux version 6.1.0-18-amd64 "
	    "(debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) "
	    "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP "
	    "PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)\n");
	head(g);
	put(g, "kernel: [    2.314159] EXT4-fs (sda1): recovery complete\n");
	head(g);
	put(g, "systemd[1]: Started rsyslog.service - System Logging "
	    "Service.\n");
}

static void
usage(void)
{
	fputs("usage: gen-syslog [-b BYTES] [-h HOSTNO] [-s SEED]\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct gen g;
	uint64_t bytes = UINT64_C(64) << 20, seed = 1;
	unsigned hostno = 1, i, r;
	int c;

	while ((c = getopt(argc, argv, "b:h:s:")) != -1) {
		switch (c) {
		case 'b':
			bytes = strtoull(optarg, NULL, 10);
			break;
		case 'h':
			hostno = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	memset(&g, 0, sizeof g);
	rng_state = (seed * UINT64_C(0x9e3779b97f4a7c15)) ^
	    ((uint64_t)hostno << 32) ^ UINT64_C(0x5deece66d);
	if (rng_state == 0)
		rng_state = 1;
	for (i = 0; i < 16; i++)
		rnd();
	snprintf(g.host, sizeof g.host, "%s-%02u",
	    hostkinds[hostno % (sizeof hostkinds / sizeof hostkinds[0])],
	    hostno);
	for (i = 0; i < 2048; i++)
		g.scanners[i] = (uint32_t)rnd();
	/* About 150 bytes a line, spread over 90 days from 1 March. */
	g.step_ms = bytes / 150 ? UINT64_C(90) * 86400 * 1000 /
	    (bytes / 150) : 1000;
	g.mon = 2;
	g.day = 1;
	g.pid_base = 300 + hostno * 7;
	g.uptime = 86400;
	g.cap = 1 << 20;
	g.out = malloc(g.cap);
	if (g.out == NULL)
		return 1;
	while (g.written + g.len < bytes) {
		r = below(100000);
		if (r < 37) {
			/* a burst from one scanner, 54 attempts on average */
			uint32_t addr = g.scanners[below(2048)];
			unsigned k = below(5) < 4 ? 1 + below(5) : 20 + below(481);

			while (k-- > 0) {
				line_ssh_scan(&g, addr);
				if (k > 0)
					advance(&g);
			}
		} else if (r < 187)
			line_login(&g);
		else if (r < 189)
			burst_event(&g);
		else
			line_background(&g);
		advance(&g);
		if (g.cap - g.len < 4096)
			flush_out(&g);
	}
	flush_out(&g);
	return fflush(stdout) != 0;
}
