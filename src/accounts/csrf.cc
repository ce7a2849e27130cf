#include "accounts/csrf.h"

#include "accounts/crypto.h"

namespace masthead::accounts {

std::string CsrfGuard::Issue(std::string_view binding) const {
  const std::string nonce = RandomToken();
  return nonce + "." + Mac(key_, nonce + "|" + std::string(binding));
}

bool CsrfGuard::IsValidFor(std::string_view token, std::string_view binding) const {
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || token.size() > 200) return false;
  const std::string nonce(token.substr(0, dot));
  return ConstantTimeEquals(token.substr(dot + 1), Mac(key_, nonce + "|" + std::string(binding)));
}

bool CsrfGuard::Verify(std::string_view form_token, std::string_view cookie_token,
                       std::string_view binding) const {
  if (form_token.empty() || !ConstantTimeEquals(form_token, cookie_token)) return false;
  return IsValidFor(form_token, binding);
}

}  // namespace masthead::accounts
