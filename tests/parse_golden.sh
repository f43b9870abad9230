#!/bin/sh
# Golden tests of the line parser: every input under tests/golden/parse/
# (one file per format) is dumped by parse-dump and compared with its .out.
. "$srcdir/tests/lib.sh"
dump="$top_builddir/tests/parse-dump"
dir="$srcdir/tests/golden/parse"
mktmp
for input in "$dir"/*; do
	case $input in *.out) continue ;; esac
	name=${input##*/}
	(cd "$dir" && "$dump" "$name") >"$tmp/out" 2>&1
	if diff -u "$dir/$name.out" "$tmp/out" >"$tmp/diff"; then
		ok 0 "golden $name"
	else
		ok 1 "golden $name"
		sed 's/^/# /' "$tmp/diff"
	fi
done
done_testing
