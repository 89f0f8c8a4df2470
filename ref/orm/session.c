#include "ref/orm/session.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref/orm/arena.h"
#include "ref/orm/identity_map.h"

typedef struct instance_list {
  pn_orm_instance **items;
  size_t count;
  size_t cap;
} instance_list;

enum { kMaxTables = 16 }; /* distinct tables a session keeps a plan for */

/* What the session works out once per table: its INSERT texts (the
 * statements SQLAlchemy compiles once and caches) and its flush rank. */
typedef struct table_plan {
  const pn_orm_table *table;
  char *insert_all;       /* every column */
  char *insert_generated; /* without the integer primary key sqlite fills in */
  int rank;               /* how many tables stand before it in flush order */
} table_plan;

struct pn_orm_session {
  pn_orm_engine *engine;
  int begun; /* "BEGIN (implicit)" logged, transaction not yet ended */
  uint64_t next_order;
  pn_orm_instance *owned; /* newest first */
  pn_orm_arena arena;     /* the instances, and the text of loaded rows */
  instance_list pending;  /* in the order added */
  instance_list fresh;    /* inserted by the current transaction */
  pn_orm_identity_map identities;
  table_plan plans[kMaxTables];
  size_t plan_count;
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

static int identity_put(pn_orm_session *s, pn_orm_instance *inst) {
  return pn_orm_identity_put(&s->identities, inst, primary_key(inst));
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
  for (pn_orm_instance *inst = s->owned; inst != NULL; inst = inst->next_owned) {
    for (size_t i = 0; i < inst->table->column_count; i++) {
      pn_orm_value_clear(pn_orm_column_value(inst, i));
    }
  }
  pn_orm_arena_free(&s->arena);
  for (size_t i = 0; i < s->plan_count; i++) {
    free(s->plans[i].insert_all);
    free(s->plans[i].insert_generated);
  }
  free(s->pending.items);
  free(s->fresh.items);
  pn_orm_identity_free(&s->identities);
  pn_strbuf_free(&s->sql);
  free(s);
}

pn_orm_instance *pn_orm_session_new_instance(pn_orm_session *s, const pn_orm_table *table) {
  pn_orm_instance *inst =
      pn_orm_arena_alloc(&s->arena, table->struct_size, _Alignof(pn_orm_instance));
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

/* A copy of table's INSERT text, or NULL (out of memory). */
static char *insert_text(pn_orm_session *s, const pn_orm_table *table, int key_generated) {
  pn_strbuf_clear(&s->sql);
  if (pn_orm_insert_sql(&s->sql, table, key_generated) != 0) {
    return NULL;
  }
  char *copy = malloc(s->sql.len + 1);
  if (copy != NULL) {
    memcpy(copy, s->sql.data, s->sql.len + 1);
  }
  return copy;
}

/* The session's plan for table, made on first use. Returns NULL when memory
 * runs out or the session already plans for kMaxTables tables. */
static table_plan *plan_for(pn_orm_session *s, const pn_orm_table *table) {
  for (size_t i = 0; i < s->plan_count; i++) {
    if (s->plans[i].table == table) {
      return &s->plans[i];
    }
  }
  if (s->plan_count == kMaxTables) {
    return NULL;
  }
  char *all = insert_text(s, table, 0);
  char *generated = insert_text(s, table, 1);
  if (all == NULL || generated == NULL) {
    free(all);
    free(generated);
    return NULL;
  }
  table_plan *plan = &s->plans[s->plan_count++];
  *plan = (table_plan){table, all, generated, table_rank(table, 0)};
  return plan;
}

/* Puts the pending instances in flush order: by table rank, parents first,
 * and within a rank in the order added (the order pending already has), by
 * a stable counting sort. Returns 0, or -1 when memory runs out. */
static int order_pending(pn_orm_session *s) {
  enum { kRanks = 18 }; /* table_rank stops at depth 16 */
  size_t starts[kRanks + 1] = {0};
  int single_rank = 1;
  int first_rank = -1;
  for (size_t i = 0; i < s->pending.count; i++) {
    table_plan *plan = plan_for(s, s->pending.items[i]->table);
    if (plan == NULL) {
      return -1;
    }
    starts[plan->rank + 1]++;
    single_rank = single_rank && (first_rank < 0 || plan->rank == first_rank);
    first_rank = plan->rank;
  }
  if (single_rank) {
    return 0;
  }
  pn_orm_instance **sorted = malloc(s->pending.count * sizeof *sorted);
  if (sorted == NULL) {
    return -1;
  }
  for (size_t r = 1; r <= kRanks; r++) {
    starts[r] += starts[r - 1];
  }
  for (size_t i = 0; i < s->pending.count; i++) {
    pn_orm_instance *inst = s->pending.items[i];
    sorted[starts[plan_for(s, inst->table)->rank]++] = inst;
  }
  memcpy(s->pending.items, sorted, s->pending.count * sizeof *sorted);
  free(sorted);
  return 0;
}

/* Replaces inst's column values with the row's, their text copied into
 * arena (NULL: malloc); the primary key's with *key when key is not NULL
 * (the integer already read). Returns 0 or -1 (out of memory). */
static int populate(pn_orm_instance *inst, sqlite3_stmt *row, const int64_t *key,
                    pn_orm_arena *arena) {
  const pn_orm_table *table = inst->table;
  for (size_t i = 0; i < table->column_count; i++) {
    pn_orm_value *value = pn_orm_column_value(inst, i);
    if (i == table->primary_key && key != NULL) {
      pn_orm_set_int(value, *key);
    } else if (pn_orm_read_column(row, (int)i, value, arena) != 0) {
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
  /* Text of a row loaded into a new instance goes into the session's
   * arena; a reload (after commit or rollback) mallocs, so that a long-lived
   * session reloading its instances does not keep every old copy. */
  if (c->only != NULL) {
    return populate(c->only, row, NULL, NULL) != 0 ? out_of_memory(err) : 0;
  }
  pn_orm_session *s = c->session;
  if (pn_orm_identity_reserve(&s->identities, 1) != 0) {
    return out_of_memory(err);
  }
  /* The key column is read once: to find the instance, and to fill a new
   * one. A key that is not an integer is looked up as sqlite's integer
   * conversion of it, and read again as it is. (One call into sqlite takes
   * the connection's mutex; see pn_orm_read_column.) */
  sqlite3_value *key_column = sqlite3_column_value(row, (int)c->table->primary_key);
  int integer_key = sqlite3_value_type(key_column) == SQLITE_INTEGER;
  int64_t key = sqlite3_value_int64(key_column);
  /* One probe finds the instance or the slot a new one goes in. */
  pn_orm_identity_slot *slot = pn_orm_identity_slot_for(&s->identities, c->table, key);
  pn_orm_instance *inst = slot->inst;
  if (inst == NULL) {
    inst = pn_orm_session_new_instance(s, c->table);
    if (inst == NULL || populate(inst, row, integer_key ? &key : NULL, &s->arena) != 0) {
      return out_of_memory(err);
    }
    inst->state = PN_ORM_PERSISTENT;
    pn_orm_identity_fill(&s->identities, slot, inst, key);
  } else if (inst->expired && populate(inst, row, NULL, NULL) != 0) {
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
  table_plan *plan = plan_for(s, table);
  if (plan == NULL) {
    return out_of_memory(err);
  }
  int key_generated = pn_orm_key_generated(inst);
  pn_orm_value params[32];
  size_t n = 0;
  for (size_t i = 0; i < table->column_count && n < 32; i++) {
    if (!(key_generated && i == table->primary_key)) {
      params[n++] = *pn_orm_column_value(inst, i);
    }
  }
  const char *sql = key_generated ? plan->insert_generated : plan->insert_all;
  if (pn_orm_execute(s->engine, sql, PN_ORM_COMPILED, NULL, params, n, NULL, NULL, err) != 0) {
    return -1;
  }
  if (key_generated) {
    pn_orm_set_int(pn_orm_column_value(inst, table->primary_key),
                   pn_orm_engine_last_rowid(s->engine));
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
  /* Room in the identity map for every row of the flush, made at once. */
  if (order_pending(s) != 0 || pn_orm_identity_reserve(&s->identities, s->pending.count) != 0) {
    return out_of_memory(err);
  }
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
  pn_orm_identity_clear(&s->identities);
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
  pn_orm_instance *found = pn_orm_identity_find(&s->identities, r->target, fk->integer);
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
