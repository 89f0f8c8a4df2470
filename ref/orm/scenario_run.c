/* strdup, mkdtemp, strncasecmp */
#define _POSIX_C_SOURCE 200809L

/* The scenario runner (scenario.h): each step on the note's model. */
#include <dirent.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ref/orm/engine.h"
#include "ref/orm/note_model.h"
#include "ref/orm/note_program.h"
#include "ref/orm/scenario.h"
#include "ref/orm/session.h"

typedef struct runner {
  char directory[4096];
  char path[4200];
  pn_strbuf *out;
  pn_orm_engine *engine;
  pn_orm_session *session;
  pn_orm_instance *last_person;
  sqlite3 *lock;
  pn_orm_error err;
} runner;

static int scenario_error(runner *r, const char *message) {
  return pn_orm_error_set(&r->err, "ScenarioError", "%s", message);
}

static int oom(runner *r) {
  return pn_orm_error_set(&r->err, "MemoryError", "%s", "");
}

static void close_session(runner *r) {
  pn_orm_session_free(r->session);
  pn_orm_engine_free(r->engine);
  r->session = NULL;
  r->engine = NULL;
  r->last_person = NULL;
}

static int require_session(runner *r) {
  return r->session == NULL ? scenario_error(r, "no open session") : 0;
}

/* A word as a value: bare None is NULL, a string its text. */
static int set_word(pn_orm_value *value, const pn_orm_word *w) {
  return pn_orm_set_text(value, w->quoted ? w->text : NULL, w->len);
}

static int step_open(runner *r, int fk) {
  close_session(r);
  pn_orm_engine *engine = pn_orm_engine_new(r->path, fk, NULL);
  if (engine == NULL) {
    return oom(r);
  }
  if (pn_orm_create_all(engine, pn_note_tables, pn_note_table_count, &r->err) != 0) {
    pn_orm_engine_free(engine);
    return -1;
  }
  r->engine = engine;
  r->session = pn_orm_session_new(engine);
  return r->session == NULL ? oom(r) : 0;
}

static int add_person(runner *r, const char *name, size_t len) {
  pn_person *p = (pn_person *)pn_orm_session_new_instance(r->session, &pn_person_table);
  if (p == NULL || pn_orm_set_text(&p->person_name, name, len) != 0) {
    return oom(r);
  }
  pn_orm_session_add(r->session, &p->base);
  r->last_person = &p->base;
  return 0;
}

static int add_address(runner *r, const pn_orm_word *post, pn_orm_instance *person,
                       const char *person_id) {
  pn_address *a = (pn_address *)pn_orm_session_new_instance(r->session, &pn_address_table);
  if (a == NULL || set_word(&a->post_code, post) != 0) {
    return oom(r);
  }
  a->person = person;
  if (person_id != NULL) {
    pn_orm_set_int(&a->person_id, strtoll(person_id, NULL, 10));
  }
  pn_orm_session_add(r->session, &a->base);
  return 0;
}

static int print_person(runner *r, pn_orm_instance *inst) {
  pn_person *p = (pn_person *)inst;
  pn_orm_value row[2] = {p->person_id, p->person_name};
  return pn_orm_repr_tuple(r->out, row, 2, 0) || pn_strbuf_puts(r->out, "\n") ? oom(r) : 0;
}

static int query_persons(runner *r, const pn_orm_word *name, int first) {
  pn_orm_value value = {.kind = PN_ORM_NULL};
  if (name != NULL && set_word(&value, name) != 0) {
    return oom(r);
  }
  pn_orm_result result = {0};
  int rc = pn_orm_session_query(r->session, &pn_person_table, name != NULL ? 1 : SIZE_MAX, &value,
                                first, &result, &r->err);
  for (size_t i = 0; i < result.count && rc == 0; i++) {
    rc = print_person(r, result.items[i]);
  }
  if (rc == 0 && first && result.count == 0 && pn_strbuf_puts(r->out, "None\n") != 0) {
    rc = oom(r);
  }
  pn_orm_result_free(&result);
  pn_orm_value_clear(&value);
  return rc;
}

static int step_addresses(runner *r) {
  pn_orm_result result = {0};
  int rc = pn_orm_session_query(r->session, &pn_address_table, SIZE_MAX, NULL, 0, &result, &r->err);
  for (size_t i = 0; i < result.count && rc == 0; i++) {
    pn_address *a = (pn_address *)result.items[i];
    pn_orm_instance *owner = NULL;
    rc = pn_orm_session_related(r->session, &a->base, 0, &owner, &r->err);
    if (rc == 0) {
      pn_orm_value row[6] = {a->id_,       a->street_name, a->street_number,
                             a->post_code, a->person_id,   {.kind = PN_ORM_NULL}};
      if (owner != NULL) {
        row[5] = ((pn_person *)owner)->person_name;
      }
      rc = pn_orm_repr_tuple(r->out, row, 6, 0) || pn_strbuf_puts(r->out, "\n") ? oom(r) : 0;
    }
  }
  pn_orm_result_free(&result);
  return rc;
}

typedef struct dump_context {
  pn_strbuf *out;
  const char *prefix; /* "TABLE: " before each row, or NULL */
  char **tables;      /* the names of sqlite_master's tables, collected */
  size_t table_count;
  size_t lines;
} dump_context;

/* Appends one row's repr as a dump line. */
static int dump_row(dump_context *c, sqlite3_stmt *stmt, int *is_table) {
  int n = sqlite3_column_count(stmt);
  pn_orm_value values[64];
  if (n > 64) {
    return -1;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    values[i] = (pn_orm_value){.kind = PN_ORM_NULL};
    rc = rc || pn_orm_read_column(stmt, i, &values[i], NULL);
  }
  if (c->prefix != NULL && rc == 0) {
    rc = pn_strbuf_printf(c->out, "%s: ", c->prefix);
  }
  rc = rc || pn_orm_repr_tuple(c->out, values, (size_t)n, 0) || pn_strbuf_puts(c->out, "\n");
  if (rc == 0 && is_table != NULL) {
    *is_table = values[0].kind == PN_ORM_TEXT && strcmp(values[0].bytes, "table") == 0;
    if (*is_table) {
      char **grown = realloc(c->tables, (c->table_count + 1) * sizeof *grown);
      rc = grown == NULL || (grown[c->table_count] = strdup(values[1].bytes)) == NULL;
      c->tables = grown != NULL ? grown : c->tables;
      c->table_count += rc == 0;
    }
  }
  for (int i = 0; i < n; i++) {
    pn_orm_value_clear(&values[i]);
  }
  c->lines++;
  return rc ? -1 : 0;
}

/* Runs sql on db, dumping each row; 0, 1 (a sqlite error, in err) or -1. */
static int dump_query(sqlite3 *db, const char *sql, dump_context *c, int master,
                      pn_orm_error *err) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) {
    pn_orm_sqlite_error(err, db, rc);
    return 1;
  }
  int failed = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int is_table = 0;
    if (dump_row(c, stmt, master ? &is_table : NULL) != 0) {
      failed = -1;
      break;
    }
  }
  if (failed == 0 && rc != SQLITE_DONE) {
    pn_orm_sqlite_error(err, db, rc);
    failed = 1;
  }
  sqlite3_finalize(stmt);
  return failed;
}

/* The dump step's lines, through a plain connection as Python's sqlite3.connect makes it. */
static int dump(runner *r, pn_strbuf *text, size_t *lines) {
  sqlite3 *db = NULL;
  dump_context c = {text, NULL, NULL, 0, 0};
  int rc = sqlite3_open_v2(r->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) {
    pn_orm_sqlite_error(&r->err, db, rc);
    sqlite3_close(db);
    return -1;
  }
  sqlite3_busy_timeout(db, 5000);
  int failed = dump_query(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid",
                          &c, 1, &r->err);
  pn_strbuf sql = PN_STRBUF_INIT;
  for (size_t i = 0; i < c.table_count && failed == 0; i++) {
    pn_strbuf_clear(&sql);
    failed = pn_strbuf_puts(&sql, "SELECT * FROM \"") ? -1 : 0;
    for (const char *p = c.tables[i]; *p && failed == 0; p++) {
      failed = pn_strbuf_append(&sql, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1) ? -1 : 0;
    }
    failed = failed || pn_strbuf_puts(&sql, "\" ORDER BY rowid") ? -1 : 0;
    c.prefix = c.tables[i];
    failed = failed ? failed : dump_query(db, sql.data, &c, 0, &r->err);
  }
  pn_strbuf_free(&sql);
  for (size_t i = 0; i < c.table_count; i++) {
    free(c.tables[i]);
  }
  free(c.tables);
  sqlite3_close(db);
  *lines = c.lines;
  return failed == 0 ? 0 : failed < 0 ? oom(r) : -1;
}

static int step_dump(runner *r, int digest) {
  pn_strbuf text = PN_STRBUF_INIT;
  size_t lines = 0;
  int rc = dump(r, &text, &lines);
  if (rc == 0 && !digest) {
    rc = text.len > 0 && pn_strbuf_append(r->out, text.data, text.len) != 0 ? oom(r) : 0;
  } else if (rc == 0) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_Digest(text.data != NULL ? text.data : "", text.len, md, &md_len, EVP_sha256(), NULL) !=
        1) {
      rc = oom(r);
    }
    rc = rc || pn_strbuf_printf(r->out, "dump: %zu lines, sha256 ", lines) ? oom(r) : 0;
    for (unsigned i = 0; i < md_len && rc == 0; i++) {
      rc = pn_strbuf_printf(r->out, "%02x", md[i]) ? oom(r) : 0;
    }
    rc = rc || pn_strbuf_puts(r->out, "\n") ? oom(r) : 0;
  }
  pn_strbuf_free(&text);
  return rc;
}

static int step_lock(runner *r) {
  if (r->lock != NULL) {
    return 0;
  }
  int rc = sqlite3_open_v2(r->path, &r->lock, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(r->lock, 5000);
    rc = sqlite3_exec(r->lock, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
  }
  return rc == SQLITE_OK ? 0 : pn_orm_sqlite_error(&r->err, r->lock, rc);
}

static void step_unlock(runner *r) {
  sqlite3_close(r->lock);
  r->lock = NULL;
}

static int step_garbage(runner *r) {
  static const char kLine[] = "this is not an sqlite database\n";
  FILE *f = fopen(r->path, "wb");
  if (f == NULL) {
    return pn_orm_error_set(&r->err, "OSError", "cannot write %s", r->path);
  }
  for (size_t written = 0; written < 1024; written += sizeof kLine - 1) {
    size_t n = 1024 - written < sizeof kLine - 1 ? 1024 - written : sizeof kLine - 1;
    fwrite(kLine, 1, n, f);
  }
  return fclose(f) == 0 ? 0 : pn_orm_error_set(&r->err, "OSError", "cannot write %s", r->path);
}

/* Runs one step; 0, or -1 with the exception in r->err. */
static int run_step(runner *r, const pn_orm_step *step) {
  const char *name = step->words[0].text;
  const pn_orm_word *args = step->words + 1;
  size_t argc = step->count - 1;
  if (strcmp(name, "note") == 0) {
    return pn_orm_note_run(r->path, argc == 1, 0, r->out) < 0 ? oom(r) : 0;
  }
  if (strcmp(name, "open") == 0) {
    return step_open(r, argc == 1);
  }
  if (strcmp(name, "dump") == 0 || strcmp(name, "digest") == 0) {
    return step_dump(r, name[1] == 'i');
  }
  if (strcmp(name, "lock") == 0) {
    return step_lock(r);
  }
  if (strcmp(name, "unlock") == 0) {
    step_unlock(r);
    return 0;
  }
  if (strcmp(name, "garbage") == 0) {
    return step_garbage(r);
  }
  if (require_session(r) != 0) {
    return -1;
  }
  if (strcmp(name, "person") == 0) {
    return add_person(r, args[0].quoted ? args[0].text : NULL, args[0].len);
  }
  if (strcmp(name, "persons") == 0) {
    long count = strtol(args[0].text, NULL, 10);
    pn_strbuf person_name = PN_STRBUF_INIT;
    int rc = 0;
    for (long i = 0; i < count && rc == 0; i++) {
      pn_strbuf_clear(&person_name);
      rc = pn_strbuf_append(&person_name, args[1].text, args[1].len) ||
                   pn_strbuf_printf(&person_name, "%ld", i)
               ? oom(r)
               : add_person(r, person_name.data, person_name.len);
    }
    pn_strbuf_free(&person_name);
    return rc;
  }
  if (strcmp(name, "address") == 0) {
    return r->last_person == NULL ? scenario_error(r, "no person added yet")
                                  : add_address(r, &args[0], r->last_person, NULL);
  }
  if (strcmp(name, "address-of") == 0) {
    return add_address(r, &args[1], NULL, args[0].text);
  }
  if (strcmp(name, "commit") == 0) {
    return pn_orm_session_commit(r->session, &r->err);
  }
  if (strcmp(name, "rollback") == 0) {
    return pn_orm_session_rollback(r->session, &r->err);
  }
  if (strcmp(name, "all") == 0 || strcmp(name, "first") == 0) {
    return query_persons(r, NULL, name[0] == 'f');
  }
  if (strcmp(name, "find") == 0) {
    return query_persons(r, &args[0], 0);
  }
  return step_addresses(r); /* "addresses": the parser knows no other step */
}

/* Removes the scenario's directory and the files sqlite left in it. */
static void remove_directory(const char *directory) {
  DIR *dir = opendir(directory);
  if (dir != NULL) {
    struct dirent *entry;
    char path[4400];
    while ((entry = readdir(dir)) != NULL) {
      if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
        snprintf(path, sizeof path, "%s/%s", directory, entry->d_name);
        unlink(path);
      }
    }
    closedir(dir);
  }
  rmdir(directory);
}

int pn_orm_scenario_run(const char *line, size_t len, pn_strbuf *out) {
  pn_orm_scenario scenario;
  pn_strbuf problem = PN_STRBUF_INIT;
  int parsed = pn_orm_scenario_parse(line, len, &scenario, &problem);
  if (parsed != 0) {
    int rc = parsed < 0 || pn_strbuf_puts(out, "ScenarioError: ") ||
                     pn_strbuf_append(out, problem.data, problem.len) || pn_strbuf_puts(out, "\n")
                 ? -1
                 : 0;
    pn_strbuf_free(&problem);
    return rc;
  }
  pn_strbuf_free(&problem);
  runner r = {.out = out, .err = {{0}, PN_STRBUF_INIT}};
  const char *tmp = getenv("TMPDIR");
  snprintf(r.directory, sizeof r.directory, "%s/pynotes-orm-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(r.directory) == NULL) {
    pn_orm_scenario_free(&scenario);
    return -1;
  }
  snprintf(r.path, sizeof r.path, "%s/note.db", r.directory);
  int rc = 0;
  for (size_t i = 0; i < scenario.count && rc == 0; i++) {
    if (run_step(&r, &scenario.steps[i]) != 0) {
      rc = strcmp(r.err.type, "MemoryError") == 0 || pn_orm_error_line(out, &r.err) != 0 ? -1 : 0;
    }
  }
  close_session(&r);
  step_unlock(&r);
  remove_directory(r.directory);
  pn_orm_error_free(&r.err);
  pn_orm_scenario_free(&scenario);
  return rc;
}
