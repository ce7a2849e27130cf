#include "http/access_log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace masthead::http {
namespace {

std::string Logged(const AccessRecord& record) {
  std::FILE* file = std::tmpfile();
  {
    AccessLog log(file);
    log.Write(record);
  }  // flushed by the destructor
  std::string text(4096, '\0');
  std::rewind(file);
  text.resize(std::fread(text.data(), 1, text.size(), file));
  std::fclose(file);
  return text;
}

// The line without its timestamp, which depends on the clock.
std::string AfterTimestamp(const std::string& line) { return line.substr(line.find("\"remote\"")); }

TEST(AccessLogTest, WritesOneJsonLinePerRequest) {
  const std::string line = Logged({"127.0.0.1", "GET", "/articles/x?order=newest", "article",
                                   "Mozilla/5.0", 200, 57237, 0.0012345});
  EXPECT_EQ(line.rfind("{\"ts\":\"", 0), 0u);
  EXPECT_EQ(AfterTimestamp(line),
            "\"remote\":\"127.0.0.1\",\"method\":\"GET\",\"target\":\"/articles/x?order=newest\","
            "\"route\":\"article\",\"status\":200,\"bytes\":57237,\"ms\":1.235,\"ua\":\"Mozilla/5.0\"}\n");
}

TEST(AccessLogTest, EscapesWhatAClientSendsAndCutsItShort) {
  const std::string hostile_ua = "evil\"}\n{\"status\":500<script>" + std::string(1000, 'A');
  const std::string line =
      Logged({"::1", "GET", "/a\\b", "", hostile_ua, 404, 0, 2.5});
  // One line, whatever the client put in its fields.
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_NE(line.find("\"target\":\"/a\\\\b\""), std::string::npos);
  EXPECT_NE(line.find("\"ms\":2500.000"), std::string::npos);
  EXPECT_NE(line.find("\"ua\":\"evil\\\"}\\n{\\\"status\\\":500\\u003cscript\\u003e"), std::string::npos);
  EXPECT_EQ(line.find("<script>"), std::string::npos);
  EXPECT_LT(line.size(), 600u);  // the user agent is cut at 256 bytes
}

}  // namespace
}  // namespace masthead::http
