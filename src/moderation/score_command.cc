#include "moderation/score_command.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "moderation/pipeline.h"

namespace masthead::moderation {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: masthead moderate score [--model FILE] [--rules FILE] [--nudge X] [--hold X] "
    "[--reject X]\n"
    "  reads one comment per line (text or {\"text\":...}), writes one JSON object per line\n";

bool Exists(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool ParseFloat(const std::string& text, float& value) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

nlohmann::json DecisionJson(const Decision& decision) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const Reason& reason : decision.reasons) {
    const ClauseInfo& info = InfoOf(reason.clause);
    reasons.push_back({{"code", reason.code},
                       {"rule", info.number},
                       {"clause", info.name},
                       {"detail", reason.detail}});
  }
  nlohmann::json labels = nlohmann::json::object();
  for (int l = 0; l < kLabelCount; ++l) {
    labels[std::string(LabelName(static_cast<Label>(l)))] = decision.scores.probability[l];
  }
  nlohmann::json result = {{"score", decision.score},
                           {"decision", OutcomeName(decision.outcome)},
                           {"nudge", decision.nudge},
                           {"reasons", std::move(reasons)},
                           {"labels", std::move(labels)}};
  if (decision.clause) {
    result["rule"] = InfoOf(*decision.clause).number;
    result["message"] = decision.AuthorMessage();
  }
  return result;
}

}  // namespace

std::optional<std::string> ResolveModerationFile(const std::string& explicit_path,
                                                 const char* env_var, const std::string& file_name,
                                                 std::vector<std::string>* tried) {
  std::vector<fs::path> candidates;
  if (!explicit_path.empty()) {
    candidates.push_back(explicit_path);
  } else {
    if (const char* env = env_var ? std::getenv(env_var) : nullptr; env && *env) {
      candidates.push_back(env);
    }
    if (const char* dir = std::getenv("MASTHEAD_DATA_DIR"); dir && *dir) {
      candidates.push_back(fs::path(dir) / "moderation" / file_name);
    }
    candidates.push_back(fs::path("data") / "moderation" / file_name);
    std::error_code ec;
    fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
    for (int up = 0; !ec && up < 4 && !exe_dir.empty(); ++up) {
      candidates.push_back(exe_dir / "data" / "moderation" / file_name);
      if (exe_dir == exe_dir.parent_path()) break;
      exe_dir = exe_dir.parent_path();
    }
  }
  for (const fs::path& path : candidates) {
    if (tried) tried->push_back(path.string());
    if (Exists(path)) return path.string();
    if (!explicit_path.empty()) break;  // an explicit path must exist itself
  }
  return std::nullopt;
}

int RunModerateScoreCommand(const std::vector<std::string>& args, std::istream& in,
                            std::ostream& out, std::ostream& err) {
  std::string model_flag;
  std::string rules_flag;
  Thresholds thresholds;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage;
      return 0;
    }
    std::string name = arg;
    std::string value;
    if (const auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      err << "moderate score: " << arg << " needs a value\n" << kUsage;
      return 2;
    }
    float* threshold = name == "--nudge"    ? &thresholds.nudge
                       : name == "--hold"   ? &thresholds.hold
                       : name == "--reject" ? &thresholds.reject
                                            : nullptr;
    if (name == "--model") {
      model_flag = value;
    } else if (name == "--rules") {
      rules_flag = value;
    } else if (threshold) {
      if (!ParseFloat(value, *threshold)) {
        err << "moderate score: " << name << " must be a number, not '" << value << "'\n";
        return 2;
      }
    } else {
      err << "moderate score: unknown argument " << arg << "\n" << kUsage;
      return 2;
    }
  }

  PipelineOptions options;
  options.thresholds = thresholds;
  for (auto [flag, env, file, target] : {std::tuple{&model_flag, "MASTHEAD_MODERATION_MODEL",
                                                    kDefaultModelFile, &options.model_path},
                                         std::tuple{&rules_flag, "MASTHEAD_MODERATION_RULES",
                                                    kDefaultRulesFile, &options.rules_path}}) {
    std::vector<std::string> tried;
    auto path = ResolveModerationFile(*flag, env, file, &tried);
    if (!path) {
      err << "moderate score: cannot find " << file << "; tried:";
      for (const auto& t : tried) err << ' ' << t;
      err << "\n";
      return 2;
    }
    *target = *path;
  }
  auto pipeline = Pipeline::Create(options);
  if (!pipeline) {
    err << "moderate score: " << pipeline.error().ToString() << "\n";
    return 2;
  }

  int status = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    nlohmann::json id;
    std::string_view text = line;
    std::string json_text;
    if (!line.empty() && line.front() == '{') {
      nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      const auto field = parsed.is_object() ? parsed.find("text") : parsed.end();
      if (parsed.is_discarded() || !parsed.is_object() || field == parsed.end() ||
          !field->is_string()) {
        out << nlohmann::json{{"error", "expected a JSON object with a string \"text\""}}.dump()
            << "\n";
        status = 1;
        continue;
      }
      json_text = field->get<std::string>();
      text = json_text;
      if (auto it = parsed.find("id"); it != parsed.end()) id = *it;
    }
    nlohmann::json result = DecisionJson((*pipeline)->Evaluate(text));
    if (!id.is_null()) result["id"] = id;
    // Replace invalid UTF-8 in echoed fields rather than throw.
    out << result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return status;
}

}  // namespace masthead::moderation
