/*
 * fl_part: partial results. `faultline scan -o PART` writes the evidence of
 * some inputs (struct fl_evidence before fl_evidence_finish) to a file;
 * `analyze`, `timeline` and `sources` accept such files beside raw evidence
 * and merge them, giving byte-identical output to a single run over all the
 * inputs. The format is documented in docs/SCALE.md: a gzip stream holding a
 * magic line, a u32 version, the options fingerprint and rules digest the
 * part was made with, then a string table and the inputs, streams, hosts
 * (with per-minute activity) and kept events, each section columnar and
 * varint-coded, the events' strings mostly references into their raw lines.
 *
 * Ownership: fl_part_read returns evidence and a fingerprint owned by the
 * caller (fl_evidence_free, free); *err strings are malloc'd.
 */
#ifndef FL_PART_H
#define FL_PART_H

#include "fl_evidence.h"
#include "fl_util.h"

#define FL_PART_VERSION 4

/* True when path starts like a partial result (so it is not evidence). */
int fl_part_sniff(const char *path);
enum fl_err fl_part_write(const struct fl_evidence *ev,
    const char *fingerprint, const char *path, char **err);
/* Reads a part, checking every index and length; a damaged part is
 * refused whole with a message saying where, a part of another format
 * version with one saying which. */
enum fl_err fl_part_read(const char *path, struct fl_evidence **out,
    char **fingerprint, char **err);

#endif
