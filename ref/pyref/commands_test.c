/*
 * pyref's command table: every command states the CPython versions it
 * serves (pn_command.serves), a range inside the versions the protocol
 * knows, so that a command added without one (a zeroed range) fails here
 * instead of serving no version, or every version with 3.11's answers.
 */
#include "ref/pyref/commands.h"
#include "conformance/shim/ctest.h"
#include "ref/protocol/pyversion.h"

static void check_serves(const pn_command *command, void *context) {
  int *count = context;
  (*count)++;
  pn_pyversion_range serves = command->serves;
  CT_EXPECT_TRUE(pn_pyversion_in(serves.oldest, serves));
  CT_EXPECT_TRUE(pn_pyversion_in(serves.newest, serves));
  CT_EXPECT_TRUE(
      pn_pyversion_cmp(serves.oldest, PN_PYVERSION_OLDEST.major, PN_PYVERSION_OLDEST.minor) >= 0);
  CT_EXPECT_TRUE(
      pn_pyversion_cmp(serves.newest, PN_PYVERSION_NEWEST.major, PN_PYVERSION_NEWEST.minor) <= 0);
  if (!pn_pyversion_in(serves.oldest, serves)) {
    CT_FAIL("%s serves no version", command->name);
  }
}

CT_TEST(Commands, EachServesARangeOfKnownVersions) {
  int count = 0;
  pn_command_each(check_serves, &count);
  CT_EXPECT_TRUE(count > 20);
}

CT_TEST(Commands, ThePrograms3_11Only) {
  /* Their goldens were recorded with the notes' libraries, which Debian has
   * on CPython 3.11 only. */
  const char *programs[] = {"serve", "window", "embed", "orm-note", "orm-commits"};
  for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
    const pn_command *command = pn_command_find(programs[i]);
    CT_ASSERT_TRUE(command != NULL);
    CT_EXPECT_TRUE(pn_pyversion_in(PN_PYVERSION_DEFAULT, command->serves));
    CT_EXPECT_TRUE(!pn_pyversion_in((pn_pyversion){3, 10}, command->serves));
    CT_EXPECT_TRUE(!pn_pyversion_in((pn_pyversion){3, 12}, command->serves));
  }
}
