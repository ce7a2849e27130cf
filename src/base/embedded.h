// Files compiled into the binary (templates, migrations, demo content, static
// assets), so one `masthead` binary runs anywhere without a data directory.
// The generated functions are declared next to their users.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace masthead {

struct EmbeddedFile {
  std::string_view path;  // relative to the folder it was embedded from, '/'-separated
  std::string_view data;
};

inline std::optional<std::string_view> FindEmbedded(std::span<const EmbeddedFile> files,
                                                    std::string_view path) {
  for (const auto& file : files) {
    if (file.path == path) return file.data;
  }
  return std::nullopt;
}

}  // namespace masthead
