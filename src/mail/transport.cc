#include "mail/transport.h"

namespace masthead::mail {

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kDelivered: return "delivered";
    case DeliveryStatus::kTemporaryFailure: return "temporary_failure";
    case DeliveryStatus::kPermanentFailure: return "permanent_failure";
  }
  return "unknown";
}

}  // namespace masthead::mail
