#include "ua/ua_command.h"

#include <istream>
#include <ostream>

#include "ua/parser.h"
#include "ua/ua_json.h"

namespace masthead::ua {

int RunUaCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err, const std::string& regexes_path) {
  // Lines repeat in logs; the cache keeps them cheap.
  auto parser = Parser::Load(regexes_path);
  if (!parser) {
    err << "masthead ua: " << parser.error().ToString() << "\n";
    return 1;
  }
  auto print = [&](const std::string& user_agent) {
    out << ToJsonLine((*parser)->Parse(user_agent)) << "\n";
  };
  if (!args.empty()) {
    for (const std::string& arg : args) print(arg);
  } else {
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      print(line);
    }
  }
  out.flush();
  if (!out) {
    err << "masthead ua: cannot write output\n";
    return 1;
  }
  return 0;
}

}  // namespace masthead::ua
