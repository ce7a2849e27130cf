#include "base/html.h"

#include <gtest/gtest.h>

namespace masthead {
namespace {

TEST(HtmlTest, EscapesMarkupCharacters) {
  EXPECT_EQ(EscapeHtml("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST(HtmlTest, JsonForScriptCannotCloseTheScriptElement) {
  const std::string json = EscapeJsonForScript("</script><b>\"\n");
  EXPECT_EQ(json.find("</"), std::string::npos);
  EXPECT_EQ(json, "\"\\u003c/script\\u003e\\u003cb\\u003e\\\"\\n\"");
}

}  // namespace
}  // namespace masthead
