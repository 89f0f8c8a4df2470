#include "ref/orm/session.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct instance_list {
  pn_orm_instance **items;
  size_t count;
  size_t cap;
} instance_list;

struct pn_orm_session {
  pn_orm_engine *engine;
  int begun; /* "BEGIN (implicit)" logged, transaction not yet ended */
  uint64_t next_order;
  pn_orm_instance *owned;
  instance_list pending;
  instance_list fresh; /* inserted by the current transaction */
  /* The identity map: open addressing on (table, primary key), no deletes
   * (a rollback rebuilds it). */
  pn_orm_instance **slots;
  size_t slot_cap;
  size_t slot_used;
  pn_strbuf sql;
};

static int list_push(instance_list *list, pn_orm_instance *inst) {
  if (list->count == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 64;
    pn_orm_instance **grown = realloc(list->items, cap * sizeof *grown);
    if (grown == NULL) {
      return -1;
    }
    list->items = grown;
    list->cap = cap;
  }
  list->items[list->count++] = inst;
  return 0;
}

static int out_of_memory(pn_orm_error *err) {
  return pn_orm_error_set(err, "MemoryError", "%s", "");
}

static int64_t primary_key(pn_orm_instance *inst) {
  return pn_orm_column_value(inst, inst->table->primary_key)->integer;
}

static size_t slot_of(const pn_orm_session *s, const pn_orm_table *table, int64_t key) {
  uint64_t h = ((uint64_t)(uintptr_t)table >> 4) ^ ((uint64_t)key * 0x9e3779b97f4a7c15u);
  return (size_t)(h ^ (h >> 29)) & (s->slot_cap - 1);
}

static pn_orm_instance *identity_find(pn_orm_session *s, const pn_orm_table *table, int64_t key) {
  if (s->slot_cap == 0) {
    return NULL;
  }
  for (size_t i = slot_of(s, table, key);; i = (i + 1) & (s->slot_cap - 1)) {
    pn_orm_instance *inst = s->slots[i];
    if (inst == NULL) {
      return NULL;
    }
    if (inst->table == table && primary_key(inst) == key) {
      return inst;
    }
  }
}

static int identity_put(pn_orm_session *s, pn_orm_instance *inst);

static int identity_grow(pn_orm_session *s, size_t cap) {
  pn_orm_instance **old = s->slots;
  size_t old_cap = s->slot_cap;
  s->slots = calloc(cap, sizeof *s->slots);
  if (s->slots == NULL) {
    s->slots = old;
    return -1;
  }
  s->slot_cap = cap;
  s->slot_used = 0;
  for (size_t i = 0; i < old_cap; i++) {
    if (old[i] != NULL) {
      identity_put(s, old[i]);
    }
  }
  free(old);
  return 0;
}

static int identity_put(pn_orm_session *s, pn_orm_instance *inst) {
  if ((s->slot_used + 1) * 2 > s->slot_cap &&
      identity_grow(s, s->slot_cap ? s->slot_cap * 2 : 256) != 0) {
    return -1;
  }
  size_t i = slot_of(s, inst->table, primary_key(inst));
  while (s->slots[i] != NULL) {
    i = (i + 1) & (s->slot_cap - 1);
  }
  s->slots[i] = inst;
  s->slot_used++;
  return 0;
}

pn_orm_session *pn_orm_session_new(pn_orm_engine *engine) {
  pn_orm_session *s = calloc(1, sizeof *s);
  if (s != NULL) {
    s->engine = engine;
  }
  return s;
}

void pn_orm_session_free(pn_orm_session *s) {
  if (s == NULL) {
    return;
  }
  pn_orm_instance *inst = s->owned;
  while (inst != NULL) {
    pn_orm_instance *next = inst->next_owned;
    for (size_t i = 0; i < inst->table->column_count; i++) {
      pn_orm_value_clear(pn_orm_column_value(inst, i));
    }
    free(inst);
    inst = next;
  }
  free(s->pending.items);
  free(s->fresh.items);
  free(s->slots);
  pn_strbuf_free(&s->sql);
  free(s);
}

pn_orm_instance *pn_orm_session_new_instance(pn_orm_session *s, const pn_orm_table *table) {
  pn_orm_instance *inst = calloc(1, table->struct_size);
  if (inst == NULL) {
    return NULL;
  }
  inst->table = table;
  inst->state = PN_ORM_TRANSIENT;
  inst->next_owned = s->owned;
  s->owned = inst;
  for (size_t i = 0; i < table->column_count; i++) {
    pn_orm_column_value(inst, i)->kind = PN_ORM_NULL;
  }
  return inst;
}

void pn_orm_session_add(pn_orm_session *s, pn_orm_instance *inst) {
  if (inst->state != PN_ORM_TRANSIENT) {
    return;
  }
  inst->state = PN_ORM_PENDING;
  inst->insert_order = s->next_order++;
  /* A pending list that cannot grow is found by commit: it re-checks. */
  if (list_push(&s->pending, inst) != 0) {
    inst->state = PN_ORM_TRANSIENT;
    return;
  }
  for (size_t r = 0; r < inst->table->relationship_count; r++) {
    pn_orm_instance *target = *pn_orm_related(inst, r);
    if (target != NULL) {
      pn_orm_session_add(s, target);
    }
  }
}

static int begin(pn_orm_session *s, pn_orm_error *err) {
  if (s->begun) {
    return 0;
  }
  s->begun = 1;
  return pn_orm_engine_log(s->engine, "BEGIN (implicit)") != 0 ? out_of_memory(err) : 0;
}

/* How many tables stand before table in flush order (parents first). */
static int table_rank(const pn_orm_table *table, int depth) {
  int rank = 0;
  for (size_t r = 0; r < table->relationship_count && depth < 16; r++) {
    int parent = table_rank(table->relationships[r].target, depth + 1) + 1;
    rank = parent > rank ? parent : rank;
  }
  return rank;
}

static int flush_order(const void *a, const void *b) {
  const pn_orm_instance *x = *(pn_orm_instance *const *)a;
  const pn_orm_instance *y = *(pn_orm_instance *const *)b;
  int rx = table_rank(x->table, 0), ry = table_rank(y->table, 0);
  if (rx != ry) {
    return rx < ry ? -1 : 1;
  }
  return x->insert_order < y->insert_order ? -1 : x->insert_order > y->insert_order;
}

/* Replaces inst's column values with the row's. */
static int populate(pn_orm_instance *inst, sqlite3_stmt *row) {
  for (size_t i = 0; i < inst->table->column_count; i++) {
    if (pn_orm_read_column(row, (int)i, pn_orm_column_value(inst, i)) != 0) {
      return -1;
    }
  }
  inst->expired = 0;
  return 0;
}

typedef struct load_context {
  pn_orm_session *session;
  const pn_orm_table *table;
  pn_orm_instance *only; /* a refresh: the row goes into this instance */
  pn_orm_result *result; /* a query: rows go through the identity map */
  size_t rows;
} load_context;

static int load_row(void *context, sqlite3_stmt *row, pn_orm_error *err) {
  load_context *c = context;
  c->rows++;
  if (c->only != NULL) {
    return populate(c->only, row) != 0 ? out_of_memory(err) : 0;
  }
  int64_t key = sqlite3_column_int64(row, (int)c->table->primary_key);
  pn_orm_instance *inst = identity_find(c->session, c->table, key);
  if (inst == NULL) {
    inst = pn_orm_session_new_instance(c->session, c->table);
    if (inst == NULL || populate(inst, row) != 0) {
      return out_of_memory(err);
    }
    inst->state = PN_ORM_PERSISTENT;
    if (identity_put(c->session, inst) != 0) {
      return out_of_memory(err);
    }
  } else if (inst->expired && populate(inst, row) != 0) {
    return out_of_memory(err);
  }
  pn_orm_result *result = c->result;
  if (result->count == result->cap) {
    size_t cap = result->cap ? result->cap * 2 : 16;
    pn_orm_instance **grown = realloc(result->items, cap * sizeof *grown);
    if (grown == NULL) {
      return out_of_memory(err);
    }
    result->items = grown;
    result->cap = cap;
  }
  result->items[result->count++] = inst;
  return 0;
}

/* SELECT ... WHERE pk = ? into inst (refresh) or through the identity map. */
static int select_by_key(pn_orm_session *s, const pn_orm_table *table, int64_t key,
                         const char *purpose, load_context *c, pn_orm_error *err) {
  pn_strbuf_clear(&s->sql);
  if (pn_orm_select_sql(&s->sql, table, PN_ORM_WHERE_EQUALS, table->primary_key, 0) != 0) {
    return out_of_memory(err);
  }
  /* The ORM compiles a refresh and a lazy load separately: each is cached
   * under its own key, whatever the SQL text. */
  pn_strbuf cache_key = PN_STRBUF_INIT;
  if (pn_strbuf_printf(&cache_key, "%s/%s", s->sql.data, purpose) != 0) {
    return out_of_memory(err);
  }
  pn_orm_value param = {.kind = PN_ORM_INT, .integer = key};
  int rc = pn_orm_execute(s->engine, s->sql.data, PN_ORM_COMPILED, cache_key.data, &param, 1,
                          load_row, c, err);
  pn_strbuf_free(&cache_key);
  return rc;
}

int pn_orm_session_load(pn_orm_session *s, pn_orm_instance *inst, pn_orm_error *err) {
  if (inst->state != PN_ORM_PERSISTENT || !inst->expired) {
    return 0;
  }
  if (begin(s, err) != 0) {
    return -1;
  }
  load_context c = {s, inst->table, inst, NULL, 0};
  if (select_by_key(s, inst->table, primary_key(inst), "refresh", &c, err) != 0) {
    return -1;
  }
  if (c.rows == 0) {
    return pn_orm_error_set(err, "ObjectDeletedError",
                            "Instance '<%s at ADDRESS>' has been deleted, or its row is otherwise "
                            "not present.",
                            inst->table->class_name);
  }
  return 0;
}

static int insert(pn_orm_session *s, pn_orm_instance *inst, pn_orm_error *err) {
  const pn_orm_table *table = inst->table;
  for (size_t r = 0; r < table->relationship_count; r++) {
    pn_orm_instance *target = *pn_orm_related(inst, r);
    if (target == NULL) {
      continue;
    }
    /* The parent went first; its key (reloaded if a commit expired it)
     * flows into the foreign key. */
    if (pn_orm_session_load(s, target, err) != 0) {
      return -1;
    }
    pn_orm_value *fk = pn_orm_column_value(inst, table->relationships[r].foreign_key);
    if (pn_orm_value_copy(fk, pn_orm_column_value(target, target->table->primary_key)) != 0) {
      return out_of_memory(err);
    }
  }
  pn_strbuf_clear(&s->sql);
  if (pn_orm_insert_sql(&s->sql, inst) != 0) {
    return out_of_memory(err);
  }
  pn_orm_value params[32];
  size_t n = 0;
  pn_orm_value *key = pn_orm_column_value(inst, table->primary_key);
  for (size_t i = 0; i < table->column_count && n < 32; i++) {
    pn_orm_value *v = pn_orm_column_value(inst, i);
    if (!(i == table->primary_key && v->kind == PN_ORM_NULL)) {
      params[n++] = *v;
    }
  }
  if (pn_orm_execute(s->engine, s->sql.data, PN_ORM_COMPILED, NULL, params, n, NULL, NULL, err) !=
      0) {
    return -1;
  }
  if (key->kind == PN_ORM_NULL) {
    pn_orm_set_int(key, pn_orm_engine_last_rowid(s->engine));
  }
  inst->state = PN_ORM_PERSISTENT;
  inst->expired = 0;
  if (list_push(&s->fresh, inst) != 0 || identity_put(s, inst) != 0) {
    return out_of_memory(err);
  }
  return 0;
}

static int flush(pn_orm_session *s, pn_orm_error *err) {
  if (s->pending.count == 0) {
    return 0;
  }
  if (begin(s, err) != 0) {
    return -1;
  }
  qsort(s->pending.items, s->pending.count, sizeof *s->pending.items, flush_order);
  for (size_t i = 0; i < s->pending.count; i++) {
    if (insert(s, s->pending.items[i], err) != 0) {
      /* The failed flush ends the transaction; its rows are forgotten. */
      pn_orm_error ignored = {{0}, PN_STRBUF_INIT};
      pn_orm_session_rollback(s, &ignored);
      pn_orm_error_free(&ignored);
      return -1;
    }
  }
  s->pending.count = 0;
  return 0;
}

int pn_orm_session_commit(pn_orm_session *s, pn_orm_error *err) {
  if (flush(s, err) != 0) {
    return -1;
  }
  if (!s->begun) {
    return 0;
  }
  s->begun = 0;
  if (pn_orm_engine_log(s->engine, "COMMIT") != 0) {
    return out_of_memory(err);
  }
  int rc = pn_orm_engine_commit(s->engine, err);
  for (pn_orm_instance *inst = s->owned; inst != NULL; inst = inst->next_owned) {
    inst->expired = inst->state == PN_ORM_PERSISTENT;
  }
  s->fresh.count = 0;
  return rc;
}

int pn_orm_session_rollback(pn_orm_session *s, pn_orm_error *err) {
  int rc = 0;
  if (s->begun) {
    s->begun = 0;
    rc = pn_orm_engine_log(s->engine, "ROLLBACK") != 0 ? out_of_memory(err)
                                                       : pn_orm_engine_rollback(s->engine, err);
  }
  for (size_t i = 0; i < s->fresh.count; i++) {
    s->fresh.items[i]->state = PN_ORM_TRANSIENT;
  }
  for (size_t i = 0; i < s->pending.count; i++) {
    s->pending.items[i]->state = PN_ORM_TRANSIENT;
  }
  s->fresh.count = s->pending.count = 0;
  /* Rebuild the identity map without the forgotten rows. */
  if (s->slots != NULL) {
    memset(s->slots, 0, s->slot_cap * sizeof *s->slots);
  }
  s->slot_used = 0;
  for (pn_orm_instance *inst = s->owned; inst != NULL; inst = inst->next_owned) {
    if (inst->state == PN_ORM_PERSISTENT) {
      inst->expired = 1;
      if (identity_put(s, inst) != 0 && rc == 0) {
        rc = out_of_memory(err);
      }
    }
  }
  return rc;
}

void pn_orm_result_free(pn_orm_result *result) {
  free(result->items);
  memset(result, 0, sizeof *result);
}

int pn_orm_session_query(pn_orm_session *s, const pn_orm_table *table, size_t where_column,
                         const pn_orm_value *value, int first, pn_orm_result *result,
                         pn_orm_error *err) {
  if (flush(s, err) != 0 || begin(s, err) != 0) {
    return -1;
  }
  pn_orm_where where = where_column == SIZE_MAX     ? PN_ORM_WHERE_NONE
                       : value->kind == PN_ORM_NULL ? PN_ORM_WHERE_IS_NULL
                                                    : PN_ORM_WHERE_EQUALS;
  pn_strbuf_clear(&s->sql);
  if (pn_orm_select_sql(&s->sql, table, where, where_column, first) != 0) {
    return out_of_memory(err);
  }
  pn_orm_value params[3];
  size_t n = 0;
  if (where == PN_ORM_WHERE_EQUALS) {
    params[n++] = *value;
  }
  if (first) {
    params[n++] = (pn_orm_value){.kind = PN_ORM_INT, .integer = 1};
    params[n++] = (pn_orm_value){.kind = PN_ORM_INT, .integer = 0};
  }
  load_context c = {s, table, NULL, result, 0};
  return pn_orm_execute(s->engine, s->sql.data, PN_ORM_COMPILED, NULL, params, n, load_row, &c,
                        err);
}

int pn_orm_session_related(pn_orm_session *s, pn_orm_instance *inst, size_t relationship,
                           pn_orm_instance **target, pn_orm_error *err) {
  const pn_orm_relationship *r = &inst->table->relationships[relationship];
  if (inst->state != PN_ORM_PERSISTENT) {
    *target = *pn_orm_related(inst, relationship);
    return 0;
  }
  if (pn_orm_session_load(s, inst, err) != 0) {
    return -1;
  }
  pn_orm_value *fk = pn_orm_column_value(inst, r->foreign_key);
  *target = NULL;
  if (fk->kind != PN_ORM_INT) {
    return 0;
  }
  pn_orm_instance *found = identity_find(s, r->target, fk->integer);
  if (found != NULL) {
    *target = found;
    return pn_orm_session_load(s, found, err);
  }
  if (begin(s, err) != 0) {
    return -1;
  }
  pn_orm_result result = {0};
  load_context c = {s, r->target, NULL, &result, 0};
  int rc = select_by_key(s, r->target, fk->integer, "lazy", &c, err);
  if (rc == 0 && result.count > 0) {
    *target = result.items[0];
  }
  pn_orm_result_free(&result);
  return rc;
}
