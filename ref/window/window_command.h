/*
 * The window note's protocol command (conformance/PROTOCOL.md, "The window
 * program"): the pyglet note's two programs, golden/window/hello.py and
 * golden/window/events.py, as a real GLFW + OpenGL window on $DISPLAY.
 *
 *   pyref window hello [--frame OUT.png]   the centred "Hello, world" label;
 *                                          --frame saves the first frame, exits
 *   pyref window events                    prints each key and mouse press as
 *                                          the note's program does
 */
#ifndef PYNOTES_REF_WINDOW_WINDOW_COMMAND_H_
#define PYNOTES_REF_WINDOW_WINDOW_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_window_commands[];
extern const size_t pn_window_command_count;

#endif /* PYNOTES_REF_WINDOW_WINDOW_COMMAND_H_ */
