/*
 * Fuzz target: the partial-result reader. A part is a gzip stream; zlib
 * reads plain data transparently, so the bytes are the part's content as
 * written before compression (the seeds are real parts, decompressed).
 * A part read without error must be evidence that holds together: every
 * index in range, every line accounted for, and it must merge and finish.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fl_evidence.h"
#include "fl_part.h"
#include "fl_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int cond)
{
	if (!cond)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fl_evidence *ev = NULL;
	struct fl_buf b = {0};
	char path[64], *fp = NULL, *err = NULL;
	size_t i;
	int fd;

	fd = memfd_create("part", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	fl_part_sniff(path);
	if (fl_part_read(path, &ev, &fp, &err) != FL_OK) {
		/* Refused whole, saying why. */
		must(ev == NULL && err != NULL && err[0] != '\0');
		free(err);
		free(fp);
		close(fd);
		return 0;
	}
	must(fp != NULL);
	for (i = 0; i < ev->n_streams; i++) {
		must(ev->streams[i].input < ev->n_inputs);
		must(ev->streams[i].host == UINT32_MAX ||
		    ev->streams[i].host < ev->n_hosts);
	}
	for (i = 0; i < ev->n_events; i++) {
		must(ev->events[i].stream < ev->n_streams);
		must(ev->events[i].host < ev->n_hosts);
		fl_buf_reset(&b);
		fl_evidence_where(ev, ev->events[i].stream, &b);
	}
	ev = fl_evidence_merge(&ev, 1);
	fl_evidence_finish(ev);
	fl_buf_reset(&b);
	fl_evidence_inputs_json(ev, &b, 0);
	fl_buf_free(&b);
	fl_evidence_free(ev);
	free(fp);
	free(err);
	close(fd);
	return 0;
}
