/*
 * What a protocol session reproduces: a CPython version (`--python=X.Y`) on
 * pointers of some size (`--pointer-size=N`), the two facts of a declared
 * implementation that change what CPython answers (conformance/PROTOCOL.md).
 */
#ifndef PYNOTES_REF_PROTOCOL_TARGET_H_
#define PYNOTES_REF_PROTOCOL_TARGET_H_

#include "ref/protocol/pyversion.h"

/* Only sizes (getsizeof) depend on pointer_size; other commands ignore it. */
typedef struct pn_target {
  pn_pyversion python;
  int pointer_size; /* bytes: 4 or 8 */
} pn_target;

/* The pointer size when --pointer-size is not given: a 64-bit CPython's. */
#define PN_POINTER_SIZE_DEFAULT 8

/* Parses the N of `--pointer-size=N`. Returns 0 and fills *pointer_size
 * when text is "4" or "8"; returns -1 otherwise and leaves it alone. */
int pn_pointer_size_parse(const char *text, int *pointer_size);

#endif /* PYNOTES_REF_PROTOCOL_TARGET_H_ */
