/*
 * The CPython version whose behaviour a protocol session reproduces
 * (`--python=X.Y`, 3.6 to 3.14, default 3.11): the versions the goldens name,
 * 3.6 to 3.13 recorded from native CPythons and 3.14 from Pyodide's 32-bit
 * one (conformance/PROTOCOL.md). Each command serves some of them
 * (pn_command.serves).
 */
#ifndef PYNOTES_REF_PROTOCOL_PYVERSION_H_
#define PYNOTES_REF_PROTOCOL_PYVERSION_H_

typedef struct pn_pyversion {
  int major;
  int minor;
} pn_pyversion;

#define PN_PYVERSION_DEFAULT ((pn_pyversion){3, 11})
#define PN_PYVERSION_OLDEST ((pn_pyversion){3, 6})
#define PN_PYVERSION_NEWEST ((pn_pyversion){3, 14})

/* The CPython versions from oldest to newest, both included. */
typedef struct pn_pyversion_range {
  pn_pyversion oldest;
  pn_pyversion newest;
} pn_pyversion_range;

/* An initializer for a pn_pyversion_range: CPython a.b to c.d. */
#define PN_PYVERSIONS(a, b, c, d)        \
  {                                      \
    .oldest = {a, b}, .newest = { c, d } \
  }

/* Whether version lies in range. */
int pn_pyversion_in(pn_pyversion version, pn_pyversion_range range);

/* Parses "X.Y". Returns 0 and fills *version when text names a supported
 * version (3.6 to 3.14); returns -1 otherwise and leaves *version alone. */
int pn_pyversion_parse(const char *text, pn_pyversion *version);

/* Returns <0, 0 or >0 as version a is older than, equal to or newer than
 * major.minor. */
int pn_pyversion_cmp(pn_pyversion a, int major, int minor);

#endif /* PYNOTES_REF_PROTOCOL_PYVERSION_H_ */
