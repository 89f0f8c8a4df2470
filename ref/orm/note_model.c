#include "ref/orm/note_model.h"

static const pn_orm_column kPersonColumns[] = {
    {"person_id", PN_ORM_INTEGER, 0, 0, 1, NULL, NULL, offsetof(pn_person, person_id)},
    {"person_name", PN_ORM_STRING, 250, 0, 0, NULL, NULL, offsetof(pn_person, person_name)},
};

const pn_orm_table pn_person_table = {
    "person", "Person", kPersonColumns, 2, NULL, 0, sizeof(pn_person), 0,
};

static const pn_orm_column kAddressColumns[] = {
    {"id_", PN_ORM_INTEGER, 0, 0, 1, NULL, NULL, offsetof(pn_address, id_)},
    {"street_name", PN_ORM_STRING, 250, 1, 0, NULL, NULL, offsetof(pn_address, street_name)},
    {"street_number", PN_ORM_STRING, 250, 1, 0, NULL, NULL, offsetof(pn_address, street_number)},
    {"post_code", PN_ORM_STRING, 250, 0, 0, NULL, NULL, offsetof(pn_address, post_code)},
    {"person_id", PN_ORM_INTEGER, 0, 1, 0, "person", "person_id", offsetof(pn_address, person_id)},
};

static const pn_orm_relationship kAddressRelationships[] = {
    {"person", 4, &pn_person_table, offsetof(pn_address, person)},
};

const pn_orm_table pn_address_table = {
    "address", "Address", kAddressColumns, 5, kAddressRelationships, 1, sizeof(pn_address), 0,
};

const pn_orm_table *const pn_note_tables[] = {&pn_person_table, &pn_address_table};
const size_t pn_note_table_count = 2;

static int count_row(void *context, sqlite3_stmt *row, pn_orm_error *err) {
  (void)row;
  (void)err;
  ++*(size_t *)context;
  return 0;
}

/* Whether the dialect's has_table finds table in schema main or temp. */
static int has_table(pn_orm_engine *engine, const pn_orm_table *table, pn_strbuf *sql, int *found,
                     pn_orm_error *err) {
  static const char *const kSchemas[] = {"main", "temp"};
  *found = 0;
  for (size_t i = 0; i < 2 && !*found; i++) {
    size_t rows = 0;
    pn_strbuf_clear(sql);
    if (pn_orm_table_info_sql(sql, kSchemas[i], table) != 0) {
      return pn_orm_error_set(err, "MemoryError", "%s", "");
    }
    if (pn_orm_execute(engine, sql->data, PN_ORM_RAW_SQL, NULL, NULL, 0, count_row, &rows, err) !=
        0) {
      return -1;
    }
    *found = rows > 0;
  }
  return 0;
}

int pn_orm_create_all(pn_orm_engine *engine, const pn_orm_table *const *tables, size_t count,
                      pn_orm_error *err) {
  pn_strbuf sql = PN_STRBUF_INIT;
  int missing[16] = {0};
  int rc = count <= 16 && pn_orm_engine_log(engine, "BEGIN (implicit)") == 0
               ? 0
               : pn_orm_error_set(err, "MemoryError", "%s", "");
  for (size_t i = 0; i < count && rc == 0; i++) {
    int found = 0;
    rc = has_table(engine, tables[i], &sql, &found, err);
    missing[i] = !found;
  }
  for (size_t i = 0; i < count && rc == 0; i++) {
    if (missing[i]) {
      pn_strbuf_clear(&sql);
      rc = pn_orm_create_table_sql(&sql, tables[i]) != 0
               ? pn_orm_error_set(err, "MemoryError", "%s", "")
               : pn_orm_execute(engine, sql.data, PN_ORM_NO_KEY, NULL, NULL, 0, NULL, NULL, err);
    }
  }
  pn_strbuf_free(&sql);
  if (rc != 0) {
    pn_orm_error ignored = {{0}, PN_STRBUF_INIT};
    pn_orm_engine_log(engine, "ROLLBACK");
    pn_orm_engine_rollback(engine, &ignored);
    pn_orm_error_free(&ignored);
    return -1;
  }
  if (pn_orm_engine_log(engine, "COMMIT") != 0) {
    return pn_orm_error_set(err, "MemoryError", "%s", "");
  }
  return pn_orm_engine_commit(engine, err);
}
