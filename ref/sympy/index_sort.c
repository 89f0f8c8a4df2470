/* The stable index sort of index_sort.h: a top-down merge sort, O(n log n)
 * comparisons, one scratch array. */
#include "ref/sympy/index_sort.h"

#include <stdlib.h>
#include <string.h>

typedef int (*index_cmp)(const void *context, size_t a, size_t b);

static void merge_sort(size_t *items, size_t *buf, size_t n, index_cmp cmp, const void *context) {
  if (n < 2) {
    return;
  }
  size_t half = n / 2;
  merge_sort(items, buf, half, cmp, context);
  merge_sort(items + half, buf, n - half, cmp, context);
  size_t i = 0, j = half, k = 0;
  while (i < half && j < n) {
    buf[k++] = cmp(context, items[j], items[i]) < 0 ? items[j++] : items[i++];
  }
  while (i < half) {
    buf[k++] = items[i++];
  }
  while (j < n) {
    buf[k++] = items[j++];
  }
  memcpy(items, buf, n * sizeof *items);
}

int sy_sort_indices(size_t *items, size_t n, index_cmp cmp, const void *context) {
  size_t *buf = malloc((n ? n : 1) * sizeof *buf);
  if (buf == NULL) {
    return -1;
  }
  merge_sort(items, buf, n, cmp, context);
  free(buf);
  return 0;
}
