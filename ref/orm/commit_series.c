#include "ref/orm/commit_series.h"

#include <string.h>

#include "ref/orm/engine.h"
#include "ref/orm/note_model.h"
#include "ref/orm/session.h"

static int commit_one(pn_orm_session *session, long i, pn_orm_error *err) {
  char text[32];
  int n = snprintf(text, sizeof text, "row %ld", i);
  pn_person *p = (pn_person *)pn_orm_session_new_instance(session, &pn_person_table);
  pn_address *a = (pn_address *)pn_orm_session_new_instance(session, &pn_address_table);
  if (p == NULL || a == NULL || pn_orm_set_text(&p->person_name, text, (size_t)n) != 0 ||
      pn_orm_set_text(&a->post_code, text + 4, (size_t)n - 4) != 0) {
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  a->person = &p->base;
  pn_orm_session_add(session, &a->base);
  return pn_orm_session_commit(session, err);
}

int pn_orm_commit_series(const char *path, long count, FILE *out) {
  pn_orm_error err = {{0}, PN_STRBUF_INIT};
  pn_orm_engine *engine = pn_orm_engine_new(path, 0, NULL);
  int rc = engine == NULL ? pn_orm_error_set(&err, "MemoryError", "%s", "")
                          : pn_orm_create_all(engine, pn_note_tables, pn_note_table_count, &err);
  for (long i = 0; i < count && rc == 0; i++) {
    /* A session per commit keeps memory flat over a long series. */
    pn_orm_session *session = pn_orm_session_new(engine);
    rc = session == NULL ? pn_orm_error_set(&err, "MemoryError", "%s", "")
                         : commit_one(session, i, &err);
    pn_orm_session_free(session);
    if (rc == 0) {
      fprintf(out, "committed %ld\n", i);
      fflush(out);
    }
  }
  if (rc != 0) {
    pn_strbuf line = PN_STRBUF_INIT;
    if (pn_orm_error_line(&line, &err) == 0) {
      fwrite(line.data, 1, line.len, out);
    }
    fflush(out);
    pn_strbuf_free(&line);
  }
  pn_orm_engine_free(engine);
  pn_orm_error_free(&err);
  return rc != 0;
}
