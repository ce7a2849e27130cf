#include "accounts/roles.h"

namespace masthead::accounts {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader: return "reader";
    case Role::kModerator: return "moderator";
    case Role::kEditor: return "editor";
    case Role::kAdmin: return "admin";
  }
  return "reader";
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (Role role : {Role::kReader, Role::kModerator, Role::kEditor, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

}  // namespace masthead::accounts
