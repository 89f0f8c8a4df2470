/* pn_float_info_field on CPython's and PyPy's forms of the line. */
#include <string.h>

#include "conformance/floats/float_info_field.h"
#include "conformance/shim/ctest.h"

CT_TEST(FloatInfo, FieldsAreFoundWithOrWithoutTheModulePrefix) {
  size_t len = 0;
  const char *value = pn_float_info_field("float_info(max=1.5, dig=15)", "dig", &len);
  CT_ASSERT_TRUE(value != NULL);
  CT_EXPECT_MEM_EQ("15", 2, value, len);
  value = pn_float_info_field("sys.float_info(max=1.5, dig=15)", "max", &len);
  CT_ASSERT_TRUE(value != NULL);
  CT_EXPECT_MEM_EQ("1.5", 3, value, len);
  CT_EXPECT_TRUE(pn_float_info_field("os.float_info(max=1.5)", "max", &len) == NULL);
}
