/* strdup, mkdtemp, strncasecmp */
#define _POSIX_C_SOURCE 200809L

#include "ref/orm/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ref/orm/mapping.h"

/* Prepared statements kept per connection, as the sqlite3 module's
 * statement cache keeps them; the oldest goes when it is full. */
enum { kStatementCacheSize = 16 };

typedef struct cached_statement {
  char *sql;
  sqlite3_stmt *stmt;
} cached_statement;

struct pn_orm_engine {
  char *path;
  int foreign_keys;
  pn_strbuf *echo_to;
  sqlite3 *db;
  cached_statement statements[kStatementCacheSize];
  size_t next_victim;
  size_t last_used; /* the slot prepare found or filled last */
  /* The compiled constructs the echo has seen: "generated" once, then "cached". */
  char **compiled;
  size_t compiled_count;
};

int pn_orm_error_set(pn_orm_error *err, const char *type, const char *format, ...) {
  snprintf(err->type, sizeof err->type, "%s", type);
  pn_strbuf_clear(&err->message);
  va_list args;
  va_start(args, format);
  pn_strbuf_vprintf(&err->message, format, args);
  va_end(args);
  return -1;
}

int pn_orm_error_line(pn_strbuf *out, const pn_orm_error *err) {
  if (pn_strbuf_puts(out, err->type) != 0) {
    return -1;
  }
  if (err->message.len > 0 && pn_strbuf_puts(out, ": ") != 0) {
    return -1;
  }
  for (size_t i = 0; i < err->message.len; i++) {
    char c = err->message.data[i];
    int rc = c == '\n'   ? pn_strbuf_puts(out, "\\n")
             : c == '\\' ? pn_strbuf_puts(out, "\\\\")
                         : pn_strbuf_append(out, &c, 1);
    if (rc != 0) {
      return -1;
    }
  }
  return pn_strbuf_puts(out, "\n");
}

void pn_orm_error_free(pn_orm_error *err) {
  pn_strbuf_free(&err->message);
}

/* The sqlite3 module's exception class for a result code (Modules/_sqlite/util.c). */
static const char *exception_class(int rc) {
  switch (rc & 0xff) {
    case SQLITE_INTERNAL:
    case SQLITE_NOTFOUND:
      return "InternalError";
    case SQLITE_NOMEM:
      return "MemoryError";
    case SQLITE_ERROR:
    case SQLITE_PERM:
    case SQLITE_ABORT:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_INTERRUPT:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_EMPTY:
    case SQLITE_SCHEMA:
      return "OperationalError";
    case SQLITE_CORRUPT:
      return "DatabaseError";
    case SQLITE_TOOBIG:
      return "DataError";
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
      return "IntegrityError";
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return "InterfaceError";
    default:
      return "DatabaseError";
  }
}

/* The code of SQLAlchemy's "Background on this error" link per class (exc.py). */
static const char *background_code(const char *type) {
  static const char *const kCodes[][2] = {
      {"OperationalError", "e3q8"}, {"IntegrityError", "gkpj"}, {"DatabaseError", "4xp6"},
      {"InternalError", "2j85"},    {"DataError", "9h9h"},      {"InterfaceError", "rvf5"},
  };
  for (size_t i = 0; i < sizeof kCodes / sizeof kCodes[0]; i++) {
    if (strcmp(kCodes[i][0], type) == 0) {
      return kCodes[i][1];
    }
  }
  return NULL;
}

int pn_orm_sqlite_error(pn_orm_error *err, sqlite3 *db, int rc) {
  const char *message = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return pn_orm_error_set(err, exception_class(rc), "%s", message);
}

/* Wraps the sqlite3 module's exception as SQLAlchemy's DBAPIError does. */
static int wrap_error(pn_orm_error *err, const char *sql, const pn_orm_value *params, size_t n) {
  pn_strbuf message = PN_STRBUF_INIT;
  const char *code = background_code(err->type);
  int rc = pn_strbuf_printf(&message, "(sqlite3.%s) ", err->type) ||
           pn_strbuf_append(&message, err->message.data, err->message.len);
  if (sql != NULL && rc == 0) {
    rc = pn_strbuf_printf(&message, "\n[SQL: %s]", sql);
    if (n > 0 && rc == 0) {
      rc = pn_strbuf_puts(&message, "\n[parameters: ") ||
           pn_orm_repr_tuple(&message, params, n, 300) || pn_strbuf_puts(&message, "]");
    }
  }
  if (code != NULL && rc == 0) {
    rc = pn_strbuf_printf(&message, "\n(Background on this error at: https://sqlalche.me/e/14/%s)",
                          code);
  }
  if (rc != 0) {
    pn_strbuf_free(&message);
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  pn_strbuf_free(&err->message);
  err->message = message;
  return -1;
}

pn_orm_engine *pn_orm_engine_new(const char *path, int foreign_keys, pn_strbuf *echo_to) {
  pn_orm_engine *engine = calloc(1, sizeof *engine);
  if (engine == NULL || (engine->path = strdup(path)) == NULL) {
    free(engine);
    return NULL;
  }
  engine->foreign_keys = foreign_keys;
  engine->echo_to = echo_to;
  return engine;
}

void pn_orm_engine_free(pn_orm_engine *engine) {
  if (engine == NULL) {
    return;
  }
  for (size_t i = 0; i < kStatementCacheSize; i++) {
    sqlite3_finalize(engine->statements[i].stmt);
    free(engine->statements[i].sql);
  }
  if (engine->db != NULL) {
    if (!sqlite3_get_autocommit(engine->db)) {
      sqlite3_exec(engine->db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close(engine->db);
  }
  for (size_t i = 0; i < engine->compiled_count; i++) {
    free(engine->compiled[i]);
  }
  free(engine->compiled);
  free(engine->path);
  free(engine);
}

int pn_orm_engine_log(pn_orm_engine *engine, const char *message) {
  if (engine->echo_to == NULL) {
    return 0;
  }
  return pn_strbuf_printf(engine->echo_to, "[echo] %s\n", message);
}

static int connect(pn_orm_engine *engine, pn_orm_error *err) {
  if (engine->db != NULL) {
    return 0;
  }
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(engine->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    if (engine->foreign_keys) {
      rc = sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    }
  }
  if (rc != SQLITE_OK) {
    pn_orm_sqlite_error(err, db, rc);
    sqlite3_close(db);
    return wrap_error(err, NULL, NULL, 0);
  }
  engine->db = db;
  return 0;
}

/* Whether the sqlite3 module opens a transaction before sql (3.11's
 * "is DML" test: the first word, case-insensitively). */
static int begins_transaction(const char *sql) {
  while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r') {
    sql++;
  }
  static const char *const kDml[] = {"INSERT", "UPDATE", "DELETE", "REPLACE"};
  for (size_t i = 0; i < 4; i++) {
    size_t n = strlen(kDml[i]);
    if (strncasecmp(sql, kDml[i], n) == 0) {
      return 1;
    }
  }
  return 0;
}

/* The statement for sql, prepared once and reset for reuse. */
static int prepare(pn_orm_engine *engine, const char *sql, sqlite3_stmt **out, pn_orm_error *err) {
  /* A flush runs one statement many times: try the last one first. */
  cached_statement *last = &engine->statements[engine->last_used];
  if (last->sql != NULL && strcmp(last->sql, sql) == 0) {
    *out = last->stmt;
    return 0;
  }
  for (size_t i = 0; i < kStatementCacheSize; i++) {
    if (engine->statements[i].sql != NULL && strcmp(engine->statements[i].sql, sql) == 0) {
      engine->last_used = i;
      *out = engine->statements[i].stmt;
      return 0;
    }
  }
  sqlite3_stmt *stmt = NULL;
  /* PERSISTENT: the statement lives on in the cache, so sqlite keeps it
   * out of the lookaside memory meant for short-lived ones. */
  int rc = sqlite3_prepare_v3(engine->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK) {
    return pn_orm_sqlite_error(err, engine->db, rc);
  }
  char *copy = strdup(sql);
  if (copy == NULL) {
    sqlite3_finalize(stmt);
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  engine->last_used = engine->next_victim;
  cached_statement *slot = &engine->statements[engine->next_victim];
  engine->next_victim = (engine->next_victim + 1) % kStatementCacheSize;
  sqlite3_finalize(slot->stmt);
  free(slot->sql);
  slot->sql = copy;
  slot->stmt = stmt;
  *out = stmt;
  return 0;
}

/* Binds every parameter of stmt: the n params in order, NULL for any
 * beyond them, so that no value of an earlier execution is left bound and
 * clearing the bindings afterwards is not needed. */
static int bind(sqlite3_stmt *stmt, const pn_orm_value *params, size_t n) {
  for (int i = (int)n; i < sqlite3_bind_parameter_count(stmt); i++) {
    int rc = sqlite3_bind_null(stmt, i + 1);
    if (rc != SQLITE_OK) {
      return rc;
    }
  }
  for (size_t i = 0; i < n; i++) {
    const pn_orm_value *p = &params[i];
    int column = (int)i + 1;
    int rc = p->kind == PN_ORM_NULL    ? sqlite3_bind_null(stmt, column)
             : p->kind == PN_ORM_INT   ? sqlite3_bind_int64(stmt, column, p->integer)
             : p->kind == PN_ORM_FLOAT ? sqlite3_bind_double(stmt, column, p->real)
             : p->kind == PN_ORM_TEXT
                 ? sqlite3_bind_text(stmt, column, p->bytes, (int)p->len, SQLITE_STATIC)
                 : sqlite3_bind_blob(stmt, column, p->bytes, (int)p->len, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
      return rc;
    }
  }
  return SQLITE_OK;
}

/* Logs the statement and its "[stats] params" line as SQLAlchemy's echo. */
static int echo_statement(pn_orm_engine *engine, const char *sql, pn_orm_origin origin,
                          const char *cache_key, const pn_orm_value *params, size_t n) {
  if (engine->echo_to == NULL) {
    return 0;
  }
  const char *stats = "raw sql";
  if (origin == PN_ORM_NO_KEY) {
    stats = "no key *s";
  } else if (origin == PN_ORM_COMPILED) {
    const char *key = cache_key != NULL ? cache_key : sql;
    stats = "generated in *s";
    for (size_t i = 0; i < engine->compiled_count; i++) {
      if (strcmp(engine->compiled[i], key) == 0) {
        stats = "cached since *s ago";
      }
    }
    if (strcmp(stats, "generated in *s") == 0) {
      char **grown = realloc(engine->compiled, (engine->compiled_count + 1) * sizeof *grown);
      if (grown == NULL) {
        return -1;
      }
      engine->compiled = grown;
      if ((grown[engine->compiled_count] = strdup(key)) == NULL) {
        return -1;
      }
      engine->compiled_count++;
    }
  }
  pn_strbuf *out = engine->echo_to;
  return pn_strbuf_printf(out, "[echo] %s\n[echo] [%s] ", sql, stats) ||
                 pn_orm_repr_tuple(out, params, n, 300) || pn_strbuf_puts(out, "\n")
             ? -1
             : 0;
}

int pn_orm_execute(pn_orm_engine *engine, const char *sql, pn_orm_origin origin,
                   const char *cache_key, const pn_orm_value *params, size_t n,
                   pn_orm_row_fn on_row, void *context, pn_orm_error *err) {
  if (connect(engine, err) != 0) {
    return -1;
  }
  if (echo_statement(engine, sql, origin, cache_key, params, n) != 0) {
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  int rc = SQLITE_OK;
  /* Inside a transaction (every row of a flush but the first) the text
   * need not be looked at. */
  if (sqlite3_get_autocommit(engine->db) && begins_transaction(sql)) {
    rc = sqlite3_exec(engine->db, "BEGIN ", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      pn_orm_sqlite_error(err, engine->db, rc);
      return wrap_error(err, sql, params, n);
    }
  }
  sqlite3_stmt *stmt = NULL;
  if (prepare(engine, sql, &stmt, err) != 0) {
    return strcmp(err->type, "MemoryError") == 0 ? -1 : wrap_error(err, sql, params, n);
  }
  rc = bind(stmt, params, n);
  if (rc != SQLITE_OK) {
    pn_orm_sqlite_error(err, engine->db, rc);
    sqlite3_reset(stmt);
    return wrap_error(err, sql, params, n);
  }
  int failed = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (on_row != NULL && on_row(context, stmt, err) != 0) {
      failed = 1;
      break;
    }
  }
  if (!failed && rc != SQLITE_DONE) {
    pn_orm_sqlite_error(err, engine->db, rc);
    failed = 2;
  }
  sqlite3_reset(stmt);
  if (failed == 2) {
    return wrap_error(err, sql, params, n);
  }
  return failed ? -1 : 0;
}

sqlite3_int64 pn_orm_engine_last_rowid(pn_orm_engine *engine) {
  return engine->db != NULL ? sqlite3_last_insert_rowid(engine->db) : 0;
}

static int end_transaction(pn_orm_engine *engine, const char *sql, pn_orm_error *err) {
  if (engine->db == NULL || sqlite3_get_autocommit(engine->db)) {
    return 0;
  }
  int rc = sqlite3_exec(engine->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    pn_orm_sqlite_error(err, engine->db, rc);
    return wrap_error(err, NULL, NULL, 0);
  }
  return 0;
}

int pn_orm_engine_commit(pn_orm_engine *engine, pn_orm_error *err) {
  return end_transaction(engine, "COMMIT", err);
}

int pn_orm_engine_rollback(pn_orm_engine *engine, pn_orm_error *err) {
  return end_transaction(engine, "ROLLBACK", err);
}

/* Sets *value to a copy of the len bytes, of the kind given, in arena or
 * malloc'd. Returns 0 or -1. */
static int set_bytes(pn_orm_value *value, pn_orm_kind kind, const char *bytes, size_t len,
                     pn_orm_arena *arena) {
  if (arena == NULL) {
    if (pn_orm_set_text(value, bytes, len) != 0) {
      return -1;
    }
    value->kind = kind;
    return 0;
  }
  char *copy = pn_orm_arena_strndup(arena, bytes, len);
  if (copy == NULL) {
    return -1;
  }
  pn_orm_value_clear(value);
  *value = (pn_orm_value){.kind = kind, .borrowed = 1, .bytes = copy, .len = len};
  return 0;
}

int pn_orm_read_column(sqlite3_stmt *row, int i, pn_orm_value *value, pn_orm_arena *arena) {
  /* One call per column takes the connection's mutex; the sqlite3_value_*
   * reads of the column's value take none, which sqlite allows on a
   * connection that one thread uses (an "unprotected" value). */
  sqlite3_value *column = sqlite3_column_value(row, i);
  switch (sqlite3_value_type(column)) {
    case SQLITE_INTEGER:
      pn_orm_set_int(value, sqlite3_value_int64(column));
      return 0;
    case SQLITE_FLOAT:
      pn_orm_value_clear(value);
      value->kind = PN_ORM_FLOAT;
      value->real = sqlite3_value_double(column);
      return 0;
    case SQLITE_NULL:
      pn_orm_value_clear(value);
      return 0;
    case SQLITE_BLOB: {
      const void *blob = sqlite3_value_blob(column);
      return set_bytes(value, PN_ORM_BLOB, blob != NULL ? blob : "",
                       (size_t)sqlite3_value_bytes(column), arena);
    }
    default: {
      const unsigned char *text = sqlite3_value_text(column);
      if (text == NULL) {
        return -1; /* sqlite ran out of memory converting */
      }
      return set_bytes(value, PN_ORM_TEXT, (const char *)text, (size_t)sqlite3_value_bytes(column),
                       arena);
    }
  }
}
