/*
 * fl_manifest: the chain-of-custody record of one analysis run
 * (docs/REPORT.md, "Manifest"): the tool and its rules digest, the command
 * line and the options in effect (limits included, defaults too), the
 * inventory and every input with its SHA-256 and size, each stream's year
 * source and each host's zone and clock correction, and the SHA-256 and
 * size of the report as written. JSON, schema "faultline/manifest/v1". No
 * wall-clock time: the same run gives the same manifest.
 *
 * Ownership: struct fl_manifest only borrows; nothing is kept after
 * fl_manifest_json returns.
 */
#ifndef FL_MANIFEST_H
#define FL_MANIFEST_H

#include <stddef.h>

#include "fl_evidence.h"
#include "fl_report.h"
#include "fl_scan.h"
#include "fl_util.h"

struct fl_manifest {
	const char *version;
	const char *const *argv;        /* the command line as given, from
	                                 * the command name on */
	size_t argc;
	const struct fl_scan_opts *scan;  /* options in effect */
	const char *format;             /* of the report */
	const char *inventory;          /* --inventory FILE, or NULL */
	const struct fl_evidence *ev;
	const struct fl_report *report;
	const char *report_path;        /* NULL for standard output */
	const void *report_data;        /* the bytes written */
	size_t report_len;
};

/* Appends the manifest. The inventory file is read again to be hashed;
 * when that fails its entry carries the error instead of a digest. */
void fl_manifest_json(const struct fl_manifest *m, struct fl_buf *out);

#endif
