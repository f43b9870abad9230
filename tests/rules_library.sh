#!/bin/sh
# The shipped rule library: it loads cleanly, every rule's examples and
# counterexamples hold, every signal of analyzer/fl_signals.c has a rule,
# and the CSV rules capture their fields through the parser's header
# mappings (a single example line cannot carry a header).
. "$srcdir/tests/lib.sh"
mktmp

check "rules lint: the built-in library loads without errors" \
	"$FAULTLINE" rules lint
"$FAULTLINE" rules test > "$tmp/test.out" 2>&1
st=$?
sed 's/^/# /' "$tmp/test.out"
ok $st "rules test: every example matches and no counterexample does"

# Signals: the table in fl_signals.c against the rules list.
sed -n 's/^[	 ]*{"\([a-z_]*\)", FL_CAT_.*/\1/p' \
	"$srcdir/analyzer/fl_signals.c" | sort -u > "$tmp/want"
"$FAULTLINE" rules list | awk 'NR > 1 { print $3 }' | sort -u > "$tmp/have"
missing=$(comm -23 "$tmp/want" "$tmp/have" | tr '\n' ' ')
is "$missing" "" "every signal of fl_signals.c is emitted by a rule"
[ -s "$tmp/want" ]
ok $? "the signal table was read"

# Rule ids: fl-<category>-<source>-<what>.
bad=$("$FAULTLINE" rules list | awk 'NR > 1 && $1 !~ /^fl-(power|host|sec|corr)-[a-z0-9]+(-[a-z0-9]+)+$/ { print $1 }')
is "$bad" "" "rule ids follow fl-<category>-<source>-<what>"

# hits FILE: "line rule capture…" for every hit, captures sorted by name.
hits() {
	"$FAULTLINE" rules match "$1" | awk -v p="$1:" '
	index($0, p) == 1 { flush(); n = substr($0, length(p) + 1) + 0; next }
	$1 == "hit:" { flush(); rule = $2; next }
	rule != "" && /^    [a-z_]+ = / { sub(/^    /, ""); caps[++nc] = $0 }
	function flush(  s, i) {
		if (rule == "")
			return
		s = n " " rule
		for (i = 1; i <= nc; i++)
			s = s " " caps[i]
		print s
		rule = ""
		nc = 0
	}
	END { flush() }'
}

cat > "$tmp/pdu.csv" <<'CSV'
Date,Time,Device,Outlet,Event,User,Interface
2024-08-03,01:58:40,pdu-b2,,Breaker Tripped,,
2024-08-03,01:58:41,pdu-a1,,Input Power Lost,,
2024-08-03,02:14:07,pdu-b2,7,Outlet Off,jdoe,Web
2024-08-03,02:30:11,pdu-b2,7,Outlet On,jdoe,Web
CSV
cat > "$tmp/want" <<'EOF2'
2 fl-power-pdu-csv-breaker-trip
3 fl-power-pdu-csv-input-lost
4 fl-power-pdu-csv-outlet-off outlet = 7 user = jdoe interface = Web
5 fl-power-pdu-csv-outlet-on outlet = 7 user = jdoe interface = Web
EOF2
hits "$tmp/pdu.csv" > "$tmp/got"
diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /'
cmp -s "$tmp/want" "$tmp/got"
ok $? "PDU export with a header: events and captures"

cat > "$tmp/pdu-ts.csv" <<'CSV'
Timestamp,Device,Event,User,Source
2024-08-03 02:14:07,pdu-c1,Outlet 4 Off,mallory,SNMP
CSV
echo "2 fl-power-pdu-csv-outlet-off outlet = 4 user = mallory interface = SNMP" > "$tmp/want"
hits "$tmp/pdu-ts.csv" > "$tmp/got"
diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /'
cmp -s "$tmp/want" "$tmp/got"
ok $? "PDU export with one time column: outlet, user and source"

cat > "$tmp/badge.csv" <<'CSV'
Timestamp,Door,Badge,Name,Result
2024-08-03 02:09:41,DC1-Cage-B,009999,Unknown,Access Denied
2024-08-03 02:09:55,DC1-Cage-B,004512,John Doe,Access Granted
CSV
cat > "$tmp/want" <<'EOF2'
2 fl-sec-badge-access-denied door = DC1-Cage-B badge = 009999 name = Unknown
3 fl-sec-badge-access-granted door = DC1-Cage-B badge = 004512 name = John Doe
EOF2
hits "$tmp/badge.csv" > "$tmp/got"
diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /'
cmp -s "$tmp/want" "$tmp/got"
ok $? "badge export with a header: door, badge and name"

done_testing
