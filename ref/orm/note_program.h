/* The orm note's program (golden/orm/orm_note.py) in C: the `orm-note`
 * command and the `note` step of `orm` scenarios. */
#ifndef PYNOTES_REF_ORM_NOTE_PROGRAM_H_
#define PYNOTES_REF_ORM_NOTE_PROGRAM_H_

#include "ref/protocol/strbuf.h"

/*
 * Runs the note's program on the sqlite file path, appending to out what it
 * prints (with the echo log when echo is set, in the comparable form of
 * conformance/PROTOCOL.md), and, if it raised, the exception line. Returns
 * 0, 1 when it raised, -1 when memory ran out.
 */
int pn_orm_note_run(const char *path, int echo, pn_strbuf *out);

#endif /* PYNOTES_REF_ORM_NOTE_PROGRAM_H_ */
