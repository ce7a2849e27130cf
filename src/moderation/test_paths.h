// Test-only: files in the source tree, found through MASTHEAD_SOURCE_DIR (set by
// masthead_add_test), so tests use the model and word list the product ships.
#pragma once

#include <cstdlib>
#include <string>

namespace masthead::moderation::testing {

inline std::string RepoPath(const std::string& relative) {
  const char* root = std::getenv("MASTHEAD_SOURCE_DIR");
  return std::string(root && *root ? root : ".") + "/" + relative;
}

inline std::string ModelPath() { return RepoPath("data/moderation/bullying.ftz"); }
inline std::string RulesPath() { return RepoPath("data/moderation/word_rules.txt"); }

}  // namespace masthead::moderation::testing
