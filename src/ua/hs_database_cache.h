// Compiling uap-core's rules into Hyperscan databases takes seconds (about 3.5 of
// the 4.5 s a process needs before it can parse user agents); the result
// depends only on the rules and the Hyperscan build. So each compile's outcome
// is kept in a file named by a hash of its input, and the next process with the
// same rules loads it in milliseconds. A file is used only when the whole input
// stored in it equals the compile asked for, and Hyperscan accepts the database;
// anything else (no directory, a truncated or foreign file) compiles as before.
// The directory must be as trusted as the binary: a database from it is run.
#pragma once

#include <hs/hs.h>

#include <string>
#include <vector>

namespace masthead::ua {

// Where outcomes are kept; "" (the default) keeps none. Set before compiling.
void SetHsCacheDirectory(std::string directory);

struct HsCompileOutcome {
  hs_database_t* database = nullptr;  // owned by the caller; null on failure
  // On failure: the expression Hyperscan named (an index into the input), or -1
  // when the failure was not about one expression.
  int failed_expression = -1;
  std::string message;
  bool from_cache = false;
};

// hs_compile_multi in block mode, through the cache.
HsCompileOutcome CompileHsDatabase(const std::vector<const char*>& expressions,
                                   const std::vector<unsigned int>& flags, const std::vector<unsigned int>& ids);

}  // namespace masthead::ua
