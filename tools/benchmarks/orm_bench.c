/*
 * The orm note's benchmark: ns per row for inserting 100,000 Person rows in
 * one commit and for loading them all back, pyref (ref/orm's session) beside
 * a plain-C floor (raw sqlite3 prepared statements), interleaved round by
 * round. Prints one line per measurement, `NAME IMPL NS_PER_ROW` (IMPL pyref
 * or c:sqlite3, the floor), with the
 * median of the rounds; tools/bench puts SQLAlchemy's ORM beside it
 * (tools/benchmarks/peers.py).
 *
 *   orm/insert  a fresh database file (tables made by create_all, untimed)
 *               in a new temporary directory each round; timed: making,
 *               naming and adding 100,000 Person instances and the commit
 *               (pyref), or BEGIN, one prepared INSERT re-bound per row and
 *               COMMIT (floor). Both use sqlite's defaults, as pyref and
 *               Python's sqlite3 module do (journal_mode=DELETE,
 *               synchronous=FULL).
 *   orm/load    the 100,000 rows from a file written once: query(Person)
 *               .all() in a new session on a new engine (pyref), or open,
 *               prepare the same SELECT and step through every row reading
 *               both columns without copying them (floor).
 *
 *   orm_bench [ROUNDS [insert|load]]   (one of them alone: for a profiler)
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, clock_gettime */

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tools/benchmarks/bench_clock.h"

#include "ref/orm/engine.h"
#include "ref/orm/note_model.h"
#include "ref/orm/session.h"

#define MAX_ROUNDS 64
#define ROWS 100000

/* The SQL pyref sends for the same work (and SQLAlchemy 1.4 does). */
static const char kInsertSql[] = "INSERT INTO person (person_name) VALUES (?)";
static const char kSelectSql[] =
    "SELECT person.person_id AS person_person_id, person.person_name AS person_person_name \n"
    "FROM person";

typedef struct names {
  char text[ROWS][16];
  int len[ROWS];
} names;

typedef struct temp_db {
  char dir[64];
  char path[96];
} temp_db;

/* Keeps loaded values alive so the compiler cannot drop the floor's reads. */
static volatile int64_t g_sink;

static void die(const char *what, const pn_orm_error *err) {
  fprintf(stderr, "orm_bench: %s: %s: %s\n", what, err != NULL ? err->type : "failed",
          err != NULL && err->message.data != NULL ? err->message.data : "");
  exit(1);
}

/* A new directory under $TMPDIR (or /tmp) holding an empty note database
 * (create_all's tables), so that setup stays out of the timings. */
static void temp_db_create(temp_db *db) {
  const char *tmp = getenv("TMPDIR");
  snprintf(db->dir, sizeof db->dir, "%s/orm_bench.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
  if (mkdtemp(db->dir) == NULL) {
    die("mkdtemp", NULL);
  }
  snprintf(db->path, sizeof db->path, "%s/bench.db", db->dir);
  pn_orm_error err = {{0}, PN_STRBUF_INIT};
  pn_orm_engine *engine = pn_orm_engine_new(db->path, 0, NULL);
  if (engine == NULL || pn_orm_create_all(engine, pn_note_tables, pn_note_table_count, &err) != 0) {
    die("create_all", &err);
  }
  pn_orm_engine_free(engine);
}

static void temp_db_remove(temp_db *db) {
  unlink(db->path);
  rmdir(db->dir);
}

/* Counts the person rows (a check that each round did its work). */
static int64_t count_rows(const char *path) {
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int64_t count = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT count(*) FROM person", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    count = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return count;
}

static double insert_pyref(const names *n, const char *path) {
  pn_orm_error err = {{0}, PN_STRBUF_INIT};
  pn_orm_engine *engine = pn_orm_engine_new(path, 0, NULL);
  pn_orm_session *session = engine != NULL ? pn_orm_session_new(engine) : NULL;
  if (session == NULL) {
    die("insert_pyref", NULL);
  }
  double start = pn_bench_now_ns();
  for (int i = 0; i < ROWS; i++) {
    pn_person *p = (pn_person *)pn_orm_session_new_instance(session, &pn_person_table);
    if (p == NULL || pn_orm_set_text(&p->person_name, n->text[i], (size_t)n->len[i]) != 0) {
      die("insert_pyref: out of memory", NULL);
    }
    pn_orm_session_add(session, &p->base);
  }
  if (pn_orm_session_commit(session, &err) != 0) {
    die("insert_pyref: commit", &err);
  }
  double elapsed = pn_bench_now_ns() - start;
  pn_orm_session_free(session);
  pn_orm_engine_free(engine);
  pn_orm_error_free(&err);
  return elapsed;
}

static void check_sqlite(sqlite3 *db, int rc, int expected, const char *what) {
  if (rc != expected) {
    fprintf(stderr, "orm_bench: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static double insert_floor(const names *n, const char *path) {
  sqlite3 *db = NULL;
  check_sqlite(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK, "open");
  sqlite3_stmt *stmt = NULL;
  double start = pn_bench_now_ns();
  check_sqlite(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK, "BEGIN");
  check_sqlite(db, sqlite3_prepare_v2(db, kInsertSql, -1, &stmt, NULL), SQLITE_OK, "prepare");
  for (int i = 0; i < ROWS; i++) {
    sqlite3_bind_text(stmt, 1, n->text[i], n->len[i], SQLITE_STATIC);
    check_sqlite(db, sqlite3_step(stmt), SQLITE_DONE, "INSERT");
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  check_sqlite(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK, "COMMIT");
  double elapsed = pn_bench_now_ns() - start;
  sqlite3_close(db);
  return elapsed;
}

static double load_pyref(const char *path) {
  pn_orm_error err = {{0}, PN_STRBUF_INIT};
  pn_orm_result result = {0};
  double start = pn_bench_now_ns();
  pn_orm_engine *engine = pn_orm_engine_new(path, 0, NULL);
  pn_orm_session *session = engine != NULL ? pn_orm_session_new(engine) : NULL;
  if (session == NULL ||
      pn_orm_session_query(session, &pn_person_table, SIZE_MAX, NULL, 0, &result, &err) != 0) {
    die("load_pyref", &err);
  }
  double elapsed = pn_bench_now_ns() - start;
  if (result.count != ROWS) {
    fprintf(stderr, "orm_bench: load_pyref: %zu rows\n", result.count);
    exit(1);
  }
  g_sink += ((pn_person *)result.items[ROWS - 1])->person_id.integer;
  pn_orm_result_free(&result);
  pn_orm_session_free(session);
  pn_orm_engine_free(engine);
  pn_orm_error_free(&err);
  return elapsed;
}

static double load_floor(const char *path) {
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int64_t rows = 0, sum = 0;
  double start = pn_bench_now_ns();
  check_sqlite(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK, "open");
  check_sqlite(db, sqlite3_prepare_v2(db, kSelectSql, -1, &stmt, NULL), SQLITE_OK, "prepare");
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const unsigned char *name = sqlite3_column_text(stmt, 1);
    sum += sqlite3_column_int64(stmt, 0) + sqlite3_column_bytes(stmt, 1) + (name != NULL);
    rows++;
  }
  check_sqlite(db, rc, SQLITE_DONE, "SELECT");
  sqlite3_finalize(stmt);
  double elapsed = pn_bench_now_ns() - start;
  sqlite3_close(db);
  if (rows != ROWS) {
    fprintf(stderr, "orm_bench: load_floor: %lld rows\n", (long long)rows);
    exit(1);
  }
  g_sink += sum;
  return elapsed;
}

/* One insert round of fn on a fresh database; checks the rows landed. */
static double insert_round(double (*fn)(const names *, const char *), const names *n) {
  temp_db db;
  temp_db_create(&db);
  double elapsed = fn(n, db.path);
  if (count_rows(db.path) != ROWS) {
    fprintf(stderr, "orm_bench: an insert round left %lld rows\n", (long long)count_rows(db.path));
    exit(1);
  }
  temp_db_remove(&db);
  return elapsed / ROWS;
}

static void print_median(const char *name, const char *impl, double *values, int rounds) {
  printf("%s %s %.1f\n", name, impl, pn_bench_median(values, rounds));
  fflush(stdout);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 7;
  const char *only = argc > 2 ? argv[2] : "";
  if (rounds < 1 || rounds > MAX_ROUNDS || argc > 3 ||
      (argc > 2 && strcmp(only, "insert") != 0 && strcmp(only, "load") != 0)) {
    fprintf(stderr, "usage: orm_bench [ROUNDS 1..%d [insert|load]]\n", MAX_ROUNDS);
    return 2;
  }
  int run_insert = strcmp(only, "load") != 0, run_load = strcmp(only, "insert") != 0;
  names *n = malloc(sizeof *n);
  if (n == NULL) {
    die("out of memory", NULL);
  }
  for (int i = 0; i < ROWS; i++) {
    n->len[i] = snprintf(n->text[i], sizeof n->text[i], "person %d", i);
  }

  double pyref[MAX_ROUNDS], plain[MAX_ROUNDS];
  if (run_insert) {
    insert_round(insert_pyref, n); /* warm up */
    insert_round(insert_floor, n);
    for (int r = 0; r < rounds; r++) {
      pyref[r] = insert_round(insert_pyref, n);
      plain[r] = insert_round(insert_floor, n);
    }
    print_median("orm/insert", "pyref", pyref, rounds);
    print_median("orm/insert", "c:sqlite3", plain, rounds);
  }
  if (!run_load) {
    free(n);
    return 0;
  }

  temp_db db;
  temp_db_create(&db);
  insert_floor(n, db.path);
  load_pyref(db.path); /* warm up */
  load_floor(db.path);
  for (int r = 0; r < rounds; r++) {
    pyref[r] = load_pyref(db.path) / ROWS;
    plain[r] = load_floor(db.path) / ROWS;
  }
  temp_db_remove(&db);
  print_median("orm/load", "pyref", pyref, rounds);
  print_median("orm/load", "c:sqlite3", plain, rounds);
  free(n);
  return 0;
}
