/*
 * A stable merge sort of indices by a comparison that sees a context: the
 * order of terms that printing (order.c) and the polynomial code (mpoly)
 * compute from data beside the indices, without moving that data.
 */
#ifndef PYNOTES_REF_SYMPY_INDEX_SORT_H_
#define PYNOTES_REF_SYMPY_INDEX_SORT_H_

#include <stddef.h>

/* Sorts items[0..n) stably so that cmp(context, a, b) < 0 puts a before
 * b. Returns 0, or -1 on memory exhaustion (items unchanged). */
int sy_sort_indices(size_t *items, size_t n, int (*cmp)(const void *context, size_t a, size_t b),
                    const void *context);

#endif /* PYNOTES_REF_SYMPY_INDEX_SORT_H_ */
