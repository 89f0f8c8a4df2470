/*
 * sys.getsizeof of one getsizeof input line: the line read by sizeof_syntax,
 * restricted to the forms the adapter protocol lists (as the CPython adapter,
 * tools/pynotes/cpython_sizeof.py, restricts eval), evaluated into just
 * enough of each value to know its size and its equality with others (set
 * and dict displays drop equal keys), and measured with sizeof_model.
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_EVAL_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_EVAL_H_

#include <stddef.h>

#include "ref/protocol/strbuf.h"
#include "ref/protocol/target.h"

/* The largest construction evaluated (items of list(range(n)), [None]*n,
 * bytearray(n), ...); larger ones answer a ValueError, as the adapter does. */
#define PN_SIZEOF_MAX_ITEMS 10000000

/* Appends the answer to `line` for CPython `target` (a version on pointers
 * of a size): the size in decimal, or the exception line (`TypeError:
 * unhashable type: 'list'`, `NotImplementedError: ...` for what is not
 * modelled). Returns 0, or -1 when memory runs out. */
int pn_getsizeof_answer(pn_target target, const char *line, size_t len, pn_strbuf *out);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_EVAL_H_ */
