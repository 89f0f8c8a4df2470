/*
 * Greenlet scenarios: the one-line program language of the `greenlets`
 * protocol command (conformance/PROTOCOL.md, "Greenlet scenarios"), e.g.
 *
 *   foo { print "a"; sleep 0; print "b" } main { x = spawn foo; joinall x }
 *
 * This file parses a line into tasks of steps; scenario_run.h runs them.
 * tools/pynotes/cpython_greenlets.py parses the same language with the same
 * error messages.
 */
#ifndef PYNOTES_REF_GREENLETS_SCENARIO_H_
#define PYNOTES_REF_GREENLETS_SCENARIO_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/protocol/strbuf.h"

typedef enum pn_step_kind {
  PN_STEP_PRINT,   /* print(text) */
  PN_STEP_SLEEP,   /* gevent.sleep(seconds) */
  PN_STEP_RAISE,   /* raise exception(text) (text NULL: no message) */
  PN_STEP_RETURN,  /* return text */
  PN_STEP_SPAWN,   /* [var =] gevent.spawn(task) */
  PN_STEP_JOIN,    /* var.join([timeout]) */
  PN_STEP_JOINALL, /* gevent.joinall([vars...], [timeout]) */
  PN_STEP_KILL,    /* var.kill(block=block) */
  PN_STEP_SHOW,    /* print var's state */
} pn_step_kind;

typedef struct pn_step {
  pn_step_kind kind;
  const char *text; /* print, return, raise: decoded, NUL-terminated (may hold no NUL) */
  size_t text_len;
  const char *exception; /* raise: the class name */
  double seconds;        /* sleep; join and joinall when has_timeout */
  bool has_timeout;
  bool block;   /* kill */
  size_t task;  /* spawn: index in pn_scenario.tasks */
  long var;     /* spawn's binding (-1: none); join, kill, show */
  size_t *vars; /* joinall */
  size_t var_count;
} pn_step;

typedef struct pn_task {
  const char *name;
  pn_step *steps;
  size_t step_count;
} pn_task;

typedef struct pn_scenario {
  pn_task *tasks;
  size_t task_count;
  size_t main_task;
  const char **vars; /* variable names, indexed by pn_step.var */
  size_t var_count;
} pn_scenario;

/* Parses a scenario line (len bytes, any bytes). Returns the scenario, or
 * NULL with the SyntaxError's message (`expected '{' at column 5`) appended
 * to *error; NULL with *error untouched when memory runs out. */
pn_scenario *pn_scenario_parse(const char *line, size_t len, pn_strbuf *error);

/* Frees a parsed scenario (NULL is fine). */
void pn_scenario_free(pn_scenario *scenario);

#endif /* PYNOTES_REF_GREENLETS_SCENARIO_H_ */
