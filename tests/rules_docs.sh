#!/bin/sh
# docs/RULES.md lists exactly the signals of analyzer/fl_signals.c, with
# their category and meaning.
. "$srcdir/tests/lib.sh"
mktmp
sed -n 's/^[[:space:]]*{"\([a-z_]*\)", FL_CAT_\([A-Z]*\), "\([^"]*\)"},$/| `\1` | \2 | \3 |/p' \
    "$srcdir/analyzer/fl_signals.c" | tr 'A-Z' 'a-z' >"$tmp/code"
grep '^| `[a-z_]*` | [a-z]* | ' "$srcdir/docs/RULES.md" | tr 'A-Z' 'a-z' >"$tmp/doc"
n=$(wc -l <"$tmp/code")
[ "$n" -gt 50 ]; ok $? "the signal table was read from the code ($n signals)"
diff -u "$tmp/code" "$tmp/doc"; ok $? "docs/RULES.md lists the same signals"
done_testing
