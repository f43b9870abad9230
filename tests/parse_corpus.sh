#!/bin/sh
# Parse rates over the real logs of the shared corpus (not shipped with the
# project): the syslog-family files and the structured device/journal/audit
# files must parse at 99% or more. FL_CORPUS overrides the location.
. "$srcdir/tests/lib.sh"
dump="$top_builddir/tests/parse-dump"
corpus=${FL_CORPUS:-$srcdir/../shared/corpus}
if [ ! -d "$corpus" ]; then
	skip "corpus not found at $corpus (set FL_CORPUS to run this test)"
	done_testing
	exit 0
fi
mktmp
files="
loghub/Linux_2k.log
loghub/OpenSSH_2k.log
loghub/Mac_2k.log
secrepo-authlog/auth.log
misc-authlog/potentpwnables_laptop_auth.log
blog-excerpts/yichya-nas_apcupsd_journal_2023-01-11.log
apcupsd-techlogs/dr20Jan02_vesta_syslog_excerpt.log
fail2ban/sshd
fail2ban/bsd/syslog-plain.txt
fail2ban/bsd/syslog-v.txt
fail2ban/bsd/syslog-vv.txt
fail2ban/testcase-multiline.log
fail2ban/dropbear
fail2ban/pam-generic
fail2ban/proxmox
fail2ban/scanlogd
fail2ban/xinetd-fail
ossec-log-samples/auth_user_management.log
ossec-log-samples/linux_cron.log
ossec-log-samples/linux_rshd.log
ossec-log-samples/linux_selinux.log
ossec-log-samples/linux_smart.log
ossec-log-samples/linux_syslogd.log
ossec-log-samples/linux_xfs.log
ossec-log-samples/linux_yum.log
ossec-log-samples/misc_dell_openmanage.log
ossec-log-samples/misc_solaris.log
ait-aminer-journal/journal_ubuntu1804_boot.json.log
ait-lds-v2-audit/russellmitchell_intranet_server_audit.log
apc-nmc-eventlog/ptr727_nmc_event_log_2016-10-11.txt
fail2ban/selinux-ssh
"
echo "# file lines parsed unparsed rate"
for f in $files; do
	if [ ! -f "$corpus/$f" ]; then
		skip "$f not in the corpus"
		continue
	fi
	(cd "$corpus" && "$dump" -q "$f") >"$tmp/sum" 2>&1
	# "# FILE: lines=N parsed=P unparsed=U rate=R% format=F"
	set -- $(sed -n 's/^# .*: lines=\([0-9]*\) parsed=\([0-9]*\) unparsed=\([0-9]*\) .*/\1 \2 \3/p' "$tmp/sum")
	if [ $# -ne 3 ]; then
		ok 1 "$f: parse-dump summary"
		sed 's/^/# /' "$tmp/sum"
		continue
	fi
	echo "# $f $1 $2 $3 $(awk "BEGIN { printf \"%.2f%%\", 100 * $2 / ($1 ? $1 : 1) }")"
	# parsed + unparsed == lines, and parsed >= 99% of lines
	[ $(($2 + $3)) -eq "$1" ]
	ok $? "$f: parsed + unparsed == lines"
	[ $(($2 * 100)) -ge $(($1 * 99)) ]
	ok $? "$f: parse rate at least 99%"
done

# A few facts of the real files, read through the parser.
if [ -f "$corpus/secrepo-authlog/auth.log" ]; then
	(cd "$corpus" && "$dump" secrepo-authlog/auth.log) >"$tmp/auth"
	is "$(grep -c '	unknown	' "$tmp/auth")" 1 \
		"secrepo auth.log: only the truncated last line is unparsed"
	is "$(grep '	unknown	' "$tmp/auth" | cut -f4)" 'msg=Dec  2 13:14:2' \
		"secrepo auth.log: the truncated line is kept whole"
fi
if [ -f "$corpus/blog-excerpts/yichya-nas_apcupsd_journal_2023-01-11.log" ]; then
	is "$(cd "$corpus" && "$dump" blog-excerpts/yichya-nas_apcupsd_journal_2023-01-11.log | grep -c '^[0-9]*	rfc3164+boot	')" 2 \
		"journal excerpt: two boot separators"
fi
if [ -f "$corpus/ait-lds-v2-audit/russellmitchell_intranet_server_audit.log" ]; then
	(cd "$corpus" && "$dump" ait-lds-v2-audit/russellmitchell_intranet_server_audit.log) >"$tmp/audit"
	check "AIT audit: the hex sudo command is decoded" \
		grep -q '	msg=cat /etc/shadow	x:audit_type=USER_CMD' "$tmp/audit"
fi
if [ -f "$corpus/loghub/Linux_2k.log" ]; then
	check "Linux_2k: old PAM tags give program sshd" \
		sh -c "cd '$corpus' && '$dump' loghub/Linux_2k.log | grep -q '	prog=sshd	pid=19939	msg=authentication failure'"
fi
done_testing
