#!/bin/sh
# The shipped rule library against the labelled sshd lines of fail2ban's
# test corpus (not shipped with the project; FL_CORPUS overrides where it
# is). Each line there follows a "# failJSON: {"match": true|false …}"
# label. A line agrees when "it has an auth_fail or auth_invalid_user
# signal" equals the label. Sections whose "# filterOptions:" list only
# fail2ban's ddos/extra/aggressive modes label scanner noise as a match, so
# there scan_noise counts too; in normal-mode sections, labels that apply
# only to another mode (constraint "mode == …") are left out. The journal
# file has no syslog header; a fixed one is put in front of each line.
. "$srcdir/tests/lib.sh"
corpus=${FL_CORPUS:-$srcdir/../shared/corpus}
if [ ! -f "$corpus/fail2ban/sshd" ] || [ ! -f "$corpus/fail2ban/sshd-journal" ]; then
	skip "fail2ban corpus not found at $corpus (set FL_CORPUS to run this test)"
	done_testing
	exit 0
fi
mktmp
min=90

# labelled LABELFILE PREFIX: writes $tmp/lines (the labelled lines) and
# $tmp/labels ("normal|extended true|false" per line).
labelled() {
	awk -v prefix="$2" -v lines="$tmp/lines" -v labels="$tmp/labels" '
	/^# filterOptions:/ {
		mode = ($0 ~ /\{\}/ || $0 !~ /"mode"/) ? "normal" : "extended"
		next
	}
	/^# failJSON:/ {
		want = ($0 ~ /"match": *true/) ? "true" : "false"
		skipit = (mode == "normal" && $0 ~ /"constraint"[^}]*== *\\?'"'"'(aggressive|ddos|extra)/)
		pending = 1
		next
	}
	/^#/ || /^[ \t]*$/ { next }
	pending {
		pending = 0
		if (skipit)
			next
		print prefix $0 > lines
		print mode, want > labels
	}' mode=normal "$1"
}

for f in sshd sshd-journal; do
	prefix=
	[ "$f" = sshd-journal ] && prefix='Jan  1 00:00:00 '
	labelled "$corpus/fail2ban/$f" "$prefix"
	"$FAULTLINE" rules match "$tmp/lines" > "$tmp/out" 2> "$tmp/err"
	ok $? "$f: faultline rules match runs"
	# Signals per line number, from "PATH:N: raw" and "  hit: ID [SIG/…" lines.
	awk -v n="$(wc -l < "$tmp/labels")" -v name="$f" -v min="$min" \
	    -v path="$tmp/lines:" '
	FNR == NR {
		if (index($0, path) == 1) {
			rest = substr($0, length(path) + 1)
			cur = rest + 0
			raw[cur] = substr(rest, index(rest, ": ") + 2)
		} else if ($1 == "hit:") {
			sig = $3
			sub(/^\[/, "", sig)
			sub(/\/.*/, "", sig)
			sigs[cur] = sigs[cur] " " sig
		}
		next
	}
	{
		i = FNR
		mode = $1
		want = ($2 == "true")
		got = (sigs[i] ~ / auth_fail| auth_invalid_user/)
		if (mode == "extended" && sigs[i] ~ / scan_noise/)
			got = 1
		total[mode]++
		if (got == want)
			agree[mode]++
		else
			bad[++nbad] = sprintf("%s label=%s signals=[%s] %s", mode, $2, sigs[i], substr(raw[i], 1, 110))
	}
	END {
		t = total["normal"] + total["extended"]
		a = agree["normal"] + agree["extended"]
		printf "# %s: %d labelled lines (%d normal mode, %d ddos/extra mode)\n", name, t, total["normal"], total["extended"]
		printf "# %s: agreement %d/%d = %.1f%% (normal %d/%d, ddos/extra %d/%d)\n", name, a, t, t ? 100 * a / t : 0, agree["normal"], total["normal"], agree["extended"], total["extended"]
		for (k = 1; k <= nbad; k++)
			printf "#   disagrees: %s\n", bad[k]
		exit !(t == n && t > 0 && 100 * a >= min * t)
	}' "$tmp/out" "$tmp/labels"
	ok $? "$f: auth-failure signals agree with fail2ban labels on >= $min%"
done
done_testing
