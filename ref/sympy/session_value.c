/* The sympy session's values and its namespace (session_value.h). */
#include "ref/sympy/session_value.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

value *sy_new_value(sy_ctx *ctx, vkind kind) {
  value *v = sy_alloc(ctx, sizeof *v);
  if (v != NULL) {
    v->kind = kind;
  }
  return v;
}

const value *sy_expr_value(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL) {
    return NULL;
  }
  value *v = sy_new_value(ctx, V_EXPR);
  if (v != NULL) {
    v->e = e;
  }
  return v;
}

const value *sy_new_tuple(sy_ctx *ctx, vkind kind, size_t n) {
  value *t = sy_new_value(ctx, kind);
  if (t != NULL && n > 0) {
    t->items = sy_alloc(ctx, n * sizeof *t->items);
    if (t->items == NULL) {
      return NULL;
    }
  }
  if (t != NULL) {
    t->n = n;
  }
  return t;
}

const sy_expr *sy_to_expr(evaluator *ev, const value *v) {
  if (v == NULL) {
    return NULL;
  }
  switch (v->kind) {
    case V_EXPR:
    case V_INT:
      return v->e;
    case V_PYFLOAT:
      if (v->e->kind != SY_FLOAT) {
        return sy_fail(ev->ctx, "NotImplementedError", "sympify of 0.0 " SY_OUTSIDE);
      }
      return v->e;
    case V_STR:
      return ev->sympify(ev->ctx, v->s, v->len);
    default:
      return sy_fail(ev->ctx, "NotImplementedError", "sympify of this value " SY_OUTSIDE);
  }
}

static size_t name_hash(const char *name, size_t len) {
  size_t h = 1469598103934665603ULL & SIZE_MAX;
  for (size_t i = 0; i < len; i++) {
    h = (h ^ (unsigned char)name[i]) * (size_t)1099511628211ULL;
  }
  return h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t name_slot(const sy_session *s, const char *name, size_t len) {
  size_t i = name_hash(name, len) & s->mask;
  while (s->slots[i] != 0) {
    const char *held = s->names[s->slots[i] - 1].name;
    if (strncmp(held, name, len) == 0 && held[len] == '\0') {
      return i;
    }
    i = (i + 1) & s->mask;
  }
  return i;
}

void sy_names_clear(sy_session *s) {
  s->count = 0;
  if (s->slots != NULL) {
    memset(s->slots, 0, (s->mask + 1) * sizeof *s->slots);
  }
}

/* Grows names and slots so that one more binding fits, re-indexing. */
static int names_grow(sy_session *s) {
  size_t cap = s->cap ? s->cap * 2 : 64;
  binding *b = realloc(s->names, cap * sizeof *b);
  if (b == NULL) {
    return -1;
  }
  s->names = b;
  size_t *slots = calloc(cap * 2, sizeof *slots);
  if (slots == NULL) {
    return -1;
  }
  free(s->slots);
  s->slots = slots;
  s->mask = cap * 2 - 1;
  s->cap = cap;
  for (size_t i = 0; i < s->count; i++) {
    const char *name = s->names[i].name;
    s->slots[name_slot(s, name, strlen(name))] = i + 1;
  }
  return 0;
}

int sy_bind(sy_session *s, const char *name, size_t len, const value *v) {
  if (s->slots != NULL) {
    size_t i = name_slot(s, name, len);
    if (s->slots[i] != 0) {
      s->names[s->slots[i] - 1].v = v;
      return 0;
    }
  }
  if (s->count == s->cap && names_grow(s) != 0) {
    sy_fail(&s->ctx, "MemoryError", "%s", "");
    return -1;
  }
  const char *copy = sy_strdup(&s->ctx, name, len);
  if (copy == NULL) {
    return -1;
  }
  s->names[s->count++] = (binding){copy, v};
  s->slots[name_slot(s, name, len)] = s->count;
  return 0;
}

const value *sy_names_find(const sy_session *s, const char *name, size_t len) {
  if (s->slots != NULL) {
    size_t i = name_slot(s, name, len);
    if (s->slots[i] != 0) {
      return s->names[s->slots[i] - 1].v;
    }
  }
  return NULL;
}
