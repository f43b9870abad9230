#include "config.h"

#include <stdlib.h>

#include "fl_host.h"
#include "tap.h"

static void
check(const char *input, const char *member, const char *want)
{
	struct fl_stream_info info = {0};
	char *got;

	info.input_path = input;
	info.member = member;
	got = fl_host_from_path(&info);
	is_str(got, want, "%s ! %s", input, member);
	free(got);
}

int
main(void)
{
	check("evidence/ipmi/sel-db-07.txt", "", "db-07");
	check("evidence/power/ups-a.events", "", "ups-a");
	check("evidence/power/pdu-b2.csv", "", "pdu-b2");
	check("evidence/srv-mail-01.tar.gz", "var/log/syslog.2.gz", "srv-mail-01");
	check("evidence/srv-mail-01.tar.gz", "var/log/messages-20240804", "srv-mail-01");
	check("./logs/web-03/auth.log.1", "", "web-03");
	check("/cases/site.zip", "racks.tar!r1/ups-c.events", "ups-c");
	check("evidence/power/ups-b-nmc.txt", "", "ups-b");
	check("../syslog", "", "unknown");
	return tap_done();
}
