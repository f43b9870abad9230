#!/bin/sh
# faultline rules: usage, lint error messages with positions, test, match,
# list.
. "$srcdir/tests/lib.sh"
mktmp
bad="$srcdir/tests/rules-bad"
fl() { "$FAULTLINE" "$@"; }

# Usage errors exit 2, --help exits 0.
fl rules >/dev/null 2>&1; is $? 2 "no subcommand is a usage error"
fl rules frobnicate >/dev/null 2>&1; is $? 2 "unknown subcommand"
fl rules lint --bogus >/dev/null 2>&1; is $? 2 "unknown option"
fl rules list --format yaml >/dev/null 2>&1; is $? 2 "bad --format"
fl rules lint --format json >/dev/null 2>&1; is $? 2 "--format is for list"
fl rules match --no-default-rules >/dev/null 2>&1; is $? 2 "match needs lines"
fl rules test --line x >/dev/null 2>&1; is $? 2 "--line is for match"
fl rules lint extra >/dev/null 2>&1; is $? 2 "stray argument"
for sub in list lint test match; do
	out=$(fl rules $sub --help); st=$?
	case $out in "usage: faultline rules $sub"*) ok $st "rules $sub --help" ;;
	*) ok 1 "rules $sub --help" ;; esac
done
fl rules --help | grep -q '^usage: faultline rules list'; ok $? "rules --help"

# Every broken file gives file:line:column: message and exit status 1.
lint_bad() { # FILE EXPECTED-FIRST-LINE
	out=$(fl rules lint --no-default-rules --rules "$bad/$1" 2>&1 >/dev/null)
	st=$?
	first=$(printf '%s\n' "$out" | head -n 1 | sed "s|^$bad/||")
	is "$first" "$2" "lint $1"
	is $st 1 "lint $1 exits 1"
}
lint_bad bad-yaml.yml "bad-yaml.yml:7:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 5)"
lint_bad unknown-key.yml "unknown-key.yml:10:3: unknown key 'exmaples' in faultline"
lint_bad bad-regex.yml "bad-regex.yml:6:55: bad regular expression: missing closing parenthesis at offset 37 of '^Failed password for (?<user>\S+ from'"
lint_bad unknown-signal.yml "unknown-signal.yml:8:11: unknown signal 'power_gone'"
lint_bad duplicate-id.yml "duplicate-id.yml:8:1: duplicate id 'twice' (first defined at $bad/duplicate-id.yml:1:1)"
lint_bad unknown-rule.yml "unknown-rule.yml:5:11: rule bad-correlation refers to unknown rule 'fl-no-such-rule'"
lint_bad bad-condition.yml "bad-condition.yml:8:43: bad condition: unknown selection 'fliter'"
lint_bad billion-laughs.yml "billion-laughs.yml:3:4: YAML anchors are not supported in rule files"

# All or nothing: one bad file among good ones fails the whole set.
mkdir "$tmp/mixed"
cp "$bad/bad-regex.yml" "$srcdir/tests/sigma/lnx_useradd.yml" "$tmp/mixed/"
fl rules list --no-default-rules --rules "$tmp/mixed" >"$tmp/out" 2>&1
is $? 1 "a set with one bad file does not load"

# rules test: examples must match, counterexamples must not.
mkdir "$tmp/good"
cat >"$tmp/good/ups.yml" <<'RULE'
title: apcupsd reports loss of utility power
id: t-apcupsd-power-failure
level: high
logsource: {product: linux, service: apcupsd}
detection:
  selection:
    program: apcupsd
    message|re: '^Power failure\.$'
  condition: selection
faultline:
  signal: utility_lost
  examples:
    - 'Jan 11 11:29:43 yichya-nas apcupsd[3026]: Power failure.'
    - '2024-08-03 09:41:12 +0200  Power failure.'
  counterexamples:
    - 'Jan 11 12:06:30 yichya-nas apcupsd[3026]: Power is back. UPS running on mains.'
RULE
out=$(fl rules test --no-default-rules --rules "$tmp/good" 2>&1); st=$?
is "$out" "3 examples checked, 0 failures" "rules test passes"
is $st 0 "rules test exits 0"
cat >>"$tmp/good/ups.yml" <<'RULE'
---
title: a rule whose example is wrong
id: t-wrong
detection:
  selection: {program: apcupsd, message|contains: 'batter'}
  condition: selection
faultline:
  signal: on_battery
  fields: [ups]
  examples:
    - 'Jan 11 11:29:43 yichya-nas apcupsd[3026]: Power failure.'
  counterexamples:
    - 'Jan 11 11:29:45 yichya-nas apcupsd[3026]: Running on UPS batteries.'
RULE
fl rules test --no-default-rules --rules "$tmp/good" >"$tmp/out" 2>"$tmp/err"
is $? 1 "rules test exits 1 on failures"
is "$(cat "$tmp/out")" "5 examples checked, 3 failures" "failures counted"
is "$(sed "s|^$tmp/good/||" "$tmp/err")" "ups.yml:27: rule t-wrong: example 1 did not match: Jan 11 11:29:43 yichya-nas apcupsd[3026]: Power failure.
ups.yml:29: rule t-wrong: counterexample 1 matched: Jan 11 11:29:45 yichya-nas apcupsd[3026]: Running on UPS batteries.
ups.yml:18:1: rule t-wrong: field 'ups' is kept but no example produces it" \
    "failures name file, line, rule and example"

# rules match shows the parsed fields and the hits with captures.
rm "$tmp/good/ups.yml"
cat >"$tmp/good/sshd.yml" <<'RULE'
title: sshd failed password
id: t-sshd-failed
detection:
  selection:
    program: sshd
    message|re: '^Failed password for (?:invalid user )?(?<user>\S+) from (?<src_ip>\S+)'
  condition: selection
faultline:
  signal: auth_fail
  fields: [user, src_ip]
RULE
fl rules match --no-default-rules --rules "$tmp/good" \
    --line 'Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2' \
    --line 'Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 173.234.31.186' >"$tmp/out"
is $? 0 "rules match exits 0"
cat >"$tmp/want" <<'OUT'
line 1: Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2
  format: rfc3164
  time: Dec 10 06:55:48 (no year)
  host: LabSZ
  program: sshd
  pid: 24200
  message: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2
  hit: t-sshd-failed [auth_fail/security, medium] sshd failed password
    user = webmaster
    src_ip = 173.234.31.186
line 2: Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 173.234.31.186
  format: rfc3164
  time: Dec 10 06:55:48 (no year)
  host: LabSZ
  program: sshd
  pid: 24200
  message: Connection closed by 173.234.31.186
  no rule hit
OUT
diff -u "$tmp/want" "$tmp/out"; ok $? "rules match output"
printf 'Dec 10 06:55:48 LabSZ sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n' >"$tmp/auth.log"
fl rules match --no-default-rules --rules "$tmp/good" "$tmp/auth.log" | grep -q "^$tmp/auth.log:1: " 
ok $? "rules match FILE names file:line"
fl rules match --no-default-rules --rules "$tmp/good" "$tmp/nonexistent" >/dev/null 2>&1
is $? 1 "an unreadable file exits 1"

# rules list, text and JSON.
out=$(fl rules list --no-default-rules --rules "$tmp/good" | sed "s|$tmp/good/||")
is "$out" "ID             KIND       SIGNAL     CATEGORY  FILE: TITLE
t-sshd-failed  detection  auth_fail  security  sshd.yml: sshd failed password" "rules list"
fl rules list --format json --no-default-rules --rules "$tmp/good" | sed "s|$tmp/good/||" >"$tmp/out"
grep -q '"id": "t-sshd-failed", "title": "sshd failed password", "kind": "detection", "level": "medium", "signal": "auth_fail", "category": "security", "file": "sshd.yml"' "$tmp/out"
ok $? "rules list --format json"
is "$(jq -c '.rules[0].waits_for' "$tmp/out")" \
    '{"programs":["sshd"],"clauses":[[{"text":"failed password for ","in":"message"}]]}' \
    "rules list --format json: what a rule waits for before it is tried"

# lint warns of a rule that would be tried on every line, and only of it.
out=$(fl rules lint --no-default-rules --rules "$tmp/good" 2>&1)
is "$out" "1 rules loaded (1 detection, 0 correlation), 0 skipped, 0 warnings, 0 errors" \
    "lint: a rule with a program and a literal draws no warning"
cat >"$tmp/good/digits.yml" <<'RULE'
title: three digits anywhere
id: t-digits
detection:
  selection:
    message|re: '\d{3}'
  condition: selection
RULE
fl rules lint --no-default-rules --rules "$tmp/good" >"$tmp/out" 2>&1; st=$?
out=$(sed "s|$tmp/good/||" "$tmp/out")
is "$out" "digits.yml: warning: rule t-digits is tried on every line: it names no program and no text every match contains (see docs/RULES.md)
2 rules loaded (2 detection, 0 correlation), 0 skipped, 1 warning, 0 errors" \
    "lint: a rule with neither program nor literal is tried on every line"
is $st 0 "a warning does not fail lint"
is "$(fl rules list --format json --no-default-rules --rules "$tmp/good" |
    jq -c '.rules[] | select(.id == "t-digits") | .waits_for')" \
    '{"programs":[],"clauses":[]}' "rules list --format json: it waits for nothing"
done_testing
