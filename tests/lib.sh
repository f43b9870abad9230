# Shared helpers for the shell tests: TAP output and temporary directories.
# Tests run with TZ=UTC LC_ALL=C and $FAULTLINE pointing at the binary.
: "${FAULTLINE:=./faultline}"
: "${srcdir:=.}"
tap_n=0
tap_failed=0
ok() { # ok STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
check() { # check DESCRIPTION COMMAND...  (passes when COMMAND exits 0)
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then ok 0 "$desc"; else ok 1 "$desc"; fi
}
is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		echo "#   got:  $1"
		echo "#   want: $2"
	fi
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
mktmp() { # a private temporary directory removed at exit
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/faultline-test.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
}
