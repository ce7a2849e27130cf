#include "mail/testing/smtp_sink.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

namespace masthead::mail::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "masthead-mail-XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  path_ = made != nullptr ? fs::path(made) : fs::path();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

Result<std::unique_ptr<SmtpSink>> SmtpSink::Start(const fs::path& dir, SmtpSinkOptions options) {
  fs::path port_file = dir / "port";
  fs::path out = dir / "out";
  std::error_code ec;
  fs::remove(port_file, ec);
  fs::create_directories(out, ec);

  const char* python = std::getenv("MASTHEAD_SINK_PYTHON");
  std::vector<std::string> args = {python != nullptr ? python : MASTHEAD_SINK_PYTHON,
                                   MASTHEAD_SINK_SCRIPT, "--port-file", port_file.string(),
                                   "--out-dir", out.string(), "--port",
                                   std::to_string(options.port)};
  if (!options.temp_fail.empty()) args.insert(args.end(), {"--temp-fail", options.temp_fail});
  if (!options.perm_fail.empty()) args.insert(args.end(), {"--perm-fail", options.perm_fail});
  if (options.down) args.push_back("--down");
  if (options.drop_after_data > 0) {
    args.insert(args.end(), {"--drop-after-data", std::to_string(options.drop_after_data)});
  }
  if (!options.auth.empty()) args.insert(args.end(), {"--auth", options.auth});
  if (options.starttls || options.implicit_tls) {
    args.insert(args.end(), {"--tls-dir", (dir / "tls").string()});
  }
  if (options.implicit_tls) args.push_back("--implicit-tls");
  if (options.no_parse) args.push_back("--no-parse");
  if (options.count_only) args.push_back("--count-only");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return MakeError(ErrorCode::kUnavailable, "fork failed");
  if (pid == 0) {
    // The sink must not outlive a test binary that crashes or is killed.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::unique_ptr<SmtpSink> sink(new SmtpSink(pid, 0, out));
  sink->implicit_tls_ = options.implicit_tls;
  // Wait for the condition "port file exists", checking that the child lives;
  // the deadline only turns a hang into a failure.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    std::string text = ReadFile(port_file);
    if (!text.empty()) {
      sink->port_ = std::atoi(text.c_str());
      return sink;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      sink->pid_ = -1;
      return MakeError(ErrorCode::kUnavailable,
                       "smtp_sink.py exited with status " + std::to_string(status));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return MakeError(ErrorCode::kUnavailable, "smtp_sink.py did not start in 30 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

SmtpSink::~SmtpSink() { Stop(); }

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::size_t SmtpSink::ReceivedCount() const {
  std::string count = ReadFile(out_ / "received");
  if (!count.empty()) return static_cast<std::size_t>(std::atol(count.c_str()));
  return Received().size();
}

int SmtpSink::Connections() const { return std::atoi(ReadFile(out_ / "connections").c_str()); }

std::vector<ReceivedMail> SmtpSink::Received() const {
  std::vector<ReceivedMail> mails;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out_, ec)) {
    const fs::path& path = entry.path();
    if (path.extension() != ".json" || path.filename().string().front() == '.') continue;
    ReceivedMail mail;
    mail.name = path.stem().string();
    mail.info = nlohmann::json::parse(ReadFile(path), nullptr, /*allow_exceptions=*/false);
    mail.raw = ReadFile(fs::path(path).replace_extension(".eml"));
    mails.push_back(std::move(mail));
  }
  std::sort(mails.begin(), mails.end(),
            [](const ReceivedMail& a, const ReceivedMail& b) { return a.name < b.name; });
  return mails;
}

}  // namespace masthead::mail::testing
