/* The orm note's program (golden/orm/orm_note.py) in C: the `orm-note`
 * command and the `note` step of `orm` scenarios. */
#ifndef PYNOTES_REF_ORM_NOTE_PROGRAM_H_
#define PYNOTES_REF_ORM_NOTE_PROGRAM_H_

#include "ref/protocol/strbuf.h"

/*
 * Runs the note's program on the sqlite file path, appending to out what it
 * prints (with the echo log when echo is set, in the comparable form of
 * conformance/PROTOCOL.md), and, if it raised, the exception line. The
 * Person repr shows the object's real address when addresses is set (the
 * orm-note program, as the note's program prints it), else the placeholder
 * ADDRESS (a scenario's note step). Returns 0, 1 when it raised, -1 when
 * memory ran out.
 */
int pn_orm_note_run(const char *path, int echo, int addresses, pn_strbuf *out);

#endif /* PYNOTES_REF_ORM_NOTE_PROGRAM_H_ */
