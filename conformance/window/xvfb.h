/*
 * A private X server for one test, and the X tools run against it.
 *
 * pn_xvfb_start runs `Xvfb -displayfd FD -screen 0 1280x1024x24 -nolisten tcp`
 * (Xvfb picks a free display number and writes it to FD), and sets DISPLAY
 * and MESA_SHADER_CACHE_DISABLE=true in this process's environment, so every
 * process the test starts afterwards draws there. pn_xvfb_stop ends it.
 */
#ifndef PYNOTES_CONFORMANCE_WINDOW_XVFB_H_
#define PYNOTES_CONFORMANCE_WINDOW_XVFB_H_

#include <sys/types.h>

#include "ref/protocol/strbuf.h"

typedef struct pn_xvfb {
  pid_t pid; /* 0 when not running */
  int display;
} pn_xvfb;

/* Starts Xvfb, waiting up to timeout seconds for its display number. Returns
 * 0, or -1 with the reason appended to *problem (no Xvfb installed, ...). */
int pn_xvfb_start(pn_xvfb *xvfb, double timeout, pn_strbuf *problem);

/* Stops Xvfb (SIGTERM, then SIGKILL) and waits for it. Safe when not running. */
void pn_xvfb_stop(pn_xvfb *xvfb);

/*
 * Runs `xdotool ARGS...` (args NULL-terminated) on DISPLAY, waiting up to
 * timeout seconds. Appends its stdout to *out (may be NULL). Returns 0 when it
 * exits 0, else -1 with its stderr or the reason appended to *problem.
 */
int pn_xdotool(char *const args[], double timeout, pn_strbuf *out, pn_strbuf *problem);

#endif /* PYNOTES_CONFORMANCE_WINDOW_XVFB_H_ */
