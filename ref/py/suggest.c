#include "ref/py/suggest.h"

#include <stdint.h>
#include <string.h>

#define MAX_CANDIDATES 750
#define MAX_STRING_SIZE 40
#define MOVE_COST 2
#define CASE_COST 1

static size_t substitution_cost(char a, char b) {
  if ((a & 31) != (b & 31)) {
    return MOVE_COST;
  }
  if (a == b) {
    return 0;
  }
  if (a >= 'A' && a <= 'Z') {
    a += 'a' - 'A';
  }
  if (b >= 'A' && b <= 'Z') {
    b += 'a' - 'A';
  }
  return a == b ? CASE_COST : MOVE_COST;
}

/* The weighted edit distance, or max_cost + 1 once it must exceed max_cost. */
static size_t distance(const char *a, size_t a_size, const char *b, size_t b_size,
                       size_t max_cost) {
  while (a_size && b_size && a[0] == b[0]) {
    a++, b++, a_size--, b_size--;
  }
  while (a_size && b_size && a[a_size - 1] == b[b_size - 1]) {
    a_size--, b_size--;
  }
  if (a_size == 0 || b_size == 0) {
    return (a_size + b_size) * MOVE_COST;
  }
  if (a_size > MAX_STRING_SIZE || b_size > MAX_STRING_SIZE) {
    return max_cost + 1;
  }
  if (b_size < a_size) {
    const char *t = a;
    a = b;
    b = t;
    size_t n = a_size;
    a_size = b_size;
    b_size = n;
  }
  if ((b_size - a_size) * MOVE_COST > max_cost) {
    return max_cost + 1;
  }
  /* One row of the matrix: row[i] is the cost from a[:i+1] to b[:j]. */
  size_t row[MAX_STRING_SIZE];
  for (size_t i = 0; i < a_size; i++) {
    row[i] = (i + 1) * MOVE_COST;
  }
  size_t result = 0;
  for (size_t j = 0; j < b_size; j++) {
    size_t diagonal = j * MOVE_COST;
    result = diagonal;
    size_t minimum = SIZE_MAX;
    for (size_t i = 0; i < a_size; i++) {
      size_t substitute = diagonal + substitution_cost(b[j], a[i]);
      diagonal = row[i];
      size_t insert_delete = (result < diagonal ? result : diagonal) + MOVE_COST;
      result = insert_delete < substitute ? insert_delete : substitute;
      row[i] = result;
      if (result < minimum) {
        minimum = result;
      }
    }
    if (minimum > max_cost) {
      return max_cost + 1;
    }
  }
  return result;
}

const char *py_suggest(const char *name, size_t len, const char *const *candidates, size_t count) {
  if (count >= MAX_CANDIDATES) {
    return NULL;
  }
  const char *best = NULL;
  size_t best_distance = SIZE_MAX;
  for (size_t k = 0; k < count; k++) {
    size_t item_len = strlen(candidates[k]);
    if (item_len == len && memcmp(candidates[k], name, len) == 0) {
      continue;
    }
    size_t max_distance = (len + item_len + 3) * MOVE_COST / 6;
    if (best_distance - 1 < max_distance) {
      max_distance = best_distance - 1;
    }
    size_t d = distance(name, len, candidates[k], item_len, max_distance);
    if (d > max_distance) {
      continue;
    }
    if (best == NULL || d < best_distance) {
      best = candidates[k];
      best_distance = d;
    }
  }
  return best;
}
