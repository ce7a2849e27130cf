// The one interface every way of delivering mail implements, and the outcome of
// one delivery attempt as the worker needs it to decide what happens next.
#pragma once

#include <string>
#include <string_view>

#include "mail/message.h"

namespace masthead::mail {

enum class DeliveryStatus {
  kDelivered,         // the server accepted the message (2xx after DATA)
  kTemporaryFailure,  // try again later: 4xx, connection refused, timeout, TLS, auth
  kPermanentFailure,  // never retry: 5xx for this message, or the message is invalid
};

std::string_view DeliveryStatusName(DeliveryStatus status);

struct DeliveryResult {
  DeliveryStatus status = DeliveryStatus::kTemporaryFailure;
  int code = 0;        // last SMTP reply code; 0 when none (no connection, Maildir)
  std::string reply;   // the server's last reply text, or what went wrong locally

  bool delivered() const { return status == DeliveryStatus::kDelivered; }
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Delivers one message and reports the outcome; never throws. A message that
  // fails validation is a kPermanentFailure whose reply names the field.
  // Implementations document their own thread-safety.
  virtual DeliveryResult Send(const Message& message) = 0;
};

}  // namespace masthead::mail
