#!/bin/sh
# Hostile rule files given with --rules: a billion-laughs YAML bomb, YAML
# nested 100,000 deep (flow) and 200 deep (block), 300,000 nodes, a 5 MB
# file: each refused quickly with FILE:LINE:COL and exit 2, within 60 s and
# 1.5 GB. A rule whose regular expression backtracks catastrophically
# costs at most the PCRE2 match limit per line, and the lines it gave up
# on are reported, per rule.
. "$srcdir/tests/lib.sh"
mktmp
cd "$tmp" || exit 99
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not installed"; exit 0; }

asan=no
ldd "$FAULTLINE" 2>/dev/null | grep -q libasan && asan=yes
limited() {
	if [ $asan = yes ]; then timeout 60 "$@"; else
		(ulimit -v 1572864 && exec timeout 60 "$@"); fi
}
printf 'Aug  3 09:41:12 srv sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2\n' > auth.log

mkdir laughs flow block wide big
python3 - <<'PY'
lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
prev = 'a'
for c in 'bcdefghij':
    lines.append('%s: &%s [%s]' % (c, c, ','.join(['*' + prev] * 9)))
    prev = c
open('laughs/laughs.yml', 'w').write('\n'.join(lines) + '\n')
open('flow/deep.yml', 'w').write('title: ' + '[' * 100000 + ']' * 100000 + '\n')
open('block/deep.yml', 'w').write(''.join(' ' * i + 'k%d:\n' % i for i in range(200)) + ' ' * 200 + 'v\n')
open('wide/wide.yml', 'w').write('title: x\nk: [' + ','.join(['1'] * 300000) + ']\n')
open('big/big.yml', 'w').write('# ' + 'x' * 5000000 + '\n')
PY

refused() { # refused DIR WHERE MESSAGE
	limited "$FAULTLINE" timeline --rules "$1" auth.log > out 2> err
	is $? 2 "$1: exit 2"
	check "$1: '$2: $3'" grep -qF "faultline: $2: $3" err
	check "$1: the rules are said not to load" grep -q "the rules could not be loaded" err
	is "$(wc -c < out | tr -d ' ')" 0 "$1: no timeline from a broken rule set"
}
refused laughs laughs/laughs.yml:1:4 "YAML anchors are not supported in rule files"
refused flow flow/deep.yml:1:71 "YAML nesting deeper than 64"
refused block block/deep.yml:65:65 "YAML nesting deeper than 64"
refused wide wide/wide.yml:2:399995 "too many YAML nodes in one file"
refused big big/big.yml "rule file larger than 4194304 bytes"

# Catastrophic backtracking: (a|aa)+$ against 40 a's and a b. Each line
# costs the match limit; the timeline still finishes, the built-in rules
# still hit, and the rule that gave up is named with its line count.
mkdir evil
cat > evil/evil.yml <<'YML'
title: catastrophic backtracking
id: evil-backtracking
level: low
logsource:
  product: linux
detection:
  selection:
    message|re: '^(a|aa)+$'
  condition: selection
faultline:
  signal: auth_fail
  category: security
YML
awk 'BEGIN { for (i = 0; i < 200; i++) print "Aug  3 09:41:12 srv app[1]: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" }' >> auth.log
cp auth.log auth2.log
limited "$FAULTLINE" timeline -j 2 --rules evil auth.log auth2.log > out 2> err
is $? 0 "catastrophic regex: timeline finishes"
check "the built-in rules still hit" grep -q 'auth_fail.*Failed password' out
check "the limit is reported for the rule, with the lines it missed" grep -qF "faultline: evil/evil.yml: warning: rule evil-backtracking: the regular expression hit the PCRE2 match limit on 400 lines, counted there as no match" err
limited "$FAULTLINE" timeline -q -j 1 --rules evil auth.log auth2.log > out1 2> err1
check "the count does not depend on -j" grep -q "on 400 lines" err1

done_testing
