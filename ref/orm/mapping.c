#include "ref/orm/mapping.h"

#include <stdlib.h>
#include <string.h>

void pn_orm_value_clear(pn_orm_value *value) {
  if (value->bytes != NULL && !value->borrowed) {
    free(value->bytes);
  }
  *value = (pn_orm_value){.kind = PN_ORM_NULL};
}

int pn_orm_set_text(pn_orm_value *value, const char *text, size_t len) {
  if (text == NULL) {
    pn_orm_value_clear(value);
    return 0;
  }
  char *copy = malloc(len + 1);
  if (copy == NULL) {
    return -1;
  }
  memcpy(copy, text, len);
  copy[len] = 0;
  pn_orm_value_clear(value);
  value->kind = PN_ORM_TEXT;
  value->bytes = copy;
  value->len = len;
  return 0;
}

void pn_orm_set_int(pn_orm_value *value, int64_t integer) {
  pn_orm_value_clear(value);
  value->kind = PN_ORM_INT;
  value->integer = integer;
}

int pn_orm_value_copy(pn_orm_value *dst, const pn_orm_value *src) {
  if (src->kind == PN_ORM_TEXT || src->kind == PN_ORM_BLOB) {
    if (pn_orm_set_text(dst, src->bytes, src->len) != 0) {
      return -1;
    }
    dst->kind = src->kind;
    return 0;
  }
  pn_orm_value_clear(dst);
  *dst = *src;
  dst->bytes = NULL;
  return 0;
}

/* The words SQLAlchemy's sqlite dialect quotes (a subset of its
 * RESERVED_WORDS that a column or table name is likely to hit). */
static const char *const kReserved[] = {
    "add",    "all",     "and",        "as",     "asc",    "between",  "by",   "check",
    "column", "create",  "default",    "delete", "desc",   "distinct", "drop", "from",
    "group",  "having",  "in",         "index",  "insert", "into",     "is",   "join",
    "key",    "like",    "limit",      "not",    "null",   "offset",   "on",   "or",
    "order",  "primary", "references", "select", "set",    "table",    "to",   "union",
    "unique", "update",  "values",     "where",
};

static int needs_quotes(const char *name) {
  if (!((*name >= 'a' && *name <= 'z') || *name == '_')) {
    return 1;
  }
  for (const char *p = name; *p; p++) {
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '$')) {
      return 1;
    }
  }
  for (size_t i = 0; i < sizeof kReserved / sizeof kReserved[0]; i++) {
    if (strcmp(name, kReserved[i]) == 0) {
      return 1;
    }
  }
  return 0;
}

int pn_orm_append_identifier(pn_strbuf *out, const char *name) {
  if (!needs_quotes(name)) {
    return pn_strbuf_puts(out, name);
  }
  if (pn_strbuf_puts(out, "\"") != 0) {
    return -1;
  }
  for (const char *p = name; *p; p++) {
    if (pn_strbuf_append(out, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1) != 0) {
      return -1;
    }
  }
  return pn_strbuf_puts(out, "\"");
}

int pn_orm_create_table_sql(pn_strbuf *out, const pn_orm_table *table) {
  int rc = pn_strbuf_puts(out, "\nCREATE TABLE ") || pn_orm_append_identifier(out, table->name) ||
           pn_strbuf_puts(out, " (");
  for (size_t i = 0; i < table->column_count && rc == 0; i++) {
    const pn_orm_column *c = &table->columns[i];
    rc = pn_strbuf_puts(out, i == 0 ? "\n\t" : ", \n\t") || pn_orm_append_identifier(out, c->name);
    if (rc == 0) {
      rc = c->type == PN_ORM_INTEGER ? pn_strbuf_puts(out, " INTEGER")
                                     : pn_strbuf_printf(out, " VARCHAR(%d)", c->length);
    }
    if (rc == 0 && (!c->nullable || c->primary_key)) {
      rc = pn_strbuf_puts(out, " NOT NULL");
    }
  }
  if (rc == 0) {
    rc = pn_strbuf_puts(out, ", \n\tPRIMARY KEY (") ||
         pn_orm_append_identifier(out, table->columns[table->primary_key].name) ||
         pn_strbuf_puts(out, ")");
  }
  for (size_t i = 0; i < table->column_count && rc == 0; i++) {
    const pn_orm_column *c = &table->columns[i];
    if (c->references_table != NULL) {
      rc = pn_strbuf_puts(out, ", \n\tFOREIGN KEY(") || pn_orm_append_identifier(out, c->name) ||
           pn_strbuf_puts(out, ") REFERENCES ") ||
           pn_orm_append_identifier(out, c->references_table) || pn_strbuf_puts(out, " (") ||
           pn_orm_append_identifier(out, c->references_column) || pn_strbuf_puts(out, ")");
    }
  }
  return rc || pn_strbuf_puts(out, "\n)\n\n") ? -1 : 0;
}

int pn_orm_table_info_sql(pn_strbuf *out, const char *schema, const pn_orm_table *table) {
  /* The dialect always quotes the name here, doubling any '"' in it. */
  int rc = pn_strbuf_printf(out, "PRAGMA %s.table_info(\"", schema);
  for (const char *p = table->name; *p && rc == 0; p++) {
    rc = pn_strbuf_append(out, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
  }
  return rc || pn_strbuf_puts(out, "\")") ? -1 : 0;
}

int pn_orm_key_generated(pn_orm_instance *inst) {
  const pn_orm_table *table = inst->table;
  return table->columns[table->primary_key].type == PN_ORM_INTEGER &&
         pn_orm_column_value(inst, table->primary_key)->kind == PN_ORM_NULL;
}

int pn_orm_insert_sql(pn_strbuf *out, const pn_orm_table *table, int key_generated) {
  int rc = pn_strbuf_puts(out, "INSERT INTO ") || pn_orm_append_identifier(out, table->name) ||
           pn_strbuf_puts(out, " (");
  size_t n = 0;
  for (size_t i = 0; i < table->column_count && rc == 0; i++) {
    if (!(key_generated && i == table->primary_key)) {
      rc = (n++ > 0 && pn_strbuf_puts(out, ", ")) ||
           pn_orm_append_identifier(out, table->columns[i].name);
    }
  }
  rc = rc || pn_strbuf_puts(out, ") VALUES (");
  for (size_t i = 0; i < n && rc == 0; i++) {
    rc = pn_strbuf_puts(out, i > 0 ? ", ?" : "?");
  }
  return rc || pn_strbuf_puts(out, ")") ? -1 : 0;
}

/* table.column, as the SELECT names it. */
static int append_qualified(pn_strbuf *out, const pn_orm_table *table, size_t column) {
  return pn_orm_append_identifier(out, table->name) || pn_strbuf_puts(out, ".") ||
                 pn_orm_append_identifier(out, table->columns[column].name)
             ? -1
             : 0;
}

int pn_orm_select_sql(pn_strbuf *out, const pn_orm_table *table, pn_orm_where where,
                      size_t where_column, int limited) {
  int rc = pn_strbuf_puts(out, "SELECT ");
  for (size_t i = 0; i < table->column_count && rc == 0; i++) {
    rc = (i > 0 && pn_strbuf_puts(out, ", ")) || append_qualified(out, table, i) ||
         pn_strbuf_printf(out, " AS %s_%s", table->name, table->columns[i].name);
  }
  rc = rc || pn_strbuf_puts(out, " \nFROM ") || pn_orm_append_identifier(out, table->name);
  if (where != PN_ORM_WHERE_NONE && rc == 0) {
    rc = pn_strbuf_puts(out, " \nWHERE ") || append_qualified(out, table, where_column) ||
         pn_strbuf_puts(out, where == PN_ORM_WHERE_EQUALS ? " = ?" : " IS NULL");
  }
  if (limited && rc == 0) {
    rc = pn_strbuf_puts(out, "\n LIMIT ? OFFSET ?");
  }
  return rc ? -1 : 0;
}
