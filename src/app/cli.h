// The `masthead` command line: serve, migrate, import, and the tools of each
// capability. Returns the process exit code.
#pragma once

namespace masthead::app {

int RunCli(int argc, char** argv);

}  // namespace masthead::app
