/*
 * Runs a parsed greenlet scenario on a fresh hub (virtual time) and writes
 * its answer line: what the program printed, and gevent's reports of failing
 * greenlets, in order, joined by " | " (conformance/PROTOCOL.md, "Greenlet
 * scenarios").
 */
#ifndef PYNOTES_REF_GREENLETS_SCENARIO_RUN_H_
#define PYNOTES_REF_GREENLETS_SCENARIO_RUN_H_

#include "ref/greenlets/scenario.h"
#include "ref/protocol/strbuf.h"

/* A scenario spawns at most this many greenlets; the next spawn raises
 * RuntimeError("too many greenlets") in the greenlet that asked. */
#define PN_SCENARIO_MAX_GREENLETS 10000

/* Appends the answer line of `scenario` to *out (no newline). Returns 0, or
 * -1 when memory ran out. */
int pn_scenario_run(const pn_scenario *scenario, pn_strbuf *out);

#endif /* PYNOTES_REF_GREENLETS_SCENARIO_RUN_H_ */
