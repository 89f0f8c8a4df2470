#include "ref/orm/note_program.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "ref/orm/engine.h"
#include "ref/orm/note_model.h"
#include "ref/orm/session.h"

/* The program's body; returns -1 with *err when something raises. */
static int note(pn_orm_engine *engine, pn_orm_session *session, int addresses, pn_strbuf *out,
                pn_orm_error *err) {
  if (pn_orm_create_all(engine, pn_note_tables, pn_note_table_count, err) != 0) {
    return -1;
  }
  pn_person *person = (pn_person *)pn_orm_session_new_instance(session, &pn_person_table);
  if (person == NULL || pn_orm_set_text(&person->person_name, "new person", 10) != 0) {
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  pn_orm_session_add(session, &person->base);
  if (pn_orm_session_commit(session, err) != 0) {
    return -1;
  }
  pn_address *address = (pn_address *)pn_orm_session_new_instance(session, &pn_address_table);
  if (address == NULL || pn_orm_set_text(&address->post_code, "0001", 4) != 0) {
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  address->person = &person->base;
  pn_orm_session_add(session, &address->base);
  if (pn_orm_session_commit(session, err) != 0) {
    return -1;
  }
  pn_orm_result persons = {0};
  if (pn_orm_session_query(session, &pn_person_table, SIZE_MAX, NULL, 0, &persons, err) != 0) {
    pn_orm_result_free(&persons);
    return -1;
  }
  /* print(session.query(Person).all()): the list's repr, each object at its
   * address (as CPython's object.__repr__ writes an id) or the placeholder. */
  int rc = pn_strbuf_puts(out, "[");
  for (size_t i = 0; i < persons.count && rc == 0; i++) {
    rc = addresses
             ? pn_strbuf_printf(out, "%s<__main__.Person object at 0x%" PRIxPTR ">",
                                i > 0 ? ", " : "", (uintptr_t)persons.items[i])
             : pn_strbuf_printf(out, "%s<__main__.Person object at ADDRESS>", i > 0 ? ", " : "");
  }
  rc = rc || pn_strbuf_puts(out, "]\n");
  pn_orm_result_free(&persons);
  if (rc != 0) {
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  /* person = session.query(Person).first(); print(person.person_name): a
   * query of its own (LIMIT 1 in the echo log), answered from the identity
   * map; with no row, first() is None and the attribute an AttributeError. */
  pn_orm_result firsts = {0};
  if (pn_orm_session_query(session, &pn_person_table, SIZE_MAX, NULL, 1, &firsts, err) != 0) {
    pn_orm_result_free(&firsts);
    return -1;
  }
  pn_person *first = firsts.count > 0 ? (pn_person *)firsts.items[0] : NULL;
  pn_orm_result_free(&firsts);
  if (first == NULL) {
    return pn_orm_error_set(err, "AttributeError",
                            "'NoneType' object has no attribute 'person_name'");
  }
  const pn_orm_value *name = &first->person_name;
  rc = name->kind == PN_ORM_TEXT ? pn_strbuf_append(out, name->bytes, name->len)
                                 : pn_orm_repr_value(out, name);
  return rc || pn_strbuf_puts(out, "\n") ? pn_orm_error_set(err, "MemoryError", "%s", "") : 0;
}

int pn_orm_note_run(const char *path, int echo, int addresses, pn_strbuf *out) {
  pn_orm_error err = {{0}, PN_STRBUF_INIT};
  pn_orm_engine *engine = pn_orm_engine_new(path, 0, echo ? out : NULL);
  pn_orm_session *session = engine != NULL ? pn_orm_session_new(engine) : NULL;
  int rc;
  if (session == NULL) {
    rc = -1;
  } else if (note(engine, session, addresses, out, &err) == 0) {
    rc = 0;
  } else {
    rc = strcmp(err.type, "MemoryError") == 0 || pn_orm_error_line(out, &err) != 0 ? -1 : 1;
  }
  pn_orm_session_free(session);
  pn_orm_engine_free(engine);
  pn_orm_error_free(&err);
  return rc;
}
