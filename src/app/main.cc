#include "app/cli.h"

int main(int argc, char** argv) { return masthead::app::RunCli(argc, argv); }
