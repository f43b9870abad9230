/* Inventory parsing: records, lookups, power paths and file:line errors. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fl_inventory.h"
#include "tap.h"

static struct fl_buf msgs;
static unsigned n_msgs;

static void
collect(void *ctx, enum fl_diag_level level, const char *where,
    const char *msg)
{
	(void)ctx;
	(void)level;
	fl_buf_printf(&msgs, "%s: %s\n", where ? where : "-", msg);
	n_msgs++;
}

static const struct fl_diag diag = {collect, NULL};

static struct fl_inventory *
parse(const char *text)
{
	struct fl_inventory *inv = NULL;

	fl_buf_reset(&msgs);
	n_msgs = 0;
	fl_inventory_parse("site.inv", text, strlen(text), &inv, &diag);
	return inv;
}

static int
has_msg(const char *want)
{
	return msgs.data != NULL && strstr(msgs.data, want) != NULL;
}

static void
test_good(void)
{
	static const char text[] =
	    "# the example site\n"
	    "feed  utility-a\n"
	    "feed  utility-b   # second feed\n"
	    "\n"
	    "ups   ups-a        feed=utility-a\n"
	    "ups   ups-b        feed=utility-b\n"
	    "pdu   pdu-a1       ups=ups-a rack=R1\n"
	    "pdu   pdu-b1       ups=ups-b rack=R1\n"
	    "pdu   pdu-raw      feed=utility-a\n"
	    "host  srv-mail-01  rack=R1 psu=pdu-a1:5 psu=pdu-b1:5 "
	    "services=postfix,dovecot role=mail\n"
	    "host  db-07        rack=R2 psu=pdu-raw:3 bmc=db-07-bmc "
	    "services=postgresql zone=UTC\n"
	    "device ats-1 kind=ats feeds=utility-a,utility-b\n";
	struct fl_inventory *inv = parse(text);
	const struct fl_inv_host *h;

	ok(inv != NULL, "valid inventory loads");
	is_int(n_msgs, 0, "no diagnostics");
	if (inv == NULL)
		return;
	is_int(inv->n_power, 7, "7 power elements");
	is_int(inv->n_hosts, 2, "2 hosts");
	is_int(inv->n_devices, 1, "1 device");
	h = fl_inventory_host(inv, "srv-mail-01");
	ok(h != NULL, "host lookup");
	is_int(h->n_psus, 2, "two PSUs");
	is_int(h->psus[0].n_path, 4, "outlet, pdu, ups, feed");
	is_str(h->psus[0].path[0], "pdu-a1:5", "path starts at the outlet");
	is_str(h->psus[0].path[1], "pdu-a1", "then the pdu");
	is_str(h->psus[0].path[2], "ups-a", "then the ups");
	is_str(h->psus[0].path[3], "utility-a", "then the feed");
	is_str(h->psus[1].path[3], "utility-b", "second PSU on feed b");
	is_int(h->n_services, 2, "two services");
	is_str(h->services[1], "dovecot", "services in order");
	is_str(h->role, "mail", "role");
	h = fl_inventory_host(inv, "DB-07.example.org");
	ok(h != NULL && strcmp(h->name, "db-07") == 0,
	    "lookup ignores case and domain");
	is_int(h->psus[0].n_path, 3, "pdu straight on a feed: 3 steps");
	is_str(h->zone, "UTC", "zone");
	ok(fl_inventory_bmc_host(inv, "db-07-bmc") == h, "bmc lookup");
	ok(fl_inventory_is_device(inv, "ups-a"), "ups is a device");
	ok(fl_inventory_is_device(inv, "ats-1"), "ats is a device");
	ok(!fl_inventory_is_device(inv, "db-07"), "host is not a device");
	ok(fl_inventory_power(inv, "pdu-b1") != NULL, "power lookup");
	ok(fl_inventory_host(inv, "db-08") == NULL, "unknown host");
	fl_inventory_free(inv);
}

static void
test_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"rack r1\n", "site.inv:1: unknown record kind 'rack'"},
	    {"feed a\nfeed a\n", "site.inv:2: 'a' defined twice (first at "
	        "line 1)"},
	    {"feed a\nups u\n", "site.inv:2: ups u needs feed=FEED"},
	    {"feed a\nups u feed=b\n", "site.inv:2: ups u: unknown feed 'b'"},
	    {"feed a\npdu p\n", "site.inv:2: pdu p needs exactly one of"},
	    {"feed a\nups u feed=a\npdu p ups=u feed=a\n",
	        "site.inv:3: pdu p needs exactly one of"},
	    {"feed a\npdu p feed=a\nhost h psu=p\n",
	        "site.inv:3: psu=p: expected PDU:OUTLET"},
	    {"feed a\npdu p feed=a\nhost h psu=q:1\n",
	        "site.inv:3: host h: unknown pdu 'q'"},
	    {"host h colour=red\n",
	        "site.inv:1: unknown key 'colour' for a host record"},
	    {"host h rack=1 rack=2\n", "site.inv:1: rack= given twice"},
	    {"host h rack\n", "site.inv:1: 'rack': expected KEY=VALUE"},
	    {"host h rack=\n", "site.inv:1: rack= needs a value"},
	    {"host\n", "site.inv:1: host record without a name"},
	    {"host h services=a,,b\n", "site.inv:1: empty item in services="},
	    {"device d\n", "site.inv:1: device d needs kind=KIND"},
	    {"device d kind=ats feeds=nowhere\n",
	        "site.inv:1: device d: unknown power source 'nowhere'"},
	    {"feed a\nups u feed=a\npdu p ups=a\n",
	        "site.inv:3: pdu p: unknown ups 'a'"},
	    {"feed a\npdu p feed=a\nhost h psu=p:1 psu=p:1\n",
	        "site.inv:3: host h: psu=p:1 given twice"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fl_inventory *inv = parse(cases[i].text);

		ok(inv == NULL, "rejected: %s", cases[i].want);
		ok(has_msg(cases[i].want), "message: %s", cases[i].want);
		if (!has_msg(cases[i].want))
			printf("#   got: %s", msgs.data ? msgs.data : "(none)\n");
		fl_inventory_free(inv);
	}
	/* Every error is reported, not only the first. */
	ok(parse("bogus x\nhost h a\nfeed\n") == NULL, "three bad lines");
	is_int(n_msgs, 3, "three messages");
	{
		static const char nul[] = "feed a\nfeed b\0c\n";
		struct fl_inventory *inv = NULL;

		fl_buf_reset(&msgs);
		ok(fl_inventory_parse("site.inv", nul, sizeof nul - 1, &inv,
		    &diag) == FL_ERR_FORMAT, "NUL byte rejected");
		ok(has_msg("site.inv:2: NUL byte"), "NUL byte located");
	}
	{
		struct fl_inventory *inv = NULL;

		fl_buf_reset(&msgs);
		ok(fl_inventory_load("/nonexistent/site.inv", &inv, &diag) ==
		    FL_ERR_IO, "missing file is an I/O error");
		ok(has_msg("/nonexistent/site.inv: "), "named in the message");
	}
}

int
main(void)
{
	test_good();
	test_errors();
	fl_buf_free(&msgs);
	return tap_done();
}
