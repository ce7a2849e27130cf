#include "ua/hs_database_cache.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

namespace masthead::ua {
namespace {

constexpr char kMagic[8] = {'M', 'H', 'S', 'D', 'B', '1', '\n', '\0'};
constexpr std::uint64_t kMaxFileBytes = 256ull << 20;

std::mutex& DirectoryMutex() {
  static std::mutex mutex;
  return mutex;
}
std::string& Directory() {
  static std::string directory;
  return directory;
}

void PutU64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

bool GetU64(std::string_view& in, std::uint64_t& value) {
  if (in.size() < 8) return false;
  value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(8);
  return true;
}

bool GetBytes(std::string_view& in, std::string_view& bytes) {
  std::uint64_t length = 0;
  if (!GetU64(in, length) || length > in.size()) return false;
  bytes = in.substr(0, length);
  in.remove_prefix(length);
  return true;
}

void PutBytes(std::string& out, std::string_view bytes) {
  PutU64(out, bytes.size());
  out.append(bytes);
}

// Everything the compile's outcome depends on, as bytes.
std::string InputOf(const std::vector<const char*>& expressions, const std::vector<unsigned int>& flags,
                    const std::vector<unsigned int>& ids) {
  std::string input;
  PutBytes(input, hs_version());
  PutU64(input, HS_MODE_BLOCK);
  PutU64(input, expressions.size());
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    PutU64(input, flags[i]);
    PutU64(input, ids[i]);
    PutBytes(input, expressions[i]);
  }
  return input;
}

// Two FNV-1a variants: a file name, not a proof (the file holds the input).
std::string NameOf(std::string_view input) {
  std::uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  for (unsigned char c : input) {
    a = (a ^ c) * 0x100000001b3ull;
    b = (b ^ static_cast<unsigned char>(c + 0x5b)) * 0x100000001b3ull;
  }
  char name[64];
  std::snprintf(name, sizeof name, "%016llx%016llx.hsdb", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return name;
}

std::optional<HsCompileOutcome> Load(const std::filesystem::path& path, std::string_view input) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxFileBytes) return std::nullopt;
  std::string content(size, '\0');
  if (!file.read(content.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  std::string_view in(content);
  if (in.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic)) return std::nullopt;
  in.remove_prefix(sizeof kMagic);
  std::string_view stored_input, message, database;
  std::uint64_t failed = 0;
  if (!GetBytes(in, stored_input) || stored_input != input) return std::nullopt;
  if (!GetU64(in, failed) || !GetBytes(in, message) || !GetBytes(in, database) || !in.empty()) return std::nullopt;
  HsCompileOutcome outcome;
  outcome.from_cache = true;
  outcome.message = std::string(message);
  if (database.empty()) {  // a failure, remembered so that it is not paid again
    outcome.failed_expression = static_cast<int>(static_cast<std::int64_t>(failed));
    return outcome;
  }
  if (hs_deserialize_database(database.data(), database.size(), &outcome.database) != HS_SUCCESS) {
    return std::nullopt;
  }
  return outcome;
}

void Store(const std::filesystem::path& directory, const std::string& name, std::string_view input,
           const HsCompileOutcome& outcome) {
  std::string content(kMagic, sizeof kMagic);
  PutBytes(content, input);
  PutU64(content, static_cast<std::uint64_t>(static_cast<std::int64_t>(outcome.failed_expression)));
  PutBytes(content, outcome.message);
  if (outcome.database != nullptr) {
    char* bytes = nullptr;
    std::size_t length = 0;
    if (hs_serialize_database(outcome.database, &bytes, &length) != HS_SUCCESS) return;
    PutBytes(content, std::string_view(bytes, length));
    std::free(bytes);
  } else {
    PutBytes(content, {});
  }
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  // Written aside and renamed into place: a reader sees the whole file or none,
  // whichever process writes it.
  std::ostringstream temporary_name;
  temporary_name << name << ".tmp." << ::getpid() << "." << reinterpret_cast<std::uintptr_t>(&outcome);
  const auto temporary = directory / temporary_name.str();
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file || !file.write(content.data(), static_cast<std::streamsize>(content.size()))) {
      std::filesystem::remove(temporary, ec);
      return;
    }
  }
  std::filesystem::rename(temporary, directory / name, ec);
  if (ec) std::filesystem::remove(temporary, ec);
}

HsCompileOutcome Compile(const std::vector<const char*>& expressions, const std::vector<unsigned int>& flags,
                         const std::vector<unsigned int>& ids) {
  HsCompileOutcome outcome;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned int>(expressions.size()),
                       HS_MODE_BLOCK, nullptr, &outcome.database, &error) == HS_SUCCESS) {
    return outcome;
  }
  outcome.database = nullptr;
  outcome.failed_expression = error != nullptr ? error->expression : -1;
  outcome.message = error != nullptr && error->message ? error->message : "unknown";
  hs_free_compile_error(error);
  return outcome;
}

}  // namespace

void SetHsCacheDirectory(std::string directory) {
  std::lock_guard<std::mutex> lock(DirectoryMutex());
  Directory() = std::move(directory);
}

HsCompileOutcome CompileHsDatabase(const std::vector<const char*>& expressions,
                                   const std::vector<unsigned int>& flags, const std::vector<unsigned int>& ids) {
  std::string directory;
  {
    std::lock_guard<std::mutex> lock(DirectoryMutex());
    directory = Directory();
  }
  if (directory.empty()) return Compile(expressions, flags, ids);
  const std::string input = InputOf(expressions, flags, ids);
  const std::string name = NameOf(input);
  if (auto loaded = Load(std::filesystem::path(directory) / name, input)) return *loaded;
  HsCompileOutcome outcome = Compile(expressions, flags, ids);
  Store(directory, name, input, outcome);
  return outcome;
}

}  // namespace masthead::ua
