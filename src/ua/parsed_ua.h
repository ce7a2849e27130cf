// What uap-core's rules say about one user-agent string. Field names and the
// null/"Other" conventions follow the uap-core specification: a family is never
// empty ("Other" when no rule matches), other fields are nullopt where uap-core
// gives null.
#pragma once

#include <optional>
#include <string>

namespace masthead::ua {

struct UserAgent {
  std::string family = "Other";
  std::optional<std::string> major;
  std::optional<std::string> minor;
  std::optional<std::string> patch;

  bool operator==(const UserAgent&) const = default;
};

struct Os {
  std::string family = "Other";
  std::optional<std::string> major;
  std::optional<std::string> minor;
  std::optional<std::string> patch;
  std::optional<std::string> patch_minor;

  bool operator==(const Os&) const = default;
};

struct Device {
  std::string family = "Other";
  std::optional<std::string> brand;
  std::optional<std::string> model;

  bool operator==(const Device&) const = default;
};

struct ParsedUa {
  UserAgent user_agent;
  Os os;
  Device device;

  bool operator==(const ParsedUa&) const = default;
};

}  // namespace masthead::ua
