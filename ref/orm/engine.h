/*
 * The connection the mapping talks through, behaving as SQLAlchemy 1.4's
 * Engine over Python's sqlite3 module does:
 *
 * - connects on first use (sqlite3_open_v2, a 5 second busy timeout as
 *   sqlite3.connect's default; PRAGMA foreign_keys=ON when asked, as a
 *   "connect" event listener would);
 * - opens a transaction ("BEGIN ") only before INSERT, UPDATE, DELETE and
 *   REPLACE, and COMMIT or ROLLBACK only inside one, as the sqlite3 module
 *   does;
 * - with echo, logs each statement and its parameters in SQLAlchemy's words
 *   (see the placeholders in conformance/PROTOCOL.md, command orm);
 * - binds parameters, never splices them into SQL text;
 * - reports an error as SQLAlchemy's exception: IntegrityError etc. with the
 *   message "(sqlite3.IntegrityError) ...\n[SQL: ...]\n[parameters: ...]\n
 *   (Background on this error at: https://sqlalche.me/e/14/CODE)".
 */
#ifndef PYNOTES_REF_ORM_ENGINE_H_
#define PYNOTES_REF_ORM_ENGINE_H_

#include <sqlite3.h>
#include <stddef.h>

#include "ref/orm/arena.h"
#include "ref/orm/pyrepr.h"
#include "ref/protocol/strbuf.h"

/* A Python exception: its class's bare name and its str(). */
typedef struct pn_orm_error {
  char type[40];
  pn_strbuf message;
} pn_orm_error;

/* Sets err to the exception type(message...). Returns -1, for `return`. */
int pn_orm_error_set(pn_orm_error *err, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends the exception's protocol line (`Type: message`, newlines as \n,
 * backslashes as \\) and a newline. Returns 0 or -1 (out of memory). */
int pn_orm_error_line(pn_strbuf *out, const pn_orm_error *err);

void pn_orm_error_free(pn_orm_error *err);

/* How SQLAlchemy's echo describes a statement's compiled form. */
typedef enum pn_orm_origin {
  PN_ORM_RAW_SQL,  /* "[raw sql]": the dialect's PRAGMA checks */
  PN_ORM_NO_KEY,   /* "[no key *s]": DDL */
  PN_ORM_COMPILED, /* "[generated in *s]" the first time, then "[cached since *s ago]" */
} pn_orm_origin;

typedef struct pn_orm_engine pn_orm_engine;

/* A new engine on the sqlite file path (not yet connected). echo_to: where
 * echo lines go, or NULL for no echo. Returns NULL when memory runs out. */
pn_orm_engine *pn_orm_engine_new(const char *path, int foreign_keys, pn_strbuf *echo_to);

/* Closes the connection (rolling back an open transaction) and frees. */
void pn_orm_engine_free(pn_orm_engine *engine);

/* Writes "[echo] message" and a newline to the echo log, when echoing.
 * Returns 0 or -1. */
int pn_orm_engine_log(pn_orm_engine *engine, const char *message);

/* Called for each result row; returns 0 to go on, -1 to stop with an error
 * it has set. */
typedef int (*pn_orm_row_fn)(void *context, sqlite3_stmt *row, pn_orm_error *err);

/*
 * Runs sql with the n params bound in order (connecting first if needed),
 * calling on_row (may be NULL) for each row. cache_key names the compiled
 * construct for the echo's cache statistics (PN_ORM_COMPILED: the same
 * key twice is "cached since"); NULL means sql itself. Returns 0, or -1 with
 * the exception in *err.
 */
int pn_orm_execute(pn_orm_engine *engine, const char *sql, pn_orm_origin origin,
                   const char *cache_key, const pn_orm_value *params, size_t n,
                   pn_orm_row_fn on_row, void *context, pn_orm_error *err);

/* The rowid of the last INSERT on the connection. */
sqlite3_int64 pn_orm_engine_last_rowid(pn_orm_engine *engine);

/* COMMIT (ROLLBACK) when a transaction is open. Returns 0, or -1 with *err. */
int pn_orm_engine_commit(pn_orm_engine *engine, pn_orm_error *err);
int pn_orm_engine_rollback(pn_orm_engine *engine, pn_orm_error *err);

/* Reads column i of a result row as the sqlite3 module converts it, text
 * and blobs copied into arena (borrowed from it), or malloc'd when arena is
 * NULL. The row's connection must be used by this thread alone, as an
 * engine's is. Returns 0 or -1 (out of memory). */
int pn_orm_read_column(sqlite3_stmt *row, int i, pn_orm_value *value, pn_orm_arena *arena);

/* Sets *err from a failed sqlite call on db (rc its result code) as the
 * sqlite3 module raises it: `DatabaseError: file is not a database`. */
int pn_orm_sqlite_error(pn_orm_error *err, sqlite3 *db, int rc);

#endif /* PYNOTES_REF_ORM_ENGINE_H_ */
