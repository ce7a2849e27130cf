// The one error type of Masthead. Every module API returns Result<T>; exceptions
// never cross a module boundary. The OK path carries no allocation.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace masthead {

// Closed list: adding a code means adding its HTTP status in http/status_of_error.
enum class ErrorCode {
  kInvalidArgument,    // the caller sent something malformed; `field` names it
  kNotFound,           // the thing asked for does not exist (or is not visible)
  kAlreadyExists,      // a unique key is taken
  kConflict,           // a state or version precondition failed
  kUnauthenticated,    // no or bad session
  kPermissionDenied,   // the caller may not do this
  kRateLimited,        // too many attempts; retry later
  kTooLarge,           // a size limit was passed
  kUnavailable,        // a dependency (database, SMTP) is temporarily unreachable
  kInternal,           // a bug or an unexpected engine failure
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // human readable, safe to show to the caller
  std::string field;    // the input field at fault, empty when none

  std::string ToString() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message,
                                       std::string field = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}

inline Status Ok() { return {}; }

}  // namespace masthead

// Propagates an error from an expression yielding Result/Status, else continues.
#define MASTHEAD_RETURN_IF_ERROR(expr)                          \
  do {                                                          \
    auto masthead_status_ = (expr);                             \
    if (!masthead_status_) {                                    \
      return tl::unexpected<::masthead::Error>(                 \
          std::move(masthead_status_).error());                 \
    }                                                           \
  } while (0)
