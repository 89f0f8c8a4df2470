#include "ref/sizeof/sizeof_eval.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/command.h"
#include "ref/py/literal.h"
#include "ref/sizeof/sizeof_forms.h"
#include "ref/sizeof/sizeof_model.h"
#include "ref/sizeof/sizeof_syntax.h"

#define UNSUPPORTED "unsupported getsizeof input"
#define TOO_LARGE "constructions of more than 10000000 items are not evaluated"

/* Decimal int literals longer than this are not converted where no digit
 * limit applies (3.6): the quadratic conversion would take too long. */
enum { MAX_UNLIMITED_DECIMAL_DIGITS = 100000, DIGIT_BITS = 30 };

typedef enum value_kind {
  V_INT,
  V_BOOL,
  V_NONE,
  V_FLOAT,
  V_COMPLEX,
  V_STR,
  V_BYTES,
  V_TUPLE,
  V_LIST,
  V_DICT,
  V_SET,
  V_FROZENSET,
  V_BYTEARRAY,
  V_RANGE,
  V_SLICE,
} value_kind;

static const char *const kTypeNames[] = {
    "int",  "bool", "NoneType", "float",     "complex",   "str",   "bytes", "tuple",
    "list", "dict", "set",      "frozenset", "bytearray", "range", "slice",
};

typedef struct value value;
struct value {
  value_kind kind;
  /* int and bool: magnitude in 30-bit digits, least significant first */
  bool negative;
  size_t ndigits;
  uint32_t *digits;
  /* float and complex */
  double re, im;
  /* str (code points) and bytes */
  const uint32_t *chars;
  const char *bytes;
  size_t length;
  unsigned maxchar;
  /* tuple, list, set, frozenset: the items, or when items is NULL the ints
   * first, first+step, ... of a range; dict: its keys */
  value **items;
  size_t count;
  int64_t first, step;
  /* what the size depends on */
  size_t allocated;
  pn_dict_keys keys;
  pn_set_table table;
  /* range: bounds when they fit in 64 bits */
  bool range_big;
  int64_t start, stop, range_step;
};

typedef struct evaluator {
  const pn_sizeof_layout *layout;
  void **owned; /* every allocation, freed at the end */
  size_t nowned, owned_cap;
  const char *error_type;
  pn_strbuf error;
  bool out_of_memory;
} evaluator;

static void *ev_alloc(evaluator *ev, size_t n) {
  if (ev->nowned == ev->owned_cap) {
    size_t cap = ev->owned_cap ? ev->owned_cap * 2 : 32;
    void **grown = realloc(ev->owned, cap * sizeof *grown);
    if (grown == NULL) {
      ev->out_of_memory = true;
      return NULL;
    }
    ev->owned = grown;
    ev->owned_cap = cap;
  }
  void *p = calloc(1, n ? n : 1);
  if (p == NULL) {
    ev->out_of_memory = true;
    return NULL;
  }
  ev->owned[ev->nowned++] = p;
  return p;
}

/* Records the first exception; returns NULL for `return raise(...)`. */
static void *raise(evaluator *ev, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
static void *raise(evaluator *ev, const char *type, const char *format, ...) {
  if (ev->error_type != NULL) {
    return NULL;
  }
  ev->error_type = type;
  va_list args;
  va_start(args, format);
  if (pn_strbuf_vprintf(&ev->error, format, args) != 0) {
    ev->out_of_memory = true;
  }
  va_end(args);
  return NULL;
}

static bool failed(const evaluator *ev) {
  return ev->error_type != NULL || ev->out_of_memory;
}

static value *new_value(evaluator *ev, value_kind kind) {
  value *v = ev_alloc(ev, sizeof *v);
  if (v != NULL) {
    v->kind = kind;
  }
  return v;
}

/* ---- ints ---- */

static void int_normalize(value *v) {
  while (v->ndigits > 0 && v->digits[v->ndigits - 1] == 0) {
    v->ndigits--;
  }
  if (v->ndigits == 0) {
    v->negative = false;
  }
}

/* digits = digits * factor + add, growing by one digit at most. */
static void int_mul_add(value *v, uint32_t factor, uint32_t add) {
  uint64_t carry = add;
  for (size_t i = 0; i < v->ndigits; i++) {
    uint64_t t = (uint64_t)v->digits[i] * factor + carry;
    v->digits[i] = (uint32_t)(t & ((1u << DIGIT_BITS) - 1));
    carry = t >> DIGIT_BITS;
  }
  while (carry != 0) {
    v->digits[v->ndigits++] = (uint32_t)(carry & ((1u << DIGIT_BITS) - 1));
    carry >>= DIGIT_BITS;
  }
}

static value *int_from_literal(evaluator *ev, const char *text, size_t len, int base) {
  value *v = new_value(ev, V_INT);
  if (v == NULL) {
    return NULL;
  }
  if (base == 10 && !py_int_digits_limited(ev->layout->minor) &&
      len > MAX_UNLIMITED_DECIMAL_DIGITS) {
    return raise(ev, "NotImplementedError", "int literals of more than %d digits are not modelled",
                 MAX_UNLIMITED_DECIMAL_DIGITS);
  }
  unsigned bits = base == 16 ? 4 : base == 8 ? 3 : base == 2 ? 1 : 0;
  /* Room: 30-bit digits for 4 bits (or log2(10) < 4) per character. */
  v->digits = ev_alloc(ev, (len * 4 / DIGIT_BITS + 2) * sizeof *v->digits);
  if (v->digits == NULL) {
    return NULL;
  }
  if (bits != 0) {
    /* Power-of-two bases: pack bits from the least significant character. */
    uint64_t acc = 0;
    unsigned have = 0;
    for (size_t i = len; i-- > 0;) {
      char c = text[i];
      unsigned d = c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
      acc |= (uint64_t)d << have;
      have += bits;
      if (have >= DIGIT_BITS) {
        v->digits[v->ndigits++] = (uint32_t)(acc & ((1u << DIGIT_BITS) - 1));
        acc >>= DIGIT_BITS;
        have -= DIGIT_BITS;
      }
    }
    if (have > 0) {
      v->digits[v->ndigits++] = (uint32_t)acc;
    }
  } else {
    for (size_t i = 0; i < len;) {
      uint32_t chunk = 0, factor = 1;
      for (int k = 0; k < 9 && i < len; k++, i++) {
        chunk = chunk * 10 + (uint32_t)(text[i] - '0');
        factor *= 10;
      }
      int_mul_add(v, factor, chunk);
    }
  }
  int_normalize(v);
  return v;
}

/* A small int in a caller's buffer of three digits (enough for 64 bits). */
static void int_set_int64(value *v, uint32_t *buffer, int64_t n) {
  memset(v, 0, sizeof *v);
  v->kind = V_INT;
  v->digits = buffer;
  v->negative = n < 0;
  uint64_t magnitude = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
  while (magnitude != 0) {
    buffer[v->ndigits++] = (uint32_t)(magnitude & ((1u << DIGIT_BITS) - 1));
    magnitude >>= DIGIT_BITS;
  }
}

static bool int_to_int64(const value *v, int64_t *out) {
  if (v->ndigits > 3) {
    return false;
  }
  uint64_t magnitude = 0;
  for (size_t i = v->ndigits; i-- > 0;) {
    if (magnitude >> (64 - DIGIT_BITS) != 0) {
      return false;
    }
    magnitude = (magnitude << DIGIT_BITS) | v->digits[i];
  }
  if (magnitude > (uint64_t)INT64_MAX + (v->negative ? 1 : 0)) {
    return false;
  }
  *out = v->negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
  return true;
}

static double int_to_double(const value *v) {
  double d = 0;
  for (size_t i = v->ndigits; i-- > 0;) {
    d = d * (double)(1u << DIGIT_BITS) + v->digits[i];
  }
  return v->negative ? -d : d;
}

static bool int_equal(const value *a, const value *b) {
  return a->negative == b->negative && a->ndigits == b->ndigits &&
         memcmp(a->digits, b->digits, a->ndigits * sizeof *a->digits) == 0;
}

/* int == float, exactly: the float must be finite and integral, and its
 * digits (mantissa shifted by its exponent) the int's. */
static bool int_equals_double(const value *a, double d) {
  if (!isfinite(d) || d != floor(d)) {
    return false;
  }
  if ((d < 0) != a->negative) {
    return d == 0 && a->ndigits == 0;
  }
  int exponent;
  double fraction = frexp(fabs(d), &exponent);
  uint64_t mantissa = (uint64_t)ldexp(fraction, 53);
  int shift = exponent - 53;
  if (shift < 0) {
    mantissa >>= -shift; /* exact: d is integral */
    shift = 0;
  }
  uint32_t digits[40] = {0};
  size_t ndigits = (size_t)(shift + 64) / DIGIT_BITS + 1;
  for (int bit = 0; bit < 64; bit++) {
    if (mantissa >> bit & 1) {
      int at = bit + shift;
      digits[at / DIGIT_BITS] |= 1u << (at % DIGIT_BITS);
    }
  }
  while (ndigits > 0 && digits[ndigits - 1] == 0) {
    ndigits--;
  }
  return ndigits == a->ndigits && memcmp(digits, a->digits, ndigits * sizeof *digits) == 0;
}

/* ---- equality and hashing, for set items and dict keys ---- */

static bool is_number(const value *v) {
  return v->kind == V_INT || v->kind == V_BOOL || v->kind == V_FLOAT || v->kind == V_COMPLEX;
}

static bool is_integer(const value *v) {
  return v->kind == V_INT || v->kind == V_BOOL;
}

typedef struct item_buffer {
  value v;
  uint32_t digits[3];
} item_buffer;

/* Item i of a container, made in `buffer` when it comes from a range. */
static const value *item_at(const value *container, size_t i, item_buffer *buffer) {
  if (container->items != NULL) {
    return container->items[i];
  }
  int_set_int64(&buffer->v, buffer->digits, container->first + (int64_t)i * container->step);
  return &buffer->v;
}

static bool value_equal(const value *a, const value *b);

static bool real_equal(const value *a, double a_re, const value *b, double b_re) {
  if (is_integer(a) && is_integer(b)) {
    return int_equal(a, b);
  }
  if (is_integer(a)) {
    return int_equals_double(a, b_re);
  }
  if (is_integer(b)) {
    return int_equals_double(b, a_re);
  }
  return a_re == b_re;
}

static bool contains(const value *set, const value *item) {
  item_buffer buffer;
  for (size_t i = 0; i < set->count; i++) {
    if (value_equal(item_at(set, i, &buffer), item)) {
      return true;
    }
  }
  return false;
}

static int64_t range_length(const value *r);

static bool value_equal(const value *a, const value *b) {
  if (is_number(a) && is_number(b)) {
    double a_im = a->kind == V_COMPLEX ? a->im : 0;
    double b_im = b->kind == V_COMPLEX ? b->im : 0;
    return a_im == b_im && real_equal(a, a->re, b, b->re);
  }
  if (a->kind != b->kind) {
    return false;
  }
  item_buffer ba, bb;
  switch (a->kind) {
    case V_NONE:
      return true;
    case V_STR:
      return a->length == b->length &&
             memcmp(a->chars, b->chars, a->length * sizeof *a->chars) == 0;
    case V_BYTES:
      return a->length == b->length && memcmp(a->bytes, b->bytes, a->length) == 0;
    case V_TUPLE:
      if (a->count != b->count) {
        return false;
      }
      for (size_t i = 0; i < a->count; i++) {
        if (!value_equal(item_at(a, i, &ba), item_at(b, i, &bb))) {
          return false;
        }
      }
      return true;
    case V_FROZENSET:
      if (a->count != b->count) {
        return false;
      }
      for (size_t i = 0; i < a->count; i++) {
        if (!contains(b, item_at(a, i, &ba))) {
          return false;
        }
      }
      return true;
    case V_RANGE: {
      /* Ranges are equal when they give the same ints. */
      int64_t n = range_length(a);
      if (n != range_length(b)) {
        return false;
      }
      return n == 0 || (a->start == b->start && (n == 1 || a->range_step == b->range_step));
    }
    default:
      return false;
  }
}

static uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
  return h;
}

static uint64_t double_hash(double d) {
  if (d == 0) {
    d = 0; /* -0.0 == 0.0 */
  }
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

/* A hash consistent with value_equal (equal values hash alike); numbers by
 * their nearest double, which equal numbers share. */
static uint64_t value_hash(const value *v) {
  item_buffer buffer;
  uint64_t h = (uint64_t)v->kind * 0x100000001b3u;
  switch (v->kind) {
    case V_INT:
    case V_BOOL:
      return mix(double_hash(int_to_double(v)), 0);
    case V_FLOAT:
      return mix(double_hash(v->re), 0);
    case V_COMPLEX:
      return mix(double_hash(v->re), double_hash(v->im));
    case V_STR:
      for (size_t i = 0; i < v->length; i++) {
        h = mix(h, v->chars[i]);
      }
      return h;
    case V_BYTES:
      for (size_t i = 0; i < v->length; i++) {
        h = mix(h, (unsigned char)v->bytes[i]);
      }
      return h;
    case V_TUPLE:
      for (size_t i = 0; i < v->count; i++) {
        h = mix(h, value_hash(item_at(v, i, &buffer)));
      }
      return h;
    case V_FROZENSET: {
      uint64_t sum = 0;
      for (size_t i = 0; i < v->count; i++) {
        sum += value_hash(item_at(v, i, &buffer));
      }
      return mix(h, sum);
    }
    case V_RANGE: {
      int64_t n = range_length(v);
      h = mix(h, (uint64_t)n);
      return n == 0 ? h : mix(mix(h, (uint64_t)v->start), n == 1 ? 0 : (uint64_t)v->range_step);
    }
    default:
      return h;
  }
}

/* hash(v) raises for the mutable types; a tuple raises for its first
 * unhashable item. */
static bool check_hashable(evaluator *ev, const value *v) {
  switch (v->kind) {
    case V_LIST:
    case V_DICT:
    case V_SET:
    case V_BYTEARRAY:
    case V_SLICE:
      raise(ev, "TypeError", "unhashable type: '%s'", kTypeNames[v->kind]);
      return false;
    case V_TUPLE:
      for (size_t i = 0; v->items != NULL && i < v->count; i++) {
        if (!check_hashable(ev, v->items[i])) {
          return false;
        }
      }
      return true;
    case V_RANGE:
      if (v->range_big) {
        raise(ev, "NotImplementedError", "ranges beyond 64-bit bounds are not modelled");
        return false;
      }
      return true;
    default:
      return true;
  }
}

/* The distinct keys seen so far, in an open-addressing table of indices. */
typedef struct key_table {
  value **keys;
  size_t count;
  uint64_t *hashes;
  size_t *slots; /* index + 1, 0 for empty */
  size_t capacity;
} key_table;

static void key_table_free(key_table *t) {
  free(t->keys);
  free(t->hashes);
  free(t->slots);
}

static bool key_table_grow(evaluator *ev, key_table *t) {
  size_t capacity = t->capacity ? t->capacity * 2 : 16;
  size_t *slots = calloc(capacity, sizeof *slots);
  value **keys = realloc(t->keys, capacity / 2 * sizeof *keys);
  uint64_t *hashes = keys == NULL ? NULL : realloc(t->hashes, capacity / 2 * sizeof *hashes);
  if (keys != NULL) {
    t->keys = keys;
  }
  if (hashes != NULL) {
    t->hashes = hashes;
  }
  if (slots == NULL || keys == NULL || hashes == NULL) {
    free(slots);
    ev->out_of_memory = true;
    return false;
  }
  for (size_t i = 0; i < t->count; i++) {
    size_t at = t->hashes[i] & (capacity - 1);
    while (slots[at] != 0) {
      at = (at + 1) & (capacity - 1);
    }
    slots[at] = i + 1;
  }
  free(t->slots);
  t->slots = slots;
  t->capacity = capacity;
  return true;
}

/* Adds key unless an equal one is there. Returns 1 if added, 0 if present,
 * -1 on error (unhashable, out of memory). */
static int key_table_add(evaluator *ev, key_table *t, value *key) {
  if (!check_hashable(ev, key)) {
    return -1;
  }
  if ((t->count + 1) * 2 > t->capacity && !key_table_grow(ev, t)) {
    return -1;
  }
  uint64_t h = value_hash(key);
  size_t at = h & (t->capacity - 1);
  while (t->slots[at] != 0) {
    size_t i = t->slots[at] - 1;
    if (t->hashes[i] == h && value_equal(t->keys[i], key)) {
      return 0;
    }
    at = (at + 1) & (t->capacity - 1);
  }
  t->slots[at] = t->count + 1;
  t->keys[t->count] = key;
  t->hashes[t->count] = h;
  t->count++;
  return 1;
}

/* Moves the table's keys into the container's items. */
static bool take_keys(evaluator *ev, value *container, key_table *t) {
  container->items = ev_alloc(ev, t->count * sizeof *container->items);
  if (container->items == NULL) {
    return false;
  }
  if (t->count > 0) {
    memcpy(container->items, t->keys, t->count * sizeof *t->keys);
  }
  container->count = t->count;
  return true;
}

/* The value of a (signed) int literal node, saturated to 64 bits. */
static int64_t literal_int64(evaluator *ev, const pn_node *n) {
  bool negative = pn_sizeof_is_signed(n) && n->op == '-';
  const pn_node *digits = pn_sizeof_is_signed(n) ? n->child[0] : n;
  value *v = int_from_literal(ev, digits->text, digits->length, digits->base);
  int64_t out = INT64_MAX;
  if (v != NULL && !int_to_int64(v, &out)) {
    out = INT64_MAX;
  }
  return negative ? -out : out;
}

/* _count_guard: refuses bytearray(n) and [...]*n over the limit before
 * anything is evaluated. */
static bool too_large(evaluator *ev, const pn_node *n) {
  if (n == NULL) {
    return false;
  }
  if (pn_sizeof_is_call_of(n, "bytearray") && n->count == 2 &&
      pn_sizeof_is_int_literal(n->child[1]) &&
      literal_int64(ev, n->child[1]) > PN_SIZEOF_MAX_ITEMS) {
    return true;
  }
  if (n->kind == PN_NODE_BINARY && n->op == '*') {
    int64_t times = literal_int64(ev, n->child[1]);
    size_t each = n->child[0]->count;
    if (times > 0 && each > 0 && (uint64_t)times > PN_SIZEOF_MAX_ITEMS / each) {
      return true;
    }
  }
  for (size_t i = 0; i < n->count; i++) {
    if (n->child != NULL && too_large(ev, n->child[i])) {
      return true;
    }
  }
  return false;
}

/* ---- evaluation ---- */

static value *eval_node(evaluator *ev, const pn_node *n);

static value *make_int64(evaluator *ev, int64_t n) {
  value *v = new_value(ev, V_INT);
  uint32_t *digits = v == NULL ? NULL : ev_alloc(ev, 3 * sizeof *digits);
  if (digits == NULL) {
    return NULL;
  }
  int_set_int64(v, digits, n);
  return v;
}

static value *eval_number(evaluator *ev, const pn_node *n) {
  if (n->kind == PN_NODE_INT) {
    return int_from_literal(ev, n->text, n->length, n->base);
  }
  value *v = new_value(ev, n->kind == PN_NODE_FLOAT ? V_FLOAT : V_COMPLEX);
  if (v == NULL) {
    return NULL;
  }
  double d = strtod(n->text, NULL);
  if (n->kind == PN_NODE_FLOAT) {
    v->re = d;
  } else {
    v->im = d;
  }
  return v;
}

static value *negate(evaluator *ev, value *v) {
  value *r = new_value(ev, v->kind == V_BOOL ? V_INT : v->kind);
  if (r == NULL) {
    return NULL;
  }
  *r = *v;
  r->re = -v->re;
  r->im = -v->im;
  if (is_integer(v)) {
    r->kind = V_INT;
    r->negative = v->ndigits > 0 && !v->negative;
  }
  return r;
}

/* The real and imaginary parts of a number, as complex arithmetic sees
 * them: an int too large for a double overflows. */
static bool complex_parts(evaluator *ev, const value *v, double *re, double *im) {
  *im = v->kind == V_COMPLEX ? v->im : 0;
  *re = is_integer(v) ? int_to_double(v) : v->re;
  if (is_integer(v) && isinf(*re)) {
    raise(ev, "OverflowError", "int too large to convert to float");
    return false;
  }
  return true;
}

static value *eval_complex(evaluator *ev, const pn_node *n) {
  value *left = eval_node(ev, n->child[0]);
  value *right = left == NULL ? NULL : eval_node(ev, n->child[1]);
  value *r = right == NULL ? NULL : new_value(ev, V_COMPLEX);
  double lre, lim, rre, rim;
  if (r == NULL || !complex_parts(ev, left, &lre, &lim) || !complex_parts(ev, right, &rre, &rim)) {
    return NULL;
  }
  int sign = n->op == '-' ? -1 : 1;
  r->re = lre + sign * rre;
  r->im = lim + sign * rim;
  return r;
}

static value **eval_children(evaluator *ev, const pn_node *n, size_t from) {
  value **items = ev_alloc(ev, (n->count - from) * sizeof *items);
  for (size_t i = from; items != NULL && i < n->count; i++) {
    items[i - from] = eval_node(ev, n->child[i]);
    if (items[i - from] == NULL) {
      return NULL;
    }
  }
  return items;
}

static bool all_constant(const pn_node *n, size_t from, size_t step) {
  for (size_t i = from; i < n->count; i += step) {
    if (!pn_node_is_constant(n->child[i])) {
      return false;
    }
  }
  return true;
}

static value *eval_list_display(evaluator *ev, const pn_node *n) {
  value *v = new_value(ev, V_LIST);
  if (v == NULL || (v->items = eval_children(ev, n, 0)) == NULL) {
    return NULL;
  }
  v->count = n->count;
  v->allocated = pn_list_display(ev->layout, n->count, all_constant(n, 0, 1));
  return v;
}

/* Whether `key` keeps a dict's table str-only (an exact str, where the
 * layout has str-only tables). */
static bool str_key(const evaluator *ev, const value *key) {
  return key->kind == V_STR && pn_dict_has_str_tables(ev->layout);
}

/* Adds items one by one (set_add_entry), dropping equal ones. */
static bool set_add_items(evaluator *ev, value *set, value **items, size_t count) {
  key_table table = {0};
  bool ok = true;
  for (size_t i = 0; i < set->count && ok; i++) {
    ok = key_table_add(ev, &table, set->items[i]) >= 0;
  }
  for (size_t i = 0; i < count && ok; i++) {
    int added = key_table_add(ev, &table, items[i]);
    ok = added >= 0;
    if (added == 1) {
      pn_set_add_new(ev->layout, &set->table);
    }
  }
  ok = ok && take_keys(ev, set, &table);
  key_table_free(&table);
  return ok;
}

static value *new_set(evaluator *ev, value_kind kind) {
  value *v = new_value(ev, kind);
  if (v != NULL) {
    v->table = pn_set_empty();
  }
  return v;
}

static value *eval_set_display(evaluator *ev, const pn_node *n) {
  bool constant = pn_set_display_folds(ev->layout, n->count, all_constant(n, 0, 1));
  if (!constant && pn_display_builds_by_item(ev->layout, n->count)) {
    /* BUILD_SET 0 + a SET_ADD after each item: an unhashable item fails
     * before the next one is evaluated. */
    value *v = new_set(ev, V_SET);
    key_table table = {0};
    bool ok = v != NULL;
    for (size_t i = 0; ok && i < n->count; i++) {
      value *item = eval_node(ev, n->child[i]);
      int added = item == NULL ? -1 : key_table_add(ev, &table, item);
      ok = added >= 0;
      if (added == 1) {
        pn_set_add_new(ev->layout, &v->table);
      }
    }
    ok = ok && take_keys(ev, v, &table);
    key_table_free(&table);
    return ok ? v : NULL;
  }
  value **items = eval_children(ev, n, 0);
  value *v = items == NULL ? NULL : new_set(ev, V_SET);
  if (v == NULL) {
    return NULL;
  }
  if (constant) {
    /* The compiler (3.9 on) folds the items into a frozenset constant (built
     * by adding them one by one); BUILD_SET 0 + SET_UPDATE merges it. */
    value *folded = new_set(ev, V_FROZENSET);
    if (folded == NULL || !set_add_items(ev, folded, items, n->count)) {
      return NULL;
    }
    v->items = folded->items;
    v->count = folded->count;
    pn_set_merge_into_empty(ev->layout, &v->table, folded->count);
    return v;
  }
  return set_add_items(ev, v, items, n->count) ? v : NULL;
}

/* One part of a dict display, built as compiler_subdict builds it: from
 * 3.10 more than 15 items with BUILD_MAP 0 and a MAP_ADD after each pair (so
 * each key goes in before the next pair is evaluated); fewer, or any number
 * to 3.9, with BUILD_MAP n or BUILD_CONST_KEY_MAP, which presize the dict
 * (_PyDict_NewPresized, 3.11's _PyDict_FromItems: str-only entries when
 * every key is a str) once all pairs are evaluated and insert them in order. */
static value *eval_dict_part(evaluator *ev, const pn_node *n, size_t begin, size_t end,
                             key_table *table) {
  size_t count = end - begin;
  value *dict = new_value(ev, V_DICT);
  value **items = dict == NULL ? NULL : ev_alloc(ev, 2 * count * sizeof *items);
  if (items == NULL) {
    return NULL;
  }
  dict->keys = pn_dict_new(ev->layout);
  bool big = pn_display_builds_by_item(ev->layout, count * 2);
  bool all_str = true;
  for (size_t i = 0; i < 2 * count; i++) {
    items[i] = eval_node(ev, n->child[2 * begin + i]);
    if (items[i] == NULL) {
      return NULL;
    }
    if (i % 2 == 1 && big) {
      int added = key_table_add(ev, table, items[i - 1]);
      if (added < 0) {
        return NULL;
      }
      if (added == 1) {
        pn_dict_insert(ev->layout, &dict->keys, table->count - 1, str_key(ev, items[i - 1]));
      }
    }
    all_str &= i % 2 == 1 || str_key(ev, items[i]);
  }
  if (big) {
    return dict;
  }
  dict->keys = pn_dict_presized(ev->layout, count, all_str);
  for (size_t i = 0; i < count; i++) {
    int added = key_table_add(ev, table, items[2 * i]);
    if (added < 0) {
      return NULL;
    }
    if (added == 1) {
      pn_dict_insert(ev->layout, &dict->keys, table->count - 1, str_key(ev, items[2 * i]));
    }
  }
  return dict;
}

/* compiler_dict (3.10 on) splits a display into parts of 17 pairs (and the
 * rest); each part after the first is merged into the first with
 * DICT_UPDATE (dict_merge: one presize, then insertion one key at a time).
 * To 3.9 a display of up to 0xFFFF pairs is one part. */
static value *eval_dict_display(evaluator *ev, const pn_node *n) {
  size_t pairs = n->count / 2;
  if (pairs > pn_dict_display_max_pairs(ev->layout)) {
    return raise(ev, "NotImplementedError",
                 "dict displays of more than %zu pairs are not modelled for Python 3.%d",
                 pn_dict_display_max_pairs(ev->layout), ev->layout->minor);
  }
  key_table target_keys = {0};
  value *target = NULL;
  size_t begin = 0;
  bool ok = true;
  for (size_t i = 0, elements = 0; ok && i <= pairs; i++) {
    size_t end;
    if (i == pairs) {
      if (elements == 0) {
        break;
      }
      end = pairs;
    } else if (pn_display_builds_by_item(ev->layout, elements * 2)) {
      end = i + 1;
    } else {
      elements++;
      continue;
    }
    elements = 0;
    key_table part_keys = {0};
    value *part = eval_dict_part(ev, n, begin, end, target == NULL ? &target_keys : &part_keys);
    begin = end;
    ok = part != NULL;
    if (ok && target == NULL) {
      target = part;
    } else if (ok) {
      pn_dict_merge_presize(ev->layout, &target->keys, target_keys.count, part_keys.count,
                            part->keys.unicode);
      for (size_t k = 0; ok && k < part_keys.count; k++) {
        value *key = part_keys.keys[k];
        int added = key_table_add(ev, &target_keys, key);
        ok = added >= 0;
        if (added == 1) {
          pn_dict_insert(ev->layout, &target->keys, target_keys.count - 1, str_key(ev, key));
        }
      }
    }
    key_table_free(&part_keys);
  }
  if (target == NULL && ok) {
    target = new_value(ev, V_DICT); /* {} */
    if (target != NULL) {
      target->keys = pn_dict_new(ev->layout);
    }
  }
  ok = ok && target != NULL && take_keys(ev, target, &target_keys);
  key_table_free(&target_keys);
  return ok ? target : NULL;
}

static int64_t range_length(const value *r) {
  __int128 start = r->start, stop = r->stop, step = r->range_step;
  __int128 n = 0;
  if (step > 0 && start < stop) {
    n = (stop - start - 1) / step + 1;
  } else if (step < 0 && start > stop) {
    n = (start - stop - 1) / -step + 1;
  }
  return n > INT64_MAX ? -1 : (int64_t)n;
}

static value *eval_range(evaluator *ev, const pn_node *n) {
  value **args = eval_children(ev, n, 1);
  if (args == NULL) {
    return NULL;
  }
  size_t nargs = n->count - 1;
  if (nargs == 0) {
    return raise(ev, "TypeError", "range expected at least 1 argument, got 0");
  }
  if (nargs > 3) {
    return raise(ev, "TypeError", "range expected at most 3 arguments, got %zu", nargs);
  }
  int64_t bounds[3] = {0, 0, 1};
  bool big = false;
  for (size_t i = 0; i < nargs; i++) {
    if (!is_integer(args[i])) {
      return raise(ev, "TypeError", "'%s' object cannot be interpreted as an integer",
                   kTypeNames[args[i]->kind]);
    }
    size_t at = nargs == 1 ? 1 : i;
    if (!int_to_int64(args[i], &bounds[at])) {
      big = true;
    }
  }
  if (nargs == 3 && args[2]->ndigits == 0) {
    return raise(ev, "ValueError", "range() arg 3 must not be zero");
  }
  value *v = new_value(ev, V_RANGE);
  if (v != NULL) {
    v->range_big = big;
    v->start = bounds[0];
    v->stop = bounds[1];
    v->range_step = bounds[2];
  }
  return v;
}

/* A range that is iterated: its ints as a range-backed container. Refuses
 * more than PN_SIZEOF_MAX_ITEMS, as the adapter's guarded range does. */
static value *eval_consumed_range(evaluator *ev, const pn_node *n, value_kind kind) {
  value *r = eval_range(ev, n);
  if (r == NULL) {
    return NULL;
  }
  if (r->range_big) {
    return raise(ev, "NotImplementedError", "ranges beyond 64-bit bounds are not modelled");
  }
  int64_t length = range_length(r);
  if (length < 0) {
    return raise(ev, "OverflowError", "Python int too large to convert to C ssize_t");
  }
  if (length > PN_SIZEOF_MAX_ITEMS) {
    return raise(ev, "ValueError", TOO_LARGE);
  }
  value *v = new_value(ev, kind);
  if (v != NULL) {
    v->count = (size_t)length;
    v->first = r->start;
    v->step = r->range_step;
  }
  return v;
}

/* The items of a collection constructor's argument: a range, or a display. */
static value *eval_iterable(evaluator *ev, const pn_node *arg) {
  if (arg->kind == PN_NODE_CALL) {
    return eval_consumed_range(ev, arg, V_TUPLE);
  }
  return eval_node(ev, arg);
}

static value *eval_collection_call(evaluator *ev, const char *name, const pn_node *n) {
  value *source = n->count > 1 ? eval_iterable(ev, n->child[1]) : NULL;
  if (n->count > 1 && source == NULL) {
    return NULL;
  }
  size_t count = source == NULL ? 0 : source->count;
  if (strcmp(name, "list") == 0 || strcmp(name, "tuple") == 0) {
    bool list = name[0] == 'l';
    value *v = new_value(ev, list ? V_LIST : V_TUPLE);
    if (v == NULL) {
      return NULL;
    }
    if (source != NULL) {
      v->items = source->items;
      v->first = source->first;
      v->step = source->step;
    }
    v->count = count;
    /* tuple(): exactly len items. */
    bool hashed = source != NULL && (source->kind == V_SET || source->kind == V_DICT);
    v->allocated = list ? pn_list_from_sized(ev->layout, count, hashed) : count;
    return v;
  }
  value *v = new_set(ev, name[0] == 's' ? V_SET : V_FROZENSET);
  if (v == NULL || source == NULL) {
    return v;
  }
  if (source->kind == V_SET || source->kind == V_FROZENSET) {
    /* set_update_internal of a set: set_merge. */
    v->items = source->items;
    v->count = source->count;
    pn_set_merge_into_empty(ev->layout, &v->table, source->count);
    return v;
  }
  if (source->items == NULL) {
    /* A range: distinct ints, added one by one. */
    v->first = source->first;
    v->step = source->step;
    v->count = source->count;
    for (size_t i = 0; i < source->count; i++) {
      pn_set_add_new(ev->layout, &v->table);
    }
    return v;
  }
  return set_add_items(ev, v, source->items, source->count) ? v : NULL;
}

/* Python's repr of a str, for float()'s error message. Non-ASCII
 * characters are taken as printable except the C1 controls, NBSP, the soft
 * hyphen and surrogates (a close stand-in for str.isprintable). */
static bool append_repr(pn_strbuf *out, const uint32_t *chars, size_t length) {
  bool has_single = false, has_double = false;
  for (size_t i = 0; i < length; i++) {
    has_single |= chars[i] == '\'';
    has_double |= chars[i] == '"';
  }
  char quote = has_single && !has_double ? '"' : '\'';
  int rc = pn_strbuf_append(out, &quote, 1);
  for (size_t i = 0; rc == 0 && i < length; i++) {
    uint32_t c = chars[i];
    if (c == (uint32_t)quote || c == '\\') {
      rc = pn_strbuf_printf(out, "\\%c", (char)c);
    } else if (c == '\t' || c == '\n' || c == '\r') {
      rc = pn_strbuf_puts(out, c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0xAD) {
      rc = pn_strbuf_printf(out, "\\x%02x", c);
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      rc = pn_strbuf_printf(out, "\\u%04x", c);
    } else if (c < 0x80) {
      char ch = (char)c;
      rc = pn_strbuf_append(out, &ch, 1);
    } else {
      char utf8[4];
      size_t n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (n == 2) {
        utf8[0] = (char)(0xC0 | c >> 6);
      } else if (n == 3) {
        utf8[0] = (char)(0xE0 | c >> 12);
      } else {
        utf8[0] = (char)(0xF0 | c >> 18);
      }
      for (size_t k = 1; k < n; k++) {
        utf8[k] = (char)(0x80 | ((c >> (6 * (n - 1 - k))) & 0x3F));
      }
      rc = pn_strbuf_append(out, utf8, n);
    }
  }
  return rc == 0 && pn_strbuf_append(out, &quote, 1) == 0;
}

static bool is_space(uint32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
}

/* float(str): optional whitespace around [sign] and a decimal number
 * (underscores only between digits), inf, infinity or nan. */
static bool parse_float_text(const uint32_t *chars, size_t length, double *out) {
  size_t i = 0, end = length;
  while (i < end && is_space(chars[i])) {
    i++;
  }
  while (end > i && is_space(chars[end - 1])) {
    end--;
  }
  char *text = malloc(end - i + 1);
  if (text == NULL) {
    return false;
  }
  size_t n = 0;
  bool ok = true;
  for (size_t k = i; k < end; k++) {
    uint32_t c = chars[k];
    if (c >= 0x80) {
      ok = false;
      break;
    }
    if (c == '_') {
      bool digit_before = k > i && chars[k - 1] >= '0' && chars[k - 1] <= '9';
      bool digit_after = k + 1 < end && chars[k + 1] >= '0' && chars[k + 1] <= '9';
      if (!digit_before || !digit_after) {
        ok = false;
        break;
      }
      continue;
    }
    text[n++] = (char)c;
  }
  text[n] = 0;
  if (ok) {
    const char *p = text;
    if (*p == '+' || *p == '-') {
      p++;
    }
    const char *words[] = {"inf", "infinity", "nan"};
    bool word = false;
    for (size_t w = 0; w < 3; w++) {
      if (strlen(p) == strlen(words[w]) && strncasecmp(p, words[w], strlen(p)) == 0) {
        word = true;
      }
    }
    if (!word) {
      /* digits [. digits] or . digits, then [e [sign] digits] */
      size_t digits = 0;
      while (*p >= '0' && *p <= '9') {
        p++, digits++;
      }
      if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
          p++, digits++;
        }
      }
      ok = digits > 0;
      if (ok && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-') {
          p++;
        }
        ok = *p >= '0' && *p <= '9';
        while (*p >= '0' && *p <= '9') {
          p++;
        }
      }
      ok = ok && *p == 0;
    }
    if (ok) {
      *out = strtod(text, NULL);
    }
  }
  free(text);
  return ok;
}

static value *eval_float_call(evaluator *ev, const pn_node *n) {
  value *arg = eval_node(ev, n->child[1]);
  if (arg == NULL) {
    return NULL;
  }
  value *v = new_value(ev, V_FLOAT);
  if (v == NULL) {
    return NULL;
  }
  if (!parse_float_text(arg->chars, arg->length, &v->re)) {
    pn_strbuf text = PN_STRBUF_INIT;
    if (!append_repr(&text, arg->chars, arg->length)) {
      pn_strbuf_free(&text);
      ev->out_of_memory = true;
      return NULL;
    }
    raise(ev, "ValueError", "could not convert string to float: %s", text.data);
    pn_strbuf_free(&text);
    return NULL;
  }
  return v;
}

static value *eval_bytearray(evaluator *ev, const pn_node *n) {
  value *v = new_value(ev, V_BYTEARRAY);
  if (v == NULL || n->count == 1) {
    return v;
  }
  value *arg = eval_node(ev, n->child[1]);
  if (arg == NULL) {
    return NULL;
  }
  if (arg->kind == V_BYTES) {
    v->length = arg->length;
    return v;
  }
  if (arg->negative) {
    return raise(ev, "ValueError", "negative count");
  }
  int64_t length;
  if (!int_to_int64(arg, &length) || length > PN_SIZEOF_MAX_ITEMS) {
    return raise(ev, "ValueError", TOO_LARGE);
  }
  v->length = (size_t)length;
  return v;
}

static value *eval_call(evaluator *ev, const pn_node *n) {
  const pn_node *callee = n->child[0];
  if (callee->kind == PN_NODE_ATTRIBUTE) {
    /* dict.fromkeys(range(n)): PyDict_SetItem for each int, into dict(). */
    value *keys = eval_consumed_range(ev, n->child[1], V_DICT);
    if (keys == NULL) {
      return NULL;
    }
    keys->keys = pn_dict_from_call(ev->layout);
    for (size_t i = 0; i < keys->count; i++) {
      pn_dict_insert(ev->layout, &keys->keys, i, false);
    }
    return keys;
  }
  const char *name = callee->text;
  if (strcmp(name, "range") == 0) {
    return eval_range(ev, n);
  }
  if (strcmp(name, "slice") == 0) {
    return eval_children(ev, n, 1) == NULL ? NULL : new_value(ev, V_SLICE);
  }
  if (strcmp(name, "bytearray") == 0) {
    return eval_bytearray(ev, n);
  }
  if (strcmp(name, "float") == 0) {
    return eval_float_call(ev, n);
  }
  return eval_collection_call(ev, name, n);
}

static value *eval_comprehension(evaluator *ev, const pn_node *n) {
  bool dict = n->kind == PN_NODE_DICTCOMP;
  value *v = eval_consumed_range(ev, n->child[dict ? 3 : 2], dict ? V_DICT : V_LIST);
  if (v == NULL) {
    return NULL;
  }
  if (dict) {
    /* BUILD_MAP 0 + MAP_ADD: insertion one key at a time. */
    v->keys = pn_dict_new(ev->layout);
    for (size_t i = 0; i < v->count; i++) {
      pn_dict_insert(ev->layout, &v->keys, i, false);
    }
  } else {
    v->allocated = pn_list_appended(ev->layout, v->count); /* BUILD_LIST 0 + LIST_APPEND */
  }
  return v;
}

static value *eval_node(evaluator *ev, const pn_node *n) {
  if (failed(ev)) {
    return NULL;
  }
  switch (n->kind) {
    case PN_NODE_INT:
    case PN_NODE_FLOAT:
    case PN_NODE_IMAG:
      return eval_number(ev, n);
    case PN_NODE_STR:
    case PN_NODE_BYTES: {
      value *v = new_value(ev, n->kind == PN_NODE_STR ? V_STR : V_BYTES);
      if (v != NULL) {
        v->length = n->length;
        v->chars = n->chars;
        v->bytes = n->text;
        for (size_t i = 0; n->kind == PN_NODE_STR && i < n->length; i++) {
          if (n->chars[i] > v->maxchar) {
            v->maxchar = n->chars[i];
          }
        }
      }
      return v;
    }
    case PN_NODE_TRUE:
    case PN_NODE_FALSE: {
      value *v = make_int64(ev, n->kind == PN_NODE_TRUE);
      if (v != NULL) {
        v->kind = V_BOOL;
      }
      return v;
    }
    case PN_NODE_NONE:
      return new_value(ev, V_NONE);
    case PN_NODE_NAME:
      return raise(ev, "NameError", "name '%s' is not defined", n->text);
    case PN_NODE_UNARY: {
      value *operand = eval_node(ev, n->child[0]);
      if (operand == NULL || n->op == '+') {
        return operand;
      }
      return negate(ev, operand);
    }
    case PN_NODE_BINARY:
      if (n->op == '*') {
        value *list = eval_node(ev, n->child[0]);
        int64_t times = literal_int64(ev, n->child[1]);
        if (list == NULL) {
          return NULL;
        }
        /* list_repeat allocates exactly len * n. */
        list->count = times > 0 ? list->count * (size_t)times : 0;
        list->allocated = list->count;
        return list;
      }
      return eval_complex(ev, n);
    case PN_NODE_TUPLE: {
      value *v = new_value(ev, V_TUPLE);
      if (v == NULL || (v->items = eval_children(ev, n, 0)) == NULL) {
        return NULL;
      }
      v->count = n->count;
      return v;
    }
    case PN_NODE_LIST:
      return eval_list_display(ev, n);
    case PN_NODE_SET:
      return eval_set_display(ev, n);
    case PN_NODE_DICT:
      return eval_dict_display(ev, n);
    case PN_NODE_CALL:
      return eval_call(ev, n);
    case PN_NODE_LISTCOMP:
    case PN_NODE_DICTCOMP:
      return eval_comprehension(ev, n);
    default:
      return raise(ev, "ValueError", UNSUPPORTED);
  }
}

static size_t size_of(const evaluator *ev, const value *v) {
  switch (v->kind) {
    case V_INT:
    case V_BOOL:
      return pn_sizeof_int(ev->layout, v->ndigits);
    case V_NONE:
      return pn_sizeof_none(ev->layout);
    case V_FLOAT:
      return pn_sizeof_float(ev->layout);
    case V_COMPLEX:
      return pn_sizeof_complex(ev->layout);
    case V_STR:
      return pn_sizeof_str(ev->layout, v->length, v->maxchar);
    case V_BYTES:
      return pn_sizeof_bytes(ev->layout, v->length);
    case V_TUPLE:
      return pn_sizeof_tuple(ev->layout, v->count);
    case V_LIST:
      return pn_sizeof_list(ev->layout, v->allocated);
    case V_DICT:
      return pn_sizeof_dict(ev->layout, &v->keys);
    case V_SET:
    case V_FROZENSET:
      return pn_sizeof_set(ev->layout, &v->table);
    case V_BYTEARRAY:
      return pn_sizeof_bytearray(ev->layout, v->length);
    case V_RANGE:
      return pn_sizeof_range(ev->layout);
    case V_SLICE:
      return pn_sizeof_slice(ev->layout);
  }
  return 0;
}

int pn_getsizeof_answer(pn_target target, const char *line, size_t len, pn_strbuf *out) {
  pn_pyversion python = target.python;
  evaluator ev = {0};
  ev.layout = pn_sizeof_layout_for(target);
  pn_parse_result parsed;
  pn_syntax *syntax = pn_syntax_parse(line, len, python.minor, &parsed);
  if (syntax == NULL) {
    return -1;
  }
  value *result = NULL;
  /* The reader's answer (its errors, by version) and the adapter's checks
   * before eval hold for every version; evaluation needs the layouts. */
  bool checked = true;
  if (ev.layout != NULL && ev.layout->max_nesting != 0 &&
      parsed.bracket_depth > ev.layout->max_nesting) {
    /* Whether the LL(1) parser's stack holds the line depends on the forms
     * nested; past the bound it may fail (MemoryError) where pegen parses. */
    raise(&ev, "NotImplementedError",
          "lines nested more than %d brackets deep are not modelled for Python 3.%d",
          ev.layout->max_nesting, ev.layout->minor);
  } else if (parsed.tree == NULL) {
    ev.error_type = parsed.error_type;
    if (pn_strbuf_puts(&ev.error, parsed.error_message) != 0) {
      ev.out_of_memory = true;
    }
  } else if (!pn_sizeof_supported(parsed.tree)) {
    raise(&ev, "ValueError", UNSUPPORTED);
  } else if (too_large(&ev, parsed.tree)) {
    raise(&ev, "ValueError", TOO_LARGE);
  } else {
    checked = false;
    result = ev.layout != NULL ? eval_node(&ev, parsed.tree) : NULL;
  }
  bool refused = ev.error_type != NULL && strcmp(ev.error_type, "NotImplementedError") == 0;
  bool failed = ev.error_type != NULL || result == NULL;
  int rc = 0;
  if (ev.out_of_memory) {
    rc = -1;
  } else if (ev.layout == NULL && !checked) {
    rc = target.pointer_size != PN_POINTER_SIZE_DEFAULT
             ? pn_answer_exception(out, "NotImplementedError",
                                   "sys.getsizeof layouts of Python %d.%d on %d-byte pointers "
                                   "are not modelled",
                                   python.major, python.minor, target.pointer_size)
             : pn_answer_exception(out, "NotImplementedError",
                                   "sys.getsizeof layouts of Python %d.%d are not modelled",
                                   python.major, python.minor);
  } else if (failed && !refused &&
             ((python.minor < 10 && !checked) || (python.minor > 13 && parsed.tree == NULL) ||
              (python.minor > 13 && !checked))) {
    /* Evaluation's errors are modelled for 3.10 to 3.13 (3.6 to 3.9 word
     * some otherwise: float(''), range(), a dict display's order), the
     * reader's for 3.6 to 3.13; 3.14 words more (its unhashable dict keys
     * name the key's use). A refusal keeps its own reason. */
    rc = pn_answer_exception(out, "NotImplementedError",
                             "error messages of Python %d.%d are not modelled", python.major,
                             python.minor);
  } else if (failed) {
    rc = pn_answer_exception(out, ev.error_type ? ev.error_type : "SystemError", "%s",
                             ev.error.data ? ev.error.data : "");
  } else {
    rc = pn_strbuf_printf(out, "%zu", size_of(&ev, result));
  }
  for (size_t i = 0; i < ev.nowned; i++) {
    free(ev.owned[i]);
  }
  free(ev.owned);
  pn_strbuf_free(&ev.error);
  pn_syntax_free(syntax);
  return rc;
}
