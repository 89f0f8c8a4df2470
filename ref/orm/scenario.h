/*
 * The `orm` command's scenarios: a line of steps separated by `;`, run on a
 * new sqlite file, everything they print collected as text. The language is
 * defined in tools/pynotes/cpython_orm.py (which runs it on SQLAlchemy) and
 * conformance/PROTOCOL.md; this is its C twin.
 */
#ifndef PYNOTES_REF_ORM_SCENARIO_H_
#define PYNOTES_REF_ORM_SCENARIO_H_

#include <stddef.h>

#include "ref/protocol/strbuf.h"

/* A word of a step: bare text, or a quoted string's decoded bytes. */
typedef struct pn_orm_word {
  char *text; /* owned, NUL-terminated; may hold NULs (len counts them) */
  size_t len;
  int quoted;
} pn_orm_word;

typedef struct pn_orm_step {
  pn_orm_word *words; /* words[0] is the step's name */
  size_t count;
} pn_orm_step;

typedef struct pn_orm_scenario {
  pn_orm_step *steps;
  size_t count;
} pn_orm_scenario;

/*
 * Parses a scenario line (len bytes). Returns 0 with *scenario filled (free
 * it with pn_orm_scenario_free); 1 when the line is malformed, with the
 * ScenarioError message (`unknown step 'x'`, `usage: person NAME`, ...)
 * appended to *problem; -1 when memory runs out.
 */
int pn_orm_scenario_parse(const char *line, size_t len, pn_orm_scenario *scenario,
                          pn_strbuf *problem);

void pn_orm_scenario_free(pn_orm_scenario *scenario);

/*
 * Runs the scenario line in a new directory under $TMPDIR (or /tmp), which
 * is removed afterwards, appending each line it prints to out, each ending
 * in a newline; a malformed line prints its `ScenarioError: ...` line.
 * Returns 0, or -1 when memory or the temporary directory fails.
 */
int pn_orm_scenario_run(const char *line, size_t len, pn_strbuf *out);

#endif /* PYNOTES_REF_ORM_SCENARIO_H_ */
