#define _POSIX_C_SOURCE 200809L
#define GL_GLEXT_PROTOTYPES
#define GLFW_INCLUDE_GLEXT
#define GLFW_EXPOSE_NATIVE_X11

#include "ref/window/window_command.h"

#include <GLFW/glfw3.h>
#include <GLFW/glfw3native.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/window/key_symbols.h"
#include "ref/window/label.h"
#include "ref/window/png_write.h"

/* pyglet.window.Window's default size. */
#define WINDOW_WIDTH 640
#define WINDOW_HEIGHT 480
#define LABEL_TEXT "Hello, world"
#define LABEL_FONT "Times New Roman"
#define LABEL_POINTS 36.0

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* What the callbacks of one window share (glfwSetWindowUserPointer). */
typedef struct program {
  int log_events;    /* events.py: print key and mouse presses */
  uint64_t *pressed; /* symbols pressed and not yet released, as pyglet's pressed_keys */
  size_t pressed_count;
  size_t pressed_cap;
  const pn_label *label; /* hello.py's label; NULL for events.py */
} program;

static int usage(const char *problem) {
  fprintf(stderr, "pyref window: %s (usage: pyref window hello [--frame OUT.png] | events)\n",
          problem);
  return 2;
}

/* GLFW's errors (no display, no GLX) go to stderr as they happen: GLFW
 * reports them before any window, and so any user pointer, exists. */
static void print_glfw_error(int code, const char *description) {
  (void)code;
  fprintf(stderr, "pyref window: GLFW: %s\n", description);
}

/* pyglet's modifier bits from GLFW's (which GLFW made from the X event's
 * state: Shift, Control, Mod1 as Alt, Mod4 as Super, Lock, Mod2 as NumLock). */
static unsigned pyglet_modifiers(int mods) {
  unsigned modifiers = 0;
  modifiers |= (mods & GLFW_MOD_SHIFT) ? PN_MOD_SHIFT : 0;
  modifiers |= (mods & GLFW_MOD_CONTROL) ? PN_MOD_CTRL : 0;
  modifiers |= (mods & GLFW_MOD_CAPS_LOCK) ? PN_MOD_CAPSLOCK : 0;
  modifiers |= (mods & GLFW_MOD_ALT) ? PN_MOD_ALT : 0;
  modifiers |= (mods & GLFW_MOD_NUM_LOCK) ? PN_MOD_NUMLOCK : 0;
  modifiers |= (mods & GLFW_MOD_SUPER) ? PN_MOD_WINDOWS : 0;
  return modifiers;
}

/* The X event state GLFW's mods came from, for XLookupString. */
static unsigned x_state(int mods) {
  unsigned state = 0;
  state |= (mods & GLFW_MOD_SHIFT) ? ShiftMask : 0;
  state |= (mods & GLFW_MOD_CONTROL) ? ControlMask : 0;
  state |= (mods & GLFW_MOD_CAPS_LOCK) ? LockMask : 0;
  state |= (mods & GLFW_MOD_ALT) ? Mod1Mask : 0;
  state |= (mods & GLFW_MOD_NUM_LOCK) ? Mod2Mask : 0;
  state |= (mods & GLFW_MOD_SUPER) ? Mod4Mask : 0;
  return state;
}

/* The keysym X's keyboard mapping gives keycode under mods, as pyglet's
 * XLookupString call sees it. */
static unsigned long lookup_keysym(int keycode, int mods) {
  XKeyEvent event;
  memset(&event, 0, sizeof event);
  event.type = KeyPress;
  event.display = glfwGetX11Display();
  event.keycode = (unsigned)keycode;
  event.state = x_state(mods);
  KeySym keysym = NoSymbol;
  char text[32];
  XLookupString(&event, text, sizeof text, &keysym, NULL);
  return (unsigned long)keysym;
}

static ptrdiff_t find_pressed(const program *p, uint64_t symbol) {
  for (size_t i = 0; i < p->pressed_count; i++) {
    if (p->pressed[i] == symbol) {
      return (ptrdiff_t)i;
    }
  }
  return -1;
}

static void on_key(GLFWwindow *window, int key, int scancode, int action, int mods) {
  (void)key;
  program *p = glfwGetWindowUserPointer(window);
  uint64_t symbol = pn_window_pyglet_symbol(lookup_keysym(scancode, mods), (unsigned)scancode);
  if (symbol == 0) {
    return;
  }
  ptrdiff_t at = find_pressed(p, symbol);
  if (action == GLFW_RELEASE) {
    if (at >= 0) {
      p->pressed[at] = p->pressed[--p->pressed_count];
    }
    return;
  }
  /* pyglet detects autorepeat: a symbol still held is not pressed again,
   * even when its release was looked up under other modifiers. */
  if (at >= 0) {
    return;
  }
  if (p->pressed_count == p->pressed_cap) {
    size_t cap = p->pressed_cap ? 2 * p->pressed_cap : 16;
    uint64_t *grown = realloc(p->pressed, cap * sizeof *grown);
    if (grown == NULL) {
      return;
    }
    p->pressed = grown;
    p->pressed_cap = cap;
  }
  p->pressed[p->pressed_count++] = symbol;
  unsigned modifiers = pyglet_modifiers(mods);
  if (p->log_events) {
    printf("A key was pressed %" PRIu64 " %u\n", symbol, modifiers);
    fflush(stdout);
  }
  if (pn_window_key_closes(symbol, modifiers)) {
    glfwSetWindowShouldClose(window, GLFW_TRUE);
  }
}

static void on_mouse_button(GLFWwindow *window, int button, int action, int mods) {
  program *p = glfwGetWindowUserPointer(window);
  if (action != GLFW_PRESS || !p->log_events) {
    return;
  }
  /* X buttons 1, 2, 3 become pyglet's 1 << (button - 1); GLFW numbers them
   * left, right, middle. pyglet reports no other button as a press. */
  int pyglet_button;
  switch (button) {
    case GLFW_MOUSE_BUTTON_LEFT:
      pyglet_button = 1;
      break;
    case GLFW_MOUSE_BUTTON_MIDDLE:
      pyglet_button = 2;
      break;
    case GLFW_MOUSE_BUTTON_RIGHT:
      pyglet_button = 4;
      break;
    default:
      return;
  }
  double x, y;
  int width, height;
  glfwGetCursorPos(window, &x, &y);
  glfwGetWindowSize(window, &width, &height);
  /* pyglet: y = height - event y, origin at the bottom left. */
  printf("The  mouse button  %d %d %d %u\n", (int)x, height - (int)y, pyglet_button,
         pyglet_modifiers(mods));
  fflush(stdout);
}

/* window.clear(), then label.draw(): each glyph blended over what is there
 * with the label's white and the glyph's coverage as alpha, as pyglet's
 * textured quads with GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA do. */
static int draw(const program *p, int width, int height) {
  glViewport(0, 0, width, height);
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  if (p->label == NULL) {
    return 0;
  }
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  for (size_t i = 0; i < p->label->glyph_count; i++) {
    const pn_label_glyph *glyph = &p->label->glyphs[i];
    size_t count = (size_t)glyph->width * (size_t)glyph->height;
    if (count == 0) {
      continue;
    }
    unsigned char *rgba = malloc(count * 4);
    if (rgba == NULL) {
      return -1;
    }
    for (int row = 0; row < glyph->height; row++) {
      /* GL's rows go bottom to top, FreeType's top to bottom. */
      const unsigned char *source =
          glyph->coverage + (size_t)(glyph->height - 1 - row) * (size_t)glyph->width;
      unsigned char *target = rgba + (size_t)row * (size_t)glyph->width * 4;
      for (int column = 0; column < glyph->width; column++) {
        target[4 * column + 0] = 255;
        target[4 * column + 1] = 255;
        target[4 * column + 2] = 255;
        target[4 * column + 3] = source[column];
      }
    }
    glWindowPos2i(glyph->x, glyph->y);
    glDrawPixels(glyph->width, glyph->height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    free(rgba);
  }
  glDisable(GL_BLEND);
  return 0;
}

static int save_frame(const char *path, int width, int height) {
  size_t size = (size_t)width * (size_t)height * 3;
  unsigned char *pixels = malloc(size);
  if (pixels == NULL) {
    fprintf(stderr, "pyref window: out of memory\n");
    return 1;
  }
  glFinish();
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels);
  char error[512];
  int status = pn_png_write_rgb(path, pixels, width, height, error, sizeof error);
  free(pixels);
  if (status != 0) {
    fprintf(stderr, "pyref window: %s\n", error);
    return 1;
  }
  return 0;
}

/* Opens the window and runs it until it is closed (or, with frame_path, until
 * its first frame is saved). Returns the exit status. */
static int run_window(program *p, const char *title, const char *frame_path) {
  glfwSetErrorCallback(print_glfw_error);
  if (!glfwInit()) {
    fprintf(stderr, "pyref window: cannot open a window (is DISPLAY set to an X server?)\n");
    return 1;
  }
  glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
  GLFWwindow *window = glfwCreateWindow(WINDOW_WIDTH, WINDOW_HEIGHT, title, NULL, NULL);
  int status = 0;
  if (window == NULL) {
    fprintf(stderr, "pyref window: cannot create an OpenGL window\n");
    status = 1;
  } else {
    glfwSetWindowUserPointer(window, p);
    glfwSetInputMode(window, GLFW_LOCK_KEY_MODS, GLFW_TRUE);
    glfwSetKeyCallback(window, on_key);
    glfwSetMouseButtonCallback(window, on_mouse_button);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(0);
    while (!glfwWindowShouldClose(window)) {
      int width, height;
      glfwGetFramebufferSize(window, &width, &height);
      if (draw(p, width, height) != 0) {
        fprintf(stderr, "pyref window: out of memory\n");
        status = 1;
        break;
      }
      if (frame_path != NULL) {
        status = save_frame(frame_path, width, height);
        break;
      }
      glfwSwapBuffers(window);
      glfwWaitEvents();
    }
    glfwDestroyWindow(window);
  }
#ifndef UNDER_ASAN
  /* Under ASan glfwTerminate unloads the GL and X libraries, whose
   * allocations then show up as leaks nobody can suppress. */
  glfwTerminate();
#endif
  free(p->pressed);
  p->pressed = NULL;
  return status;
}

static int run_hello(const char *frame_path) {
  char font_path[4096];
  char error[PN_LABEL_ERROR_MAX];
  if (pn_label_find_font(LABEL_FONT, font_path, sizeof font_path, error) != 0) {
    fprintf(stderr, "pyref %s\n", error);
    return 1;
  }
  pn_label label;
  if (pn_label_layout(font_path, LABEL_TEXT, LABEL_POINTS, WINDOW_WIDTH / 2, WINDOW_HEIGHT / 2,
                      &label, error) != 0) {
    fprintf(stderr, "pyref %s\n", error);
    return 1;
  }
  program p = {.label = &label};
  int status = run_window(&p, "hello.py", frame_path);
  pn_label_free(&label);
  return status;
}

static int run(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "hello") == 0) {
    if (argc == 2) {
      return run_hello(NULL);
    }
    if (argc == 4 && strcmp(argv[2], "--frame") == 0 && argv[3][0] != 0) {
      return run_hello(argv[3]);
    }
    return usage("bad options for hello");
  }
  if (argc == 2 && strcmp(argv[1], "events") == 0) {
    program p = {.log_events = 1};
    return run_window(&p, "events.py", NULL);
  }
  return usage(argc >= 2 ? "unknown program or options" : "which program?");
}

const pn_command pn_window_commands[] = {
    {.name = "window", .input = PN_PROGRAM, .run = run, .serves = PN_PYVERSIONS(3, 11, 3, 11)},
};

const size_t pn_window_command_count = sizeof pn_window_commands / sizeof pn_window_commands[0];
