/*
 * fl_inventory: the site's electrical topology and services, read from a
 * small text file (docs/REPORT.md, "Inventory"): feeds, UPSes, PDUs,
 * hosts with their power supplies (PDU:outlet), services, role, zone and
 * BMC name, and other devices. The analysis uses it to test whether the
 * hosts that went down follow the power path (an accident) or some other
 * grouping (a person or a program chose them).
 *
 * Ownership: fl_inventory_load/parse return a struct fl_inventory owned by
 * the caller and released with fl_inventory_free; every string and array
 * in it lives in its arena.
 */
#ifndef FL_INVENTORY_H
#define FL_INVENTORY_H

#include <stddef.h>

#include "fl_util.h"

enum fl_inv_kind {
	FL_INV_FEED,
	FL_INV_UPS,
	FL_INV_PDU,
	FL_INV_HOST,
	FL_INV_DEVICE
};

/* A power source or distribution element: feed, ups or pdu. */
struct fl_inv_power {
	const char *name;
	enum fl_inv_kind kind;
	const char *upstream;   /* ups: its feed; pdu: its ups or feed; NULL */
	enum fl_inv_kind upstream_kind;
	const char *rack;       /* pdu only, may be NULL */
	unsigned line;          /* line in the inventory file */
};

struct fl_inv_psu {
	const char *pdu;
	const char *outlet;     /* as written: "5", "A3", a name */
	/* The power path from the outlet up: "PDU:OUTLET", "PDU", then each
	 * upstream element up to its feed. Set once the file is checked. */
	const char **path;
	size_t n_path;
};

struct fl_inv_host {
	const char *name;
	const char *rack, *role, *zone, *bmc; /* NULL when absent */
	struct fl_inv_psu *psus;
	size_t n_psus;
	const char **services;
	size_t n_services;
	unsigned line;
};

struct fl_inv_device {
	const char *name;
	const char *kind;       /* ats, generator, badge, ... */
	const char **feeds;
	size_t n_feeds;
	unsigned line;
};

struct fl_inventory {
	struct fl_arena *arena;
	const char *path;
	struct fl_inv_power *power;   /* feeds, upses and pdus, file order */
	size_t n_power;
	struct fl_inv_host *hosts;    /* file order */
	size_t n_hosts;
	struct fl_inv_device *devices;
	size_t n_devices;
};

/* Reads and checks an inventory. All-or-nothing: any error is reported
 * through diag as "file:line: message" and fails the load (FL_ERR_FORMAT,
 * or FL_ERR_IO when the file cannot be read). */
enum fl_err fl_inventory_load(const char *path, struct fl_inventory **out,
    const struct fl_diag *diag);
/* The same from text in memory; name is used in messages. */
enum fl_err fl_inventory_parse(const char *name, const char *text,
    size_t len, struct fl_inventory **out, const struct fl_diag *diag);
void fl_inventory_free(struct fl_inventory *inv);

/* Lookups by name: exact, then ignoring case, then by the short name
 * (before the first dot) on either side. NULL when absent. */
const struct fl_inv_host *fl_inventory_host(const struct fl_inventory *inv,
    const char *name);
const struct fl_inv_power *fl_inventory_power(const struct fl_inventory *inv,
    const char *name);
/* The host whose bmc= is name, or NULL. */
const struct fl_inv_host *fl_inventory_bmc_host(
    const struct fl_inventory *inv, const char *name);
/* True when name is an inventory power element or device (not a host). */
int fl_inventory_is_device(const struct fl_inventory *inv, const char *name);
/* Host names compare equal under the lookup rules above. */
int fl_inventory_name_eq(const char *a, const char *b);

#endif
