#!/usr/bin/env python3
"""Regenerate every bundled incident evidence set under samples/.

Usage: samples/generate.py [--out DIR] [SET...]

Each set is built from a fixed seed, so a rerun with the same Python and
the same zlib/liblzma produces byte-identical files: gzip headers carry
explicit mtimes, tar members have fixed owners and realistic mtimes, and
members are written in sorted order. Only the standard library is used.

The logs are written the way the real daemons write them (rsyslog
traditional and high-precision files, a journalctl -o json export, apcupsd
events files, APC NMC event logs, ipmitool sel elist, PDU and badge CSV
exports) and rotated the way logrotate rotates them. See samples/README.md.
"""

import argparse
import bz2
import datetime as dt
import gzip
import io
import json
import lzma
import os
import random
import shutil
import sys
import tarfile
import zoneinfo

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTCZ = dt.timezone.utc
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
       "Oct", "Nov", "Dec"]

PRIO_DEFAULT = 6     # syslog priority of a line unless told (journal PRIORITY)


def T(s, tz=PARIS):
    """'2024-08-03 09:52:10[.5]' in zone tz -> epoch seconds (float)."""
    if "." in s:
        base, frac = s.split(".")
        f = float("0." + frac)
    else:
        base, f = s, 0.0
    d = dt.datetime.strptime(base, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
    return d.timestamp() + f


def iso_utc(t):
    return dt.datetime.fromtimestamp(int(t), UTCZ).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def local(t, tz):
    return dt.datetime.fromtimestamp(t, tz)


def day_floor(t, tz):
    d = local(t, tz)
    return dt.datetime(d.year, d.month, d.day, tzinfo=tz).timestamp()


def days(t0, t1, tz):
    """Local midnights d with t0 <= d+1day and d < t1."""
    out = []
    d = local(day_floor(t0, tz), tz)
    while d.timestamp() < t1:
        out.append(d.timestamp())
        d = (d + dt.timedelta(days=1, hours=3)).replace(hour=0)
        d = dt.datetime(d.year, d.month, d.day, tzinfo=tz)
    return out


def hexid(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def b64ish(rng, n):
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choice(a) for _ in range(n))


# --------------------------------------------------------------------------
# Operating system profiles: the exact strings that differ between releases.

OS = {
    "deb12": dict(
        family="debian", systemd=252, combined=True, pam_new=True,
        succeeded="Deactivated successfully.", finished=True,
        kernel="6.1.0-23-amd64",
        banner="Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) "
               "(gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for "
               "Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1 (2024-07-15)",
        cmdline="BOOT_IMAGE=/boot/vmlinuz-6.1.0-23-amd64 root=UUID={uuid} ro quiet",
        systemd_banner="systemd 252.26-1~deb12u2 running in system mode (+PAM "
                       "+AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT "
                       "-GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 "
                       "+IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 "
                       "-PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ "
                       "+ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT "
                       "default-hierarchy=unified)",
        rsyslog="8.2302.0", rsyslog_pid=True, fs="ext4new", journal_persist=True,
        chrony="4.3", ssh_unit=("ssh.service", "OpenBSD Secure Shell server"),
        cron_unit=("cron.service",
                   "Regular background program processing daemon"),
    ),
    "deb11": dict(
        family="debian", systemd=247, combined=False, pam_new=True,
        succeeded="Succeeded.", finished=True,
        kernel="5.10.0-31-amd64",
        banner="Linux version 5.10.0-31-amd64 (debian-kernel@lists.debian.org) "
               "(gcc-10 (Debian 10.2.1-6) 10.2.1 20210110, GNU ld (GNU "
               "Binutils for Debian) 2.35.2) #1 SMP Debian 5.10.221-1 "
               "(2024-07-14)",
        cmdline="BOOT_IMAGE=/boot/vmlinuz-5.10.0-31-amd64 root=UUID={uuid} ro quiet",
        systemd_banner="systemd 247.3-7+deb11u5 running in system mode. (+PAM "
                       "+AUDIT +SELINUX +IMA +APPARMOR +SMACK +SYSVINIT +UTMP "
                       "+LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +ZSTD "
                       "+SECCOMP +BLKID +ELFUTILS +KMOD +IDN2 -IDN +PCRE2 "
                       "default-hierarchy=unified)",
        rsyslog="8.2102.0", rsyslog_pid=False, fs="ext4mid", journal_persist=True,
        chrony="4.0", ssh_unit=("ssh.service", "OpenBSD Secure Shell server"),
        cron_unit=("cron.service",
                   "Regular background program processing daemon"),
    ),
    "deb10": dict(
        family="debian", systemd=241, combined=False, pam_new=False,
        succeeded="Succeeded.", finished=False,
        kernel="4.19.0-27-amd64",
        banner="Linux version 4.19.0-27-amd64 (debian-kernel@lists.debian.org) "
               "(gcc version 8.3.0 (Debian 8.3.0-6)) #1 SMP Debian 4.19.316-1 "
               "(2024-06-25)",
        cmdline="BOOT_IMAGE=/boot/vmlinuz-4.19.0-27-amd64 root=UUID={uuid} ro quiet",
        systemd_banner="systemd 241 running in system mode. (+PAM +AUDIT "
                       "+SELINUX +IMA +APPARMOR +SMACK +SYSVINIT +UTMP "
                       "+LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +SECCOMP "
                       "+BLKID +ELFUTILS +KMOD -IDN2 +IDN -PCRE2 "
                       "default-hierarchy=hybrid)",
        rsyslog="8.1901.0", rsyslog_pid=False, fs="ext4old", journal_persist=False,
        chrony=None, ssh_unit=("ssh.service", "OpenBSD Secure Shell server"),
        cron_unit=("cron.service",
                   "Regular background program processing daemon"),
    ),
    "rhel8": dict(
        family="rhel", systemd=239, combined=False, pam_new=False,
        succeeded="Succeeded.", finished=False,
        kernel="4.18.0-553.8.1.el8_10.x86_64",
        banner="Linux version 4.18.0-553.8.1.el8_10.x86_64 "
               "(mockbuild@x86-vm-07.build.eng.bos.redhat.com) (gcc version "
               "8.5.0 20210514 (Red Hat 8.5.0-22) (GCC)) #1 SMP Fri Jun 14 "
               "03:19:37 EDT 2024",
        cmdline="BOOT_IMAGE=(hd0,msdos1)/vmlinuz-4.18.0-553.8.1.el8_10.x86_64 "
                "root=/dev/mapper/rhel-root ro crashkernel=auto "
                "resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root "
                "rd.lvm.lv=rhel/swap rhgb quiet",
        systemd_banner="systemd 239 (239-82.el8) running in system mode. (+PAM "
                       "+AUDIT +SELINUX +IMA -APPARMOR +SMACK +SYSVINIT +UTMP "
                       "+LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +SECCOMP "
                       "+BLKID +ELFUTILS +KMOD +IDN2 -IDN +PCRE2 "
                       "default-hierarchy=legacy)",
        rsyslog="8.2102.0-15.el8", rsyslog_pid=True, fs="xfs", journal_persist=False,
        chrony="4.5", ssh_unit=("sshd.service", "OpenSSH server daemon"),
        cron_unit=("crond.service", "Command Scheduler"),
    ),
    "rhel9": dict(
        family="rhel", systemd=252, combined=True, pam_new=True,
        succeeded="Deactivated successfully.", finished=True,
        kernel="5.14.0-427.26.1.el9_4.x86_64",
        banner="Linux version 5.14.0-427.26.1.el9_4.x86_64 "
               "(mockbuild@x86-64-01.build.eng.rdu2.redhat.com) (gcc (GCC) "
               "11.4.1 20231218 (Red Hat 11.4.1-3), GNU ld version "
               "2.35.2-43.el9) #1 SMP PREEMPT_DYNAMIC Fri Jul 5 11:34:54 EDT 2024",
        cmdline="BOOT_IMAGE=(hd0,gpt2)/vmlinuz-5.14.0-427.26.1.el9_4.x86_64 "
                "root=/dev/mapper/rhel-root ro crashkernel=1G-4G:192M,"
                "4G-64G:256M,64G-:512M resume=/dev/mapper/rhel-swap "
                "rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet",
        systemd_banner="systemd 252-32.el9_4 running in system mode (+PAM "
                       "+AUDIT +SELINUX -APPARMOR +IMA +SMACK +SECCOMP +GCRYPT "
                       "+GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 "
                       "+IDN2 -IDN -IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 "
                       "-PWQUALITY +P11KIT -QRENCODE +TPM2 +BZIP2 +LZ4 +XZ "
                       "+ZLIB +ZSTD -BPF_FRAMEWORK +XKBCOMMON +UTMP +SYSVINIT "
                       "default-hierarchy=unified)",
        rsyslog="8.2310.0-4.el9", rsyslog_pid=True, fs="xfs", journal_persist=False,
        chrony="4.5", ssh_unit=("sshd.service", "OpenSSH server daemon"),
        cron_unit=("crond.service", "Command Scheduler"),
    ),
}

HW = [
    "Dell Inc. PowerEdge R640/0X45NX, BIOS 2.19.1 06/04/2023",
    "Dell Inc. PowerEdge R650/0Y2G81, BIOS 1.13.2 12/14/2023",
    "HPE ProLiant DL360 Gen10/ProLiant DL360 Gen10, BIOS U32 04/18/2024",
    "Supermicro SYS-1029P-WTR/X11DDW-L, BIOS 3.9 03/28/2024",
    "Dell Inc. PowerEdge R740/06WXJT, BIOS 2.21.2 02/19/2024",
]


def unit(osp, name, desc):
    """How systemd names a unit in its status messages."""
    return f"{name} - {desc}" if osp["combined"] else desc


class Host:
    """One server: its identity, logging setup and everything it logged.

    Events are (t_true_utc, seq, facility, program, pid, message, priority).
    pid is an int, None (no pid) or ("new", key): one fresh pid per key,
    handed out in time order at write time, reset at each boot.
    """

    def __init__(self, site, name, os_, ip, zone=PARIS, fmt=None, skew=0.0,
                 roles=(), inet=False, journal=False, compress="gz",
                 rotate_hour=0, snmp=True, archive="tar.gz"):
        self.site = site
        self.name = name
        self.os = os_
        self.osp = OS[os_]
        self.ip = ip
        self.zone = zone
        self.fmt = fmt or ("iso" if os_ == "deb12" else "3164")
        self.skew = skew
        self.roles = set(roles)
        self.inet = inet
        self.journal = journal
        self.compress = compress
        self.snmp = snmp
        self.archive = archive
        self.rng = random.Random(f"{site.name}/{name}")
        self.ev = []
        self.seq = 0
        self.boots = []          # dicts: t0 (kernel start), t_ready, end, kind
        self.machine_id = hexid(self.rng, 32)
        self.root_uuid = (f"{hexid(self.rng, 8)}-{hexid(self.rng, 4)}-"
                          f"{hexid(self.rng, 4)}-{hexid(self.rng, 4)}-"
                          f"{hexid(self.rng, 12)}")
        self.hw = self.rng.choice(HW)
        self.rotations = []
        self.session_no = self.rng.randint(3, 40)
        self.uptime0 = self.rng.uniform(5, 90) * 86400
        self.collect_t = None
        self.truncate_last = 0   # bytes cut from the very last line
        self.extra_files = {}    # member path -> text (already rendered)
        self.tmpfiles_offset = self.rng.uniform(0, 86400)

    # -- low level -----------------------------------------------------
    def log(self, t, fac, prog, msg, pid=None, prio=PRIO_DEFAULT):
        self.seq += 1
        self.ev.append((t, self.seq, fac, prog, pid, msg, prio))

    def up_at(self, t):
        for b in self.boots:
            if b["t0"] <= t < b["end"]:
                return b
        return None

    def boot_at(self, t):
        b = None
        for x in self.boots:
            if x["t0"] <= t:
                b = x
        return b

    def dpid(self, name, t):
        """Pid of a long-running daemon in the boot that covers t."""
        b = self.boot_at(t)
        if b is None:
            b = self.boots[0]
        if name not in b["pids"]:
            base = {"systemd": 1}.get(name)
            if base is None:
                used = set(b["pids"].values())
                while True:
                    if b.get("preexisting"):
                        base = self.rng.randint(380, 1900)
                    else:
                        b["daemon_base"] += self.rng.randint(3, 24)
                        base = b["daemon_base"]
                    if base not in used:
                        break
            b["pids"][name] = base
        return b["pids"][name]

    def newpid(self, key=None):
        self.seq += 1
        return ("new", key if key is not None else ("anon", self.seq))

    def new_session(self):
        self.session_no += self.rng.randint(1, 3)
        return self.session_no

    def fac_auth(self):
        return "authpriv" if self.osp["family"] == "rhel" else "auth"

    def unit(self, name, desc):
        return unit(self.osp, name, desc)

    # -- lifecycle -------------------------------------------------------
    def running_from(self, t):
        """The host was already up when the evidence starts."""
        self.boots.append(dict(t0=t - self.uptime0, t_ready=t - self.uptime0 + 30,
                               end=float("inf"), kind=None, pids={},
                               preexisting=True, boot_id=hexid(self.rng, 32),
                               daemon_base=0, pid_start=self.rng.randint(40000, 900000)))

    def end_boot(self, t, kind):
        b = self.boots[-1]
        assert b["end"] == float("inf"), (self.name, "already down")
        b["end"] = t
        b["kind"] = kind

    def is_up(self):
        return bool(self.boots) and self.boots[-1]["end"] == float("inf")


class Site:
    """A set under construction: hosts, device logs, the answer."""

    def __init__(self, name, t0, t1, tz=PARIS):
        self.name = name
        self.t0 = t0          # evidence starts (first rotation)
        self.t1 = t1          # collection
        self.tz = tz
        self.rng = random.Random(f"site/{name}")
        self.hosts = {}
        self.files = {}       # evidence-relative path -> bytes
        self.file_mtimes = {}

    def host(self, name, os_, ip, **kw):
        h = Host(self, name, os_, ip, **kw)
        self.hosts[name] = h
        return h

    def add_file(self, path, text, mtime):
        self.files[path] = text.encode() if isinstance(text, str) else text
        self.file_mtimes[path] = mtime


# --------------------------------------------------------------------------
# Services: systemd unit names and descriptions, and what each daemon logs
# when it starts. Keyed by role.

def svc_table(h):
    deb = h.osp["family"] == "debian"
    pgver = {"deb12": "15", "deb11": "13", "deb10": "11"}.get(h.os, "")
    t = {
        "nginx": [("nginx.service",
                   "A high performance web server and a reverse proxy server")],
        "postfix": [("postfix@-.service",
                     "Postfix Mail Transport Agent (instance -)") if deb else
                    ("postfix.service", "Postfix Mail Transport Agent")],
        "dovecot": [("dovecot.service", "Dovecot IMAP/POP3 email server")],
        "postgres": [(f"postgresql@{pgver}-main.service",
                      f"PostgreSQL Cluster {pgver}-main") if deb else
                     ("postgresql.service", "PostgreSQL database server")],
        "tomcat": [("tomcat9.service",
                    "Apache Tomcat 9 Web Application Server")],
        "ldap": [("slapd.service", "LSB: OpenLDAP standalone server "
                  "(Lightweight Directory Access Protocol)")],
        "dns": [("named.service", "BIND Domain Name Server")],
        "dhcpd": [("isc-dhcp-server.service", "LSB: DHCP server")],
        "apcupsd": [("apcupsd.service",
                     "APC UPS Power Control Daemon for Linux")],
        "apcslave": [("apcupsd.service",
                      "APC UPS Power Control Daemon for Linux")],
        "nutclient": [("nut-monitor.service", "Network UPS Tools - power "
                       "device monitor and shutdown controller")],
        "nutserver": [("nut-driver.service", "Network UPS Tools - power "
                       "device driver controller"),
                      ("nut-server.service", "Network UPS Tools - power "
                       "devices information server"),
                      ("nut-monitor.service", "Network UPS Tools - power "
                       "device monitor and shutdown controller")],
        "asterisk": [("asterisk.service", "LSB: Asterisk PBX")],
        "hl7": [("hl7-router.service", "HL7 result router")],
        "dpi": [("dpi-connector.service", "Shared medical record connector")],
        "samba": [("smbd.service", "Samba SMB Daemon")],
        "cups": [("cups.service", "CUPS Scheduler")],
        "bacula": [("bacula-dir.service", "Bacula Director Daemon service")],
        "squid": [("squid.service", "Squid Web Proxy Server")],
        "openvpn": [("openvpn-server@server.service",
                     "OpenVPN service for server")],
        "php": [("php8.2-fpm.service",
                 "The PHP 8.2 FastCGI Process Manager")],
        "app": [("tomcat9.service", "Apache Tomcat 9 Web Application Server")],
        "nagios": [("nagios4.service", "nagios4")],
    }
    out = []
    for r in sorted(h.roles):
        for u in t.get(r, []):
            if u not in out:
                out.append(u)
    return out


def service_start_lines(h, role, t, L):
    """Daemon-specific lines at start. L(dt, fac, prog, msg, pid)."""
    deb = h.osp["family"] == "debian"
    if role == "postfix":
        L(1.2, "mail", "postfix/postfix-script", "starting the Postfix mail system", ("new", "pfscript"))
        L(1.3, "mail", "postfix/master", "daemon started -- version "
          + ("3.7.11" if h.os == "deb12" else "3.5.25" if deb else "3.5.8")
          + ", configuration /etc/postfix", h.dpid("postfix/master", t))
    elif role == "dovecot":
        L(0.8, "mail", "dovecot", "master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3 (core dumps disabled)", h.dpid("dovecot", t))
    elif role == "postgres":
        p = h.dpid("postgres", t)
        if h.boots[-1].get("unclean"):
            lk = h.boots[-2]["end"] if len(h.boots) > 1 else t
            last = local(lk - 140, h.zone).strftime("%Y-%m-%d %H:%M:%S %Z")
            for i, m in enumerate([
                    f"database system was interrupted; last known up at {last}",
                    "database system was not properly shut down; automatic recovery in progress",
                    f"redo starts at 2/{hexid(h.rng, 8).upper()}",
                    f"redo done at 2/{hexid(h.rng, 8).upper()} system usage: CPU: user: 0.41 s, system: 0.22 s, elapsed: 1.93 s",
                    "checkpoint starting: end-of-recovery immediate wait",
                    "database system is ready to accept connections"]):
                now = local(t + 2.1 + i * 0.6 + h.skew, h.zone)
                stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond // 1000:03d} " + now.strftime("%Z")
                L(2.1 + i * 0.6, "local0", "postgres", f"[{i + 1}-1] {stamp} [{p}] LOG:  {m}", p)
        else:
            now = local(t + 1.5, h.zone)
            stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond // 1000:03d} " + now.strftime("%Z")
            L(1.5, "local0", "postgres", f"[1-1] {stamp} [{p}] LOG:  database system was shut down at "
              + local(t - 60, h.zone).strftime("%Y-%m-%d %H:%M:%S %Z"), p)
            L(1.6, "local0", "postgres", f"[2-1] {stamp} [{p}] LOG:  database system is ready to accept connections", p)
    elif role == "ldap":
        p = h.dpid("slapd", t)
        L(0.9, "local0", "slapd", "@(#) $OpenLDAP: slapd 2.5.13+dfsg-5 (Feb  8 2023 01:55:20) $", p)
        L(1.4, "local0", "slapd", "slapd starting", p)
    elif role == "dns":
        p = h.dpid("named", t)
        L(0.7, "daemon", "named", "starting BIND 9.18.28-1~deb12u2-Debian (Extended Support Version) <id:>", p)
        L(2.5, "daemon", "named", "all zones loaded", p)
        L(2.5, "daemon", "named", "running", p)
    elif role == "dhcpd":
        p = h.dpid("dhcpd", t)
        L(0.5, "daemon", "dhcpd", "Internet Systems Consortium DHCP Server 4.4.1", p)
        L(0.6, "daemon", "dhcpd", "Wrote 412 leases to leases file.", p)
        L(0.7, "daemon", "dhcpd", "Server starting service.", p)
    elif role in ("apcupsd", "apcslave"):
        p = h.dpid("apcupsd", t)
        L(0.6, "daemon", "apcupsd", "apcupsd 3.14.14 (31 May 2016) debian startup succeeded", p)
        h.__dict__.setdefault("apc_starts", []).append(t + 0.6)
        if role == "apcupsd":
            L(0.7, "daemon", "apcupsd", "NIS server startup succeeded", p)
    elif role == "nutserver":
        pd = h.dpid("snmp-ups", t)
        L(0.6, "daemon", "snmp-ups", "Startup successful", pd)
        pu = h.dpid("upsd", t)
        L(1.0, "daemon", "upsd", "listening on 0.0.0.0 port 3493", pu)
        L(1.0, "daemon", "upsd", f"Connected to UPS [{h.nut_ups}]: snmp-ups-{h.nut_ups}", pu)
        L(1.1, "daemon", "upsd", "Startup successful", pu)
        L(1.8, "daemon", "upsmon", "Startup successful", h.dpid("upsmon", t))
    elif role == "nutclient":
        L(1.8, "daemon", "upsmon", "Startup successful", h.dpid("upsmon", t))
    elif role == "asterisk":
        L(3.0, "local0", "asterisk", "NOTICE[" + str(h.dpid("asterisk", t) + 12) + "]: loader.c:2352 load_modules: 312 modules will be loaded.", h.dpid("asterisk", t))
        L(6.5, "local0", "asterisk", "NOTICE[" + str(h.dpid("asterisk", t) + 12) + "]: asterisk.c:4367 main: Asterisk Ready.", h.dpid("asterisk", t))
    elif role == "hl7":
        L(4.0, "local0", "hl7-router", "INFO  router started, 6 channels deployed (LAB-BIO1, LAB-BIO2, LAB-ANAPATH, MEDECIN-GW, DPI-OUT, ARCHIVE)", h.dpid("hl7-router", t))
    elif role == "dpi":
        L(5.0, "local0", "dpi-connector", "INFO  connector ready, document queue 0, endpoint https://dpi-gw.ghse.local/api/v2", h.dpid("dpi-connector", t))
    elif role in ("tomcat", "app"):
        p = h.dpid("tomcat9", t)
        d = local(t + 9.0 + h.skew, h.zone)
        stamp = f"{d.day:02d}-{MON[d.month - 1]}-{d.year} {d.strftime('%H:%M:%S')}.{d.microsecond // 1000:03d}"
        L(9.0, "daemon", "tomcat9", f"{stamp} INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [{h.rng.randint(6000, 21000)}] milliseconds", p)
    elif role == "samba":
        L(1.0, "daemon", "smbd", "[" + local(t + 1.0, h.zone).strftime("%Y/%m/%d %H:%M:%S") + ".123456,  0] ../../source3/smbd/server.c:1741(main)", h.dpid("smbd", t))
    elif role == "openvpn":
        L(0.5, "daemon", "ovpn-server", "OpenVPN 2.6.3 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]", h.dpid("ovpn-server", t))
        L(0.9, "daemon", "ovpn-server", "Initialization Sequence Completed", h.dpid("ovpn-server", t))


def kline(h, up, msg):
    """A kernel message as rsyslog's imklog writes it on Debian."""
    if h.osp["family"] == "debian" and not h.journal:
        return f"[{int(up):5d}.{int((up % 1) * 1e6):06d}] {msg}"
    return msg


# --------------------------------------------------------------------------
# Boot and shutdown sequences

def boot(h, t_on, unclean=None, post=None, step=None):
    """Power on at t_on (the kernel starts after the firmware POST).
    unclean defaults to whether the previous boot ended abruptly."""
    rng = h.rng
    prev = h.boots[-1] if h.boots else None
    assert prev is None or prev["end"] != float("inf"), (h.name, "boot while up")
    if unclean is None:
        unclean = prev is not None and prev["kind"] == "abrupt"
    t0 = t_on + (post if post is not None else rng.uniform(65, 140))
    b = dict(t0=t0, end=float("inf"), kind=None, pids={}, preexisting=False,
             boot_id=hexid(rng, 32), unclean=unclean,
             daemon_base=rng.randint(380, 700),
             pid_start=rng.randint(1100, 1900))
    h.boots.append(b)
    osp = h.osp
    deb = osp["family"] == "debian"
    imux = deb and not h.journal     # rsyslog via imuxsock: early lines are
    t_rs = t0 + rng.uniform(6.5, 13.0)   # stamped when rsyslog starts
    lines = []                       # (t, fac, prog, pid, msg)

    def L(dt_, fac, prog, msg, pid=None):
        lines.append((t0 + dt_, fac, prog, pid, msg))

    def K(up, msg):
        lines.append((t0 + up, "kern", "kernel", None, kline(h, up, msg)))

    K(0.0, osp["banner"])
    K(0.0, "Command line: " + osp["cmdline"].format(uuid=h.root_uuid))
    K(0.0, "DMI: " + h.hw)
    K(0.0, f"tsc: Detected {rng.choice(['2100.000', '2394.374', '2600.000', '2893.202'])} MHz processor")
    K(0.19, f"smpboot: Allowing {rng.choice([32, 48, 64, 96])} CPUs, 0 hotplug CPUs")
    K(2.31 + rng.random(), "sd 0:2:0:0: [sda] Attached SCSI disk")
    up = 3.4 + rng.random()
    fs = osp["fs"]
    if fs == "xfs":
        K(up, "XFS (dm-0): Mounting V5 Filesystem")
        if unclean:
            K(up + 0.05, "XFS (dm-0): Starting recovery (logdev: internal)")
            K(up + 0.61, "XFS (dm-0): Ending recovery (logdev: internal)")
        else:
            K(up + 0.04, "XFS (dm-0): Ending clean mount")
    else:
        dev = "sda2" if fs == "ext4new" else "sda1"
        if unclean:
            K(up, f"EXT4-fs ({dev}): INFO: recovery required on readonly filesystem")
            K(up, f"EXT4-fs ({dev}): write access will be enabled during recovery")
            if rng.random() < 0.5:
                K(up + 0.31, f"EXT4-fs ({dev}): orphan cleanup on readonly fs")
                K(up + 0.32, f"EXT4-fs ({dev}): {rng.randint(1, 9)} orphan inodes deleted")
            K(up + 0.48, f"EXT4-fs ({dev}): recovery complete")
            up += 0.5
        if fs == "ext4new":
            K(up + 0.01, f"EXT4-fs ({dev}): mounted filesystem with ordered data mode. Quota mode: none.")
        elif fs == "ext4mid":
            K(up + 0.01, f"EXT4-fs ({dev}): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.")
        else:
            K(up + 0.01, f"EXT4-fs ({dev}): mounted filesystem with ordered data mode. Opts: (null)")
    sd = up + 0.9
    if deb:
        K(sd, "systemd[1]: " + osp["systemd_banner"])
        K(sd + 0.01, "systemd[1]: Detected architecture x86-64.")
        K(sd + 0.02, f"systemd[1]: Hostname set to <{h.name}>.")
    else:
        L(sd, "daemon", "systemd", osp["systemd_banner"], 1)
        L(sd + 0.01, "daemon", "systemd", "Detected architecture x86-64.", 1)
        L(sd + 0.02, "daemon", "systemd", f"Set hostname to <{h.name}>.", 1)
    if fs != "xfs":
        dev = "sda2" if fs == "ext4new" else "sda1"
        K(sd + 0.7, f"EXT4-fs ({dev}): re-mounted. " + (
            "Quota mode: none." if fs == "ext4new" else
            "Opts: errors=remount-ro. Quota mode: none." if fs == "ext4mid" else
            "Opts: errors=remount-ro"))
    nic = rng.choice(["tg3 0000:04:00.0 eno1", "ixgbe 0000:18:00.0 eno1",
                      "i40e 0000:3d:00.0 eno1"])
    K(sd + 2.9, f"{nic}: NIC Link is Up 10 Gbps, Flow Control: None" if "tg3" not in nic
      else f"{nic}: Link is up at 1000 Mbps, full duplex")

    jpid = h.dpid("systemd-journald", t0)
    jt = sd + 0.2
    big = osp["systemd"] >= 250
    L(jt, "syslog", "systemd-journald", "Journal started", jpid)
    L(jt, "syslog", "systemd-journald",
      f"{'Runtime Journal' if big else 'Runtime journal'} (/run/log/journal/{h.machine_id}) is 8.0M, max 318.4M, 310.4M free.", jpid)
    if osp["journal_persist"] or h.journal:
        if unclean:
            L(jt + 0.9, "syslog", "systemd-journald",
              f"File /var/log/journal/{h.machine_id}/system.journal corrupted or uncleanly shut down, renaming and replacing.", jpid)
        L(jt + 1.0, "syslog", "systemd-journald",
          f"Time spent on flushing to /var/log/journal/{h.machine_id} is {rng.uniform(20, 90):.3f}ms for {rng.randint(900, 1600)} entries.", jpid)
        L(jt + 1.0, "syslog", "systemd-journald",
          f"{'System Journal' if big else 'System journal'} (/var/log/journal/{h.machine_id}) is {rng.uniform(0.4, 3.9):.1f}G, max 4.0G, {rng.uniform(0.2, 2.5):.1f}G free.", jpid)
    U = h.unit
    L(jt + 1.2, "daemon", "systemd", "Finished " + U("systemd-remount-fs.service", "Remount Root and Kernel File Systems") + "."
      if osp["finished"] else "Started " + U("systemd-remount-fs.service", "Remount Root and Kernel File Systems") + ".", 1)
    L(jt + 1.5, "daemon", "systemd", "Reached target " + U("local-fs.target", "Local File Systems") + ".", 1)
    L(jt + 3.0, "daemon", "systemd", "Reached target " + U("network-online.target", "Network is Online") + ".", 1)
    # rsyslog
    rs = t_rs - t0
    rp = h.dpid("rsyslogd", t0)
    if not h.journal:
        L(rs - 0.05, "daemon", "systemd", "Starting " + U("rsyslog.service", "System Logging Service") + "...", 1)
        tag = ("rsyslogd", rp if osp["rsyslog_pid"] else None)
        if h.os == "deb12":
            L(rs, "syslog", tag[0], f"imuxsock: Acquired UNIX socket '/run/systemd/journal/syslog' (fd 3) from systemd.  [v{osp['rsyslog']}]", tag[1])
        L(rs, "syslog", tag[0], f'[origin software="rsyslogd" swVersion="{osp["rsyslog"]}" x-pid="{rp}" x-info="https://www.rsyslog.com"] start', tag[1])
        L(rs + 0.01, "daemon", "systemd", "Started " + U("rsyslog.service", "System Logging Service") + ".", 1)
        if not deb:
            L(rs + 0.2, "syslog", tag[0], f"imjournal: journal files changed, reloading...  [v{osp['rsyslog']} try https://www.rsyslog.com/e/0 ]", tag[1])
    # cron, ssh, time
    cu = osp["cron_unit"]
    L(rs + 0.3, "daemon", "systemd", "Started " + U(*cu) + ".", 1)
    if deb:
        cp = h.dpid("cron", t0)
        L(rs + 0.35, "cron", "cron", "(CRON) INFO (pidfile fd = 3)", cp)
        L(rs + 0.36, "cron", "cron", "(CRON) INFO (Running @reboot jobs)", cp)
    else:
        cp = h.dpid("crond", t0)
        L(rs + 0.35, "cron", "crond", "(CRON) STARTUP (1.5.2)", cp)
        L(rs + 0.36, "cron", "crond", "(CRON) INFO (Syslog will be used instead of sendmail.)", cp)
        L(rs + 0.37, "cron", "crond", f"(CRON) INFO (RANDOM_DELAY will be scaled with factor {rng.randint(5, 95)}% if used.)", cp)
        L(rs + 0.38, "cron", "crond", "(CRON) INFO (running with inotify support)", cp)
    su = osp["ssh_unit"]
    L(rs + 0.5, "daemon", "systemd", "Starting " + U(*su) + "...", 1)
    sp = h.dpid("sshd", t0)
    L(rs + 0.7, h.fac_auth(), "sshd", "Server listening on 0.0.0.0 port 22.", sp)
    L(rs + 0.7, h.fac_auth(), "sshd", "Server listening on :: port 22.", sp)
    L(rs + 0.71, "daemon", "systemd", "Started " + U(*su) + ".", 1)
    if osp["chrony"]:
        cpid = h.dpid("chronyd", t0)
        L(rs + 0.4, "daemon", "chronyd", f"chronyd version {osp['chrony']} starting (+CMDMON +NTP +REFCLOCK +RTC +PRIVDROP +SCFILTER +SIGND +ASYNCDNS +NTS +SECHASH +IPV6 -DEBUG)", cpid)
        L(rs + 0.41, "daemon", "chronyd", f"Frequency {rng.uniform(-30, 30):.3f} +/- {rng.uniform(0.01, 0.9):.3f} ppm read from /var/lib/chrony/" + ("chrony.drift" if deb else "drift"), cpid)
        if deb:
            L(rs + 0.42, "daemon", "chronyd", "Using right/UTC timezone to obtain leap second data", cpid)
            L(rs + 0.43, "daemon", "chronyd", "Loaded seccomp filter (level 1)", cpid)
        L(rs + 0.5, "daemon", "systemd", "Started " + (U("chrony.service", "chrony, an NTP client/server") if deb else U("chronyd.service", "NTP client/server")) + ".", 1)
        if not getattr(h, "no_ntp", False):
            src = h.site.ntp[0]
            L(rs + rng.uniform(6, 12), "daemon", "chronyd", f"Selected source {src}" + (f" ({h.site.ntp_name})" if deb else ""), cpid)
            if unclean or rng.random() < 0.3:
                off = rng.uniform(0.6, 3.8) if unclean else rng.uniform(0.02, 0.2)
                L(rs + 13, "daemon", "chronyd", f"System clock wrong by {off:.6f} seconds", cpid)
                L(rs + 13, "daemon", "chronyd", f"System clock was stepped by {off:.6f} seconds", cpid)
    else:
        npid = h.dpid("ntpd", t0)
        L(rs + 0.4, "daemon", "ntpd", "ntpd 4.2.8p12@1.3728-o (1): Starting", npid)
        L(rs + 0.4, "daemon", "ntpd", "Command line: /usr/sbin/ntpd -p /var/run/ntpd.pid -g -u 108:114", npid)
        L(rs + 0.5, "daemon", "ntpd", f"Listen normally on 3 eno1 {h.ip}:123", npid + 2)
        L(rs + 0.6, "daemon", "ntpd", "kernel reports TIME_ERROR: 0x41: Clock Unsynchronized", npid + 2)
    if h.snmp:
        L(rs + 0.9, "daemon", "systemd", "Started " + U("snmpd.service", "Simple Network Management Protocol (SNMP) Daemon.") + ".", 1)
        L(rs + 0.95, "daemon", "snmpd", "NET-SNMP version 5.9.3" if h.os in ("deb12", "rhel9") else "NET-SNMP version 5.9", h.dpid("snmpd", t0))
    # role services
    off = rs + 1.2
    for name, desc in svc_table(h):
        L(off, "daemon", "systemd", "Starting " + U(name, desc) + "...", 1)
        L(off + 0.8, "daemon", "systemd", "Started " + U(name, desc) + ".", 1)
        off += 0.9
    for role in sorted(h.roles):
        service_start_lines(h, role, t0 + rs + 1.5, lambda d, f, p, m, pid=None: lines.append((t0 + rs + 1.5 + d, f, p, pid, m)))
    L(off + 0.5, "daemon", "systemd", "Reached target " + U("multi-user.target", "Multi-User System") + ".", 1)
    if deb:
        L(off + 0.51, "daemon", "systemd", "Reached target " + U("graphical.target", "Graphical Interface") + ".", 1)
    if osp["systemd"] >= 240:
        k = sd - 0.5
        L(off + 0.6, "daemon", "systemd", f"Startup finished in {k:.3f}s (kernel) + {off + 0.6 - sd:.3f}s (userspace) = {off + 0.6:.3f}s." if deb else
          f"Startup finished in {k * 0.4:.3f}s (kernel) + {k * 0.6:.3f}s (initrd) + {off + 0.6 - sd:.3f}s (userspace) = {off + 0.6:.3f}s.", 1)
    else:
        L(off + 0.6, "daemon", "systemd", f"Startup finished in {sd * 0.4:.3f}s (kernel) + {sd * 0.6:.3f}s (initrd) + {off + 0.6 - sd:.3f}s (userspace) = {off + 0.6:.3f}s.", 1)
    b["t_ready"] = t0 + off + 1.0
    # emit: with imuxsock, what was logged before rsyslog started carries
    # the time rsyslog read it.
    lines.sort(key=lambda x: x[0])
    if imux:
        early = [x for x in lines if x[0] < t_rs]
        late = [x for x in lines if x[0] >= t_rs]
        rsl = [x for x in early if x[2] == "rsyslogd"] + [x for x in late if x[2] == "rsyslogd" and x[0] - t_rs < 0.001]
        late = [x for x in late if x not in rsl]
        early = [x for x in early if x not in rsl]
        for x in rsl + [e for e in early if e[1] == "kern"] + [e for e in early if e[1] != "kern"]:
            h.log(t_rs, x[1], x[2], x[4], x[3])
        for x in late:
            h.log(x[0], x[1], x[2], x[4], x[3])
    else:
        for x in lines:
            h.log(x[0], x[1], x[2], x[4], x[3])
    # logrotate and other daily jobs that were missed while down (Persistent=)
    h.rotations.append(("boot", t0))
    return b


def drop(h, t, lost=None):
    """Abrupt loss of power at t: the logs just stop. The last seconds that
    were still in the page cache never reach the disk."""
    h.end_boot(t, "abrupt")
    b = h.boots[-1]
    b["lost"] = lost if lost is not None else (h.rng.uniform(30, 280) if h.journal else h.rng.uniform(2, 20))


def shutdown(h, t, skip=()):
    """An orderly shutdown starting at t. Returns the time it ends."""
    rng = h.rng
    osp = h.osp
    U = h.unit
    deb = osp["family"] == "debian"
    lines = []
    c = [t]

    def L(fac, prog, msg, pid=None, dt_=None):
        c[0] += dt_ if dt_ is not None else rng.uniform(0.001, 0.05)
        lines.append((c[0], fac, prog, pid, msg))

    lpid = h.dpid("systemd-logind", t)
    L(h.fac_auth() if deb else "auth", "systemd-logind", "System is powering down.", lpid, 0.2)
    L("daemon", "systemd", "Stopped target " + U("graphical.target", "Graphical Interface") + "." if deb else
      "Stopped target " + U("multi-user.target", "Multi-User System") + ".", 1, 0.3)
    if deb:
        L("daemon", "systemd", "Stopped target " + U("multi-user.target", "Multi-User System") + ".", 1)
    L("daemon", "systemd", "Stopped target " + U("getty.target", "Login Prompts") + ".", 1)
    L("daemon", "systemd", "Stopped target " + U("timers.target", "Timers" if osp["systemd"] < 250 else "Timer Units") + ".", 1)
    for tm, d in [("apt-daily-upgrade.timer", "Daily apt upgrade and clean activities"),
                  ("apt-daily.timer", "Daily apt download activities"),
                  ("logrotate.timer", "Daily rotation of log files")] if deb else [
                  ("dnf-makecache.timer", "dnf makecache --timer"),
                  ("systemd-tmpfiles-clean.timer", "Daily Cleanup of Temporary Directories")]:
        L("daemon", "systemd", f"{tm}: {osp['succeeded']}", 1)
        L("daemon", "systemd", "Stopped " + U(tm, d) + ".", 1)
    svcs = [u for u in svc_table(h) if not any(u[0].startswith(k) for k in skip)]
    for name, desc in [osp["cron_unit"]] + svcs:
        L("daemon", "systemd", "Stopping " + U(name, desc) + "...", 1)
    for role in sorted(h.roles - set(skip)):
        if role in ("apcupsd", "apcslave"):
            p = h.dpid("apcupsd", t)
            L("daemon", "apcupsd", "apcupsd exiting, signal 15", p)
            L("daemon", "apcupsd", "apcupsd shutdown succeeded", p)
        elif role == "postfix":
            L("mail", "postfix/postfix-script", "stopping the Postfix mail system", h.newpid())
            L("mail", "postfix/master", "terminating on signal 15", h.dpid("postfix/master", t))
        elif role == "postgres":
            p = h.dpid("postgres", t)
            now = local(c[0], h.zone)
            stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond // 1000:03d} " + now.strftime("%Z")
            L("local0", "postgres", f"[1-1] {stamp} [{p}] LOG:  received fast shutdown request", p)
            L("local0", "postgres", f"[2-1] {stamp} [{p}] LOG:  database system is shut down", p, 0.8)
        elif role in ("nutclient", "nutserver"):
            L("daemon", "upsmon", "Signal 15: exiting", h.dpid("upsmon", t))
            if role == "nutserver":
                L("daemon", "upsd", "Signal 15: exiting", h.dpid("upsd", t))
        elif role == "dns":
            L("daemon", "named", "shutting down", h.dpid("named", t))
        elif role == "ldap":
            L("local0", "slapd", "daemon: shutdown requested and initiated.", h.dpid("slapd", t))
            L("local0", "slapd", "slapd stopped.", h.dpid("slapd", t))
    sp = h.dpid("sshd", t)
    L("daemon", "systemd", "Stopping " + U(*osp["ssh_unit"]) + "...", 1)
    L(h.fac_auth(), "sshd", "Received signal 15; terminating.", sp)
    if h.snmp:
        L("daemon", "systemd", "Stopping " + U("snmpd.service", "Simple Network Management Protocol (SNMP) Daemon.") + "...", 1)
    if osp["chrony"]:
        L("daemon", "systemd", "Stopping " + (U("chrony.service", "chrony, an NTP client/server") if deb else U("chronyd.service", "NTP client/server")) + "...", 1)
        L("daemon", "chronyd", "chronyd exiting", h.dpid("chronyd", t))
    L("daemon", "systemd", "Stopping " + U("systemd-logind.service", "User Login Management" if osp["systemd"] >= 250 else "Login Service") + "...", 1)
    for name, desc in [osp["cron_unit"]] + svcs:
        if osp["systemd"] >= 248 or osp["family"] == "debian":
            L("daemon", "systemd", f"{name}: {osp['succeeded']}", 1)
        L("daemon", "systemd", "Stopped " + U(name, desc) + ".", 1, rng.uniform(0.05, 0.6))
    if not h.journal:
        L("daemon", "systemd", "Stopping " + U("rsyslog.service", "System Logging Service") + "...", 1)
    rp = h.dpid("rsyslogd", t)
    if not h.journal:
        L("syslog", "rsyslogd", f'[origin software="rsyslogd" swVersion="{osp["rsyslog"]}" x-pid="{rp}" x-info="https://www.rsyslog.com"] exiting on signal 15.',
          rp if osp["rsyslog_pid"] else None, 0.1)
    else:
        # journald keeps going to the end
        L("daemon", "systemd", f"{U('ssh.service', 'OpenBSD Secure Shell server').split(' - ')[0]}: {osp['succeeded']}", 1)
        L("daemon", "systemd", "Stopped " + U("systemd-logind.service", "User Login Management") + ".", 1)
        L("daemon", "systemd", "Stopped target " + U("network.target", "Network") + ".", 1)
        L("daemon", "systemd", "Stopped target " + U("sysinit.target", "System Initialization") + ".", 1)
        L("daemon", "systemd", "Reached target " + U("umount.target", "Unmount All Filesystems") + ".", 1, 0.4)
        L("daemon", "systemd", "Reached target " + U("shutdown.target", "System Shutdown") + ".", 1)
        L("daemon", "systemd", "Reached target " + U("final.target", "Late Shutdown Services") + ".", 1)
        L("daemon", "systemd", "Finished " + U("systemd-poweroff.service", "System Power Off") + ".", 1)
        L("daemon", "systemd", "Reached target " + U("poweroff.target", "System Power Off") + ".", 1)
        L("daemon", "systemd", "Shutting down.", 1)
        jp = h.dpid("systemd-journald", t)
        L("syslog", "systemd-journald", "Received SIGTERM from PID 1 (systemd-shutdow).", jp)
        L("syslog", "systemd-journald", "Journal stopped", jp)
    for x in lines:
        h.log(x[0], x[1], x[2], x[4], x[3])
    end = c[0] + rng.uniform(3, 9)    # the machine powers off a bit later
    h.end_boot(end, "orderly")
    h.boots[-1]["shutdown_t"] = t
    return end


# --------------------------------------------------------------------------
# Log rotation: logrotate runs daily (systemd timer at midnight on Debian and
# RHEL 9, anacron's cron.daily after 03:00 on RHEL 8); a run that was missed
# while the host was down happens shortly after the next boot.

def plan_rotations(h):
    """Turn the rotation schedule into events and h.rot (true times of the
    HUP that switches files)."""
    rng = h.rng
    site = h.site
    osp = h.osp
    U = h.unit
    rot = []
    boots_seen = set()
    for d in days(site.t0, h.collect_t, h.zone):
        if h.os == "rhel8":
            nominal = d + 3 * 3600 + 60 + rng.uniform(9, 48) * 60
        else:
            nominal = d + rng.uniform(0, 50) * 60
        if d <= site.t0 < d + 86400:
            continue
        if nominal >= h.collect_t:
            break
        b = h.up_at(nominal)
        ok = b is not None and nominal > b.get("t_ready", b["t0"]) and \
            nominal < b.get("shutdown_t", b["end"]) - 60
        if ok:
            rot.append(nominal)
            continue
        # missed: the next boot catches up (once)
        for nb in h.boots:
            if nb["t0"] > nominal and id(nb) not in boots_seen:
                boots_seen.add(id(nb))
                delay = rng.uniform(300, 2700) if h.os == "rhel8" else rng.uniform(40, 200)
                t = nb["t_ready"] + delay
                if t < min(nb["end"], h.collect_t) - 30 and (not rot or t > rot[-1] + 3600):
                    rot.append(t)
                break
    rot = sorted(set(rot))
    h.rot = rot
    rp_name = "rsyslogd"
    for t in rot:
        rp = h.dpid(rp_name, t)
        hup = (f'[origin software="rsyslogd" swVersion="{osp["rsyslog"]}" x-pid="{rp}" '
               f'x-info="https://www.rsyslog.com"] rsyslogd was HUPed')
        tag_pid = rp if osp["rsyslog_pid"] else None
        if h.os == "rhel8":
            ap = h.newpid()
            rpp = h.newpid()
            h.log(t - 0.6, "cron", "anacron", "Job `cron.daily' started", ap)
            h.log(t - 0.5, "cron", "run-parts", "(/etc/cron.daily) starting logrotate", rpp)
            h.log(t + 0.02, "syslog", "rsyslogd", hup, tag_pid)
            h.log(t + 0.4, "cron", "run-parts", "(/etc/cron.daily) finished logrotate", rpp)
            h.log(t + 0.5, "cron", "anacron", "Job `cron.daily' terminated", ap)
        else:
            h.log(t - 0.4, "daemon", "systemd", "Starting " + U("logrotate.service", "Rotate log files") + "...", 1)
            if not h.journal:
                h.log(t + 0.02, "syslog", "rsyslogd", hup, tag_pid)
            h.log(t + 0.06, "daemon", "systemd", f"logrotate.service: {osp['succeeded']}", 1)
            h.log(t + 0.07, "daemon", "systemd",
                  ("Finished " if osp["finished"] else "Started ") + U("logrotate.service", "Rotate log files") + ".", 1)
    # the first file of the evidence starts at a rotation too
    if not h.journal:
        t = site.t0 + rng.uniform(0, 50) * 60 if h.os != "rhel8" else site.t0
        b = h.up_at(t)
        if b is not None:
            rp = h.dpid(rp_name, t)
            h.log(t, "syslog", "rsyslogd",
                  f'[origin software="rsyslogd" swVersion="{osp["rsyslog"]}" x-pid="{rp}" '
                  f'x-info="https://www.rsyslog.com"] rsyslogd was HUPed',
                  rp if osp["rsyslog_pid"] else None)
            h.first_t = t
        else:
            h.first_t = site.t0
    else:
        h.first_t = site.t0


# --------------------------------------------------------------------------
# Writers

def ts_iso(tl, zone):
    d = local(tl, zone)
    off = d.utcoffset()
    s = int(off.total_seconds())
    sign = "+" if s >= 0 else "-"
    s = abs(s)
    us = int(round((tl - int(tl)) * 1e6)) % 1000000
    return (d.strftime("%Y-%m-%dT%H:%M:%S") + f".{us:06d}"
            + f"{sign}{s // 3600:02d}:{(s % 3600) // 60:02d}")


def ts_3164(tl, zone):
    d = local(tl, zone)
    return f"{MON[d.month - 1]} {d.day:2d} {d.strftime('%H:%M:%S')}"


def route(h, fac):
    """The file(s) rsyslog writes a facility to."""
    if h.osp["family"] == "debian":
        out = []
        if fac in ("auth", "authpriv"):
            out.append("auth.log")
        else:
            out.append("syslog")
        if fac == "kern":
            out.append("kern.log")
        if fac == "mail":
            out.append("mail.log")
        return out
    if fac == "authpriv":
        return ["secure"]
    if fac == "cron":
        return ["cron"]
    if fac == "mail":
        return ["maillog"]
    return ["messages"]


def finalize(h):
    """Sort events, assign pids, drop what never reached the disk."""
    ev = sorted(h.ev, key=lambda e: (e[0], e[1]))
    out = []
    pid_of = {}
    bi = -1
    counter = 0
    boots = h.boots
    sent = []
    for e in ev:
        t = e[0]
        if t > h.collect_t or t < h.first_t:
            continue
        b = h.boot_at(t)
        if b is None or t >= b["end"]:
            if os.environ.get("GEN_DEBUG"):
                print("   dropped", h.name, local(t, h.zone), e[3], e[5][:80], file=sys.stderr)
            continue
        if b["kind"] == "abrupt" and t > b["end"] - b["lost"] and not (h.journal and e[6] <= 2):
            if t < b["end"] - 0.5:
                sent.append((t, e[2], e[3], e[4], e[5], e[6], b))
            continue
        i = boots.index(b)
        if i != bi:
            bi = i
            counter = b["pid_start"]
        pid = e[4]
        if isinstance(pid, tuple):
            if pid not in pid_of:
                counter += h.rng.randint(1, 37)
                pid_of[pid] = counter
            pid = pid_of[pid]
        out.append((t, e[2], e[3], pid, e[5], e[6], b))
        sent.append(out[-1])
    # sub-millisecond spread so that high-precision stamps do not look
    # computed; order within the host is kept
    last = None
    for i, e in enumerate(out):
        t = e[0] + h.rng.random() * 0.0009
        if last is not None and t <= last:
            t = last + 0.000001
        last = t
        out[i] = (t,) + e[1:]
    # pids of the lines that only the remote copy has
    sent = [x if not isinstance(x[3], tuple) else (x[0], x[1], x[2], pid_of.get(x[3], counter + 7), x[4], x[5], x[6])
            for x in sent]
    sent.sort(key=lambda x: x[0])
    h.sent = sent
    return out


def compress(data, kind, mtime):
    if kind == "gz":
        bio = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=bio, mtime=int(mtime),
                           compresslevel=6) as g:
            g.write(data)
        b = bytearray(bio.getvalue())
        b[9] = 3                      # OS = Unix, as gzip(1) writes it
        return bytes(b)
    if kind == "xz":
        return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=6)
    if kind == "bz2":
        return bz2.compress(data, 9)
    raise ValueError(kind)


def rotated_members(lines, rot, base, family, kind, skew, zone, prefix="var/log/",
                    truncate=0):
    """Split one stream at the rotation times (skipping empty periods, as
    logrotate's notifempty does) and name the pieces the way logrotate does:
    Debian numbers them (syslog, syslog.1, syslog.2.gz ...), RHEL appends the
    date of the rotation (messages-20240804). Returns {path: (bytes, mtime)}
    and the uncompressed size."""
    out = {}
    raw = 0
    segs = [[]]
    ri = 0
    for t, line in lines:
        while ri < len(rot) and t >= rot[ri]:
            if segs[-1]:
                segs[-1].append(("rot", rot[ri]))
                segs.append([])
            ri += 1
        segs[-1].append((t, line))
    segs = [sg for sg in segs if any(x[0] != "rot" for x in sg)]
    n = len(segs)
    for i, sg in enumerate(segs):
        age = n - 1 - i
        body = [x for x in sg if x[0] != "rot"]
        text = "\n".join(x[1] for x in body) + "\n"
        mtime = int(body[-1][0] + skew) + 1
        if family == "debian":
            if age == 0:
                name, k = base, None
            elif age == 1:
                name, k = base + ".1", None
            else:
                name, k = f"{base}.{age}.{kind}", kind
        else:
            if age == 0:
                name, k = base, None
            else:
                rt = sg[-1][1] if sg[-1][0] == "rot" else body[-1][0]
                stamp = local(rt + skew, zone).strftime("%Y%m%d")
                name, k = (f"{base}-{stamp}", None) if kind == "none" else (f"{base}-{stamp}.{kind}", kind)
        data = text.encode()
        raw += len(data)
        if age == 0 and truncate:
            data = data[:-1 - truncate]
        if k:
            data = compress(data, k, mtime)
        out[prefix + name] = (data, mtime)
    return out, raw


def render(h, e, fmt=None, zone=None, frac=True):
    t, prog, pid, msg = e[0], e[2], e[3], e[4]
    tl = t + h.skew
    fmt = fmt or h.fmt
    zone = zone or h.zone
    if fmt == "iso":
        ts = ts_iso(tl, zone)
        if not frac:
            ts = ts[:19] + ts[26:]
    else:
        ts = ts_3164(tl, zone)
    tag = prog if pid is None else f"{prog}[{pid}]"
    return f"{ts} {h.name} {tag}: {msg}"


def write_host(h, outdir):
    ev = h.final
    members = {}          # path -> (bytes, mtime)
    rawsize = 0
    if h.journal:
        members.update(journal_json(h, ev))
        rawsize = sum(len(m[0]) for m in members.values())
    else:
        streams = {}
        gaps = getattr(h, "local_gaps", [])
        for e in ev:
            line = render(h, e)
            for s in route(h, e[1]):
                if any(a <= e[0] < b and s in ss for a, b, ss in gaps):
                    continue
                streams.setdefault(s, []).append((e[0], line))
        for s, lines in sorted(streams.items()):
            m, raw = rotated_members(lines, h.rot, s, h.osp["family"], h.compress, h.skew, h.zone,
                                     truncate=h.truncate_last if s in ("syslog", "messages") else 0)
            members.update(m)
            rawsize += raw
    for path, (data, mt, raw) in h.extra_files.items():
        members[path] = (data, mt)
        rawsize += raw
    # the archive the operator made
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for path in sorted(members):
            data, mt = members[path]
            ti = tarfile.TarInfo(path)
            ti.size = len(data)
            ti.mtime = int(mt)
            if h.osp["family"] == "debian":
                ti.mode, ti.uid, ti.gid, ti.uname, ti.gname = 0o640, 0, 4, "root", "adm"
            else:
                ti.mode, ti.uid, ti.gid, ti.uname, ti.gname = 0o600, 0, 0, "root", "root"
            tf.addfile(ti, io.BytesIO(data))
    raw = bio.getvalue()
    ct = int(h.archive_t if getattr(h, "archive_t", None) else h.collect_t + 5)
    if h.archive == "tar.gz":
        data = compress(raw, "gz", ct)
    elif h.archive == "tar.xz":
        data = compress(raw, "xz", ct)
    else:
        raise ValueError(h.archive)
    path = os.path.join(outdir, f"{h.name}.{h.archive}")
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (ct, ct))
    return rawsize, len(ev)


PRIO_FAC = {"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4,
            "syslog": 5, "cron": 9, "authpriv": 10, "local0": 16}


def journal_json(h, ev):
    """journalctl -o json (systemd 252: compact objects, one per line)."""
    out = []
    seqnum = h.rng.randint(300000, 900000)
    seq_ids = {}
    for t, fac, prog, pid, msg, prio, b in ev:
        tl = t + h.skew
        rt = int(round(tl * 1e6))
        mono = int(round((t - b["t0"]) * 1e6))
        sid = seq_ids.setdefault(b["boot_id"], hexid(h.rng, 32))
        seqnum += 1
        cur = f"s={sid};i={seqnum:x};b={b['boot_id']};m={mono:x};t={rt:x};x={hexid(h.rng, 16)}"
        o = {"__CURSOR": cur, "__REALTIME_TIMESTAMP": str(rt),
             "__MONOTONIC_TIMESTAMP": str(mono), "_BOOT_ID": b["boot_id"]}
        if prog == "kernel":
            o.update({"_TRANSPORT": "kernel", "PRIORITY": str(prio),
                      "SYSLOG_FACILITY": "0", "SYSLOG_IDENTIFIER": "kernel",
                      "_SOURCE_MONOTONIC_TIMESTAMP": str(max(0, mono - 1200))})
        else:
            tr = "journal" if prog in ("systemd", "systemd-logind", "systemd-journald") else "syslog"
            if prog == "systemd-journald":
                tr = "driver"
            o.update({"_TRANSPORT": tr, "PRIORITY": str(prio),
                      "SYSLOG_FACILITY": str(PRIO_FAC.get(fac, 3)),
                      "SYSLOG_IDENTIFIER": prog})
            if pid is not None:
                o["_PID"] = str(pid)
        o["_HOSTNAME"] = h.name
        o["_MACHINE_ID"] = h.machine_id
        o["MESSAGE"] = msg
        out.append(json.dumps(o, separators=(",", ":"), ensure_ascii=False))
    text = ("\n".join(out) + "\n").encode()
    last = ev[-1][0] + h.skew
    return {f"{h.name}-journal.json": (text, int(last) + 60)}


# --------------------------------------------------------------------------
# Background: what a datacenter logs when nothing is wrong.

def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, lam ** 0.5))))
    import math
    L = math.exp(-lam)
    k, p = 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def work_weight(t, tz, profile="office"):
    """Relative activity: hospital offices are busy on weekdays 8-18."""
    d = local(t, tz)
    hr = d.hour + d.minute / 60
    wkend = d.weekday() >= 5
    if profile == "flat":
        return 1.0
    if profile == "care":      # clinical: 24/7 with a day peak
        base = 1.0 if 7 <= hr < 20 else 0.35
        return base * (0.7 if wkend else 1.0)
    if 8 <= hr < 18.5:
        return 0.25 if wkend else 1.0
    if 7 <= hr < 8 or 18.5 <= hr < 21:
        return 0.08 if wkend else 0.35
    return 0.03


def up_windows(h, t_from=None, t_to=None):
    """Intervals where the host is up and its services run."""
    out = []
    for b in h.boots:
        a = max(b.get("t_ready", b["t0"]), h.site.t0 if t_from is None else t_from)
        e = min(b.get("shutdown_t", b["end"]), h.collect_t if t_to is None else t_to)
        if b["kind"] == "abrupt":
            e = min(e, b["end"])
        if e > a:
            out.append((a, e))
    return out


def events_in(h, rate_per_hour, profile="office", t_from=None, t_to=None, bin_s=600):
    """Times of a Poisson process with a working-hours profile."""
    rng = h.rng
    out = []
    for a, e in up_windows(h, t_from, t_to):
        t = a
        while t < e:
            nb = min(bin_s, e - t)
            lam = rate_per_hour * nb / 3600 * work_weight(t, h.zone, profile)
            for _ in range(poisson(rng, lam)):
                out.append(t + rng.random() * nb)
            t += nb
    out.sort()
    return out


def every(h, first_offset, period, jitter=0.0, t_from=None, t_to=None):
    """Periodic times aligned on the local clock (cron-like)."""
    out = []
    for a, e in up_windows(h, t_from, t_to):
        d0 = day_floor(a, h.zone)
        t = d0 + first_offset
        while t < a:
            t += period
        while t < e:
            out.append(t + (h.rng.uniform(0, jitter) if jitter else 0))
            t += period
    return out


def bg_cron(h):
    rng = h.rng
    fa = h.fac_auth()
    deb = h.osp["family"] == "debian"
    pam_o = ("session opened for user {u}(uid={uid}) by (uid=0)" if h.osp["pam_new"]
             else "session opened for user {u} by (uid=0)")

    def job(t, user, uid, cmd):
        p = h.newpid()
        svc = "cron" if deb else "crond"
        tag = "CRON" if deb else "CROND"
        h.log(t, fa, tag, f"pam_unix({svc}:session): " + pam_o.format(u=user, uid=uid), p)
        h.log(t + 0.001, "cron", tag, f"({user}) CMD ({cmd})", p)
        h.log(t + rng.uniform(0.02, 2.5), fa, tag, f"pam_unix({svc}:session): session closed for user {user}", p)

    if deb:
        for t in every(h, 17 * 60, 3600):
            job(t + rng.uniform(0, 0.9), "root", 0, "   cd / && run-parts --report /etc/cron.hourly")
        for t in every(h, 5 * 60, 600):
            job(t + rng.uniform(0, 0.9), "root", 0, "command -v debian-sa1 > /dev/null && debian-sa1 1 1")
        for t in every(h, 23 * 3600 + 59 * 60, 86400):
            job(t + rng.uniform(0, 0.9), "root", 0, "command -v debian-sa1 > /dev/null && debian-sa1 60 2")
        for t in every(h, 6 * 3600 + 25 * 60, 86400):
            job(t + rng.uniform(0, 0.9), "root", 0, "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }")
        if "php" in h.roles:
            for t in every(h, 9 * 60, 1800):
                job(t + rng.uniform(0, 0.9), "root", 0, "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi")
        if h.roles & {"app", "tomcat"}:
            for t in every(h, 2 * 60, 900):
                job(t + rng.uniform(0, 0.9), "app", 1002, "/opt/app/bin/batch-queue.sh >/dev/null 2>&1")
    else:
        for t in every(h, 60, 3600):
            t += rng.uniform(0, 0.9)
            job(t, "root", 0, "run-parts /etc/cron.hourly")
            rp = h.newpid()
            h.log(t + 0.01, "cron", "run-parts", "(/etc/cron.hourly) starting 0anacron", rp)
            h.log(t + 0.05, "cron", "run-parts", "(/etc/cron.hourly) finished 0anacron", rp)
        for t in every(h, 10 * 60, 600):
            u = h.unit("sysstat-collect.service", "system activity accounting tool")
            h.log(t, "daemon", "systemd", f"Starting {u}...", 1)
            h.log(t + 0.03, "daemon", "systemd", f"sysstat-collect.service: {h.osp['succeeded']}", 1)
            h.log(t + 0.03, "daemon", "systemd", ("Finished " if h.osp["finished"] else "Started ") + u + ".", 1)
        if "postgres" in h.roles:
            for t in every(h, 1 * 3600 + 30 * 60, 86400):
                job(t + rng.uniform(0, 0.9), "postgres", 26, "/usr/local/bin/pg_backup.sh >/dev/null 2>&1")


def bg_timers(h):
    rng = h.rng
    U = h.unit
    fin = "Finished " if h.osp["finished"] else "Started "

    def oneshot(t, name, desc, extra=None):
        h.log(t, "daemon", "systemd", "Starting " + U(name, desc) + "...", 1)
        if extra:
            h.log(t + 0.3, "daemon", extra[0], extra[1], h.newpid())
        d = rng.uniform(0.05, 9)
        h.log(t + d, "daemon", "systemd", f"{name}: {h.osp['succeeded']}", 1)
        h.log(t + d + 0.001, "daemon", "systemd", fin + U(name, desc) + ".", 1)

    if h.osp["family"] == "debian":
        for t in every(h, 6 * 3600, 12 * 3600, jitter=5 * 3600):
            oneshot(t, "apt-daily.service", "Daily apt download activities")
        for t in every(h, 6 * 3600, 86400, jitter=3600):
            oneshot(t, "apt-daily-upgrade.service", "Daily apt upgrade and clean activities")
        for t in every(h, 0, 86400, jitter=3600 * 5):
            oneshot(t + 60, "man-db.service", "Daily man-db regeneration")
        if h.os == "deb12":
            for t in every(h, 0, 86400, jitter=60):
                oneshot(t + 1, "dpkg-db-backup.service", "Daily dpkg database backup service")
        if "php" in h.roles:
            for t in every(h, 9 * 60, 1800, jitter=30):
                oneshot(t, "phpsessionclean.service", "Clean php session files")
    else:
        for t in every(h, 40 * 60, 3600 * 1.3, jitter=900):
            oneshot(t, "dnf-makecache.service", "dnf makecache", ("dnf", "Metadata cache refreshed recently."))
    for b in h.boots:
        if b.get("preexisting"):
            continue
        t = b["t_ready"] + 15 * 60 + rng.uniform(0, 20)
        if t < min(b.get("shutdown_t", b["end"]), h.collect_t):
            oneshot(t, "systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories")
    # OnUnitActiveSec=1d: once a day, at the hour the host happened to boot
    for t in every(h, h.tmpfiles_offset, 86400, jitter=60):
        oneshot(t, "systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories")


def bg_snmp(h):
    site = h.site
    mon = site.hosts.get(site.monitor) if getattr(site, "monitor", None) else None
    if not h.snmp or mon is None:
        return
    mip = mon.ip
    for t in every(h, 3 * 60 + h.rng.uniform(0, 60), 300, jitter=2):
        if mon.up_at(t) is None or mon is h and False:
            continue
        b = mon.up_at(t)
        if b is None or t < b.get("t_ready", b["t0"]) or t > b.get("shutdown_t", b["end"]):
            continue
        h.log(t, "daemon", "snmpd", f"Connection from UDP: [{mip}]:{h.rng.randint(33000, 60999)}->[{h.ip}]:161", h.dpid("snmpd", t))


def bg_time(h):
    rng = h.rng
    if h.osp["chrony"]:
        if getattr(h, "no_ntp", False):
            for t in every(h, rng.uniform(0, 3600), 3600 * rng.uniform(3, 7)):
                h.log(t, "daemon", "chronyd", "Can't synchronise: no selectable sources", h.dpid("chronyd", t))
        else:
            for t in events_in(h, 1 / 30.0, "flat", bin_s=3600):
                src = rng.choice(h.site.ntp)
                h.log(t, "daemon", "chronyd", f"Selected source {src}" + (f" ({h.site.ntp_name})" if h.osp["family"] == "debian" and src == h.site.ntp[0] else ""), h.dpid("chronyd", t))
    else:
        for t in every(h, rng.uniform(0, 3600), 3600 * rng.uniform(5, 9)):
            p = h.dpid("ntpd", t) + 2
            if getattr(h, "no_ntp", False):
                h.log(t, "daemon", "ntpd", "no servers can be used, system clock unsynchronized", p)


def bg_kernel(h):
    rng = h.rng
    for t in events_in(h, 1 / 20.0, "flat", bin_s=3600):
        b = h.boot_at(t)
        up = t - b["t0"]
        msg = rng.choice([
            f"perf: interrupt took too long ({rng.randint(2501, 3900)} > 2500), lowering kernel.perf_event_max_sample_rate to {rng.choice([79750, 63750, 50000])}",
            "TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters." if h.inet else
            f"hrtimer: interrupt took {rng.randint(10000, 90000)} ns",
        ])
        h.log(t, "kern", "kernel", kline(h, up, msg), prio=4)
    if h.inet:
        for t in events_in(h, 14, "flat"):
            b = h.boot_at(t)
            src = rand_public_ip(rng)
            dpt = rng.choice([23, 445, 3389, 5900, 8080, 1433, 3306, 6379, 2323, 81, 8443, 5060])
            msg = (f"[UFW BLOCK] IN=eno1 OUT= MAC={h.mac}:{hexid(rng, 2)}:{hexid(rng, 2)}:{hexid(rng, 2)}:{hexid(rng, 2)}:{hexid(rng, 2)}:{hexid(rng, 2)}:08:00 "
                   f"SRC={src} DST={h.public_ip} LEN={rng.choice([40, 44, 52, 60])} TOS=0x00 PREC=0x00 TTL={rng.randint(40, 245)} "
                   f"ID={rng.randint(1, 65535)} PROTO=TCP SPT={rng.randint(1024, 65535)} DPT={dpt} WINDOW={rng.choice([1024, 29200, 65535])} RES=0x00 SYN URGP=0")
            h.log(t, "kern", "kernel", kline(h, t - b["t0"], msg), prio=4)


def rand_public_ip(rng):
    while True:
        a = rng.choice([5, 23, 31, 37, 45, 46, 58, 59, 61, 77, 78, 80, 85, 89, 91, 92,
                        93, 103, 104, 106, 107, 109, 110, 111, 112, 114, 116, 117, 118,
                        119, 121, 122, 123, 124, 125, 134, 138, 139, 141, 143, 146, 150,
                        151, 154, 157, 159, 160, 161, 162, 164, 165, 167, 170, 171, 175,
                        176, 178, 179, 180, 181, 182, 183, 185, 186, 187, 188, 189, 190,
                        191, 193, 194, 195, 196, 197, 200, 201, 202, 210, 211, 212, 213,
                        217, 218, 220, 221, 222])
        ip = f"{a}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        return ip


SCAN_USERS = ["admin", "test", "user", "ubuntu", "oracle", "postgres", "git", "ftpuser",
              "guest", "support", "pi", "deploy", "hadoop", "test1", "jenkins", "dev",
              "www", "mysql", "nagios", "centos", "debian", "administrator", "usuario",
              "steam", "ansible", "es", "elastic", "ftp", "tomcat", "sysadmin", "web",
              "vagrant", "docker", "minecraft", "student", "server", "demo", "odoo",
              "zabbix", "backup", "test2", "ubnt", "operator", "oracle1", "teamspeak",
              "mongodb", "redis", "sftp", "kafka", "user1", "hdfs", "www-data", "config",
              "dolphinscheduler", "solana", "sol", "validator", "ethereum", "node"]


def ssh_attempt(h, t, ip, kind, user=None, tries=1):
    """One scanner connection to sshd, as OpenSSH 8/9 and pam_unix log it."""
    rng = h.rng
    fa = h.fac_auth()
    p = h.newpid()
    port = rng.randint(1024, 65535)
    c = [t]

    def L(msg, d=None):
        c[0] += d if d is not None else rng.uniform(0.05, 2.5)
        h.log(c[0], fa, "sshd", msg, p)

    c[0] -= 0.05
    if kind == "invalid":
        u = user or rng.choice(SCAN_USERS)
        L(f"Invalid user {u} from {ip} port {port}", 0.3)
        for i in range(tries):
            if h.osp["family"] == "debian":
                L("pam_unix(sshd:auth): check pass; user unknown")
            L(f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}", 0.001)
            L(f"Failed password for invalid user {u} from {ip} port {port} ssh2", rng.uniform(1.5, 3.5))
        if tries >= 6:
            L(f"error: maximum authentication attempts exceeded for invalid user {u} from {ip} port {port} ssh2 [preauth]")
            L(f"Disconnecting invalid user {u} {ip} port {port}: Too many authentication failures [preauth]", 0.001)
            L(f"PAM {tries - 1} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}", 0.001)
        elif rng.random() < 0.7:
            L(f"Received disconnect from {ip} port {port}:11: Bye Bye [preauth]")
            L(f"Disconnected from invalid user {u} {ip} port {port} [preauth]", 0.001)
        else:
            L(f"Connection closed by invalid user {u} {ip} port {port} [preauth]")
    elif kind == "root":
        for i in range(tries):
            L(f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user=root", 0.4 if i == 0 else None)
            L(f"Failed password for root from {ip} port {port} ssh2", rng.uniform(1.5, 3.5))
        if tries >= 6:
            L(f"error: maximum authentication attempts exceeded for root from {ip} port {port} ssh2 [preauth]")
            L(f"Disconnecting authenticating user root {ip} port {port}: Too many authentication failures [preauth]", 0.001)
            L(f"PAM {tries - 1} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user=root", 0.001)
        elif rng.random() < 0.6:
            L(f"Received disconnect from {ip} port {port}:11: Bye Bye [preauth]")
            L(f"Disconnected from authenticating user root {ip} port {port} [preauth]", 0.001)
        else:
            L(f"Connection closed by authenticating user root {ip} port {port} [preauth]")
    elif kind == "kex":
        L("error: kex_exchange_identification: Connection closed by remote host", 0.2)
        L(f"Connection closed by {ip} port {port}", 0.001)
    elif kind == "kexreset":
        L("error: kex_exchange_identification: read: Connection reset by peer", 0.2)
        L(f"Connection reset by {ip} port {port}", 0.001)
    elif kind == "banner":
        L(f"banner exchange: Connection from {ip} port {port}: invalid format", 0.2)
    elif kind == "nego":
        L(f"Unable to negotiate with {ip} port {port}: no matching host key type found. Their offer: ssh-rsa,ssh-dss [preauth]", 0.5)
    elif kind == "closed":
        L(f"Connection closed by {ip} port {port} [preauth]", 0.6)
    return c[0]


def bg_scanning(h, per_hour=10.0):
    """Internet SSH scanning: many sources, short visits, never a success."""
    rng = h.rng
    visits = events_in(h, per_hour, "flat", bin_s=900)
    pool = [rand_public_ip(rng) for _ in range(max(30, int(len(visits) * 0.6)))]
    for t in visits:
        ip = rng.choice(pool) if rng.random() < 0.5 else rand_public_ip(rng)
        style = rng.random()
        n = 1 if style < 0.55 else rng.randint(2, 6)
        for _ in range(n):
            r = rng.random()
            if r < 0.42:
                kind = "invalid"
            elif r < 0.68:
                kind = "root"
            elif r < 0.8:
                kind = "kex"
            elif r < 0.86:
                kind = "kexreset"
            elif r < 0.9:
                kind = "banner"
            elif r < 0.95:
                kind = "nego"
            else:
                kind = "closed"
            if h.up_at(t) is None:
                break
            t = ssh_attempt(h, t, ip, kind) + rng.uniform(1, 40)


def ssh_login(h, t, user, src, key="ED25519", method="publickey"):
    """An accepted ssh login with its PAM and logind lines; returns the
    session for sudo() and ssh_logout()."""
    rng = h.rng
    fa = h.fac_auth()
    uid = h.site.uids.get(user, 1001)
    sess = dict(user=user, src=src, uid=uid, p=h.newpid(), p2=h.newpid(),
                port=rng.randint(40000, 65000), n=h.new_session(),
                lp=h.dpid("systemd-logind", t))
    fp = h.site.keys.setdefault(user, b64ish(random.Random("key/" + user), 43))
    if method == "publickey":
        h.log(t, fa, "sshd", f"Accepted publickey for {user} from {src} port {sess['port']} ssh2: {key} SHA256:{fp}", sess["p"])
    else:
        h.log(t, fa, "sshd", f"Accepted password for {user} from {src} port {sess['port']} ssh2", sess["p"])
    if h.osp["pam_new"]:
        h.log(t + 0.01, fa, "sshd", f"pam_unix(sshd:session): session opened for user {user}(uid={uid}) by (uid=0)", sess["p"])
    else:
        h.log(t + 0.01, fa, "sshd", f"pam_unix(sshd:session): session opened for user {user} by (uid=0)", sess["p"])
    n = sess["n"]
    h.log(t + 0.02, "auth", "systemd-logind", f"New session {n} of user {user}.", sess["lp"])
    if h.osp["combined"]:
        h.log(t + 0.03, "daemon", "systemd", f"Started session-{n}.scope - Session {n} of User {user}.", 1)
    else:
        h.log(t + 0.03, "daemon", "systemd", f"Started Session {n} of user {user}.", 1)
    return sess


def sudo(h, t, user, cmd, tty="pts/0", dur=None, runas="root"):
    """One sudo command as sudo and pam_unix log it; returns its end."""
    rng = h.rng
    fa = h.fac_auth()
    uid = h.site.uids.get(user, 1001)
    home = f"/home/{user}"
    h.log(t, fa, "sudo", f"{user:>8} : TTY={tty} ; PWD={home} ; USER={runas} ; COMMAND={cmd}")
    ruid = 0 if runas == "root" else h.site.uids.get(runas, 998)
    if h.osp["pam_new"]:
        h.log(t + 0.01, fa, "sudo", f"pam_unix(sudo:session): session opened for user {runas}(uid={ruid}) by {user}(uid={uid})")
    else:
        h.log(t + 0.01, fa, "sudo", f"pam_unix(sudo:session): session opened for user {runas} by {user}(uid={uid})")
    e = t + (dur if dur is not None else rng.uniform(0.3, 40))
    if dur != -1:
        h.log(e, fa, "sudo", f"pam_unix(sudo:session): session closed for user {runas}")
    return e


def ssh_logout(h, t, sess):
    fa = h.fac_auth()
    user, src, port, n, lp = sess["user"], sess["src"], sess["port"], sess["n"], sess["lp"]
    h.log(t, fa, "sshd", f"Received disconnect from {src} port {port}:11: disconnected by user", sess["p2"])
    h.log(t + 0.001, fa, "sshd", f"Disconnected from user {user} {src} port {port}", sess["p2"])
    h.log(t + 0.01, fa, "sshd", f"pam_unix(sshd:session): session closed for user {user}", sess["p"])
    h.log(t + 0.02, "auth", "systemd-logind", f"Session {n} logged out. Waiting for processes to exit.", lp)
    h.log(t + 0.03, "auth", "systemd-logind", f"Removed session {n}.", lp)
    if h.osp["family"] == "debian":
        h.log(t + 0.03, "daemon", "systemd", f"session-{n}.scope: {h.osp['succeeded']}", 1)


def admin_session(h, t, user, src, cmds=(), key="ED25519", method="publickey",
                  dur=None, tty="pts/0"):
    """An administrator logs in over ssh, runs a few sudo commands, leaves.
    A command is a string, or (delay, string); "-u USER cmd" runs as USER."""
    rng = h.rng
    t += rng.random()
    sess = ssh_login(h, t, user, src, key, method)
    c = t + rng.uniform(8, 60)
    for cmd in cmds:
        if isinstance(cmd, tuple):
            c += cmd[0]
            cmd = cmd[1]
        runas = "root"
        if cmd.startswith("-u "):
            runas, cmd = cmd[3:].split(" ", 1)
        if user != "root":
            c = sudo(h, c, user, cmd, tty=tty, runas=runas)
        c += rng.uniform(10, 180)
    end = max(c, t + (dur if dur else rng.uniform(120, 1500)))
    b = h.up_at(t)
    if b is not None and end >= min(b.get("shutdown_t", b["end"]), b["end"]) - 1:
        return end          # the session dies with the host
    ssh_logout(h, end, sess)
    return end


ROUTINE = {
    "any": ["/usr/bin/systemctl status {svc}", "/usr/bin/journalctl -u {svc} --since today",
            "/usr/bin/apt-get update", "/usr/bin/df -h", "/usr/bin/tail -n 200 /var/log/syslog",
            "/usr/bin/apt list --upgradable", "/usr/bin/free -m", "/usr/bin/ss -tlnp",
            "/usr/bin/du -sh /var/log", "/usr/sbin/lsof -i :443"],
    "rhel": ["/bin/systemctl status {svc}", "/bin/journalctl -u {svc} --since today",
             "/bin/dnf check-update", "/bin/df -h", "/bin/tail -n 200 /var/log/messages",
             "/bin/free -m", "/sbin/ss -tlnp"],
}


def bg_admin(h, per_day=0.7):
    rng = h.rng
    admins = h.site.admins
    svcs = [u[0].split(".")[0].replace("@-", "") for u in svc_table(h)] or ["cron"]
    # about per_day sessions on a working day (ten busy hours)
    for t in events_in(h, per_day / 10.0, "office", bin_s=1800):
        user, ws = rng.choice(admins)
        src = ws if rng.random() < 0.6 else h.site.bastion_ip
        pool = ROUTINE["rhel"] if h.osp["family"] == "rhel" else ROUTINE["any"]
        cmds = [rng.choice(pool).format(svc=rng.choice(svcs)) for _ in range(rng.randint(0, 4))]
        admin_session(h, t, user, src, cmds)


# Role chatter ------------------------------------------------------------

FIRST = ["a.martin", "c.bernard", "j.thomas", "m.petit", "n.robert", "s.richard",
         "l.durand", "p.dubois", "e.moreau", "c.laurent", "m.simon", "f.michel",
         "i.lefebvre", "v.leroy", "a.roux", "d.david", "b.bertrand", "h.morel",
         "k.fournier", "g.girard", "o.bonnet", "r.dupont", "t.lambert", "y.fontaine"]
SENDERS = [("mx1.labo-a.example.net", "192.0.2.41"), ("smtp.cpam.example.org", "192.0.2.77"),
           ("mail.clinique-b.example.com", "198.51.100.140"), ("out.newsletter.example.com", "198.51.100.201"),
           ("smtp2.mutuelle.example.org", "203.0.113.19"), ("mta.fournisseur.example.net", "203.0.113.152")]


def qid(rng):
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(10))


def host_up(site, name, t):
    o = site.hosts.get(name)
    if o is None:
        return True
    b = o.up_at(t)
    return b is not None and b.get("t_ready", b["t0"]) <= t < min(b.get("shutdown_t", b["end"]), b["end"])


def chat_spam(h, t):
    """Internet mail that the RBL turns away, and SASL guessing."""
    rng = h.rng
    site = h.site
    dom = site.mail_domain
    ip = rand_public_ip(rng)
    p = h.newpid()
    h.log(t, "mail", "postfix/smtpd", f"connect from unknown[{ip}]", p)
    if rng.random() < 0.25:
        h.log(t + 2.1, "mail", "postfix/smtpd", f"warning: unknown[{ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6", p)
        h.log(t + 2.5, "mail", "postfix/smtpd", f"lost connection after AUTH from unknown[{ip}]", p)
        h.log(t + 2.5, "mail", "postfix/smtpd", f"disconnect from unknown[{ip}] ehlo=1 auth=0/1 commands=1/2", p)
    else:
        u = rng.choice(FIRST)
        h.log(t + 1.2, "mail", "postfix/smtpd",
              f"NOQUEUE: reject: RCPT from unknown[{ip}]: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; "
              f"from=<{hexid(rng, 6)}@{rng.choice(['mail.example', 'example.com', 'qq.example', 'outlook.example'])}> to=<{u}@{dom}> proto=ESMTP helo=<{hexid(rng, 8)}>", p)
        h.log(t + 1.5, "mail", "postfix/smtpd", f"disconnect from unknown[{ip}] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4", p)


def chat_mailstore(h, t):
    rng = h.rng
    site = h.site
    dom = site.mail_domain
    u = rng.choice(FIRST)
    ws = f"{h.site.net}.{rng.randint(40, 59)}.{rng.randint(10, 250)}"
    sess = b64ish(rng, 16)
    r = rng.random()
    if r < 0.55:
        h.log(t, "mail", "dovecot", f"imap-login: Login: user=<{u}>, method=PLAIN, rip={ws}, lip={h.ip}, mpid={rng.randint(20000, 90000)}, TLS, session=<{sess}>")
        h.log(t + rng.uniform(30, 1800), "mail", "dovecot",
              f"imap({u})<{rng.randint(20000, 90000)}><{sess}>: Logged out in={rng.randint(100, 9000)} out={rng.randint(500, 900000)} deleted=0 expunged=0 trashed=0 hdr_count={rng.randint(0, 40)} hdr_bytes={rng.randint(0, 40000)} body_count={rng.randint(0, 9)} body_bytes={rng.randint(0, 300000)}")
    else:
        gw = site.mail_gw
        if not host_up(site, gw[0], t):
            return
        q = qid(rng)
        p = h.newpid()
        h.log(t, "mail", "postfix/smtpd", f"connect from {gw[0]}.{site.domain}[{gw[1]}]", p)
        h.log(t + 0.02, "mail", "postfix/smtpd", f"{q}: client={gw[0]}.{site.domain}[{gw[1]}]", p)
        h.log(t + 0.05, "mail", "postfix/qmgr", f"{q}: from=<noreply@labo-a.example.net>, size={rng.randint(2000, 300000)}, nrcpt=1 (queue active)", h.dpid("postfix/qmgr", t))
        h.log(t + 0.06, "mail", "postfix/smtpd", f"disconnect from {gw[0]}.{site.domain}[{gw[1]}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5", p)
        h.log(t + 0.12, "mail", "dovecot", f"lmtp({u})<{rng.randint(20000, 90000)}><{b64ish(rng, 22)}>: msgid=<{hexid(rng, 16)}@labo-a.example.net>: saved mail to INBOX")
        h.log(t + 0.13, "mail", "postfix/lmtp", f"{q}: to=<{u}@{dom}>, relay={h.name}.{site.domain}[private/dovecot-lmtp], delay=0.13, delays=0.05/0.01/0.01/0.06, dsn=2.0.0, status=sent (250 2.0.0 <{u}@{dom}> {b64ish(rng, 22)} Saved)", h.newpid(("lmtp", int(t // 3600))))
        h.log(t + 0.14, "mail", "postfix/qmgr", f"{q}: removed", h.dpid("postfix/qmgr", t))


def chat_asterisk(h, t):
    rng = h.rng
    p = h.dpid("asterisk", t)
    th = p + rng.randint(20, 400)
    cid = f"C-{rng.randint(0, 0xfffff):08x}"
    ext = rng.randint(2000, 2999)
    num = "0" + str(rng.randint(100000000, 799999999))
    ch = f"{rng.randint(0, 0xffff):08x}"
    h.log(t, "local0", "asterisk", f"VERBOSE[{th}][{cid}]: pbx.c:2950 pbx_extension_helper: Executing [{num}@from-internal:1] Dial(\"PJSIP/{ext}-{ch}\", \"PJSIP/{num}@trunk-sbc,60,Tt\") in new stack", p)
    if rng.random() < 0.7:
        h.log(t + rng.uniform(3, 25), "local0", "asterisk", f"VERBOSE[{th}][{cid}]: app_dial.c:1193 dial_exec_full: PJSIP/trunk-sbc-{rng.randint(0, 0xffff):08x} answered PJSIP/{ext}-{ch}", p)


def chat_hl7(h, t):
    rng = h.rng
    src = rng.choice(["LAB-BIO1", "LAB-BIO2", "LAB-ANAPATH"])
    dst = rng.choice(["MEDECIN-GW", "DPI-OUT", "ARCHIVE"])
    h.log(t, "local0", "hl7-router", f"INFO  [{src}->{dst}] ORU^R01 MSG{rng.randint(10000000, 99999999)} delivered in {rng.randint(8, 400)} ms (ACK AA)", h.dpid("hl7-router", t))


def chat_dpi(h, t):
    rng = h.rng
    doc = f"{hexid(rng, 8)}-{hexid(rng, 4)}-{hexid(rng, 4)}-{hexid(rng, 4)}-{hexid(rng, 12)}"
    kind = rng.choice(["CR-BIO", "CR-IMAGERIE", "LDL-SES", "CR-OPERATOIRE", "ORDONNANCE"])
    h.log(t, "local0", "dpi-connector", f"INFO  document {doc} ({kind}) published, status 201, {rng.randint(40, 900)} ms", h.dpid("dpi-connector", t))


UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36"]


def chat_nginx(h, t):
    rng = h.rng
    ip = f"{h.site.net}.{rng.randint(40, 59)}.{rng.randint(10, 250)}"
    d = local(t + h.skew, h.zone)
    off = int(d.utcoffset().total_seconds())
    clf = d.strftime("%d/") + MON[d.month - 1] + d.strftime("/%Y:%H:%M:%S ") + f"{'+' if off >= 0 else '-'}{abs(off) // 3600:02d}{(abs(off) % 3600) // 60:02d}"
    path = rng.choice(h.site.web_paths)
    st = rng.choices([200, 304, 302, 404], [80, 12, 5, 3])[0]
    h.log(t, "local0", "nginx", f'{ip} - - [{clf}] "GET {path} HTTP/1.1" {st} {rng.randint(200, 90000) if st == 200 else 0} "-" "{rng.choice(UAS)}"')


def chat_postgres(h, t):
    rng = h.rng
    p = h.dpid("postgres-checkpointer", t)
    k = h.__dict__.setdefault("pg_line", {}).get(p, 0) + 1
    h.pg_line[p] = k + 1
    now = local(t + h.skew, h.zone)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond // 1000:03d} " + now.strftime("%Z")
    h.log(t, "local0", "postgres", f"[{k}-1] {stamp} [{p}] LOG:  checkpoint starting: time", p)
    dur = rng.uniform(20, 270)
    now = local(t + dur + h.skew, h.zone)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond // 1000:03d} " + now.strftime("%Z")
    if h.up_at(t + dur):
        h.log(t + dur, "local0", "postgres", f"[{k + 1}-1] {stamp} [{p}] LOG:  checkpoint complete: wrote {rng.randint(10, 9000)} buffers ({rng.uniform(0.1, 9):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(0, 3)} recycled; write={dur - 0.05:.3f} s, sync=0.0{rng.randint(10, 99)} s, total={dur:.3f} s; sync files={rng.randint(5, 120)}, longest=0.00{rng.randint(1, 9)} s, average=0.001 s; distance={rng.randint(100, 90000)} kB, estimate={rng.randint(90000, 120000)} kB", p)


def chat_ldap(h, t):
    rng = h.rng
    p = h.dpid("slapd", t)
    conn = h.__dict__.setdefault("ldap_conn", rng.randint(10000, 90000)) + 1
    h.ldap_conn = conn
    ip = f"{h.site.net}.{rng.randint(1, 59)}.{rng.randint(10, 250)}"
    fd = rng.randint(12, 60)
    u = rng.choice(FIRST).replace(".", "")
    h.log(t, "local0", "slapd", f"conn={conn} fd={fd} ACCEPT from IP={ip}:{rng.randint(30000, 60000)} (IP=0.0.0.0:389)", p)
    h.log(t + 0.002, "local0", "slapd", f'conn={conn} op=0 BIND dn="uid={u},ou=people,dc=ghse,dc=local" method=128', p)
    h.log(t + 0.004, "local0", "slapd", f'conn={conn} op=0 BIND dn="uid={u},ou=people,dc=ghse,dc=local" mech=SIMPLE bind_ssf=0 ssf=256', p)
    h.log(t + 0.005, "local0", "slapd", f"conn={conn} op=0 RESULT tag=97 err=0 qtime=0.000011 etime=0.000{rng.randint(200, 999)} text=", p)
    h.log(t + 0.01, "local0", "slapd", f"conn={conn} op=1 UNBIND", p)
    h.log(t + 0.011, "local0", "slapd", f"conn={conn} fd={fd} closed", p)


def chat_dhcpd(h, t):
    rng = h.rng
    net = rng.randint(40, 59)
    ip = f"{h.site.net}.{net}.{rng.randint(20, 250)}"
    mac = ":".join(["00", "1b", "21"] + [hexid(rng, 2) for _ in range(3)])
    name = f"PC-{rng.choice(['ACC', 'URG', 'RAD', 'LAB', 'ADM', 'PHA', 'CHI'])}-{rng.randint(1, 60):02d}"
    p = h.dpid("dhcpd", t)
    h.log(t, "daemon", "dhcpd", f"DHCPREQUEST for {ip} from {mac} ({name}) via {h.site.net}.{net}.1", p)
    h.log(t + 0.001, "daemon", "dhcpd", f"DHCPACK on {ip} to {mac} ({name}) via {h.site.net}.{net}.1", p)


def chat_app(h, t):
    rng = h.rng
    p = h.dpid("tomcat9", t)
    d = local(t + h.skew, h.zone)
    stamp = f"{d.day:02d}-{MON[d.month - 1]}-{d.year} {d.strftime('%H:%M:%S')}.{d.microsecond // 1000:03d}"
    app = h.app_name
    h.log(t, "daemon", "tomcat9", f"{stamp} INFO [http-nio-8080-exec-{rng.randint(1, 40)}] fr.ghse.{app}.web.RequestLog.log {rng.choice(['GET', 'POST'])} /{app}/{rng.choice(['dossier', 'liste', 'recherche', 'export', 'saisie'])} {rng.choice([200, 200, 200, 302])} {rng.randint(12, 900)}ms", p)


def chat_vpn(h, t):
    rng = h.rng
    p = h.dpid("ovpn-server", t)
    u = rng.choice(FIRST).replace(".", "")
    ip = rand_public_ip(rng)
    port = rng.randint(1024, 65535)
    h.log(t, "daemon", "ovpn-server", f"{ip}:{port} [{u}] Peer Connection Initiated with [AF_INET]{ip}:{port}", p)
    vip = f"{h.site.net}.250.{rng.randint(20, 200)}"
    h.log(t + 0.2, "daemon", "ovpn-server", f"{u}/{ip}:{port} MULTI_sva: pool returned IPv4={vip}, IPv6=(Not enabled)", p)
    e = t + rng.uniform(600, 4 * 3600)
    if h.up_at(e):
        h.log(e, "daemon", "ovpn-server", f"{u}/{ip}:{port} SIGTERM[soft,remote-exit] received, client-instance exiting", p)


def vpn_session(h, t, user, ip, dur):
    rng = h.rng
    p = h.dpid("ovpn-server", t)
    port = rng.randint(1024, 65535)
    h.log(t, "daemon", "ovpn-server", f"{ip}:{port} [{user}] Peer Connection Initiated with [AF_INET]{ip}:{port}", p)
    vip = f"{h.site.net}.250.{rng.randint(2, 19)}"
    h.log(t + 0.2, "daemon", "ovpn-server", f"{user}/{ip}:{port} MULTI_sva: pool returned IPv4={vip}, IPv6=(Not enabled)", p)
    if h.up_at(t + dur):
        h.log(t + dur, "daemon", "ovpn-server", f"{user}/{ip}:{port} SIGTERM[soft,remote-exit] received, client-instance exiting", p)
    return vip


def bg_bacula(h):
    rng = h.rng
    site = h.site
    job = 8800 + rng.randint(0, 100)
    for t in every(h, 23 * 3600 + 5 * 60, 86400):
        p = h.dpid("bacula-dir", t)
        c = t
        for name in sorted(site.hosts):
            if name == h.name or not host_up(site, name, c):
                continue
            job += 1
            d = local(t, h.zone)
            jn = f"{name}.{d.strftime('%Y-%m-%d_%H.%M.%S')}_{job % 100:02d}"
            h.log(c, "daemon", "bacula-dir", f"ghse-dir JobId {job}: Start Backup JobId {job}, Job={jn}", p)
            c += rng.uniform(60, 700)
            if not h.up_at(c):
                return
            h.log(c, "daemon", "bacula-dir", f"ghse-dir JobId {job}: Bacula ghse-dir 9.6.7 (10Dec20): Termination: Backup OK", p)
            c += rng.uniform(2, 20)


def nagios_watch(h, watched, step=60, downtime=None):
    """Nagios on the monitoring host reports the hosts it watches. During a
    scheduled downtime (hosts, start, end) it logs the alerts but notifies
    nobody."""
    site = h.site
    rng = h.rng
    if downtime:
        for name in sorted(downtime[0]):
            h.log(downtime[1] + rng.uniform(0, 2), "daemon", "nagios4", f"HOST DOWNTIME ALERT: {name};STARTED; Host has entered a period of scheduled downtime")
            h.log(downtime[2] + rng.uniform(0, 2), "daemon", "nagios4", f"HOST DOWNTIME ALERT: {name};STOPPED; Host has exited from a period of scheduled downtime")
    for name in watched:
        quiet = bool(downtime) and name in downtime[0]
        o = site.hosts[name]
        state = "UP"
        for a, e in up_windows(h):
            t = a + rng.uniform(0, step)
            while t < e:
                b = o.up_at(t)
                up = b is not None and t >= b.get("t_ready", b["t0"]) - 60 and t < b.get("shutdown_t", b["end"]) + 5
                if not up and state == "UP":
                    state = "DOWN"
                    for i in (1, 2):
                        h.log(t + (i - 1) * 60, "daemon", "nagios4", f"HOST ALERT: {name};DOWN;SOFT;{i};PING CRITICAL - Packet loss = 100%")
                    if e > t + 120:
                        h.log(t + 120, "daemon", "nagios4", f"HOST ALERT: {name};DOWN;HARD;3;PING CRITICAL - Packet loss = 100%")
                        if not (quiet and downtime[1] <= t < downtime[2]):
                            h.log(t + 120.1, "daemon", "nagios4", f"HOST NOTIFICATION: astreinte-si;{name};DOWN;notify-host-by-sms;PING CRITICAL - Packet loss = 100%")
                elif up and state == "DOWN":
                    state = "UP"
                    h.log(t, "daemon", "nagios4", f"HOST ALERT: {name};UP;HARD;1;PING OK - Packet loss = 0%, RTA = 0.{rng.randint(10, 99)} ms")
                    if not (quiet and downtime[1] <= t < downtime[2]):
                        h.log(t + 0.1, "daemon", "nagios4", f"HOST NOTIFICATION: astreinte-si;{name};UP;notify-host-by-sms;PING OK - Packet loss = 0%, RTA = 0.{rng.randint(10, 99)} ms")
                t += step if state == "UP" else 60
            state = "UP"   # nagios restarts with its retained state


def background(h, chatter=None):
    """Everything routine, generated after the story has set up the boots."""
    bg_cron(h)
    bg_timers(h)
    bg_snmp(h)
    bg_time(h)
    bg_kernel(h)
    if "bacula" in h.roles:
        bg_bacula(h)
    if h.inet:
        bg_scanning(h, h.scan_rate)
    if chatter:
        for fn, rate, profile in chatter:
            for t in events_in(h, rate, profile):
                fn(h, t)
    if not getattr(h, "no_admin", False):
        bg_admin(h, getattr(h, "admin_rate", 0.6))


# --------------------------------------------------------------------------
# Power, BMC and access-control exports

def apc_events_text(entries, zone):
    """apcupsd 3.14.14 EVENTSFILE: '%Y-%m-%d %H:%M:%S %z  message'."""
    out = []
    for t, msg in sorted(entries, key=lambda x: x[0]):
        d = local(t, zone)
        out.append(d.strftime("%Y-%m-%d %H:%M:%S %z") + "  " + msg)
    return "\n".join(out) + "\n"


def nmc_text(entries, zone, skew=0.0):
    """APC NMC event.txt body: newest first, 'MM/DD/YYYY HH:MM:SS Device|System text 0xNNNN'."""
    out = []
    for t, cat, text, code in sorted(entries, key=lambda x: (x[0], x[3]), reverse=True):
        d = local(t + skew, zone)
        out.append(d.strftime("%m/%d/%Y %H:%M:%S") + f" {cat} {text} {code}")
    return "\n".join(out) + "\n"


def sel_text(entries, zone, skew=0.0, start_id=1):
    """ipmitool sel elist (1.8.18 layout): 'id | MM/DD/YYYY | HH:MM:SS | sensor | event | dir'."""
    out = []
    for i, (t, sensor, event, direction) in enumerate(sorted(entries, key=lambda x: x[0])):
        d = local(t + skew, zone)
        out.append(f"{start_id + i:4x} | {d.strftime('%m/%d/%Y')} | {d.strftime('%H:%M:%S')} | {sensor} | {event} | {direction}")
    return "\n".join(out) + "\n"


def pdu_csv(rows, zone, skew=0.0):
    out = ["Date,Time,Device,Outlet,Event,User,Interface"]
    for t, dev, outlet, event, user, iface in sorted(rows, key=lambda x: x[0]):
        d = local(t + skew, zone)
        out.append(f"{d.strftime('%Y-%m-%d')},{d.strftime('%H:%M:%S')},{dev},{outlet},{event},{user},{iface}")
    return "\r\n".join(out) + "\r\n"


def badge_csv(rows, zone):
    out = ["Timestamp,Door,Badge,Name,Result"]
    for t, door, badge, name, result in sorted(rows, key=lambda x: x[0]):
        d = local(t, zone)
        out.append(f"{d.strftime('%Y-%m-%d %H:%M:%S')},{door},{badge},{name},{result}")
    return "\r\n".join(out) + "\r\n"


NMC = {
    "onbatt": ("Device", "UPS: On battery power in response to an input power problem.", "0x0109"),
    "onbatt_rapid": ("Device", "UPS: On battery power in response to rapid change of input.", "0x0109"),
    "offbatt": ("Device", "UPS: No longer on battery power.", "0x010A"),
    "lowbatt": ("Device", "UPS: The battery power is too low to continue to support the load; "
                "the UPS will shut down if input power does not return to normal soon.", "0x010F"),
    "graceful_end": ("Device", "UPS: The graceful shutdown period has ended.", "0x014F"),
    "cmd_shutdown": ("Device", "UPS: Main outlet group, UPS Outlets, has been commanded to shutdown with on delay.", "0x0174"),
    "outlets_off": ("Device", "UPS: The power for the main outlet group, UPS Outlets, is now turned off.", "0x0135"),
    "output_off": ("Device", "UPS: The output power is turned off.", "0x0114"),
    "selftest_start": ("Device", "UPS: Self-Test started by management device.", "0x0137"),
    "selftest_pass": ("Device", "UPS: Self-Test passed.", "0x0105"),
    "comm_restored": ("Device", "UPS: Restored the local network management interface-to-UPS communication.", "0x0101"),
    "coldstart": ("System", "Network Interface coldstarted.", "0x0001"),
    "lowbatt_nofail": ("Device", "UPS: The battery power is too low to support the load; if power fails, "
                       "the UPS will be shut down immediately.", "0x0107"),
    "discharged_gone": ("Device", "UPS: A discharged battery condition no longer exists.", "0x0108"),
    "lowbatt_gone": ("Device", "UPS: A low battery condition no longer exists.", "0x0110"),
}


def nmc(t, key, ip=None):
    if key == "netstart":
        return (t, "System", f"Network service started. System IP is {ip} from manually configured settings.", "0x0007")
    if key == "netstart6":
        return (t, "System", f"Network service started. IPv6 address {ip} assigned by link-local autoconfiguration.", "0x0007")
    c, txt, code = NMC[key]
    return (t, c, txt, code)


def nmc_coldstart(t, ip, ip6):
    """What a real NMC logs after it lost power and came back."""
    return [nmc(t, "coldstart"), nmc(t + 7, "netstart", ip), nmc(t + 10, "netstart6", ip6),
            nmc(t + 22, "comm_restored"), nmc(t + 25, "lowbatt_nofail")]


def write_expected(path, cause, start, end, hosts, actors, args, notes):
    o = {"cause": cause,
         "incident_start": iso_utc(start) if start is not None else None,
         "incident_end": iso_utc(end) if end is not None else None,
         "affected_hosts": sorted(hosts),
         "actors": actors, "args": args, "notes": notes}
    with open(path, "w") as f:
        json.dump(o, f, indent=2, ensure_ascii=False)
        f.write("\n")


def finish_site(site, outdir, chatter_of):
    """Rotate, add the background, write every archive and device file."""
    ev_dir = os.path.join(outdir, "evidence")
    if os.path.isdir(ev_dir):
        shutil.rmtree(ev_dir)
    os.makedirs(ev_dir)
    for h in site.hosts.values():
        if h.collect_t is None:
            h.collect_t = site.t1
        plan_rotations(h)
    for name in sorted(site.hosts):
        h = site.hosts[name]
        background(h, chatter_of(h))
    for fn in getattr(site, "late", []):
        fn()
    for name in sorted(site.hosts):
        h = site.hosts[name]
        h.final = finalize(h)
    for fn in getattr(site, "post", []):
        fn()
    stats = dict(hosts=0, lines=0, raw=0)
    for name in sorted(site.hosts):
        h = site.hosts[name]
        raw, n = write_host(h, ev_dir)
        stats["hosts"] += 1
        stats["lines"] += n
        stats["raw"] += raw
    for path in sorted(site.files):
        full = os.path.join(ev_dir, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(site.files[path])
        mt = int(site.file_mtimes[path])
        os.utime(full, (mt, mt))
        stats["lines"] += site.files[path].count(b"\n")
        stats["raw"] += len(site.files[path])
    return stats


# --------------------------------------------------------------------------
# Story helpers shared by the sets

def apc_log(h, t, msg, events=None, prio=2):
    h.log(t, "daemon", "apcupsd", msg, h.dpid("apcupsd", t), prio=prio)
    if events is not None:
        events.append((t + h.skew, msg))


def upsmon(h, t, msg, prio=5):
    h.log(t, "daemon", "upsmon", msg, h.dpid("upsmon", t), prio=prio)


def nut_fsd_shutdown(h, t, ups):
    """A NUT secondary told by its primary to shut down (FSD)."""
    upsmon(h, t, f"UPS {ups}: forced shutdown in progress", 1)
    upsmon(h, t + 0.01, "Executing automatic power-fail shutdown", 2)
    upsmon(h, t + 0.02, "Auto logout and shutdown proceeding", 1)
    return shutdown(h, t + 1.2)


def sftp_session(h, t, user, ip, files):
    rng = h.rng
    fa = h.fac_auth()
    p = h.newpid()
    p2 = h.newpid()
    ps = h.newpid()
    port = rng.randint(30000, 65000)
    fp = h.site.keys.setdefault(user, b64ish(random.Random("key/" + user), 43))
    uid = h.site.uids.get(user, 1101)
    n = h.new_session()
    lp = h.dpid("systemd-logind", t)
    h.log(t, fa, "sshd", f"Accepted publickey for {user} from {ip} port {port} ssh2: RSA SHA256:{fp}", p)
    h.log(t + 0.01, fa, "sshd", f"pam_unix(sshd:session): session opened for user {user}(uid={uid}) by (uid=0)", p)
    h.log(t + 0.02, "auth", "systemd-logind", f"New session {n} of user {user}.", lp)
    h.log(t + 0.03, "daemon", "systemd", f"Started session-{n}.scope - Session {n} of User {user}.", 1)
    c = t + 0.3
    h.log(c, fa, "internal-sftp", f"session opened for local user {user} from [{ip}]", ps)
    for f in files:
        c += rng.uniform(0.1, 0.8)
        h.log(c, fa, "internal-sftp", f'open "/upload/{f}" flags WRITE,CREATE,TRUNCATE mode 0644', ps)
        c += rng.uniform(0.1, 2.0)
        h.log(c, fa, "internal-sftp", f'close "/upload/{f}" bytes read 0 written {rng.randint(900, 90000)}', ps)
    c += rng.uniform(0.1, 1)
    h.log(c, fa, "internal-sftp", f"session closed for local user {user} from [{ip}]", ps)
    h.log(c + 0.01, fa, "sshd", f"Received disconnect from {ip} port {port}:11: disconnected by user", p2)
    h.log(c + 0.01, fa, "sshd", f"Disconnected from user {user} {ip} port {port}", p2)
    h.log(c + 0.02, fa, "sshd", f"pam_unix(sshd:session): session closed for user {user}", p)
    h.log(c + 0.03, "auth", "systemd-logind", f"Session {n} logged out. Waiting for processes to exit.", lp)
    h.log(c + 0.04, "auth", "systemd-logind", f"Removed session {n}.", lp)
    h.log(c + 0.04, "daemon", "systemd", f"session-{n}.scope: Deactivated successfully.", 1)


def chat_sftp(h, t):
    rng = h.rng
    user, ip = rng.choice(h.site.partners)
    d = local(t, h.zone)
    files = [f"res_{d.strftime('%Y%m%d_%H%M')}_{rng.randint(1, 999):03d}.hl7" for _ in range(rng.randint(1, 4))]
    sftp_session(h, t, user, ip, files)


def postfix_retries(h, relay_host, relay_ip):
    """Deferred mail is retried with postfix's backoff until the relay answers."""
    rng = h.rng
    site = h.site
    queue = sorted(getattr(h, "pf_deferred", []))
    qm = None
    for t0, q, to in queue:
        t = t0
        back = 300
        while t < h.collect_t:
            t += back + rng.uniform(0, 60)
            back = min(back * 2, 4000)
            b = h.up_at(t)
            if b is None or t < b.get("t_ready", b["t0"]) or t > b.get("shutdown_t", b["end"]) - 5:
                continue
            sp = h.newpid(("smtp", int(t // 600)))
            qm = h.dpid("postfix/qmgr", t)
            if host_up(site, relay_host, t):
                h.log(t, "mail", "postfix/smtp", f"{q}: to=<{to}>, relay={relay_ip}[{relay_ip}]:25, delay={t - t0:.0f}, delays={t - t0 - 0.4:.0f}/0.01/0.05/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {qid(rng)})", sp)
                h.log(t + 0.01, "mail", "postfix/qmgr", f"{q}: removed", qm)
                break
            h.log(t + 30, "mail", "postfix/smtp", f"connect to {relay_ip}[{relay_ip}]:25: Connection timed out", sp)
            h.log(t + 30, "mail", "postfix/smtp", f"{q}: to=<{to}>, relay=none, delay={t + 30 - t0:.0f}, delays={t - t0:.0f}/0.01/30/0, dsn=4.4.1, status=deferred (connect to {relay_ip}[{relay_ip}]:25: Connection timed out)", sp)


def chat_mx_backup(h, t):
    """A secondary MX gets the primary's mail while the primary is down."""
    if host_up(h.site, h.backup_for, t):
        return
    share = h.spam_share
    h.spam_share = 0.3
    chat_mx(h, t)
    h.spam_share = share


def chat_mx(h, t):
    """A mail gateway: accepts mail for the domain and relays it inside."""
    rng = h.rng
    site = h.site
    relay_host, relay_ip = h.relay
    if rng.random() < h.spam_share:
        return chat_spam(h, t)
    dom = site.mail_domain
    rdns, ip = rng.choice(SENDERS)
    q = qid(rng)
    p = h.newpid()
    qm = h.dpid("postfix/qmgr", t)
    u = rng.choice(FIRST)
    sd = rdns.split('.', 1)[1]
    h.log(t, "mail", "postfix/smtpd", f"connect from {rdns}[{ip}]", p)
    h.log(t + 0.4, "mail", "postfix/smtpd", f"{q}: client={rdns}[{ip}]", p)
    h.log(t + 0.6, "mail", "postfix/cleanup", f"{q}: message-id=<{hexid(rng, 16)}@{sd}>", h.newpid(("cleanup", int(t // 3600))))
    h.log(t + 0.7, "mail", "postfix/qmgr", f"{q}: from=<{rng.choice(['noreply', 'resultats', 'contact', 'info'])}@{sd}>, size={rng.randint(2000, 900000)}, nrcpt=1 (queue active)", qm)
    h.log(t + 0.8, "mail", "postfix/smtpd", f"disconnect from {rdns}[{ip}] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7", p)
    sp = h.newpid(("smtp", int(t // 600)))
    if host_up(site, relay_host, t + 1):
        h.log(t + 1.1, "mail", "postfix/smtp", f"{q}: to=<{u}@{dom}>, relay={relay_ip}[{relay_ip}]:25, delay=1.1, delays=0.7/0.01/0.05/0.34, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {qid(rng)})", sp)
        h.log(t + 1.12, "mail", "postfix/qmgr", f"{q}: removed", qm)
    else:
        h.log(t + 31, "mail", "postfix/smtp", f"connect to {relay_ip}[{relay_ip}]:25: Connection timed out", sp)
        h.log(t + 31, "mail", "postfix/smtp", f"{q}: to=<{u}@{dom}>, relay=none, delay=31, delays=0.7/0.01/30/0, dsn=4.4.1, status=deferred (connect to {relay_ip}[{relay_ip}]:25: Connection timed out)", sp)
        h.__dict__.setdefault("pf_deferred", []).append((t + 31, q, f"{u}@{dom}"))


# --------------------------------------------------------------------------
# Common site settings for the hospital group's datacenters

def ghse_site(name, t0, t1):
    s = Site(name, t0, t1)
    s.net = "10.20"
    s.ntp = ["10.20.0.11", "10.20.0.12"]
    s.ntp_name = "ntp1.ghse.local"
    s.domain = "ghse.local"
    s.mail_domain = "ghse-sante.fr"
    s.monitor = "mon-01"
    s.bastion_ip = "10.20.0.20"
    s.admins = [("jmartin", "10.20.100.11"), ("tdubois", "10.20.100.12"),
                ("nrobert", "10.20.100.15")]
    s.uids = {"jmartin": 1001, "tdubois": 1002, "nrobert": 1003, "app": 1002,
              "postgres": 26, "partner-labo1": 1101, "partner-labo2": 1102,
              "root": 0}
    s.keys = {}
    s.partners = [("partner-labo1", "198.51.100.23"), ("partner-labo2", "203.0.113.80")]
    s.web_paths = ["/", "/intranet/actualites", "/dpi/api/v2/documents", "/dpi/patient/recherche",
                   "/static/app.js", "/static/style.css", "/api/health"]
    s.late = []
    return s


def chatter_for(h):
    """Routine traffic per role: (function, events per busy hour, profile)."""
    c = []
    r = h.roles
    if "mx" in r:
        c.append((chat_mx, h.mx_rate, "office"))
        if getattr(h, "backup_for", None):
            c.append((chat_mx_backup, h.site.hosts[h.backup_for].mx_rate, "office"))
    elif "postfix" in r and "dovecot" in r:
        c.append((chat_mailstore, 14, "office"))
    if "asterisk" in r:
        c.append((chat_asterisk, 30, "care"))
    if "hl7" in r:
        c.append((chat_hl7, 40, "care"))
    if "dpi" in r:
        c.append((chat_dpi, 12, "care"))
    if "nginx" in r:
        c.append((chat_nginx, 20, "office"))
    if "postgres" in r:
        c.append((chat_postgres, 4, "office"))
    if "ldap" in r:
        c.append((chat_ldap, 10, "office"))
    if "dhcpd" in r:
        c.append((chat_dhcpd, 25, "office"))
    if "app" in r:
        c.append((chat_app, 8, "office"))
    if "sftp" in r:
        c.append((chat_sftp, 3, "care"))
    if "openvpn" in r:
        c.append((chat_vpn, 1.5, "office"))
    return c


# --------------------------------------------------------------------------
# Set 1: hospital-power-outage (the flagship)

def set_hospital(outdir):
    P = lambda s: T(s)                       # Paris local time
    site = ghse_site("hospital-power-outage", P("2024-08-02 00:00:00"), P("2024-08-07 17:30:00"))
    H = site.host
    hosts = [
        # name, os, ip, kw
        ("infra-01", "deb11", "10.20.0.12", dict(roles={"apcupsd"})),
        ("dns-01", "deb12", "10.20.0.11", dict(roles={"dns", "apcslave"})),
        ("dns-02", "deb12", "10.20.0.13", dict(roles={"dns", "nutclient"})),
        ("dhcp-01", "deb11", "10.20.0.14", dict(roles={"dhcpd"})),
        ("ldap-01", "deb12", "10.20.0.15", dict(roles={"ldap"}, zone=UTCZ)),
        ("mon-01", "deb12", "10.20.0.30", dict(roles={"nutserver", "nagios"}, snmp=False)),
        ("backup-01", "deb11", "10.20.0.40", dict(roles={"bacula", "nutclient"})),
        ("bastion-01", "deb12", "10.20.0.20", dict(roles={"nutclient"})),
        ("proxy-01", "deb11", "10.20.0.25", dict(roles={"squid"})),
        ("mail-gw-01", "deb12", "10.20.1.10", dict(roles={"postfix", "mx"}, inet=True)),
        ("mail-01", "deb11", "10.20.1.21", dict(roles={"postfix", "dovecot"})),
        ("mail-02", "deb11", "10.20.1.22", dict(roles={"postfix", "dovecot", "nutclient"})),
        ("tel-gw-01", "deb11", "10.20.6.10", dict(roles={"asterisk"})),
        ("tel-gw-02", "deb12", "10.20.6.11", dict(roles={"asterisk"}, journal=True)),
        ("tel-cti-01", "rhel8", "10.20.6.20", dict(roles={"app", "nutclient"}, compress="none")),
        ("lab-hl7-01", "rhel8", "10.20.10.11", dict(roles={"hl7"}, compress="none")),
        ("lab-hl7-02", "rhel8", "10.20.10.12", dict(roles={"hl7"}, compress="none", skew=37.0)),
        ("lab-sftp-01", "deb12", "10.20.10.20", dict(roles={"sftp"}, inet=True)),
        ("lab-db-01", "rhel8", "10.20.10.30", dict(roles={"postgres"}, compress="gz")),
        ("dpi-app-01", "deb12", "10.20.11.11", dict(roles={"dpi", "nginx"}, zone=UTCZ)),
        ("dpi-app-02", "deb12", "10.20.11.12", dict(roles={"dpi", "nginx"}, zone=UTCZ)),
        ("dpi-db-01", "rhel9", "10.20.11.30", dict(roles={"postgres"}, compress="none")),
        ("dpi-web-01", "deb12", "10.20.11.40", dict(roles={"nginx"})),
        ("pharma-app-01", "deb12", "10.20.11.50", dict(roles={"app"}, zone=UTCZ)),
        ("paie-app-01", "deb10", "10.20.20.11", dict(roles={"app"})),
        ("paie-db-01", "rhel8", "10.20.20.30", dict(roles={"postgres"}, compress="none")),
        ("rh-app-01", "deb11", "10.20.20.12", dict(roles={"app"}, compress="xz")),
        ("gef-app-01", "deb11", "10.20.20.13", dict(roles={"app"}, skew=-52.0)),
        ("gef-db-01", "rhel8", "10.20.20.31", dict(roles={"postgres"}, compress="none")),
        ("planning-app-01", "deb12", "10.20.20.14", dict(roles={"app", "nutclient"})),
        ("achats-app-01", "deb10", "10.20.20.15", dict(roles={"app"}, archive="tar.xz")),
        ("intranet-01", "deb12", "10.20.20.20", dict(roles={"nginx", "php"})),
        ("ged-app-01", "deb11", "10.20.20.16", dict(roles={"app"})),
        ("ged-db-01", "rhel8", "10.20.20.32", dict(roles={"postgres"}, compress="none")),
        ("print-01", "deb10", "10.20.20.40", dict(roles={"cups"})),
        ("fs-01", "deb11", "10.20.20.41", dict(roles={"samba"})),
        ("av-01", "deb12", "10.20.20.42", dict(roles={"nutclient"}, zone=UTCZ)),
        # the second datacenter, on another power supply
        ("mx-02", "deb12", "10.30.1.10", dict(roles={"postfix", "mx"}, inet=True)),
        ("dns-03", "deb11", "10.30.0.11", dict(roles={"dns"})),
        ("vpn-01", "deb12", "10.30.0.5", dict(roles={"openvpn"})),
    ]
    for name, os_, ip, kw in hosts:
        h = H(name, os_, ip, **kw)
        h.running_from(site.t0)
    hs = site.hosts
    for n in ("lab-hl7-02", "gef-app-01"):
        hs[n].no_ntp = True
    hs["mon-01"].nut_ups = "ups-b"
    for n, app in [("tel-cti-01", "cti"), ("pharma-app-01", "pharma"), ("paie-app-01", "paie"),
                   ("rh-app-01", "rh"), ("gef-app-01", "gef"), ("planning-app-01", "planning"),
                   ("achats-app-01", "achats"), ("ged-app-01", "ged")]:
        hs[n].app_name = app
    gw, mx2 = hs["mail-gw-01"], hs["mx-02"]
    gw.relay, gw.spam_share, gw.mx_rate = ("mail-01", "10.20.1.21"), 0.4, 22
    mx2.relay, mx2.spam_share, mx2.mx_rate = ("mail-gw-01", "10.20.1.10"), 0.85, 3
    mx2.backup_for = "mail-gw-01"
    site.mail_relay = ("mail-01", "10.20.1.21")
    site.mail_gw = ("mail-gw-01", "10.20.1.10")
    for h, pub in ((gw, "203.0.113.25"), (mx2, "203.0.113.26"), (hs["lab-sftp-01"], "203.0.113.30")):
        h.public_ip = pub
        h.mac = ":".join(hexid(h.rng, 2) for _ in range(6))
        h.scan_rate = 9 if h is not mx2 else 6
    for h in hs.values():
        if h.name in ("paie-app-01", "paie-db-01", "gef-db-01"):
            h.admin_rate = 0.4

    ups_a = ["infra-01", "dns-01", "dhcp-01", "proxy-01", "mail-01", "tel-gw-01", "lab-hl7-02",
             "dpi-app-01", "dpi-web-01", "pharma-app-01", "paie-app-01", "gef-app-01",
             "achats-app-01", "intranet-01", "print-01"]
    dual = ["ldap-01", "bastion-01", "mail-gw-01", "lab-hl7-01", "lab-sftp-01", "lab-db-01",
            "dpi-db-01", "paie-db-01", "gef-db-01", "fs-01"]
    ups_b = ["mon-01", "dns-02", "backup-01", "mail-02", "tel-gw-02", "tel-cti-01", "dpi-app-02",
             "rh-app-01", "planning-app-01", "ged-app-01", "ged-db-01", "av-01"]
    nut_clients = ["dns-02", "backup-01", "bastion-01", "mail-02", "tel-cti-01",
                   "planning-app-01", "av-01"]

    t_loss = P("2024-08-03 09:52:10.4")
    t_a_dead = P("2024-08-03 10:38:52.7")
    t_b_low = P("2024-08-03 11:41:19.9")
    t_b_off = P("2024-08-03 11:42:31.2")
    t_back = P("2024-08-03 13:31:40.0")
    rng = site.rng

    # --- UPS A: apcupsd on infra-01 (USB), dns-01 is a NIS slave ---------
    ev_a = [(P("2024-05-14 11:02:37"), "apcupsd 3.14.14 (31 May 2016) debian startup succeeded"),
            (P("2024-06-11 03:00:12"), "UPS Self Test switch to battery."),
            (P("2024-06-11 03:00:21"), "UPS Self Test completed: Battery OK"),
            (P("2024-07-09 03:00:09"), "UPS Self Test switch to battery."),
            (P("2024-07-09 03:00:20"), "UPS Self Test completed: Test failed -- insufficient battery capacity"),
            (P("2024-07-09 03:00:20"), "UPS battery must be replaced."),
            (P("2024-07-09 12:00:31"), "UPS battery must be replaced."),
            (P("2024-07-09 21:00:50"), "UPS battery must be replaced."),
            (P("2024-07-10 06:01:02"), "UPS battery must be replaced."),
            (P("2024-07-10 15:01:17"), "UPS battery must be replaced.")]
    infra, dns1 = hs["infra-01"], hs["dns-01"]
    apc_log(infra, t_loss + 0.3, "Power failure.", ev_a)
    apc_log(infra, t_loss + 6.3, "Running on UPS batteries.", ev_a)
    apc_log(dns1, t_loss + 41.2, "Power failure.")
    apc_log(dns1, t_loss + 47.2, "Running on UPS batteries.")
    t_lim = P("2024-08-03 10:35:48.1")
    for h, d in ((infra, 0.0), (dns1, 17.6)):
        apc_log(h, t_lim + d, "Reached remaining time percentage limit on batteries.", ev_a if h is infra else None, 1)
        apc_log(h, t_lim + d + 0.01, "Initiating system shutdown!", ev_a if h is infra else None, 1)
        apc_log(h, t_lim + d + 0.02, "User logins prohibited", ev_a if h is infra else None, 1)
        shutdown(h, t_lim + d + 0.9)
    ev_a += [(infra.boots[-1]["shutdown_t"] + 1.1, "apcupsd exiting, signal 15"),
             (infra.boots[-1]["shutdown_t"] + 1.12, "apcupsd shutdown succeeded")]

    # --- UPS B: NUT on mon-01 (snmp-ups to the NMC), secondaries ----------
    mon = hs["mon-01"]
    nmc_b = [nmc(P("2024-07-02 03:00:05"), "selftest_start"), nmc(P("2024-07-02 03:00:14"), "selftest_pass"),
             nmc(P("2024-07-30 03:00:04"), "selftest_start"), nmc(P("2024-07-30 03:00:13"), "selftest_pass")]
    nmc_b.append(nmc(t_loss + 0.6, "onbatt"))
    upsmon(mon, t_loss + 2.9, "UPS ups-b@localhost on battery", 1)
    for n in nut_clients:
        upsmon(hs[n], t_loss + 3.1 + rng.uniform(0, 5), "UPS ups-b@mon-01 on battery", 1)
    nmc_b.append(nmc(t_b_low, "lowbatt"))
    upsmon(mon, t_b_low + 2.2, "UPS ups-b@localhost battery is low", 1)
    mon.log(t_b_low + 2.3, "daemon", "upsd", "Client upsmon@127.0.0.1 set FSD on UPS [ups-b]", mon.dpid("upsd", t_b_low))
    upsmon(mon, t_b_low + 2.4, "UPS ups-b@localhost: forced shutdown in progress", 1)
    c = t_b_low + 3.0
    for n in nut_clients:
        h = hs[n]
        tt = c + rng.uniform(0, 5)
        upsmon(h, tt - 0.5, "UPS ups-b@mon-01 battery is low", 1)
        nut_fsd_shutdown(h, tt, "ups-b@mon-01")
        mon.log(tt + rng.uniform(1.5, 4), "daemon", "upsd", f"User upsmon@{h.ip} logged out from UPS [ups-b]", mon.dpid("upsd", tt))
    upsmon(mon, t_b_low + 17.0, "Executing automatic power-fail shutdown", 2)
    upsmon(mon, t_b_low + 17.01, "Auto logout and shutdown proceeding", 1)
    shutdown(mon, t_b_low + 18.2)
    # the primary's last act kills the UPS output after its off delay
    nmc_b.append(nmc(t_b_off - 20.0, "cmd_shutdown"))
    for k in ("outlets_off", "offbatt", "graceful_end", "output_off"):
        nmc_b.append(nmc(t_b_off, k))
    nmc_b += nmc_coldstart(t_back + 18.0, "10.20.0.52", "FE80::2C0:B7FF:FE41:7A3C")
    nmc_b += [nmc(t_back + 2290, "lowbatt_gone"), nmc(t_back + 5410, "discharged_gone")]

    # --- abrupt losses ----------------------------------------------------
    for n in ups_a:
        h = hs[n]
        if h.is_up():
            drop(h, t_a_dead)
    for n in ups_b + dual:
        h = hs[n]
        if h.is_up():
            drop(h, t_b_off)
    ged = hs["ged-db-01"]
    ged.truncate_last = 37            # its RAID controller died: the disk image ends mid-line
    ged.collect_t = ged.boots[-1]["end"]
    ged.archive_t = P("2024-08-06 16:12:00")

    # --- the BMCs of the dual-fed database servers --------------------------
    for n, hist in (("lab-db-01", []), ("dpi-db-01", []),
                    ("paie-db-01", [(P("2024-02-20 14:31:07"), "Memory #0x53", "Correctable ECC", "Asserted")]),
                    ("gef-db-01", [(P("2024-01-15 10:12:45"), "Event Logging Disabled SEL", "Log area reset/cleared", "Asserted"),
                                   (P("2024-01-15 10:40:02"), "Power Supply PS Redundancy", "Fully Redundant", "Asserted")])):
        sel = list(hist)
        sel += [(t_a_dead + 0.4, "Power Supply PS1 Status", "Power Supply AC lost", "Asserted"),
                (t_a_dead + 1.2, "Power Supply PS Redundancy", "Redundancy Lost", "Asserted")]
        tb = t_back + rng.uniform(48, 60)
        sel += [(tb, "Power Unit Pwr Unit Status", "AC lost", "Asserted"),
                (tb + 0.5, "Power Supply PS1 Status", "Power Supply AC lost", "Deasserted"),
                (tb + 1.0, "Power Supply PS Redundancy", "Fully Redundant", "Asserted")]
        site.__dict__.setdefault("sels", {})[n] = sel

    # --- recovery: power-on order decided by the on-site team -------------
    order = [
        ("2024-08-03 13:44:10", "infra-01"), ("2024-08-03 13:46:02", "dns-01"),
        ("2024-08-03 13:47:30", "dns-02"), ("2024-08-03 13:49:11", "dhcp-01"),
        ("2024-08-03 13:52:40", "ldap-01"), ("2024-08-03 13:55:05", "mon-01"),
        ("2024-08-03 13:58:31", "bastion-01"), ("2024-08-03 14:02:12", "proxy-01"),
        ("2024-08-03 14:19:50", "mail-gw-01"), ("2024-08-03 14:24:14", "mail-01"),
        ("2024-08-03 14:27:40", "mail-02"), ("2024-08-03 14:45:03", "tel-gw-01"),
        ("2024-08-03 14:49:22", "tel-gw-02"), ("2024-08-03 14:55:48", "tel-cti-01"),
        ("2024-08-03 16:10:15", "backup-01"),
        ("2024-08-05 07:20:31", "lab-db-01"), ("2024-08-05 07:24:02", "dpi-db-01"),
        ("2024-08-05 07:40:44", "lab-hl7-01"), ("2024-08-05 07:43:10", "lab-hl7-02"),
        ("2024-08-05 07:50:27", "lab-sftp-01"), ("2024-08-05 08:05:55", "dpi-app-01"),
        ("2024-08-05 08:08:19", "dpi-app-02"), ("2024-08-05 08:12:40", "dpi-web-01"),
        ("2024-08-05 08:30:02", "pharma-app-01"),
        ("2024-08-05 14:10:12", "intranet-01"), ("2024-08-05 14:31:45", "planning-app-01"),
        ("2024-08-05 15:02:30", "print-01"), ("2024-08-05 15:20:08", "fs-01"),
        ("2024-08-05 16:01:19", "av-01"),
        ("2024-08-06 09:10:40", "paie-db-01"), ("2024-08-06 09:40:05", "paie-app-01"),
        ("2024-08-06 10:30:33", "rh-app-01"),
        ("2024-08-07 09:05:12", "gef-db-01"), ("2024-08-07 09:35:47", "gef-app-01"),
        ("2024-08-07 10:20:09", "achats-app-01"), ("2024-08-07 11:00:26", "ged-app-01"),
    ]
    for ts, n in order:
        h = hs[n]
        t = P(ts)
        boot(h, t)
        if n in site.sels:
            site.sels[n] += [(t - 0.3, "Button #0x24", "Power Button pressed", "Asserted"),
                             (t + 1.0, "System ACPI Power State ACPI State", "S0/G0: working", "Asserted"),
                             (h.boots[-1]["t0"] + 40, "OS Boot #0x8b", "C: boot completed", "Asserted")]
        if "nutclient" in h.roles and mon.up_at(h.boots[-1]["t_ready"]):
            mon.log(h.boots[-1]["t_ready"] + 0.5, "daemon", "upsd", f"User upsmon@{h.ip} logged into UPS [ups-b]", mon.dpid("upsd", h.boots[-1]["t_ready"]))
    # apcupsd comes back with infra-01; the battery is still flagged
    ev_a.append((infra.apc_starts[-1], "apcupsd 3.14.14 (31 May 2016) debian startup succeeded"))
    tb = P("2024-08-05 02:14:51")
    apc_log(infra, tb, "UPS battery must be replaced.", ev_a)
    apc_log(infra, tb + 9 * 3600 + 22, "UPS battery must be replaced.", ev_a)

    # --- people ------------------------------------------------------------
    vpn, bast = hs["vpn-01"], hs["bastion-01"]
    vip = vpn_session(vpn, P("2024-08-03 10:06:31"), "jmartin", "198.51.100.77", 6.5 * 3600)
    admin_session(bast, P("2024-08-03 10:08:02"), "jmartin", vip,
                  ["/usr/bin/upsc ups-b@mon-01", (120, "/usr/bin/upsc ups-b@mon-01 battery.runtime")], dur=1300)
    admin_session(infra, P("2024-08-03 10:11:40"), "jmartin", site.bastion_ip,
                  ["/usr/sbin/apcaccess status", (300, "/usr/sbin/apcaccess status")], dur=900)
    admin_session(mon, P("2024-08-03 10:31:12"), "jmartin", site.bastion_ip,
                  ["/usr/bin/upsc ups-b", "/usr/bin/tail -n 50 /var/log/syslog"], dur=1700)
    admin_session(mon, P("2024-08-03 11:12:03"), "tdubois", "10.20.100.12",
                  ["/usr/bin/upsc ups-b battery.charge", (900, "/usr/bin/upsc ups-b battery.runtime")], dur=3000)
    recov = {
        "infra-01": ["/usr/sbin/apcaccess status", "/usr/bin/systemctl --failed"],
        "dns-01": ["/usr/sbin/rndc status", "/usr/bin/systemctl --failed"],
        "dns-02": ["/usr/sbin/rndc status"],
        "dhcp-01": ["/usr/bin/systemctl status isc-dhcp-server", "/usr/bin/journalctl -b -1 -n 50"],
        "ldap-01": ["/usr/bin/systemctl status slapd", "/usr/sbin/slapcat -n 0 -l /tmp/cn-config.ldif"],
        "mon-01": ["/usr/bin/upsc ups-b", "/usr/bin/systemctl restart nagios4"],
        "bastion-01": ["/usr/bin/systemctl --failed"],
        "proxy-01": ["/usr/bin/systemctl status squid"],
        "mail-gw-01": ["/usr/sbin/postqueue -p", (200, "/usr/sbin/postqueue -f")],
        "mail-01": ["/usr/bin/doveadm who", "/usr/sbin/postqueue -p"],
        "mail-02": ["/usr/bin/doveadm who"],
        "tel-gw-01": ["/usr/sbin/asterisk -rx core show channels", "/usr/sbin/asterisk -rx pjsip show registrations"],
        "tel-gw-02": ["/usr/sbin/asterisk -rx pjsip show registrations"],
        "tel-cti-01": ["/bin/systemctl status tomcat9"],
        "backup-01": ["/usr/sbin/bconsole", "/usr/bin/systemctl status bacula-dir"],
        "lab-db-01": ["-u postgres /usr/bin/psql -c select pg_is_in_recovery()", "/bin/systemctl status postgresql"],
        "dpi-db-01": ["-u postgres /usr/bin/psql -c select pg_is_in_recovery()"],
        "lab-hl7-01": ["/bin/systemctl status hl7-router", "/bin/tail -n 200 /var/log/messages"],
        "lab-hl7-02": ["/bin/systemctl status hl7-router", "/usr/sbin/chronyc tracking"],
        "lab-sftp-01": ["/usr/bin/ls -l /srv/sftp/partner-labo1/upload"],
        "dpi-app-01": ["/usr/bin/systemctl restart dpi-connector", "/usr/bin/curl -s http://127.0.0.1:8080/api/health"],
        "dpi-app-02": ["/usr/bin/systemctl restart dpi-connector", "/usr/bin/curl -s http://127.0.0.1:8080/api/health"],
        "dpi-web-01": ["/usr/sbin/nginx -t"],
        "pharma-app-01": ["/usr/bin/systemctl status tomcat9"],
        "intranet-01": ["/usr/sbin/nginx -t", "/usr/bin/systemctl status php8.2-fpm"],
        "planning-app-01": ["/usr/bin/systemctl stop tomcat9", "/usr/bin/cp /srv/deploy/planning-4.12.3.war /var/lib/tomcat9/webapps/planning.war",
                            "/usr/bin/systemctl start tomcat9", "/usr/bin/tail -n 100 /var/log/tomcat9/catalina.out"],
        "print-01": ["/usr/sbin/lpstat -p"],
        "fs-01": ["/usr/bin/smbstatus", "/usr/bin/systemctl status smbd"],
        "av-01": ["/usr/bin/systemctl --failed"],
        "paie-db-01": ["-u postgres /usr/bin/psql -c select pg_is_in_recovery()", "-u postgres /usr/bin/vacuumdb --all --analyze-only"],
        "paie-app-01": ["/usr/bin/systemctl stop tomcat9", "-u app /opt/app/bin/check-integrity.sh --full",
                        "/usr/bin/cp /srv/deploy/paie-7.3.1.war /var/lib/tomcat9/webapps/paie.war",
                        "/usr/bin/systemctl start tomcat9", "/usr/bin/tail -n 100 /var/log/tomcat9/catalina.out"],
        "rh-app-01": ["/usr/bin/systemctl stop tomcat9", "-u app /opt/app/bin/check-integrity.sh --full",
                      "/usr/bin/systemctl start tomcat9"],
        "gef-db-01": ["-u postgres /usr/bin/psql -c select pg_is_in_recovery()", "-u postgres /usr/bin/reindexdb --all"],
        "gef-app-01": ["/usr/bin/systemctl stop tomcat9", "/usr/sbin/chronyc sources",
                       "/usr/bin/cp /srv/deploy/gef-2024.2.war /var/lib/tomcat9/webapps/gef.war",
                       "/usr/bin/systemctl start tomcat9"],
        "achats-app-01": ["/usr/bin/systemctl stop tomcat9", "-u app /opt/app/bin/check-integrity.sh --full",
                          "/usr/bin/systemctl start tomcat9"],
        "ged-app-01": ["/usr/bin/systemctl stop tomcat9", "/usr/bin/ping -c 3 ged-db-01",
                       "/usr/bin/systemctl disable tomcat9"],
    }
    for ts, n in order:
        h = hs[n]
        b = h.boots[-1]
        t = b["t_ready"] + rng.uniform(40, 240)
        who = "tdubois" if t < P("2024-08-05 00:00:00") else rng.choice(["jmartin", "nrobert", "tdubois"])
        src = "10.20.100.12" if who == "tdubois" else dict(site.admins)[who]
        admin_session(h, t, who, src, recov.get(n, []), dur=rng.uniform(600, 2400))
        if h.roles & {"app"} and n not in ("tel-cti-01", "pharma-app-01", "ged-app-01"):
            app = h.app_name
            tp = t + rng.uniform(200, 600)
            d = local(tp + h.skew, h.zone)
            stamp = f"{d.day:02d}-{MON[d.month - 1]}-{d.year} {d.strftime('%H:%M:%S')}.{d.microsecond // 1000:03d}"
            h.log(tp, "daemon", "tomcat9", f"{stamp} INFO [Catalina-utility-1] org.apache.catalina.startup.HostConfig.deployWAR Deploying web application archive [/var/lib/tomcat9/webapps/{app}.war]", h.dpid("tomcat9", tp))
            h.log(tp + 9.4, "daemon", "tomcat9", f"{stamp} INFO [Catalina-utility-1] org.apache.catalina.startup.HostConfig.deployWAR Deployment of web application archive [/var/lib/tomcat9/webapps/{app}.war] has finished in [{rng.randint(6000, 14000):,}] ms", h.dpid("tomcat9", tp))
    g = hs["ged-app-01"]
    for k in range(6):
        tp = g.boots[-1]["t_ready"] + 20 + k * 31
        d = local(tp + g.skew, g.zone)
        stamp = f"{d.day:02d}-{MON[d.month - 1]}-{d.year} {d.strftime('%H:%M:%S')}.{d.microsecond // 1000:03d}"
        g.log(tp, "daemon", "tomcat9", f"{stamp} SEVERE [main] org.apache.tomcat.jdbc.pool.ConnectionPool.init Unable to create initial connections of pool. org.postgresql.util.PSQLException: Connection to 10.20.20.32:5432 refused.", g.dpid("tomcat9", tp))
    vpn_session(vpn, P("2024-08-03 20:41:09"), "jmartin", "198.51.100.77", 1800)
    admin_session(hs["mail-gw-01"], P("2024-08-03 20:44:30"), "jmartin", "10.20.250.7",
                  ["/usr/sbin/postqueue -p"], dur=600)

    # --- monitoring and mail-queue consequences ------------------------------
    def late():
        for h in (gw, mx2):
            postfix_retries(h, *h.relay)
        nagios_watch(mon, [n for n in sorted(hs) if n != "mon-01"])
    site.late.append(late)

    # --- device exports -----------------------------------------------------
    site.add_file("power/ups-a.events", apc_events_text(ev_a, PARIS), max(t for t, _ in ev_a) + 1)
    site.add_file("power/ups-b-nmc.txt", nmc_text(nmc_b, PARIS), site.t1 - 1800)
    for n, sel in sorted(site.sels.items()):
        site.add_file(f"ipmi/sel-{n}.txt", sel_text(sel, PARIS), site.t1 - 1500)
    stats = finish_site(site, outdir, chatter_for)
    affected = ups_a + dual + ups_b
    write_expected(
        os.path.join(outdir, "expected.json"), "accidental-power-fault", t_loss, t_back, affected,
        {"user": None, "src_ip": None, "device": "ups-a"}, ["--tz", "Europe/Paris"],
        "Utility power lost at 09:52:10 local (07:52:10Z). UPS-A (weak battery, flagged "
        "for replacement in July) ran out at 10:38:52: infra-01 and dns-01 shut down cleanly "
        "through apcupsd, the other hosts on it dropped. UPS-B held until its NUT primary set "
        "FSD at 11:41:22 and switched its output off at 11:42:31: NUT clients shut down, the "
        "rest dropped. Mains back 13:31:40. The three hosts of the second datacenter "
        "(mx-02, dns-03, vpn-01) never stopped.")
    return stats



def small_site(name, t0, t1, net, admins, bastion=None):
    s = ghse_site(name, t0, t1)
    s.net = net
    s.ntp = [f"{net}.0.11", f"{net}.0.12"]
    s.admins = admins
    s.bastion_ip = bastion or admins[0][1]
    for u, _ in admins:
        s.uids.setdefault(u, 1000 + len(s.uids))
    return s


def add_hosts(site, hosts):
    for name, os_, ip, kw in hosts:
        kw = dict(kw)
        app = kw.pop("app", name.split("-")[0])
        h = site.host(name, os_, ip, **kw)
        h.running_from(site.t0)
        h.app_name = app
    return site.hosts


def internet_facing(h, public_ip, rate=9):
    h.inet = True
    h.public_ip = public_ip
    h.mac = ":".join(hexid(h.rng, 2) for _ in range(6))
    h.scan_rate = rate


# --------------------------------------------------------------------------
# Set 2: ups-graceful-shutdown

def set_ups_graceful(outdir):
    P = T
    site = small_site("ups-graceful-shutdown", P("2024-10-14 00:00:00"), P("2024-10-17 11:40:00"),
                      "10.40", [("mleclerc", "10.40.100.21"), ("srousseau", "10.40.100.22")])
    site.mail_domain = "ghse-sante.fr"
    site.monitor = "nut-01"
    hs = add_hosts(site, [
        ("nut-01", "deb12", "10.40.0.10", dict(roles={"nutserver"}, snmp=False)),
        ("dns-11", "deb12", "10.40.0.11", dict(roles={"dns", "nutclient"})),
        ("ldap-11", "deb11", "10.40.0.15", dict(roles={"ldap", "nutclient"})),
        ("web-11", "deb12", "10.40.2.10", dict(roles={"nginx", "nutclient"})),
        ("app-11", "deb11", "10.40.2.21", dict(roles={"app", "nutclient"}, app="rdv")),
        ("app-12", "deb11", "10.40.2.22", dict(roles={"app", "nutclient"}, app="rdv", skew=23.0)),
        ("db-11", "rhel8", "10.40.3.10", dict(roles={"postgres", "nutclient"}, compress="none")),
        ("db-12", "rhel9", "10.40.3.11", dict(roles={"postgres", "nutclient"}, compress="gz")),
        ("files-11", "deb12", "10.40.4.10", dict(roles={"samba", "nutclient"}, zone=UTCZ)),
        ("backup-11", "deb11", "10.40.4.20", dict(roles={"bacula", "nutclient"})),
        ("print-11", "deb12", "10.40.4.30", dict(roles={"cups", "nutclient"}, journal=True)),
        ("legacy-11", "deb10", "10.40.4.40", dict(roles={"app"}, app="archives")),
    ])
    internet_facing(hs["web-11"], "198.51.100.60", 7)
    hs["nut-01"].nut_ups = "ups-main"
    hs["nut-01"].roles.add("nagios")
    rng = site.rng
    nut = hs["nut-01"]
    clients = [n for n in hs if "nutclient" in hs[n].roles]
    t_loss = P("2024-10-15 21:14:03.6")
    t_low = P("2024-10-15 21:31:40.2")
    t_off = P("2024-10-15 21:32:41.9")
    t_back = P("2024-10-15 23:52:10.0")
    nm = [nmc(P("2024-09-24 03:00:04"), "selftest_start"), nmc(P("2024-09-24 03:00:12"), "selftest_pass"),
          nmc(P("2024-10-08 03:00:05"), "selftest_start"), nmc(P("2024-10-08 03:00:13"), "selftest_pass")]
    nm.append(nmc(t_loss + 0.4, "onbatt"))
    upsmon(nut, t_loss + 2.2, "UPS ups-main@localhost on battery", 1)
    for n in clients:
        upsmon(hs[n], t_loss + 2.5 + rng.uniform(0, 5), "UPS ups-main@nut-01 on battery", 1)
    nm.append(nmc(t_low, "lowbatt"))
    upsmon(nut, t_low + 1.8, "UPS ups-main@localhost battery is low", 1)
    nut.log(t_low + 1.9, "daemon", "upsd", "Client upsmon@127.0.0.1 set FSD on UPS [ups-main]", nut.dpid("upsd", t_low))
    upsmon(nut, t_low + 2.0, "UPS ups-main@localhost: forced shutdown in progress", 1)
    for n in clients:
        h = hs[n]
        tt = t_low + 3 + rng.uniform(0, 5)
        upsmon(h, tt - 0.4, "UPS ups-main@nut-01 battery is low", 1)
        nut_fsd_shutdown(h, tt, "ups-main@nut-01")
        nut.log(tt + rng.uniform(1.5, 4), "daemon", "upsd", f"User upsmon@{h.ip} logged out from UPS [ups-main]", nut.dpid("upsd", tt))
    upsmon(nut, t_low + 17.1, "Executing automatic power-fail shutdown", 2)
    upsmon(nut, t_low + 17.11, "Auto logout and shutdown proceeding", 1)
    shutdown(nut, t_low + 18.0)
    nm.append(nmc(t_off - 20.0, "cmd_shutdown"))
    for k in ("outlets_off", "offbatt", "graceful_end", "output_off"):
        nm.append(nmc(t_off, k))
    drop(hs["legacy-11"], t_off)        # nobody installed a NUT client on it
    nm += nmc_coldstart(t_back + 16.0, "10.40.0.52", "FE80::2C0:B7FF:FE12:33A1")
    nm += [nmc(t_back + 3300, "lowbatt_gone"), nmc(t_back + 7420, "discharged_gone")]
    # the UPS powers its outlets again after its on-delay; BIOS: power on after AC loss
    t_on = t_back + 62
    for n in sorted(hs):
        h = hs[n]
        boot(h, t_on + rng.uniform(0, 4))
        if "nutclient" in h.roles and n != "nut-01":
            tr = h.boots[-1]["t_ready"]
            nut.log(max(tr, nut.boots[-1].get("t_ready", tr)) + 1.5, "daemon", "upsd", f"User upsmon@{h.ip} logged into UPS [ups-main]", nut.dpid("upsd", tr + 200))
    # the night is over: the admin checks what happened
    c = P("2024-10-16 07:48:12")
    admin_session(nut, c, "mleclerc", "10.40.100.21", ["/usr/bin/upsc ups-main", "/usr/bin/grep -i ups /var/log/syslog.1", "/usr/bin/upsc ups-main battery.charge"], dur=1500)
    for n in ("db-11", "db-12", "legacy-11", "app-11"):
        c += rng.uniform(200, 600)
        admin_session(hs[n], c, "mleclerc", "10.40.100.21", ["/usr/bin/systemctl --failed" if hs[n].osp["family"] == "debian" else "/bin/systemctl --failed",
                                                               "/usr/bin/journalctl -b -1 -n 40" if hs[n].osp["family"] == "debian" else "/bin/journalctl -b -1 -n 40"], dur=700)

    def late():
        nagios_watch(nut, [n for n in sorted(hs) if n != "nut-01"])
    site.late.append(late)
    site.add_file("power/ups-main-nmc.txt", nmc_text(nm, PARIS), P("2024-10-17 10:02:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "accidental-power-fault", t_loss, t_back,
                   list(hs), {"user": None, "src_ip": None, "device": "ups-main"}, ["--tz", "Europe/Paris"],
                   "Utility failure at 21:14:03 local (19:14:03Z). The UPS ran on battery for 17 minutes; at "
                   "low battery the NUT primary (nut-01) set FSD and every NUT client shut down in order, "
                   "then the primary shut down and the UPS switched its output off at 21:32:41. legacy-11 had "
                   "no NUT client and lost power then. Mains back 23:52:10; the UPS restored its outlets and "
                   "the servers booted by themselves. Orderly, but caused by power: not a planned shutdown.")
    return stats


# --------------------------------------------------------------------------
# Set 3: pdu-outlet-sabotage

def set_pdu_sabotage(outdir):
    P = T
    site = small_site("pdu-outlet-sabotage", P("2024-11-18 00:00:00"), P("2024-11-21 10:30:00"),
                      "10.50", [("ebernard", "10.50.100.31"), ("pgauthier", "10.50.100.32")],
                      bastion="10.50.0.20")
    site.monitor = "mon-21"
    site.mail_domain = "ghse-sante.fr"
    hs = add_hosts(site, [
        ("mon-21", "deb12", "10.50.0.30", dict(roles={"nagios"}, snmp=False)),
        ("bastion-21", "deb12", "10.50.0.20", dict(roles=set())),
        ("dns-21", "deb11", "10.50.0.11", dict(roles={"dns"})),
        ("web-21", "deb12", "10.50.2.10", dict(roles={"nginx"})),
        ("web-22", "deb12", "10.50.2.11", dict(roles={"nginx"}, zone=UTCZ)),
        ("app-21", "deb11", "10.50.2.21", dict(roles={"app"}, app="portail")),
        ("app-22", "deb11", "10.50.2.22", dict(roles={"app"}, app="portail")),
        ("app-23", "deb11", "10.50.2.23", dict(roles={"app"}, app="facturation")),
        ("app-24", "deb12", "10.50.2.24", dict(roles={"app"}, app="facturation", skew=-31.0)),
        ("db-21", "rhel8", "10.50.3.10", dict(roles={"postgres"}, compress="none")),
        ("db-22", "rhel8", "10.50.3.11", dict(roles={"postgres"}, compress="none")),
        ("erp-21", "rhel9", "10.50.3.20", dict(roles={"app"}, app="erp", compress="none")),
        ("files-21", "deb11", "10.50.4.10", dict(roles={"samba"})),
        ("mail-21", "deb12", "10.50.1.10", dict(roles={"postfix", "mx"})),
    ])
    internet_facing(hs["mail-21"], "203.0.113.70", 8)
    hs["mail-21"].relay, hs["mail-21"].spam_share, hs["mail-21"].mx_rate = ("files-21", "10.50.4.10"), 0.9, 4
    rng = site.rng
    # rack R3: both PDUs, outlets 1..6
    r3 = [("db-21", 1), ("db-22", 2), ("app-23", 3), ("app-24", 4), ("erp-21", 5), ("files-21", 6)]
    rows_a, rows_b = [], []
    badge = []
    # routine: the admin checks the PDUs on Monday, a new cable on outlet 8
    t = P("2024-11-18 10:14:21")
    rows_a += [(t, "pdu-a3", "", "User Login", "ebernard", "HTTPS 10.50.100.31"),
               (t + 302, "pdu-a3", "8", "Outlet On", "ebernard", "HTTPS 10.50.100.31"),
               (t + 410, "pdu-a3", "", "User Logout", "ebernard", "HTTPS 10.50.100.31")]
    rows_b += [(t + 40, "pdu-b3", "", "User Login", "ebernard", "HTTPS 10.50.100.31"),
               (t + 330, "pdu-b3", "8", "Outlet On", "ebernard", "HTTPS 10.50.100.31"),
               (t + 420, "pdu-b3", "", "User Logout", "ebernard", "HTTPS 10.50.100.31")]
    rows_a += [(P("2024-11-19 16:02:09"), "pdu-a3", "", "User Login", "snmp-monitor", "SNMP 10.50.0.30"),
               (P("2024-11-19 16:02:10"), "pdu-a3", "", "User Logout", "snmp-monitor", "SNMP 10.50.0.30")]
    # the night: a former contractor's account, still valid on the PDUs
    who, ip = "tmoreau", "10.50.12.77"
    t_login = P("2024-11-20 02:44:12")
    rows_a.append((t_login, "pdu-a3", "", "User Login", who, f"HTTPS {ip}"))
    rows_b.append((t_login + 27.5, "pdu-b3", "", "User Login", who, f"HTTPS {ip}"))
    t = P("2024-11-20 02:45:31")
    t_first = t
    down = []
    for host, outlet in r3:
        rows_a.append((t, "pdu-a3", str(outlet), "Outlet Off", who, f"HTTPS {ip}"))
        t2 = t + rng.uniform(3, 9)
        rows_b.append((t2, "pdu-b3", str(outlet), "Outlet Off", who, f"HTTPS {ip}"))
        down.append((host, outlet, t, t2))
        drop(hs[host], t2 + 0.05)
        t = t2 + rng.uniform(8, 25)
    rows_a.append((t + 40, "pdu-a3", "", "User Logout", who, f"HTTPS {ip}"))
    rows_b.append((t + 52, "pdu-b3", "", "User Logout", who, f"HTTPS {ip}"))
    # BMC of the two database servers (local time)
    sels = {}
    for host, outlet, ta, tb in down:
        if host in ("db-21", "db-22"):
            sels[host] = [(P("2024-06-03 09:12:40"), "Power Supply PS Redundancy", "Fully Redundant", "Asserted"),
                          (ta + 0.6, "Power Supply PS1 Status", "Power Supply AC lost", "Asserted"),
                          (ta + 1.4, "Power Supply PS Redundancy", "Redundancy Lost", "Asserted")]
    # on call: SMS from nagios, VPN from home, then on site
    oncall = "ebernard"
    vpn_t = P("2024-11-20 02:58:40")
    admin_session(hs["bastion-21"], vpn_t + 95, oncall, "10.50.250.4", ["/usr/bin/ping -c 3 db-21", "/usr/bin/ipmitool -I lanplus -H 10.50.250.31 -U root -E chassis status"], dur=900)
    badge += [(P("2024-11-20 03:41:05"), "DC-Salle-serveurs", "04512", "Emma Bernard", "Granted")]
    t_on = P("2024-11-20 03:52:30")
    rows_a.append((t_on - 60, "pdu-a3", "", "User Login", oncall, "HTTPS 10.50.100.31"))
    rows_b.append((t_on - 48, "pdu-b3", "", "User Login", oncall, "HTTPS 10.50.100.31"))
    for host, outlet in r3:
        rows_a.append((t_on, "pdu-a3", str(outlet), "Outlet On", oncall, "HTTPS 10.50.100.31"))
        rows_b.append((t_on + 2, "pdu-b3", str(outlet), "Outlet On", oncall, "HTTPS 10.50.100.31"))
        boot(hs[host], t_on + 0.5)
        if host in sels:
            tb = t_on + rng.uniform(1, 3)
            sels[host] += [(tb, "Power Unit Pwr Unit Status", "AC lost", "Asserted"),
                           (tb + 0.6, "Power Supply PS1 Status", "Power Supply AC lost", "Deasserted"),
                           (tb + 1.1, "Power Supply PS Redundancy", "Fully Redundant", "Asserted")]
        t_on += rng.uniform(20, 50)
    rows_a.append((t_on + 200, "pdu-a3", "", "User Logout", oncall, "HTTPS 10.50.100.31"))
    rows_b.append((t_on + 212, "pdu-b3", "", "User Logout", oncall, "HTTPS 10.50.100.31"))
    c = t_on + 300
    for host, _ in r3:
        h = hs[host]
        c = max(c, h.boots[-1]["t_ready"]) + rng.uniform(60, 200)
        fam = h.osp["family"]
        admin_session(h, c, oncall, "10.50.100.31", ["/usr/bin/systemctl --failed" if fam == "debian" else "/bin/systemctl --failed"], dur=500)
    badge += [(P("2024-11-20 05:12:44"), "DC-Salle-serveurs", "04512", "Emma Bernard", "Granted")]
    # the badge system: normal days, and nobody in the room at night
    people = [("04512", "Emma Bernard"), ("04519", "Paul Gauthier"), ("03077", "Societe Nettoyage"),
              ("05120", "Maintenance CVC")]
    for d in days(site.t0, site.t1, PARIS):
        if local(d, PARIS).weekday() >= 5:
            continue
        for badge_id, name in people:
            if rng.random() < 0.6:
                tt = d + rng.uniform(8.5, 17) * 3600
                badge.append((tt, "DC-Salle-serveurs", badge_id, name, "Granted"))
    badge.append((P("2024-11-19 18:40:03"), "DC-Salle-serveurs", "02210", "Badge inconnu", "Denied"))
    # mon-21 sees it all
    def late():
        nagios_watch(hs["mon-21"], [n for n in sorted(hs) if n != "mon-21"])
    site.late.append(late)
    site.add_file("power/pdu-a3.csv", pdu_csv(rows_a, PARIS), P("2024-11-21 09:40:00"))
    site.add_file("power/pdu-b3.csv", pdu_csv(rows_b, PARIS), P("2024-11-21 09:41:00"))
    for n, sel in sorted(sels.items()):
        site.add_file(f"ipmi/sel-{n}.txt", sel_text(sel, PARIS, start_id=0x41), P("2024-11-21 09:50:00"))
    site.add_file("access/badge.csv", badge_csv(badge, PARIS), P("2024-11-21 09:30:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "sabotage", t_first, P("2024-11-20 03:52:30"),
                   [h for h, _ in r3], {"user": who, "src_ip": ip, "device": "pdu-a3"}, ["--tz", "Europe/Paris"],
                   "At 02:44 local a former contractor's PDU account (tmoreau), still active, logged into the "
                   "management interfaces of both PDUs of rack R3 from workstation 10.50.12.77 and switched "
                   "outlets 1-6 off on pdu-a3 and pdu-b3 one by one from 02:45:31 (01:45:31Z). The six servers "
                   "on them dropped without a shutdown. No UPS event, nobody badged into the room; the on-call "
                   "admin switched the outlets back on at 03:52.")
    return stats




# --------------------------------------------------------------------------
# Set 4: stolen-admin-wiper

def remote_store(site, receiver, zone=PARIS):
    """rsyslog on the receiver stores what every host forwarded (TCP, the
    traditional forward format: whole seconds, no zone, read as local time)
    under /var/log/remote/HOST/syslog.log, rotated with its own files."""
    rh = site.hosts[receiver]
    for name in sorted(site.hosts):
        if name == receiver:
            continue
        h = site.hosts[name]
        lines = [(e[0], render(h, e, fmt="iso", zone=zone, frac=False)) for e in h.sent]
        m, raw = rotated_members(lines, rh.rot, "syslog.log", "debian", "gz", 0.0, zone,
                                 prefix=f"var/log/remote/{name}/")
        first = True
        for path, (data, mt) in m.items():
            rh.extra_files[path] = (data, mt, raw if first else 0)
            first = False


def set_wiper(outdir):
    P = T
    site = small_site("stolen-admin-wiper", P("2024-03-11 00:00:00"), P("2024-03-14 15:40:00"),
                      "10.55", [("pleroy", "10.55.100.12"), ("aroux", "10.55.100.13")],
                      bastion="10.55.0.20")
    site.monitor = "mon-91"
    site.mail_domain = "ghse-sante.fr"
    hs = add_hosts(site, [
        ("log-91", "deb12", "10.55.0.40", dict(roles=set())),
        ("bastion-91", "deb12", "10.55.0.20", dict(roles=set())),
        ("mon-91", "deb12", "10.55.0.30", dict(roles={"nagios"}, snmp=False)),
        ("dns-91", "deb11", "10.55.0.11", dict(roles={"dns"})),
        ("mail-91", "deb12", "10.55.1.10", dict(roles={"postfix", "mx"})),
        ("web-91", "deb12", "10.55.2.10", dict(roles={"nginx"})),
        ("web-92", "deb12", "10.55.2.11", dict(roles={"nginx"})),
        ("app-91", "deb11", "10.55.2.21", dict(roles={"app"}, app="dossier")),
        ("app-92", "deb11", "10.55.2.22", dict(roles={"app"}, app="dossier")),
        ("app-93", "deb11", "10.55.2.23", dict(roles={"app"}, app="facturation", skew=-24.0)),
        ("erp-91", "rhel8", "10.55.3.20", dict(roles={"app"}, app="erp", compress="none")),
        ("db-91", "rhel8", "10.55.3.10", dict(roles={"postgres"}, compress="none")),
        ("db-92", "rhel9", "10.55.3.11", dict(roles={"postgres"}, compress="none")),
        ("files-91", "deb11", "10.55.4.10", dict(roles={"samba"})),
        ("backup-91", "deb11", "10.55.4.20", dict(roles={"bacula"})),
        ("hr-91", "deb10", "10.55.2.30", dict(roles={"app"}, app="rh")),
    ])
    internet_facing(hs["bastion-91"], "198.51.100.200", 14)
    internet_facing(hs["mail-91"], "198.51.100.201", 8)
    hs["mail-91"].relay, hs["mail-91"].spam_share, hs["mail-91"].mx_rate = ("files-91", "10.55.4.10"), 0.9, 4
    for h in hs.values():
        h.admin_rate = 0.35
    rng = site.rng
    bast = hs["bastion-91"]
    # pleroy normally reaches the bastion with his key from his workstation
    for d in days(site.t0, P("2024-03-13 00:00:00"), PARIS):
        if local(d, PARIS).weekday() < 5:
            admin_session(bast, d + rng.uniform(8.5, 10) * 3600, "pleroy", "10.55.100.12", ["/usr/bin/systemctl status fail2ban"], dur=rng.uniform(1800, 5000))
    atk = "203.0.113.54"
    t0 = P("2024-03-13 01:12:08.4")
    fa = bast.fac_auth()
    ssh_login(bast, t0, "pleroy", atk, method="password")
    sudo(bast, t0 + 23.1, "pleroy", "/bin/bash", tty="pts/1", dur=-1)
    t = t0 + 50
    up = bast.newpid()
    bast.log(t, fa, "useradd", "new group: name=sysupd, GID=1006", up)
    bast.log(t + 0.02, fa, "useradd", "new user: name=sysupd, UID=1006, GID=1006, home=/home/sysupd, shell=/bin/bash, from=/dev/pts/1", up)
    um = bast.newpid()
    bast.log(t + 6.1, fa, "usermod", "add 'sysupd' to group 'sudo'", um)
    bast.log(t + 6.1, fa, "usermod", "add 'sysupd' to shadow group 'sudo'", um)
    bast.log(t + 14.8, fa, "passwd", "pam_unix(passwd:chauthtok): password changed for sysupd", bast.newpid())
    cp = bast.newpid()
    bast.log(t + 22.0, "cron", "crontab", "(root) BEGIN EDIT (root)", cp)
    bast.log(t + 41.3, "cron", "crontab", "(root) REPLACE (root)", cp)
    bast.log(t + 41.3, "cron", "crontab", "(root) END EDIT (root)", cp)
    # then a prepared script walks the servers with pleroy's agent-forwarded key
    victims = ["db-91", "db-92", "files-91", "backup-91", "app-91", "app-92", "app-93", "erp-91", "web-91"]
    t = t0 + 95
    downs = {}
    for n in victims:
        h = hs[n]
        rhel = h.osp["family"] == "rhel"
        sc = "/bin/systemctl" if rhel else "/usr/bin/systemctl"
        svc = {"db-91": "postgresql", "db-92": "postgresql", "files-91": "smbd", "backup-91": "bacula-dir",
               "web-91": "nginx"}.get(n, "tomcat9")
        dev = "/dev/sdb"
        logs = "/var/log/messages* /var/log/secure*" if rhel else "/var/log/syslog* /var/log/auth.log*"
        ssh_login(h, t, "pleroy", "10.55.0.20")
        c = t + rng.uniform(1.5, 3)
        c = sudo(h, c, "pleroy", f"{sc} stop {svc}", tty="unknown", dur=rng.uniform(1, 4))
        unit_ = [u for u in svc_table(h) if u[0].startswith(svc)]
        role_ = {"postgresql": "postgres", "smbd": "samba", "bacula-dir": "bacula", "nginx": "nginx"}.get(svc, "app")
        if unit_:
            h.log(c - 0.9, "daemon", "systemd", "Stopping " + h.unit(*unit_[0]) + "...", 1)
            if role_ == "postgres":
                p = h.dpid("postgres", c)
                now = local(c - 0.6 + h.skew, h.zone)
                stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond // 1000:03d} " + now.strftime("%Z")
                h.log(c - 0.6, "local0", "postgres", f"[1-1] {stamp} [{p}] LOG:  received fast shutdown request", p)
                h.log(c - 0.3, "local0", "postgres", f"[2-1] {stamp} [{p}] LOG:  database system is shut down", p)
            h.log(c - 0.1, "daemon", "systemd", "Stopped " + h.unit(*unit_[0]) + ".", 1)
        c = sudo(h, c + 0.3, "pleroy", f"/usr/bin/dd if=/dev/urandom of={dev} bs=4M count=4096", tty="unknown", dur=rng.uniform(9, 16))
        c = sudo(h, c + 0.3, "pleroy", f"/usr/bin/bash -c shred -u -n 1 {logs}", tty="unknown", dur=rng.uniform(1, 3))
        shred_t = c - 0.5
        c = sudo(h, c + 0.3, "pleroy", "/usr/sbin/poweroff" if not rhel else "/sbin/poweroff", tty="unknown", dur=0.3)
        shutdown(h, c + 0.2, skip=(svc, role_))
        fam = ("messages", "secure") if rhel else ("syslog", "auth.log")
        h.local_gaps = [(float("-inf"), None, set(fam), shred_t)]
        downs[n] = c
        t = c + rng.uniform(8, 20)
    # the bastion last, from the root shell: no sudo line, just the effects
    shred_b = t + 30
    bast.local_gaps = [(float("-inf"), None, {"syslog", "auth.log"}, shred_b)]
    shutdown(bast, shred_b + 12)
    # morning: the responders
    adm, ws = "aroux", "10.55.100.13"
    admin_session(hs["log-91"], P("2024-03-13 07:44:10"), adm, ws,
                  ["/usr/bin/grep -r pleroy /var/log/remote/bastion-91/syslog.log",
                   "/usr/bin/tail -n 400 /var/log/remote/db-91/syslog.log"], dur=3000)
    c = P("2024-03-13 08:31:00")
    for n in victims + ["bastion-91"]:
        h = hs[n]
        boot(h, c)
        b = h.boots[-1]
        h.local_gaps = [(a, b["t0"], ss) for a, _, ss, _ in h.local_gaps]
        t_r = b["t_ready"]
        if n == "bastion-91":
            c += rng.uniform(60, 150)
            continue
        rhel = h.osp["family"] == "rhel"
        if rhel:
            h.log(t_r - 2.0, "kern", "kernel", "XFS (sdb1): Invalid superblock magic number", prio=3)
            h.log(t_r - 1.9, "daemon", "systemd", "var-lib-pgsql.mount: Mount process exited, code=exited, status=32/n/a" if n != "erp-91" else "srv-data.mount: Mount process exited, code=exited, status=32/n/a", 1)
            mnt = "/var/lib/pgsql" if n != "erp-91" else "/srv/data"
            u = h.unit("var-lib-pgsql.mount" if n != "erp-91" else "srv-data.mount", mnt)
            h.log(t_r - 1.9, "daemon", "systemd", f"Failed to mount {u}.", 1)
        else:
            h.log(t_r - 2.0, "kern", "kernel", kline(h, t_r - 2.0 - b["t0"], "EXT4-fs (sdb1): VFS: Can't find ext4 filesystem"), prio=3)
            h.log(t_r - 1.9, "daemon", "systemd", "srv-data.mount: Mount process exited, code=exited, status=32/n/a", 1)
            h.log(t_r - 1.9, "daemon", "systemd", f"srv-data.mount: Failed with result 'exit-code'.", 1)
            h.log(t_r - 1.9, "daemon", "systemd", f"Failed to mount {h.unit('srv-data.mount', '/srv/data')}.", 1)
        c += rng.uniform(60, 150)
    c += 300
    for n in victims:
        h = hs[n]
        c = max(c, h.boots[-1]["t_ready"]) + rng.uniform(60, 200)
        fam = h.osp["family"]
        admin_session(h, c, adm, ws, ["/usr/bin/lsblk -f" if fam == "debian" else "/bin/lsblk -f",
                                      "/usr/bin/ls -la /var/log" if fam == "debian" else "/bin/ls -la /var/log"], dur=700)
    admin_session(bast, c + 400, adm, ws, ["/usr/bin/getent passwd sysupd", "/usr/sbin/userdel -r sysupd",
                                           "/usr/bin/crontab -l", "/usr/bin/passwd -l pleroy"], dur=1500)

    def late():
        nagios_watch(hs["mon-91"], [n for n in sorted(hs) if n != "mon-91"])
    site.late.append(late)
    site.post = [lambda: remote_store(site, "log-91")]
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "cyberattack", t0, shred_b + 12,
                   victims + ["bastion-91"], {"user": "pleroy", "src_ip": atk, "device": None},
                   ["--tz", "Europe/Paris"],
                   "At 01:12:08 local (00:12:08Z) pleroy's stolen password was used on the internet-facing "
                   "bastion from an address never seen before (he always uses his key from 10.55.100.12). "
                   "sudo to a root shell, a new sudo user (sysupd), root's crontab replaced, then a script "
                   "went through nine servers as pleroy from the bastion: stop the service, overwrite the "
                   "data disk with dd, shred the local logs, poweroff. The bastion shut itself down last. "
                   "The victims' local syslog/auth.log (messages/secure) are gone; the central log server "
                   "log-91 kept everything under var/log/remote/. Failed logins on the bastion in the same "
                   "hours are unrelated scanning.")
    return stats


# --------------------------------------------------------------------------
# Set 5: maintenance-window

def set_maintenance(outdir):
    P = T
    site = small_site("maintenance-window", P("2024-09-19 00:00:00"), P("2024-09-22 17:20:00"),
                      "10.60", [("ebernard", "10.60.100.21"), ("kmercier", "10.60.100.22")],
                      bastion="10.60.0.20")
    site.monitor = "mon-31"
    site.mail_domain = "ghse-sante.fr"
    hs = add_hosts(site, [
        ("mon-31", "deb12", "10.60.0.30", dict(roles={"nagios"}, snmp=False)),
        ("dns-31", "deb12", "10.60.0.11", dict(roles={"dns"})),
        ("bastion-31", "deb12", "10.60.0.20", dict(roles=set())),
        ("mail-31", "deb12", "10.60.1.10", dict(roles={"postfix", "mx"})),
        ("web-31", "deb12", "10.60.2.10", dict(roles={"nginx"})),
        ("app-31", "deb11", "10.60.2.21", dict(roles={"app"}, app="agenda")),
        ("app-32", "deb11", "10.60.2.22", dict(roles={"app"}, app="agenda", skew=41.0)),
        ("app-33", "deb12", "10.60.2.23", dict(roles={"app"}, app="stocks", zone=UTCZ)),
        ("app-34", "deb10", "10.60.2.24", dict(roles={"app"}, app="stocks")),
        ("files-31", "deb11", "10.60.4.10", dict(roles={"samba"})),
        ("db-31", "rhel8", "10.60.3.10", dict(roles={"postgres"}, compress="none")),
        ("db-32", "rhel9", "10.60.3.11", dict(roles={"postgres"}, compress="none")),
    ])
    internet_facing(hs["mail-31"], "198.51.100.90", 8)
    hs["mail-31"].relay, hs["mail-31"].spam_share, hs["mail-31"].mx_rate = ("files-31", "10.60.4.10"), 0.9, 4
    rng = site.rng
    admin, ws = "ebernard", "10.60.100.21"
    chg = "CHG-2024-0917"
    mon = hs["mon-31"]
    order = ["web-31", "app-31", "app-32", "app-33", "app-34", "files-31", "db-31", "db-32"]
    outlets = {n: i + 1 for i, n in enumerate(order)}
    # announced on Friday: downtime scheduled in nagios
    w0, w1 = P("2024-09-21 06:00:00"), P("2024-09-21 10:00:00")
    t = P("2024-09-20 16:21:37")
    for n in order:
        mon.log(t, "daemon", "nagios4", f"EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME;{n};{int(w0)};{int(w1)};1;0;14400;{admin};{chg} remplacement PDU baie B2")
        t += rng.uniform(0.2, 0.8)
    badge = [(P("2024-09-21 05:52:10"), "DC-Salle-B", "04512", "Emma Bernard", "Granted")]
    t = P("2024-09-21 06:05:12")
    t_first = None
    for n in order:
        h = hs[n]
        svc = {"web-31": "nginx", "files-31": "smbd", "db-31": "postgresql", "db-32": "postgresql"}.get(n, "tomcat9")
        sysctl = "/bin/systemctl" if h.osp["family"] == "rhel" else "/usr/bin/systemctl"
        sd = "/sbin/shutdown" if h.osp["family"] == "rhel" else "/usr/sbin/shutdown"
        cmd_t = t + rng.uniform(25, 50)
        t += rng.random()
        ssh_login(h, t, admin, ws)
        sudo(h, cmd_t - 20, admin, f"{sysctl} stop {svc}", dur=rng.uniform(2, 9))
        sudo(h, cmd_t, admin, f'{sd} -h +1 "{chg} remplacement PDU baie B2"', dur=0.2)
        lt = cmd_t + 0.1
        if t_first is None:
            t_first = cmd_t
        h.log(lt, "auth", "systemd-logind", "Creating /run/nologin, blocking further logins...", h.dpid("systemd-logind", lt))
        shutdown(h, lt + 60)
        t = lt + 60 + rng.uniform(200, 420)
    # the PDU of rack B2, once every server in it is off
    rows = [(P("2024-09-16 11:03:27"), "pdu-b2", "", "User Login", admin, f"HTTPS {ws}"),
            (P("2024-09-16 11:06:02"), "pdu-b2", "", "User Logout", admin, f"HTTPS {ws}"),
            (P("2024-09-19 14:40:09"), "pdu-b2", "", "User Login", admin, f"HTTPS {ws}"),
            (P("2024-09-19 14:44:51"), "pdu-b2", "", "User Logout", admin, f"HTTPS {ws}")]
    t = max(hs[n].boots[-1]["end"] for n in order) + 180
    rows.append((t, "pdu-b2", "", "User Login", admin, f"HTTPS {ws}"))
    for n in order:
        t += rng.uniform(8, 20)
        rows.append((t, "pdu-b2", str(outlets[n]), "Outlet Off", admin, f"HTTPS {ws}"))
    rows.append((t + 30, "pdu-b2", "", "User Logout", admin, f"HTTPS {ws}"))
    t_cut = t + 420
    rows.append((t_cut, "pdu-b2", "", "Input Power Lost", "", ""))
    t_rest = P("2024-09-21 08:36:40")
    rows.append((t_rest, "pdu-b2", "", "Input Power Restored", "", ""))
    t = t_rest + 240
    rows.append((t, "pdu-b2", "", "User Login", admin, f"HTTPS {ws}"))
    for n in order:
        t += rng.uniform(15, 40)
        rows.append((t, "pdu-b2", str(outlets[n]), "Outlet On", admin, f"HTTPS {ws}"))
        boot(hs[n], t + 0.5)
    rows.append((t + 60, "pdu-b2", "", "User Logout", admin, f"HTTPS {ws}"))
    c = t + 300
    for n in order:
        h = hs[n]
        c = max(c, h.boots[-1]["t_ready"]) + rng.uniform(60, 240)
        fam = h.osp["family"]
        admin_session(h, c, admin, ws, ["/usr/bin/systemctl --failed" if fam == "debian" else "/bin/systemctl --failed",
                                        "/usr/bin/journalctl -b -1 -n 30" if fam == "debian" else "/bin/journalctl -b -1 -n 30"], dur=600)
    badge.append((P("2024-09-21 09:55:31"), "DC-Salle-B", "04512", "Emma Bernard", "Granted"))
    for d in days(site.t0, site.t1, PARIS):
        if local(d, PARIS).weekday() < 5 and rng.random() < 0.8:
            badge.append((d + rng.uniform(9, 16) * 3600, "DC-Salle-B", "04519", "Kevin Mercier", "Granted"))

    def late():
        nagios_watch(mon, [n for n in sorted(hs) if n != "mon-31"], downtime=(set(order), w0, w1))
    site.late.append(late)
    site.add_file("power/pdu-b2.csv", pdu_csv(rows, PARIS), P("2024-09-22 16:40:00"))
    site.add_file("access/badge.csv", badge_csv(badge, PARIS), P("2024-09-22 16:30:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "planned-shutdown", t_first, t_rest,
                   order, {"user": admin, "src_ip": ws, "device": "pdu-b2"}, ["--tz", "Europe/Paris"],
                   "Change CHG-2024-0917, scheduled in nagios the day before (host downtime 06:00-10:00). "
                   "On Saturday 21 September the on-site admin shut the eight servers of rack B2 down one "
                   "by one with shutdown -h +1 from 06:05 local, then switched their PDU outlets off; the "
                   "PDU input was cut for the work and restored at 08:36, outlets back on, clean boots. "
                   "incident_start is the first shutdown command (the host went down a minute later).")
    return stats


# --------------------------------------------------------------------------
# Set 6: quiet-period

def set_quiet(outdir):
    P = T
    site = small_site("quiet-period", P("2024-06-04 00:00:00"), P("2024-06-07 11:50:00"),
                      "10.65", [("jmartin", "10.65.100.11"), ("nrobert", "10.65.100.15")],
                      bastion="10.65.0.20")
    site.monitor = "mon-41"
    site.mail_domain = "ghse-sante.fr"
    hs = add_hosts(site, [
        ("mon-41", "deb12", "10.65.0.30", dict(roles={"nagios"}, snmp=False)),
        ("infra-41", "deb11", "10.65.0.12", dict(roles={"apcupsd", "dns"})),
        ("bastion-41", "deb12", "10.65.0.20", dict(roles=set())),
        ("mail-41", "deb12", "10.65.1.10", dict(roles={"postfix", "mx"})),
        ("mail-42", "deb11", "10.65.1.21", dict(roles={"postfix", "dovecot"})),
        ("web-41", "deb12", "10.65.2.10", dict(roles={"nginx", "php"}, zone=UTCZ)),
        ("app-41", "deb11", "10.65.2.21", dict(roles={"app"}, app="rdv", skew=-18.0)),
        ("db-41", "rhel8", "10.65.3.10", dict(roles={"postgres"}, compress="none")),
        ("files-41", "deb10", "10.65.4.10", dict(roles={"samba"})),
        ("print-41", "deb12", "10.65.4.30", dict(roles={"cups"})),
    ])
    internet_facing(hs["mail-41"], "203.0.113.110", 10)
    internet_facing(hs["web-41"], "203.0.113.111", 8)
    hs["mail-41"].relay, hs["mail-41"].spam_share, hs["mail-41"].mx_rate = ("mail-42", "10.65.1.21"), 0.45, 16
    site.mail_gw = ("mail-41", "10.65.1.10")
    infra = hs["infra-41"]
    ev = [(P("2024-04-22 09:41:03"), "apcupsd 3.14.14 (31 May 2016) debian startup succeeded"),
          (P("2024-05-07 03:00:11"), "UPS Self Test switch to battery."),
          (P("2024-05-07 03:00:19"), "UPS Self Test completed: Battery OK")]
    t = P("2024-06-04 03:00:10.6")
    apc_log(infra, t, "UPS Self Test switch to battery.", ev, 4)
    apc_log(infra, t + 8.4, "UPS Self Test completed: Battery OK", ev, 1)
    nm = [nmc(P("2024-05-21 03:00:04"), "selftest_start"), nmc(P("2024-05-21 03:00:13"), "selftest_pass"),
          nmc(P("2024-06-04 03:00:05"), "selftest_start"), nmc(P("2024-06-04 03:00:14"), "selftest_pass")]
    # an admin mistypes a sudo password, a web server gets restarted
    a = hs["app-41"]
    t = P("2024-06-05 10:12:44")
    admin_session(a, t, "nrobert", "10.65.100.15", [], dur=900)
    fa = a.fac_auth()
    a.log(t + 31, fa, "sudo", "pam_unix(sudo:auth): authentication failure; logname=nrobert uid=1003 euid=0 tty=/dev/pts/0 ruser=nrobert rhost=  user=nrobert")
    a.log(t + 35, fa, "sudo", " nrobert : 1 incorrect password attempt ; TTY=pts/0 ; PWD=/home/nrobert ; USER=root ; COMMAND=/usr/bin/systemctl restart tomcat9")
    a.log(t + 41, fa, "sudo", " nrobert : TTY=pts/0 ; PWD=/home/nrobert ; USER=root ; COMMAND=/usr/bin/systemctl restart tomcat9")
    a.log(t + 41.01, fa, "sudo", "pam_unix(sudo:session): session opened for user root(uid=0) by nrobert(uid=1003)")
    a.log(t + 41.2, "daemon", "systemd", "Stopping Apache Tomcat 9 Web Application Server...", 1)
    a.log(t + 44.6, "daemon", "systemd", "tomcat9.service: Succeeded.", 1)
    a.log(t + 44.7, "daemon", "systemd", "Stopped Apache Tomcat 9 Web Application Server.", 1)
    a.log(t + 44.8, "daemon", "systemd", "Started Apache Tomcat 9 Web Application Server.", 1)
    a.log(t + 45.0, fa, "sudo", "pam_unix(sudo:session): session closed for user root")
    w = hs["web-41"]
    t = P("2024-06-06 14:03:09")
    admin_session(w, t, "jmartin", "10.65.100.11", [(10, "/usr/sbin/nginx -t"), (20, "/usr/bin/systemctl reload nginx")], dur=400)
    w.log(t + 90.3, "daemon", "systemd", "Reloading nginx.service - A high performance web server and a reverse proxy server...", 1)
    w.log(t + 90.4, "daemon", "systemd", "Reloaded nginx.service - A high performance web server and a reverse proxy server.", 1)

    def late():
        nagios_watch(hs["mon-41"], [n for n in sorted(hs) if n != "mon-41"])
    site.late.append(late)
    site.add_file("power/ups-41.events", apc_events_text(ev, PARIS), max(x[0] for x in ev) + 1)
    site.add_file("power/ups-42-nmc.txt", nmc_text(nm, PARIS), P("2024-06-07 11:20:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "no-incident", None, None, [],
                   {"user": None, "src_ip": None, "device": None}, ["--tz", "Europe/Paris"],
                   "Four ordinary days: internet SSH scanning on the two exposed hosts (never a success), "
                   "routine admin logins and sudo, one mistyped sudo password, a tomcat restart and an nginx "
                   "reload, scheduled UPS self-tests on both UPSes (on battery for a few seconds, by design). "
                   "No host went down.")
    return stats



# --------------------------------------------------------------------------
# Set 7: rack-breaker-trip

def inventory_text(site, feeds, upses, pdus, hosts):
    out = ["# DCIM export: power chain of the server room, generated by the DCIM tool",
           "# kind name attributes"]
    for f in feeds:
        out.append(f"feed  {f}")
    for u, f in upses:
        out.append(f"ups   {u:<12} feed={f}")
    for p, u, r in pdus:
        out.append(f"pdu   {p:<12} ups={u} rack={r}")
    for name, rack, psus, extra in hosts:
        h = site.hosts[name]
        svc = ",".join(sorted(r for r in h.roles if r not in ("nutclient", "apcslave"))) or "base"
        ps = " ".join(f"psu={p}" for p in psus)
        out.append(f"host  {name:<12} rack={rack} {ps} services={svc}{extra}")
    return "\n".join(out) + "\n"


def set_breaker(outdir):
    P = T
    site = small_site("rack-breaker-trip", P("2024-10-08 00:00:00"), P("2024-10-11 11:30:00"),
                      "10.80", [("lgarnier", "10.80.100.41"), ("fperrin", "10.80.100.42")],
                      bastion="10.80.100.41")
    site.monitor = "mon-51"
    site.mail_domain = "ghse-sante.fr"
    spec = [
        # name, os, ip, kw, rack, psus
        ("mon-51", "deb12", "10.80.0.30", dict(roles={"nagios"}, snmp=False), "R1", ["pdu-r1a:1", "pdu-r1b:1"]),
        ("dns-51", "deb12", "10.80.0.11", dict(roles={"dns"}), "R1", ["pdu-r1a:2", "pdu-r1b:2"]),
        ("web-51", "deb12", "10.80.2.10", dict(roles={"nginx"}), "R1", ["pdu-r1a:3", "pdu-r1b:3"]),
        ("web-52", "deb12", "10.80.2.11", dict(roles={"nginx"}, zone=UTCZ), "R1", ["pdu-r1a:4", "pdu-r1b:4"]),
        ("app-51", "deb11", "10.80.2.21", dict(roles={"app"}, app="labo"), "R1", ["pdu-r1a:5", "pdu-r1b:5"]),
        ("app-52", "deb11", "10.80.2.22", dict(roles={"app"}, app="labo"), "R1", ["pdu-r1a:6", "pdu-r1b:6"]),
        ("db-51", "rhel8", "10.80.3.10", dict(roles={"postgres"}, compress="none"), "R1", ["pdu-r1a:7", "pdu-r1b:7"]),
        ("app-53", "deb12", "10.80.2.23", dict(roles={"app"}, app="qualite"), "R2", ["pdu-r2a:3", "pdu-r2b:3"]),
        ("files-51", "deb11", "10.80.4.10", dict(roles={"samba"}), "R2", ["pdu-r2a:4", "pdu-r2b:4"]),
        ("build-51", "deb12", "10.80.5.11", dict(roles=set()), "R2", ["pdu-r2a:7"]),
        ("build-52", "deb12", "10.80.5.12", dict(roles=set(), skew=-44.0), "R2", ["pdu-r2a:8"]),
        ("ci-51", "deb11", "10.80.5.20", dict(roles={"app"}, app="jenkins"), "R2", ["pdu-r2a:9"]),
        ("backup-51", "deb11", "10.80.4.20", dict(roles={"bacula"}), "R2", ["pdu-r2a:10"]),
        ("db-52", "rhel9", "10.80.3.11", dict(roles={"postgres"}, compress="none"), "R2", ["pdu-r2a:12", "pdu-r2b:12"]),
        ("app-54", "deb12", "10.80.2.24", dict(roles={"app"}, app="portail"), "R3", ["pdu-r3a:1", "pdu-r3b:1"]),
        ("app-55", "deb12", "10.80.2.25", dict(roles={"app"}, app="portail", zone=UTCZ), "R3", ["pdu-r3a:2", "pdu-r3b:2"]),
        ("web-53", "deb10", "10.80.2.12", dict(roles={"nginx"}), "R3", ["pdu-r3a:3", "pdu-r3b:3"]),
        ("dns-52", "deb11", "10.80.0.12", dict(roles={"dns"}), "R3", ["pdu-r3a:4", "pdu-r3b:4"]),
        ("mail-51", "deb12", "10.80.1.10", dict(roles={"postfix", "mx"}), "R3", ["pdu-r3a:5", "pdu-r3b:5"]),
    ]
    hs = add_hosts(site, [(n, o, ip, kw) for n, o, ip, kw, _, _ in spec])
    # the new GPU server is racked on Thursday morning: its logs start then
    gpu = site.host("gpu-51", "deb12", "10.80.5.30", roles=set())
    gpu.app_name = "gpu"
    spec.append(("gpu-51", None, None, None, "R2", ["pdu-r2a:11"]))
    internet_facing(hs["mail-51"], "198.51.100.150", 8)
    hs["mail-51"].relay, hs["mail-51"].spam_share, hs["mail-51"].mx_rate = ("files-51", "10.80.4.10"), 0.9, 4
    rng = site.rng
    rows_a = [(P("2024-10-08 09:31:10"), "pdu-r2a", "", "User Login", "lgarnier", "HTTPS 10.80.100.41"),
              (P("2024-10-08 09:33:52"), "pdu-r2a", "", "User Logout", "lgarnier", "HTTPS 10.80.100.41")]
    rows_b = [(P("2024-10-08 09:35:40"), "pdu-r2b", "", "User Login", "lgarnier", "HTTPS 10.80.100.41"),
              (P("2024-10-08 09:37:02"), "pdu-r2b", "", "User Logout", "lgarnier", "HTTPS 10.80.100.41")]
    badge = []
    # Thursday 10 October: gpu-51 is plugged on pdu-r2a only (no free outlet on r2b)
    t = P("2024-10-10 11:02:03")
    badge.append((t - 600, "DC-Salle-1", "06120", "Luc Garnier", "Granted"))
    rows_a += [(t, "pdu-r2a", "", "User Login", "lgarnier", "HTTPS 10.80.100.41"),
               (t + 95, "pdu-r2a", "11", "Outlet On", "lgarnier", "HTTPS 10.80.100.41"),
               (t + 160, "pdu-r2a", "", "User Logout", "lgarnier", "HTTPS 10.80.100.41")]
    boot(gpu, t + 96, unclean=False)
    admin_session(gpu, gpu.boots[-1]["t_ready"] + 300, "lgarnier", "10.80.100.41",
                  ["/usr/bin/nvidia-smi", "/usr/bin/systemctl enable --now gpu-train.service"], dur=1800)
    # the afternoon job and the overload
    t_job = P("2024-10-10 14:15:40")
    gp = gpu.newpid()
    gpu.log(t_job, "daemon", "systemd", "Started gpu-train.service - Model training queue.", 1)
    gpu.log(t_job + 3.2, "local0", "gpu-train", "job 1187 started: 8 GPUs, power limit 400 W, batch 512", gp)
    for k in range(1, 7):
        gpu.log(t_job + 50 * k, "local0", "gpu-train", f"job 1187 epoch {k}/40 loss {2.1 / k:.4f}", gp)
    t_warn = P("2024-10-10 14:21:24")
    t_trip = P("2024-10-10 14:22:05.4")
    rows_a.append((t_warn, "pdu-r2a", "Bank 2", "Bank Overload Warning", "", ""))
    rows_a.append((t_trip, "pdu-r2a", "Bank 2", "Breaker Trip", "", ""))
    bank2 = ["build-51", "build-52", "ci-51", "backup-51", "gpu-51"]
    for n in bank2:
        drop(site.hosts[n], t_trip + 0.02)
    sel = [(P("2024-03-12 15:40:11"), "Power Supply PS Redundancy", "Fully Redundant", "Asserted"),
           (t_trip + 0.5, "Power Supply PS1 Status", "Power Supply AC lost", "Asserted"),
           (t_trip + 1.3, "Power Supply PS Redundancy", "Redundancy Lost", "Asserted")]
    badge += [(P("2024-10-10 14:39:51"), "DC-Salle-1", "06120", "Luc Garnier", "Granted"),
              (P("2024-10-10 14:57:33"), "DC-Salle-1", "09001", "Prestataire electricite", "Granted")]
    t_reset = P("2024-10-10 15:02:40")
    rows_a.append((t_reset, "pdu-r2a", "Bank 2", "Breaker Reset", "", "Local"))
    sel += [(t_reset + 0.7, "Power Supply PS1 Status", "Power Supply AC lost", "Deasserted"),
            (t_reset + 1.5, "Power Supply PS Redundancy", "Fully Redundant", "Asserted")]
    for n in bank2:
        boot(site.hosts[n], t_reset + rng.uniform(0.2, 1.5))
    admin_session(gpu, gpu.boots[-1]["t_ready"] + 240, "lgarnier", "10.80.100.41",
                      ["/usr/bin/systemctl stop gpu-train.service", "/usr/bin/nvidia-smi -pl 250",
                       "/usr/bin/systemctl start gpu-train.service"], dur=900)
    c = t_reset + 400
    for n in bank2[:-1]:
        h = site.hosts[n]
        c = max(c, h.boots[-1]["t_ready"]) + rng.uniform(60, 200)
        admin_session(h, c, "fperrin", "10.80.100.42", ["/usr/bin/systemctl --failed"], dur=400)
    badge.append((P("2024-10-10 15:31:02"), "DC-Salle-1", "06120", "Luc Garnier", "Granted"))
    for d in days(site.t0, site.t1, PARIS):
        if local(d, PARIS).weekday() < 5 and rng.random() < 0.7:
            badge.append((d + rng.uniform(9, 17) * 3600, "DC-Salle-1", "06133", "Francois Perrin", "Granted"))
    gpu.roles.add("gpu")

    def late():
        nagios_watch(site.hosts["mon-51"], [n for n in sorted(site.hosts) if n != "mon-51"])
    site.late.append(late)
    # pdu-r2a's card was never set to local time: its clock says UTC
    site.add_file("power/pdu-r2a.csv", pdu_csv(rows_a, UTCZ), P("2024-10-11 10:45:00"))
    site.add_file("power/pdu-r2b.csv", pdu_csv(rows_b, PARIS), P("2024-10-11 10:46:00"))
    site.add_file("ipmi/sel-db-52.txt", sel_text(sel, PARIS, start_id=0x1c), P("2024-10-11 10:50:00"))
    site.add_file("access/badge.csv", badge_csv(badge, PARIS), P("2024-10-11 10:30:00"))
    inv = inventory_text(site, ["utility-main"], [("ups-51", "utility-main")],
                         [("pdu-r1a", "ups-51", "R1"), ("pdu-r1b", "ups-51", "R1"),
                          ("pdu-r2a", "ups-51", "R2"), ("pdu-r2b", "ups-51", "R2"),
                          ("pdu-r3a", "ups-51", "R3"), ("pdu-r3b", "ups-51", "R3")],
                         [(n, r, p, "") for n, _, _, _, r, p in spec])
    site.add_file("inventory", inv, P("2024-10-11 10:20:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "accidental-power-fault", t_trip, t_reset,
                   bank2, {"user": None, "src_ip": None, "device": "pdu-r2a"}, ["--tz", "Europe/Paris"],
                   "A GPU server racked that morning on pdu-r2a only started a training job at 14:15 local; "
                   "bank 2 of pdu-r2a (outlets 7-12) warned of overload and tripped at 14:22:05 "
                   "(12:22:05Z). The five single-fed servers on that bank dropped; db-52, fed by both PDUs, "
                   "only lost PSU1 (SEL). No UPS event. The breaker was reset at 15:02. pdu-r2a's clock "
                   "is on UTC while everything else logs Paris time: its lines read two hours early.")
    return stats


# --------------------------------------------------------------------------
# Set 8: bmc-power-off

def set_bmc(outdir):
    P = T
    site = small_site("bmc-power-off", P("2024-11-25 00:00:00"), P("2024-11-28 11:00:00"),
                      "10.70", [("dfaure", "10.70.100.51"), ("amasson", "10.70.100.52")],
                      bastion="10.70.0.20")
    site.monitor = "mon-61"
    site.mail_domain = "ghse-sante.fr"
    site.uids.update({"svc-ipmi": 998})
    hs = add_hosts(site, [
        ("mgmt-61", "deb12", "10.70.0.20", dict(roles=set())),
        ("mon-61", "deb12", "10.70.0.30", dict(roles={"nagios"}, snmp=False)),
        ("dns-61", "deb11", "10.70.0.11", dict(roles={"dns"})),
        ("mail-61", "deb12", "10.70.1.10", dict(roles={"postfix", "mx"})),
        ("web-61", "deb12", "10.70.2.10", dict(roles={"nginx"})),
        ("web-62", "deb12", "10.70.2.11", dict(roles={"nginx"}, zone=UTCZ)),
        ("app-61", "deb11", "10.70.2.21", dict(roles={"app"}, app="dossier")),
        ("app-62", "deb11", "10.70.2.22", dict(roles={"app"}, app="dossier", skew=28.0)),
        ("app-63", "deb12", "10.70.2.23", dict(roles={"app"}, app="facturation")),
        ("app-64", "deb10", "10.70.2.24", dict(roles={"app"}, app="archives")),
        ("db-61", "rhel8", "10.70.3.10", dict(roles={"postgres"}, compress="none")),
        ("db-62", "rhel9", "10.70.3.11", dict(roles={"postgres"}, compress="none")),
        ("files-61", "deb11", "10.70.4.10", dict(roles={"samba"})),
        ("backup-61", "deb11", "10.70.4.20", dict(roles={"bacula"})),
    ])
    internet_facing(hs["mail-61"], "203.0.113.140", 9)
    hs["mail-61"].relay, hs["mail-61"].spam_share, hs["mail-61"].mx_rate = ("files-61", "10.70.4.10"), 0.9, 4
    rng = site.rng
    mg = hs["mgmt-61"]
    victims = ["web-61", "web-62", "app-61", "app-62", "app-63", "db-61", "db-62", "files-61"]
    # routine: the monitoring reads BMC sensors through mgmt-61 every 30 minutes
    for t in every(mg, 7 * 60, 1800, t_to=site.t1 - 600):
        s_ = ssh_login(mg, t + rng.random(), "svc-ipmi", "10.70.0.30", key="RSA")
        ssh_logout(mg, t + rng.uniform(6, 14), s_)
    sels = {n: [(P("2024-09-16 10:02:11"), "Power Supply PS Redundancy", "Fully Redundant", "Asserted"),
                (P("2024-09-16 10:02:40"), "OS Boot #0x8b", "C: boot completed", "Asserted")] for n in victims}
    sels["app-62"].insert(0, (P("2024-07-04 13:20:55"), "Memory #0x53", "Correctable ECC", "Asserted"))
    # the night: svc-ipmi's password, reused elsewhere, from an office workstation
    atk, who = "10.70.30.44", "svc-ipmi"
    t_login = P("2024-11-27 02:36:52.3")
    sess = ssh_login(mg, t_login, who, atk, method="password")
    mg.log(t_login + 14.2, mg.fac_auth(), "sudo", f"{who:>8} : TTY=pts/1 ; PWD=/home/{who} ; USER=root ; COMMAND=list")
    t = P("2024-11-27 02:37:31")
    for n in ("web-61", "db-61", "app-63"):
        for _ in range(rng.randint(1, 2)):
            sels[n].append((t, "Platform Security #0xd5", "Out-of-band access password violation", "Asserted"))
            t += rng.uniform(2, 6)
    t = P("2024-11-27 02:38:05.1")
    for n in victims:
        sels[n].append((t, "Power Unit Pwr Unit Status", "Power off/down", "Asserted"))
        drop(hs[n], t + 0.05, lost=rng.uniform(1, 6))
        t += rng.uniform(6, 15)
    # db-62's BMC log is cleared after the power-off
    t_clear = t + 18
    sels["db-62"] = [(t_clear, "Event Logging Disabled SEL", "Log area reset/cleared", "Asserted")]
    ssh_logout(mg, t_clear + 40, sess)
    # morning: nagios SMS at night went unanswered until 07:30
    adm, ws = "dfaure", "10.70.100.51"
    s2 = ssh_login(mg, P("2024-11-27 07:41:20"), adm, ws)
    c = P("2024-11-27 07:43:05")
    for n in victims:
        sels[n].append((c, "System ACPI Power State ACPI State", "S0/G0: working", "Asserted"))
        sels[n].append((c + 0.4, "Power Unit Pwr Unit Status", "Power off/down", "Deasserted"))
        boot(hs[n], c)
        c += rng.uniform(25, 70)
    ssh_logout(mg, c + 300, s2)
    c += 200
    for n in victims:
        h = hs[n]
        c = max(c, h.boots[-1]["t_ready"]) + rng.uniform(40, 150)
        fam = h.osp["family"]
        admin_session(h, c, adm, ws, ["/usr/bin/systemctl --failed" if fam == "debian" else "/bin/systemctl --failed",
                                      "/usr/bin/last -x -n 20" if fam == "debian" else "/bin/last -x -n 20"], dur=500)
    admin_session(mg, c + 600, adm, ws, ["/usr/bin/grep svc-ipmi /var/log/auth.log", "/usr/bin/passwd -l svc-ipmi"], dur=900)
    nm = [nmc(P("2024-11-05 03:00:04"), "selftest_start"), nmc(P("2024-11-05 03:00:12"), "selftest_pass"),
          nmc(P("2024-11-19 03:00:05"), "selftest_start"), nmc(P("2024-11-19 03:00:14"), "selftest_pass")]

    def late():
        nagios_watch(hs["mon-61"], [n for n in sorted(hs) if n != "mon-61"])
    site.late.append(late)
    for n in victims:
        site.add_file(f"ipmi/sel-{n}.txt", sel_text(sels[n], PARIS, start_id=1 if n == "db-62" else 0x20 + rng.randint(0, 40)),
                      P("2024-11-28 09:30:00"))
    site.add_file("power/ups-61-nmc.txt", nmc_text(nm, PARIS), P("2024-11-28 09:20:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "cyberattack", t_login, P("2024-11-27 07:43:05"),
                   victims, {"user": who, "src_ip": atk, "device": "mgmt-61"}, ["--tz", "Europe/Paris"],
                   "At 02:36:52 local (01:36:52Z) someone logged into the management jump host mgmt-61 as "
                   "the service account svc-ipmi with its password (it normally logs in by key from the "
                   "monitoring host) from an office workstation, tried default credentials on three BMCs "
                   "(out-of-band password violations), then powered eight servers off through their BMCs "
                   "between 02:38:05 and 02:39:24 and cleared one SEL. No AC loss, no UPS or PDU event. "
                   "incident_start is the login; the first power-off follows 73 s later.")
    return stats


# --------------------------------------------------------------------------
# Set 9: power-blip-with-scanning

def set_blip(outdir):
    P = T
    site = small_site("power-blip-with-scanning", P("2023-12-30 00:00:00"), P("2024-01-02 11:10:00"),
                      "10.90", [("ochevalier", "10.90.100.71"), ("jmartin", "10.90.100.11")],
                      bastion="10.90.0.20")
    site.monitor = "nut-71"
    site.mail_domain = "ghse-sante.fr"
    hs = add_hosts(site, [
        ("nut-71", "deb12", "10.90.0.10", dict(roles={"nutserver", "nagios"}, snmp=False)),
        ("infra-71", "deb11", "10.90.0.12", dict(roles={"apcupsd", "dns"})),
        ("mail-71", "deb12", "10.90.1.10", dict(roles={"postfix", "mx", "nutclient"})),
        ("mail-72", "deb11", "10.90.1.21", dict(roles={"postfix", "dovecot", "nutclient"})),
        ("web-71", "deb12", "10.90.2.10", dict(roles={"nginx", "nutclient"}, zone=UTCZ)),
        ("vpn-71", "deb12", "10.90.0.5", dict(roles={"openvpn"})),
        ("app-71", "deb11", "10.90.2.21", dict(roles={"app", "apcslave"}, app="rdv")),
        ("app-72", "deb10", "10.90.2.22", dict(roles={"app"}, app="rdv")),
        ("db-71", "rhel8", "10.90.3.10", dict(roles={"postgres", "nutclient"}, compress="none")),
        ("files-71", "deb11", "10.90.4.10", dict(roles={"samba", "apcslave"}, skew=-36.0)),
        ("backup-71", "deb11", "10.90.4.20", dict(roles={"bacula", "nutclient"})),
        ("print-71", "deb12", "10.90.4.30", dict(roles={"cups"})),
    ])
    internet_facing(hs["mail-71"], "198.51.100.171", 10)
    internet_facing(hs["web-71"], "198.51.100.172", 8)
    internet_facing(hs["vpn-71"], "198.51.100.173", 6)
    hs["mail-71"].relay, hs["mail-71"].spam_share, hs["mail-71"].mx_rate = ("mail-72", "10.90.1.21"), 0.5, 14
    site.mail_gw = ("mail-71", "10.90.1.10")
    hs["nut-71"].nut_ups = "ups-72"
    rng = site.rng
    # New Year's night: two sources hammer the exposed hosts for hours
    for ip, targets, t0, t1, per_min, style in [
            ("45.148.10.203", ["mail-71", "vpn-71"], P("2023-12-31 22:04:10"), P("2024-01-01 05:51:00"), 6.0, "root"),
            ("194.26.29.114", ["web-71", "mail-71"], P("2024-01-01 01:30:00"), P("2024-01-01 04:10:00"), 9.0, "invalid")]:
        t = t0
        while t < t1:
            h = hs[rng.choice(targets)]
            kind = style if rng.random() < 0.8 else ("invalid" if style == "root" else "root")
            ssh_attempt(h, t, ip, kind, tries=6 if rng.random() < 0.4 else rng.randint(1, 3))
            t += 60.0 / per_min * rng.uniform(0.5, 1.5)
    # 03:12:44: the utility blinks for two seconds
    t_b = P("2024-01-01 03:12:44.3")
    infra = hs["infra-71"]
    ev = [(P("2023-11-20 10:14:09"), "apcupsd 3.14.14 (31 May 2016) debian startup succeeded"),
          (P("2023-12-05 03:00:10"), "UPS Self Test switch to battery."),
          (P("2023-12-05 03:00:18"), "UPS Self Test completed: Battery OK")]
    apc_log(infra, t_b + 0.2, "Power failure.", ev)
    apc_log(infra, t_b + 2.3, "Power is back. UPS running on mains.", ev, 1)
    for n in ("app-71", "files-71"):
        apc_log(hs[n], t_b + 0.9, "Power failure.")
        apc_log(hs[n], t_b + 3.1, "Power is back. UPS running on mains.", prio=1)
    nm = [nmc(P("2023-12-19 03:00:05"), "selftest_start"), nmc(P("2023-12-19 03:00:13"), "selftest_pass"),
          nmc(t_b + 0.1, "onbatt_rapid"), nmc(t_b + 2.1, "offbatt")]
    nut = hs["nut-71"]
    upsmon(nut, t_b + 1.6, "UPS ups-72@localhost on battery", 1)
    upsmon(nut, t_b + 6.6, "UPS ups-72@localhost on line power", 5)
    for n in sorted(hs):
        if "nutclient" in hs[n].roles:
            d = rng.uniform(0, 4)
            upsmon(hs[n], t_b + 2.0 + d, "UPS ups-72@nut-71 on battery", 1)
            upsmon(hs[n], t_b + 7.0 + d, "UPS ups-72@nut-71 on line power", 5)
    # admins check on 2 January
    admin_session(infra, P("2024-01-02 08:52:03"), "ochevalier", "10.90.100.71", ["/usr/sbin/apcaccess status"], dur=400)
    admin_session(hs["mail-71"], P("2024-01-02 09:10:44"), "ochevalier", "10.90.100.71",
                  ["/usr/bin/fail2ban-client status sshd", "/usr/bin/grep -c Failed /var/log/auth.log.1"], dur=700)

    def late():
        nagios_watch(nut, [n for n in sorted(hs) if n != "nut-71"])
    site.late.append(late)
    site.add_file("power/ups-71.events", apc_events_text(ev, PARIS), t_b + 3)
    site.add_file("power/ups-72-nmc.txt", nmc_text(nm, PARIS), P("2024-01-02 10:40:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "no-incident", None, None, [],
                   {"user": None, "src_ip": None, "device": None}, ["--tz", "Europe/Paris"],
                   "New Year's night: a two-second utility blip at 03:12:44 local (02:12:44Z) seen by both "
                   "UPSes (apcupsd 'Power failure.' then 'Power is back.' with no 'Running on UPS "
                   "batteries.', NMC on battery for 2 s, NUT on battery for 5 s). Nothing went down. At the "
                   "same time two sources brute-forced SSH on the exposed hosts for hours (thousands of "
                   "failures, no success). Neither is an incident: no host, no service was lost, no login "
                   "succeeded. The set also spans the December-January year change in RFC 3164 logs.")
    return stats


# --------------------------------------------------------------------------
# Set 10: admin-recovery-after-outage

def set_admin_recovery(outdir):
    P = T
    site = small_site("admin-recovery-after-outage", P("2024-06-10 00:00:00"), P("2024-06-13 18:10:00"),
                      "10.25", [("rlambert", "10.25.100.61"), ("ccolin", "10.25.100.62")],
                      bastion="10.25.100.61")
    site.monitor = "mon-81"
    site.mail_domain = "ghse-sante.fr"
    hs = add_hosts(site, [
        ("infra-81", "deb10", "10.25.0.12", dict(roles={"apcupsd", "dns"})),
        ("dhcp-81", "deb11", "10.25.0.14", dict(roles={"dhcpd"})),
        ("dns-81", "deb12", "10.25.0.11", dict(roles={"dns"})),
        ("web-81", "deb12", "10.25.2.10", dict(roles={"nginx"}, zone=UTCZ)),
        ("app-81", "deb11", "10.25.2.21", dict(roles={"app"}, app="dossier")),
        ("app-82", "deb11", "10.25.2.22", dict(roles={"app"}, app="dossier")),
        ("app-83", "deb10", "10.25.2.23", dict(roles={"app"}, app="facturation")),
        ("app-84", "deb12", "10.25.2.24", dict(roles={"app"}, app="facturation", skew=19.0)),
        ("db-81", "rhel8", "10.25.3.10", dict(roles={"postgres"}, compress="none")),
        ("db-82", "rhel8", "10.25.3.11", dict(roles={"postgres"}, compress="gz")),
        ("files-81", "deb10", "10.25.4.10", dict(roles={"samba"})),
        ("mon-81", "deb12", "10.25.0.30", dict(roles={"nagios"}, snmp=False)),
        ("mail-81", "deb12", "10.25.1.10", dict(roles={"postfix", "mx"})),
        ("print-81", "deb12", "10.25.4.30", dict(roles={"cups"})),
    ])
    internet_facing(hs["mail-81"], "203.0.113.181", 9)
    hs["mail-81"].relay, hs["mail-81"].spam_share, hs["mail-81"].mx_rate = ("files-81", "10.25.4.10"), 0.9, 4
    rng = site.rng
    ups81 = ["infra-81", "dhcp-81", "dns-81", "web-81", "app-81", "app-82", "app-83", "app-84",
             "db-81", "db-82", "files-81"]
    infra = hs["infra-81"]
    ev = [(P("2024-02-26 15:20:41"), "apcupsd 3.14.14 (31 May 2016) debian startup succeeded")]
    for ts in ["2024-06-04 11:02:13", "2024-06-04 20:02:39", "2024-06-05 05:03:01",
               "2024-06-05 14:03:30", "2024-06-05 23:03:52"]:
        ev.append((P(ts), "UPS battery must be replaced."))
    t_cut = P("2024-06-12 16:41:03.2")
    apc_log(infra, t_cut + 0.2, "Power failure.", ev)
    nm = [nmc(P("2024-05-28 03:00:04"), "selftest_start"), nmc(P("2024-05-28 03:00:12"), "selftest_pass"),
          nmc(t_cut + 0.1, "onbatt_rapid"), nmc(t_cut + 1.4, "offbatt")]
    for n in ups81:
        drop(hs[n], t_cut + 0.9, lost=rng.uniform(0.5, 3) if n != "infra-81" else 0.05)
    # mains came back at once: the UPS output returns, BIOS powers the servers on
    for n in ups81:
        boot(hs[n], t_cut + rng.uniform(6, 9))
    ev.append((infra.apc_starts[-1], "apcupsd 3.14.14 (31 May 2016) debian startup succeeded"))
    apc_log(infra, infra.boots[-1]["t_ready"] + 600, "UPS battery must be replaced.", ev)
    # app-83 cannot start its application: stale pid file after the crash
    a83 = hs["app-83"]
    tf = a83.boots[-1]["t_ready"] - 0.5
    a83.log(tf, "daemon", "tomcat9", "Tomcat is already running (pid file /var/run/tomcat9.pid exists)", a83.dpid("tomcat9", tf))
    a83.log(tf + 0.1, "daemon", "systemd", "tomcat9.service: Main process exited, code=exited, status=1/FAILURE", 1)
    a83.log(tf + 0.1, "daemon", "systemd", "tomcat9.service: Failed with result 'exit-code'.", 1)
    a83.log(tf + 0.1, "daemon", "systemd", "Failed to start Apache Tomcat 9 Web Application Server.", 1)
    # the on-call admin arrives with a laptop that was never used here before
    badge = [(P("2024-06-12 17:08:40"), "DC-Salle-A", "07781", "Romain Lambert", "Granted")]
    laptop = "10.25.9.201"
    d = hs["dhcp-81"]
    tl = P("2024-06-12 17:14:02")
    d.log(tl, "daemon", "dhcpd", "DHCPDISCOVER from 3c:22:fb:7a:10:e4 via 10.25.9.1", d.dpid("dhcpd", tl))
    d.log(tl + 0.5, "daemon", "dhcpd", f"DHCPOFFER on {laptop} to 3c:22:fb:7a:10:e4 (LAPTOP-RLAMBERT) via 10.25.9.1", d.dpid("dhcpd", tl))
    d.log(tl + 0.6, "daemon", "dhcpd", f"DHCPREQUEST for {laptop} (10.25.0.14) from 3c:22:fb:7a:10:e4 (LAPTOP-RLAMBERT) via 10.25.9.1", d.dpid("dhcpd", tl))
    d.log(tl + 0.6, "daemon", "dhcpd", f"DHCPACK on {laptop} to 3c:22:fb:7a:10:e4 (LAPTOP-RLAMBERT) via 10.25.9.1", d.dpid("dhcpd", tl))
    c = P("2024-06-12 17:19:30")
    steps = [
        ("infra-81", "root", ["!journalctl"]), ("files-81", "root", ["!fsck"]),
        ("db-81", "root", []), ("db-82", "root", []),
        ("app-83", "rlambert", ["/usr/bin/rm -f /var/run/tomcat9.pid", "/usr/bin/systemctl start tomcat9",
                                "/usr/bin/journalctl --vacuum-time=2d", "/usr/bin/rm -f /var/log/tomcat9/catalina.out.1"]),
        ("app-81", "rlambert", ["/usr/bin/systemctl status tomcat9", "/usr/bin/journalctl --vacuum-size=500M"]),
        ("app-82", "rlambert", ["/usr/bin/systemctl status tomcat9"]),
        ("app-84", "rlambert", ["/usr/bin/systemctl restart tomcat9"]),
        ("web-81", "rlambert", ["/usr/sbin/nginx -t", "/usr/bin/systemctl restart nginx"]),
    ]
    for n, user, cmds in steps:
        h = hs[n]
        c = max(c, h.boots[-1]["t_ready"]) + rng.uniform(60, 240)
        s_ = ssh_login(h, c, user, laptop, method="password")
        e = c + rng.uniform(20, 60)
        for cmd in cmds:
            if cmd.startswith("!"):
                continue
            e = sudo(h, e, user, cmd) + rng.uniform(10, 60)
        if n == "app-83":
            h.log(e - 40, "daemon", "systemd", "Starting Apache Tomcat 9 Web Application Server...", 1)
            h.log(e - 39, "daemon", "systemd", "Started Apache Tomcat 9 Web Application Server.", 1)
        if n == "db-81":
            h.log(e + 3, "daemon", "systemd", "Stopping PostgreSQL database server...", 1)
            h.log(e + 6, "daemon", "systemd", "Stopped PostgreSQL database server.", 1)
            h.log(e + 6.2, "daemon", "systemd", "Starting PostgreSQL database server...", 1)
            h.log(e + 7.4, "daemon", "systemd", "Started PostgreSQL database server.", 1)
            e += 20
        ssh_logout(h, e + rng.uniform(60, 400), s_)
        c = e
    badge.append((P("2024-06-12 19:02:17"), "DC-Salle-A", "07781", "Romain Lambert", "Granted"))
    for dd in days(site.t0, site.t1, PARIS):
        if local(dd, PARIS).weekday() < 5 and rng.random() < 0.7:
            badge.append((dd + rng.uniform(9, 17) * 3600, "DC-Salle-A", "07790", "Claire Colin", "Granted"))

    def late():
        nagios_watch(hs["mon-81"], [n for n in sorted(hs) if n != "mon-81"])
    site.late.append(late)
    site.add_file("power/ups-81.events", apc_events_text(ev, PARIS), max(x[0] for x in ev) + 1)
    site.add_file("power/ups-82-nmc.txt", nmc_text(nm, PARIS), P("2024-06-13 17:40:00"))
    site.add_file("access/badge.csv", badge_csv(badge, PARIS), P("2024-06-13 17:30:00"))
    stats = finish_site(site, outdir, chatter_for)
    write_expected(os.path.join(outdir, "expected.json"), "accidental-power-fault", t_cut, t_cut + 2,
                   ups81, {"user": None, "src_ip": None, "device": "ups-81"}, ["--tz", "Europe/Paris"],
                   "A one-second utility dip at 16:41:03 local (14:41:03Z). UPS-82 rode through it; UPS-81, "
                   "whose battery had been flagged for replacement a week earlier, dropped its load: its "
                   "eleven servers lost power and rebooted uncleanly. The on-call admin then came in with a "
                   "laptop never seen before (DHCP lease LAPTOP-RLAMBERT), logged in as root and with his "
                   "own account by password from it, removed a stale pid file, vacuumed journals and "
                   "restarted services. Those logins and commands come after the power loss and are the "
                   "recovery, not an attack.")
    return stats


# --------------------------------------------------------------------------

SETS = {
    "hospital-power-outage": set_hospital,
    "ups-graceful-shutdown": set_ups_graceful,
    "pdu-outlet-sabotage": set_pdu_sabotage,
    "stolen-admin-wiper": set_wiper,
    "maintenance-window": set_maintenance,
    "quiet-period": set_quiet,
    "rack-breaker-trip": set_breaker,
    "bmc-power-off": set_bmc,
    "power-blip-with-scanning": set_blip,
    "admin-recovery-after-outage": set_admin_recovery,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="directory that holds the sets (default: beside this script)")
    ap.add_argument("sets", nargs="*", help="sets to build (default: all)")
    a = ap.parse_args()
    names = a.sets or list(SETS)
    for n in names:
        if n not in SETS:
            ap.error(f"unknown set {n}; known: {', '.join(SETS)}")
    for n in names:
        d = os.path.join(a.out, n)
        os.makedirs(d, exist_ok=True)
        st = SETS[n](d)
        print(f"{n}: {st['hosts']} hosts, {st['lines']} lines, {st['raw'] / 1e6:.1f} MB uncompressed")


if __name__ == "__main__":
    main()
