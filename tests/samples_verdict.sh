#!/bin/sh
# End-to-end: `faultline analyze` on every bundled sample set reproduces the
# known answer in samples/NAME/expected.json: the cause, the incident start
# and, for power causes, its end (within two minutes) and the affected hosts.
. "$srcdir/tests/lib.sh"
command -v jq > /dev/null 2>&1 || { echo "Bail out! jq is required (apt-get install jq)"; exit 1; }
mktmp

sets=
for e in "$srcdir"/samples/*/expected.json; do
	[ -f "$e" ] && sets="$sets $(basename "$(dirname "$e")")"
done
check "sample sets with an expected.json are present" test -n "$sets"

if ! "$FAULTLINE" analyze --help > /dev/null 2>&1; then
	for s in $sets; do
		skip "$s: 'faultline analyze' is not available in this build"
	done
	done_testing
	exit
fi

for s in $sets; do
	exp="$srcdir/samples/$s/expected.json"
	out="$tmp/$s.json"
	# the operator's options (the site zone), nothing per host
	eval "set -- $(jq -r '.args | @sh' "$exp")"
	"$FAULTLINE" analyze --format json "$@" "$srcdir/samples/$s/evidence" > "$out" 2> "$tmp/$s.err"
	rc=$?
	case $rc in
	0|3|4) ok 0 "$s: analyze ran (exit $rc)" ;;
	*) ok 1 "$s: analyze ran (exit $rc)"; sed 's/^/#   /' "$tmp/$s.err" | head -20 ;;
	esac
	is "$(jq -r '.verdict.cause // "none"' "$out" 2> /dev/null)" "$(jq -r .cause "$exp")" "$s: cause"
	want=$(jq -r '.incident_start // "null"' "$exp")
	got=$(jq -r '.incident.start // "null"' "$out" 2> /dev/null)
	if [ "$want" = null ] || [ "$got" = null ]; then
		is "$got" "$want" "$s: incident start"
	else
		near=$(jq -rn --arg a "$got" --arg b "$want" \
			'def s: sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601;
			 (($a | s) - ($b | s) | fabs) <= 120' 2> /dev/null)
		if [ "$near" = true ]; then
			ok 0 "$s: incident start within 120 s ($got)"
		else
			ok 1 "$s: incident start within 120 s"
			echo "#   got:  $got"
			echo "#   want: $want"
		fi
	fi
	# Power causes end when power returns, in the set's story and in the
	# report alike; an attack's story ends with the attacker's last act,
	# the report's incident when power is back, so only power causes are
	# held to it.
	want=$(jq -r '.incident_end // "null"' "$exp")
	got=$(jq -r '.incident.end // "null"' "$out" 2> /dev/null)
	case $(jq -r .cause "$exp") in
	cyberattack) ;;
	*)	near=$(jq -rn --arg a "$got" --arg b "$want" \
			'def s: sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601;
			 if $a == "null" or $b == "null" then $a == $b
			 else (($a | s) - ($b | s) | fabs) <= 120 end' 2> /dev/null)
		if [ "$near" = true ]; then
			ok 0 "$s: incident end within 120 s ($got)"
		else
			ok 1 "$s: incident end within 120 s"
			echo "#   got:  $got"
			echo "#   want: $want"
		fi ;;
	esac
	is "$(jq -c '(.incident.affected_hosts // []) | sort' "$out" 2> /dev/null)" \
		"$(jq -c '.affected_hosts | sort' "$exp")" "$s: affected hosts"
done
done_testing
