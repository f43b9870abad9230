#!/bin/sh
# The rule library built into the binary loads cleanly and every rule's
# examples and counterexamples hold.
. "$srcdir/tests/lib.sh"
out=$("$FAULTLINE" rules lint 2>&1); st=$?
echo "# $out" | head -n 20
is $st 0 "the builtin library lints"
out=$("$FAULTLINE" rules test 2>&1); st=$?
printf '%s\n' "$out" | sed 's/^/# /' | tail -n 40
is $st 0 "the builtin library passes its examples"
done_testing
