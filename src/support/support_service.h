// Technical-problem reports: what a reader may send (limits, required fields),
// how often a network may send one, and the staff's open/closed queue. Each
// report becomes a numbered ticket stored together with the mails it causes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "store/store.h"

namespace masthead::support {

struct SupportOptions {
  int reports_per_hour = 5;  // per network (IPv4 /24, IPv6 /48)
};

// The longest text accepted per field, in bytes; longer input is refused with
// the field named, never cut silently.
inline constexpr std::size_t kMaxProblemBytes = 5000;
inline constexpr std::size_t kMaxStepsBytes = 5000;
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMaxEnvironmentFieldBytes = 200;
// Header-derived text (User-Agent, client hints) is kept, repaired and clipped
// to this: a hostile 100 KB header must not become a 100 KB ticket.
inline constexpr std::size_t kMaxHeaderTextBytes = 2000;

// What the reader sent. `environment` holds the form's device/os/browser/screen/
// window/timezone/language fields (detected values the reader may have
// corrected) and the header-derived detected/user_agent/client_hints.
struct Report {
  std::string article;  // slug, may be empty
  std::string problem;
  std::string steps;
  std::string email;  // optional
  store::SupportEnvironment environment;
  std::string network;  // NetworkOf(remote address)
};

// Called inside the transaction that stores the ticket, so its mails (to the
// support desk and the reader's confirmation) are stored with it, or neither.
using TicketMailer = std::function<Status(store::Store& tx, const store::SupportTicket& ticket)>;

class SupportService {
 public:
  SupportService(store::Store& store, TicketMailer mailer, SupportOptions options,
                 std::function<UnixSeconds()> now = NowSeconds)
      : store_(store), mailer_(std::move(mailer)), options_(options), now_(std::move(now)) {}

  // Validates (errors are kInvalidArgument with the field named), counts the
  // report against its network's hourly limit (kRateLimited), then stores the
  // ticket and queues its mails in one transaction.
  Result<store::SupportTicket> Submit(Report report);

  Result<store::SupportTicket> Find(std::int64_t id) { return store_.FindSupportTicket(id); }
  // Newest first; `status` "open", "closed" or "" for all.
  Result<std::vector<store::SupportTicket>> Queue(const std::string& status,
                                                  std::optional<std::int64_t> before_id, int limit);
  Result<store::SupportTicket> SetOpen(std::int64_t id, bool open, std::int64_t staff_user_id);

 private:
  store::Store& store_;
  TicketMailer mailer_;
  SupportOptions options_;
  std::function<UnixSeconds()> now_;
};

// Header text made safe to keep: invalid UTF-8 replaced, control characters
// removed, clipped on a character boundary to kMaxHeaderTextBytes.
std::string KeepHeaderText(std::string_view text);

}  // namespace masthead::support
