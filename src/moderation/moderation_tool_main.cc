// A small binary for the training tool (tools/train_classifier/) until the CLI
// wires `masthead moderate`:
//   moderation_tool normalise   stdin lines -> what the classifier sees:
//                               ClassifierForm(Normalise(line)), empty when the
//                               line is not valid UTF-8 or too long
//   moderation_tool score ...   exactly `masthead moderate score ...`
#include <iostream>
#include <string>
#include <vector>

#include "moderation/score_command.h"
#include "moderation/text_normaliser.h"

int main(int argc, char** argv) {
  using namespace masthead::moderation;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "usage: moderation_tool normalise | score [options]\n";
    return 2;
  }
  if (args[0] == "score") {
    return RunModerateScoreCommand({args.begin() + 1, args.end()}, std::cin, std::cout, std::cerr);
  }
  if (args[0] != "normalise") {
    std::cerr << "moderation_tool: unknown command " << args[0] << "\n";
    return 2;
  }
  auto normaliser = TextNormaliser::Create();
  if (!normaliser) {
    std::cerr << normaliser.error().ToString() << "\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    auto normalised = normaliser->Normalise(line);
    std::cout << (normalised ? ClassifierForm(*normalised) : std::string()) << '\n';
  }
  return 0;
}
