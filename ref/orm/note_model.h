/* The orm note's model: Person and Address as the note declares them
 * (golden/orm/orm_note.py), described for ref/orm/mapping.h. */
#ifndef PYNOTES_REF_ORM_NOTE_MODEL_H_
#define PYNOTES_REF_ORM_NOTE_MODEL_H_

#include <stddef.h>

#include "ref/orm/engine.h"
#include "ref/orm/mapping.h"

typedef struct pn_person {
  pn_orm_instance base;
  pn_orm_value person_id;   /* Integer, primary key */
  pn_orm_value person_name; /* String(250), not null */
} pn_person;

typedef struct pn_address {
  pn_orm_instance base;
  pn_orm_value id_; /* Integer, primary key */
  pn_orm_value street_name;
  pn_orm_value street_number;
  pn_orm_value post_code;  /* not null */
  pn_orm_value person_id;  /* ForeignKey('person.person_id') */
  pn_orm_instance *person; /* relationship(Person) */
} pn_address;

extern const pn_orm_table pn_person_table;
extern const pn_orm_table pn_address_table;

/* Base.metadata's tables, parents first. */
extern const pn_orm_table *const pn_note_tables[];
extern const size_t pn_note_table_count;

/*
 * Base.metadata.create_all(engine): in one logged transaction, checks each
 * table (PRAGMA main.table_info, then temp.table_info when main has none)
 * and creates those missing, in order. Returns 0, or -1 with *err.
 */
int pn_orm_create_all(pn_orm_engine *engine, const pn_orm_table *const *tables, size_t count,
                      pn_orm_error *err);

#endif /* PYNOTES_REF_ORM_NOTE_MODEL_H_ */
