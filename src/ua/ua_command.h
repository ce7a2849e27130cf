// `masthead ua [UA...]`: prints uap-core's parse of user-agent strings as JSON.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace masthead::ua {

// With `args`, parses each argument; with none, parses each line of `in` (a
// trailing '\r' is dropped, so CRLF files work). Prints one JSON object per
// input on `out` (see ua_json.h), in input order. Loads the rules from
// `regexes_path` (usually kDefaultRegexesPath).
// Returns 0 on success; 1 with a message on `err` if the rules cannot be
// loaded or `out` fails. Not thread-safe with respect to the streams.
int RunUaCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err, const std::string& regexes_path);

}  // namespace masthead::ua
