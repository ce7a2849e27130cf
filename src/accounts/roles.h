// Staff roles, ordered: each includes the rights of those before it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace masthead::accounts {

enum class Role { kReader = 0, kModerator = 1, kEditor = 2, kAdmin = 3 };

std::string_view RoleName(Role role);
std::optional<Role> RoleFromName(std::string_view name);
inline bool HasRole(Role held, Role required) {
  return static_cast<int>(held) >= static_cast<int>(required);
}

}  // namespace masthead::accounts
