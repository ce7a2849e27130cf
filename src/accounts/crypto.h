// Password hashing, random tokens and keyed MACs, all from libsodium. Secrets are
// compared in constant time. Call InitCrypto() once before any other function.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace masthead::accounts {

Status InitCrypto();

// How expensive a password hash is. kInteractive is libsodium's recommendation
// for logins (argon2id, 64 MiB); kMinimum exists so test suites can create many
// accounts quickly, and must not be used on a real site.
enum class HashCost { kInteractive, kModerate, kMinimum };

// An argon2id hash in libsodium's encoded form ($argon2id$v=19$m=...).
Result<std::string> HashPassword(std::string_view password, HashCost cost);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// 32 random bytes, base64url without padding (43 characters): for session
// cookies, e-mail links and CSRF nonces.
std::string RandomToken();

// Keyless hash of a token for storage: a database leak does not reveal live
// session cookies or reset links. Hex, 64 characters.
std::string HashToken(std::string_view token);

// HMAC-SHA-256 of `message` under `key`, base64url.
std::string Mac(std::string_view key, std::string_view message);

bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace masthead::accounts
