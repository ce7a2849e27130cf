// `masthead moderate score [--model FILE] [--rules FILE] [--nudge X] [--hold X]
//  [--reject X]`: the outside audit of the policy. Reads one comment per line on
// `in` (plain text, or a JSON object with a string "text" field and optionally
// an "id" echoed back) and writes one JSON object per line to `out`:
//   {"score":0.97,"decision":"reject","nudge":true,
//    "reasons":[{"code":"classifier","rule":2,"clause":"personal attacks",
//                "detail":"attack"}],
//    "labels":{"attack":0.95,...},"id":...}
// A line that cannot be read (bad JSON, no "text") yields {"error":"..."} so
// output lines stay aligned with input lines.
//
// Files are found by ResolveModerationFile (below). Exit status: 0 when every
// line was scored, 1 when some line was an error, 2 for bad arguments or files.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace masthead::moderation {

// `args` are the words after "moderate score".
int RunModerateScoreCommand(const std::vector<std::string>& args, std::istream& in,
                            std::ostream& out, std::ostream& err);

// Where a moderation data file is looked for, first existing wins:
//   1. `explicit_path` when non-empty (a flag or config value; must exist);
//   2. the environment variable `env_var` (MASTHEAD_MODERATION_MODEL or
//      MASTHEAD_MODERATION_RULES) when set;
//   3. $MASTHEAD_DATA_DIR/moderation/<file_name>;
//   4. data/moderation/<file_name> under the working directory;
//   5. data/moderation/<file_name> under the executable's folder or one of its
//      three parents (a build directory inside the source tree, or an install
//      next to data/).
// Returns nullopt when none exists; `tried` lists the paths looked at.
std::optional<std::string> ResolveModerationFile(const std::string& explicit_path,
                                                 const char* env_var, const std::string& file_name,
                                                 std::vector<std::string>* tried = nullptr);

inline constexpr char kDefaultModelFile[] = "bullying.ftz";
inline constexpr char kDefaultRulesFile[] = "word_rules.txt";

}  // namespace masthead::moderation
