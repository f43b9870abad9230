/*
 * fl_host: which host a stream speaks for when its lines name none (an
 * apcupsd events file, a SEL listing, an NMC or PDU export), from the path:
 * the file name without rotation and extensions and known prefixes
 * ("ipmi/sel-db-07.txt" → "db-07", "power/ups-a.events" → "ups-a"), or,
 * for generic names ("syslog", "messages"), the nearest meaningful archive
 * or directory ("srv-mail-01.tar.gz!var/log/syslog" → "srv-mail-01").
 * A stream with lines that name a host does not use it: there a line naming
 * none (a continuation, a journal separator, damage) is the host's of the
 * line before it, or of the first line naming one.
 */
#ifndef FL_HOST_H
#define FL_HOST_H

#include "fl_input.h"

/* Returns a malloc'd host name; never NULL ("unknown" as a last resort). */
char *fl_host_from_path(const struct fl_stream_info *info);

#endif
