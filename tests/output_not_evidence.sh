#!/bin/sh
# An output (-o, --manifest, a part) that is an input or would lie inside an
# input directory is refused before anything is read or written: the
# evidence is neither overwritten nor read back with the report in it.
. "$srcdir/tests/lib.sh"
mktmp
cd "$tmp" || exit 99

mkdir -p ev/sub
printf 'Jan 10 12:00:00 web1 kernel: Linux version 6.1.0\n' > ev/syslog
cp ev/syslog ev/sub/x.log
ln -s ev evlink
before=$(find ev -type f -exec sha256sum {} + | sort)

refused() { # WHAT-IS-REFUSED COMMAND...
	what=$1
	shift
	"$FAULTLINE" "$@" > out 2> err
	is $? 2 "refused with exit 2: $what"
	grep -q "the output would be written into the evidence" err
	ok $? "and said why: $what"
}
refused "-o over an input file" timeline --all -o ev/syslog ev/syslog
refused "-o over a file inside an input directory" timeline --all -o ev/syslog ev
refused "-o creating a file inside an input directory" sources -o ev/sub/report.txt ev
refused "-o through a link into an input directory" timeline -o evlink/t.txt ev
refused "-o by another name of the input" timeline -o ./ev/../ev/sub/x.log ev/sub
refused "--manifest inside the evidence" analyze --manifest ev/custody.json ev
refused "a part inside the evidence" scan -o ev/web1.part ev

is "$(find ev -type f -exec sha256sum {} + | sort)" "$before" \
    "the evidence is unchanged and nothing was added to it"

"$FAULTLINE" timeline -q -o t.txt ev
is $? 0 "an output beside the evidence is written"
"$FAULTLINE" timeline -q -o ev/t.txt ev/sub
is $? 0 "an output in a directory that is not an input is written"
done_testing
