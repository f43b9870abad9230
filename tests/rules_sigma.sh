#!/bin/sh
# Plain Sigma rules for Linux load unchanged; rules using a feature
# faultline does not support are reported by id and title and skipped.
. "$srcdir/tests/lib.sh"
mktmp
sigma="$srcdir/tests/sigma"
fl() { "$FAULTLINE" "$@"; }

fl rules lint --no-default-rules --rules "$sigma" >"$tmp/out" 2>"$tmp/err"
is $? 0 "the Sigma sample rules lint clean"
is "$(cat "$tmp/out")" "7 rules loaded (6 detection, 1 correlation), 3 skipped, 3 warnings, 0 errors" "counts"
is "$(sed "s|^$sigma/||" "$tmp/err")" "lnx_base64_shell_unsupported.yml:13:5: warning: rule e2c9a4f1-7d3b-4a6e-9c8b-1f0d2e3a4b5c (Base64 Encoded Shell In An Audited Command) skipped: modifier '|base64offset' is not supported
lnx_failed_login_count_unsupported.yml:13:24: warning: rule 6d1f8b3e-4a2c-4e7d-b9f0-3c5a7e1d2b96 (Many Failed Logins From One Source (Sigma v1 aggregation)) skipped: aggregation expressions ('| count() ...') are not supported
win_process_creation_unsupported.yml:8:12: warning: rule 2a9c7e5d-3b1f-4d8a-a6c4-9e0b1d2f3a47 (Whoami Run On A Windows Host) skipped: logsource product 'windows' is not read by faultline" \
    "each skipped rule is named with the reason"

hits() { # LINE → the ids of the rules it hits, space-separated
	fl rules match --no-default-rules --rules "$sigma" --line "$1" 2>/dev/null |
	    sed -n 's/^  hit: \([^ ]*\) .*/\1/p' | tr '\n' ' '
}
is "$(hits 'Aug  3 01:20:02 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash')" \
    "5b2a8c1e-3f7d-4e58-9a61-0c2d7b9e4f10 " "sudo to root ('|all' keywords)"
is "$(hits 'Aug  3 01:20:02 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=www-data ; COMMAND=/bin/ls')" \
    "" "sudo to another user"
is "$(hits 'Aug  3 01:25:40 web1 useradd[4620]: new user: name=deploy, UID=1001, GID=1001, home=/home/deploy, shell=/bin/bash')" \
    "9d0f3c55-71e2-4a8b-b3c4-2f6a1d8e7c01 " "useradd"
is "$(hits 'Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for root from 173.234.31.186 port 38926 ssh2')" \
    "0e6a2c8f-5b14-4d9e-8f37-a1c6b2d4e9f2 " "ssh failed login"
is "$(hits 'Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2')" \
    "" "ssh failed login: the filter holds"
is "$(hits 'Aug  3 02:14:00 web1 sudo:    mallory : TTY=pts/3 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/shred -u /var/log/syslog')" \
    "4f8e1d3a-2c6b-4b7e-a9d0-5e3f7c1b2a96 5b2a8c1e-3f7d-4e58-9a61-0c2d7b9e4f10 " "clear syslog (wildcard keyword) and sudo"
is "$(hits 'Aug  3 02:12:00 web1 bash[999]: python3 -c import socket,subprocess,os;s=socket.socket()')" \
    "7a2d5e9c-1b3f-4c8a-bd6e-0f9a8c7b6d53 " "reverse shell (inner wildcards)"
is "$(hits 'Aug  3 02:11:09 web1 sshd[811]: Accepted publickey for mallory from 203.0.113.9 port 51122 ssh2')" \
    "b1e4d7a2-6c3f-4e9b-8a05-d2c1f3e6a7b8 " "login from outside (re and cidr)"
is "$(hits 'Aug  3 02:11:09 web1 sshd[811]: Accepted password for bob from 192.168.7.3 port 51122 ssh2')" \
    "" "login from a private address"
fl rules list --format json --no-default-rules --rules "$sigma" 2>/dev/null |
    grep -q '"kind": "event_count".*"title": "Repeated SSH\|"title": "Repeated SSH.*"kind": "event_count"'
ok $? "the Sigma correlation references its rule by name"
done_testing
