/*
 * Nothing lost: the implementation's `orm-commits` program is SIGKILLed at
 * random points of a long series of commits, and the database must then
 * hold every commit it reported, whole, and no half of any other. And
 * `orm-note` on a file that is not a database, a locked database and a
 * read-only file ends with a clear exception line, never a crash.
 *
 * The implementation runs as a process (harness/impl.h): pyref, or
 * PYNOTES_IMPL.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/harness/impl.h"
#include "conformance/shim/ctest.h"

enum { kRounds = 6 };

/* A new empty directory for one test's files; path gets "DIR/NAME". */
static int scratch_path(const char *name, char *path, size_t size) {
  const char *root = getenv("TEST_TMPDIR");
  char dir[512];
  snprintf(dir, sizeof dir, "%s/orm-XXXXXX", root && *root ? root : "/tmp");
  if (mkdtemp(dir) == NULL) {
    return -1;
  }
  snprintf(path, size, "%s/%s", dir, name);
  return 0;
}

typedef struct run_result {
  pn_strbuf out;
  int status;
} run_result;

/* Runs IMPL args to the end; its stdout and wait status in *result. */
static int run_to_end(char *const args[], run_result *result) {
  int to_child, from_child, err_child;
  pn_strbuf problem = PN_STRBUF_INIT;
  pid_t pid = pn_impl_spawn(args, &to_child, &from_child, &err_child, &problem);
  if (pid < 0) {
    CT_FAIL("cannot start %s: %s", pn_impl_command(), problem.data);
    pn_strbuf_free(&problem);
    return -1;
  }
  close(to_child);
  char buffer[4096];
  ssize_t n;
  while ((n = read(from_child, buffer, sizeof buffer)) > 0) {
    pn_strbuf_append(&result->out, buffer, (size_t)n);
  }
  waitpid(pid, &result->status, 0);
  close(from_child);
  close(err_child);
  pn_strbuf_free(&problem);
  return 0;
}

/* The database's rows: every person must be "row K" with K its position and
 * own exactly one address "K"; returns the number of persons, or -1 after
 * reporting what is wrong. */
static long check_rows(const char *path, unsigned seed) {
  sqlite3 *db = NULL;
  /* Read-write: a kill mid-commit leaves a hot journal, which the next
   * opener rolls back. */
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    CT_FAIL("seed %u: cannot open %s: %s", seed, path, sqlite3_errmsg(db));
    sqlite3_close(db);
    return -1;
  }
  sqlite3_stmt *stmt = NULL;
  long persons = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    CT_EXPECT_STR_EQ("ok", (const char *)sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  const char *sql =
      "SELECT p.person_id, p.person_name, a.post_code, "
      "(SELECT count(*) FROM address WHERE person_id = p.person_id), "
      "(SELECT count(*) FROM address) FROM person p "
      "LEFT JOIN address a ON a.person_id = p.person_id ORDER BY p.person_id";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
    CT_FAIL("seed %u: %s", seed, sqlite3_errmsg(db));
    sqlite3_close(db);
    return -1;
  }
  persons = 0;
  long addresses = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    char name[32], post[32];
    snprintf(name, sizeof name, "row %ld", persons);
    snprintf(post, sizeof post, "%ld", persons);
    const char *got_name = (const char *)sqlite3_column_text(stmt, 1);
    const char *got_post = (const char *)sqlite3_column_text(stmt, 2);
    if (got_name == NULL || strcmp(got_name, name) != 0 || got_post == NULL ||
        strcmp(got_post, post) != 0 || sqlite3_column_int64(stmt, 3) != 1) {
      CT_FAIL("seed %u: person %ld is (%s, %s) with %lld addresses: a half commit", seed, persons,
              got_name ? got_name : "NULL", got_post ? got_post : "NULL",
              (long long)sqlite3_column_int64(stmt, 3));
      persons = -1;
      break;
    }
    addresses = sqlite3_column_int64(stmt, 4);
    persons++;
  }
  if (persons >= 0 && rc != SQLITE_DONE) {
    CT_FAIL("seed %u: %s", seed, sqlite3_errmsg(db));
    persons = -1;
  }
  if (persons >= 0 && addresses != persons && persons > 0) {
    CT_FAIL("seed %u: %ld persons but %ld addresses", seed, persons, addresses);
    persons = -1;
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return persons;
}

CT_TEST(orm_durability, sigkill_during_commits) {
  unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
  for (int round = 0; round < kRounds && !ct_has_failure(); round++) {
    char path[600];
    CT_ASSERT_TRUE(scratch_path("commits.db", path, sizeof path) == 0);
    char *args[] = {"orm-commits", "--db", path, "--count", "1000000", NULL};
    int to_child, from_child, err_child;
    pn_strbuf problem = PN_STRBUF_INIT;
    pid_t pid = pn_impl_spawn(args, &to_child, &from_child, &err_child, &problem);
    CT_ASSERT_TRUE(pid > 0);
    close(to_child);
    FILE *out = fdopen(from_child, "r");
    /* Kill after a random number of reported commits, a random moment
     * later, so that some kills land inside a commit. */
    long wanted = 1 + rand_r(&seed) % 60;
    long reported = -1;
    char line[128];
    while (reported + 1 < wanted && fgets(line, sizeof line, out) != NULL) {
      long k;
      if (sscanf(line, "committed %ld", &k) != 1) {
        CT_FAIL("seed %u: unexpected output: %s", seed, line);
        break;
      }
      CT_EXPECT_INT_EQ(reported + 1, k);
      reported = k;
    }
    struct timespec pause = {0, (long)(rand_r(&seed) % 3000) * 1000};
    nanosleep(&pause, NULL);
    kill(-pid, SIGKILL);
    /* What it wrote before the kill was committed too. */
    while (fgets(line, sizeof line, out) != NULL) {
      long k;
      if (sscanf(line, "committed %ld", &k) == 1) {
        reported = k;
      }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(out);
    close(err_child);
    pn_strbuf_free(&problem);
    CT_EXPECT_TRUE(reported >= 0);
    long persons = check_rows(path, seed);
    if (persons >= 0 && (persons < reported + 1 || persons > reported + 2)) {
      CT_FAIL("seed %u: %ld commits reported, %ld in the database", seed, reported + 1, persons);
    }
  }
}

/* Runs orm-note on path; its last output line must start with prefix. */
static void expect_note_error(const char *path, const char *prefix) {
  char *args[] = {"orm-note", "--db", (char *)path, NULL};
  run_result result = {PN_STRBUF_INIT, 0};
  if (run_to_end(args, &result) != 0) {
    return;
  }
  CT_EXPECT_TRUE(WIFEXITED(result.status));
  CT_EXPECT_INT_EQ(1, WIFEXITED(result.status) ? WEXITSTATUS(result.status) : -1);
  const char *text = result.out.data ? result.out.data : "";
  const char *last = text;
  for (const char *p = text; *p; p++) {
    if (*p == '\n' && p[1] != 0) {
      last = p + 1;
    }
  }
  if (strncmp(last, prefix, strlen(prefix)) != 0) {
    CT_FAIL("orm-note on %s printed %s, expected a line starting %s", path, text, prefix);
  }
  pn_strbuf_free(&result.out);
}

CT_TEST(orm_errors, not_a_database) {
  char path[600];
  CT_ASSERT_TRUE(scratch_path("garbage.db", path, sizeof path) == 0);
  FILE *f = fopen(path, "wb");
  CT_ASSERT_TRUE(f != NULL);
  for (int i = 0; i < 64; i++) {
    fputs("this is not an sqlite database\n", f);
  }
  fclose(f);
  expect_note_error(path, "DatabaseError: (sqlite3.DatabaseError) file is not a database");
}

CT_TEST(orm_errors, locked_by_another_writer) {
  char path[600];
  CT_ASSERT_TRUE(scratch_path("locked.db", path, sizeof path) == 0);
  sqlite3 *db = NULL;
  CT_ASSERT_TRUE(sqlite3_open(path, &db) == SQLITE_OK);
  CT_EXPECT_INT_EQ(SQLITE_OK, sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL));
  expect_note_error(path, "OperationalError: (sqlite3.OperationalError) database is locked");
  sqlite3_close(db);
}

CT_TEST(orm_errors, read_only_file) {
  if (geteuid() == 0) {
    /* root writes through file permissions, so there is nothing to check. */
    ct_skip_at(__FILE__, __LINE__, "running as root: a read-only file is writable");
    return;
  }
  char path[600];
  CT_ASSERT_TRUE(scratch_path("readonly.db", path, sizeof path) == 0);
  char *args[] = {"orm-note", "--db", path, NULL};
  run_result first = {PN_STRBUF_INIT, 0};
  CT_ASSERT_TRUE(run_to_end(args, &first) == 0);
  pn_strbuf_free(&first.out);
  CT_ASSERT_TRUE(chmod(path, 0444) == 0);
  expect_note_error(path,
                    "OperationalError: (sqlite3.OperationalError) attempt to write a readonly "
                    "database");
}

/* The orm-note program prints what the note's program prints: the Person's
 * repr with a real address (only a comparison masks it), then the name; and
 * the note's address row has post_code '0001'. */
CT_TEST(orm_note_program, prints_real_address) {
  char path[600];
  CT_ASSERT_TRUE(scratch_path("note.db", path, sizeof path) == 0);
  char *args[] = {"orm-note", "--db", path, NULL};
  run_result result = {PN_STRBUF_INIT, 0};
  CT_ASSERT_TRUE(run_to_end(args, &result) == 0);
  CT_EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0);
  const char *text = result.out.data ? result.out.data : "";
  static const char head[] = "[<__main__.Person object at 0x";
  static const char tail[] = ">]\nnew person\n";
  size_t digits = 0;
  if (strncmp(text, head, sizeof head - 1) == 0) {
    while (strchr("0123456789abcdef", text[sizeof head - 1 + digits]) != NULL &&
           text[sizeof head - 1 + digits] != 0) {
      digits++;
    }
  }
  if (digits == 0 || strcmp(text + sizeof head - 1 + digits, tail) != 0) {
    CT_FAIL("orm-note printed %s, expected [<__main__.Person object at 0xHEX>] and new person",
            text);
  }
  pn_strbuf_free(&result.out);
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  CT_ASSERT_TRUE(sqlite3_open(path, &db) == SQLITE_OK);
  CT_EXPECT_INT_EQ(SQLITE_OK,
                   sqlite3_prepare_v2(db, "SELECT post_code FROM address", -1, &statement, NULL));
  CT_EXPECT_INT_EQ(SQLITE_ROW, sqlite3_step(statement));
  const unsigned char *post_code = sqlite3_column_text(statement, 0);
  CT_EXPECT_TRUE(post_code != NULL && strcmp((const char *)post_code, "0001") == 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
}
