#include "support/support_service.h"

#include "base/text.h"
#include "base/utf8.h"
#include "mail/message.h"

namespace masthead::support {
namespace {

std::string ClipUtf8(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

// A reader-typed field: trimmed, valid UTF-8, within its limit. Browsers never
// send invalid UTF-8 from a form, so such bytes are refused rather than guessed.
Status CheckText(std::string& value, std::string_view field, std::string_view label, std::size_t max_bytes,
                 bool required) {
  value = StripControlCharacters(TrimWhitespace(value));
  if (!IsValidUtf8(value)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(label) + " contains bytes that are not text; please type it again", std::string(field));
  }
  if (required && value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(label) + " is required", std::string(field));
  }
  if (value.size() > max_bytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(label) + " is too long: at most " + std::to_string(max_bytes) +
                         " bytes, this has " + std::to_string(value.size()),
                     std::string(field));
  }
  return Ok();
}

Status Validate(Report& report) {
  MASTHEAD_RETURN_IF_ERROR(CheckText(report.problem, "problem", "What went wrong", kMaxProblemBytes, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(report.steps, "steps", "What you did", kMaxStepsBytes, true));
  MASTHEAD_RETURN_IF_ERROR(CheckText(report.email, "email", "The e-mail address", kMaxEmailBytes, false));
  if (!report.email.empty() && !mail::ValidateAddress({"", report.email}, "email")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "The e-mail address does not look right; leave it empty if you want no answer", "email");
  }
  MASTHEAD_RETURN_IF_ERROR(CheckText(report.article, "article", "The article", 200, false));
  if (!report.article.empty() && !IsValidSlug(report.article)) {
    return MakeError(ErrorCode::kInvalidArgument, "The article is not one of ours; leave it empty", "article");
  }
  store::SupportEnvironment& env = report.environment;
  const std::pair<std::string*, std::string_view> fields[] = {
      {&env.device, "device"},     {&env.os, "os"},         {&env.browser, "browser"},   {&env.screen, "screen"},
      {&env.window, "window"},     {&env.timezone, "timezone"}, {&env.language, "language"}};
  for (const auto& [value, name] : fields) {
    MASTHEAD_RETURN_IF_ERROR(CheckText(*value, name, "This field", kMaxEnvironmentFieldBytes, false));
  }
  env.detected = KeepHeaderText(env.detected);
  env.user_agent = KeepHeaderText(env.user_agent);
  env.client_hints = KeepHeaderText(env.client_hints);
  return Ok();
}

}  // namespace

std::string KeepHeaderText(std::string_view text) {
  return ClipUtf8(StripControlCharacters(ReplaceInvalidUtf8(text)), kMaxHeaderTextBytes);
}

Result<store::SupportTicket> SupportService::Submit(Report report) {
  MASTHEAD_RETURN_IF_ERROR(Validate(report));
  const UnixSeconds now = now_();
  auto rate = store_.HitRateLimit({"support:net:" + report.network, options_.reports_per_hour, 3600, now});
  if (!rate) return tl::unexpected(rate.error());
  if (!rate->allowed) {
    return MakeError(ErrorCode::kRateLimited,
                     "Many reports came from your network in the last hour. Please wait " +
                         std::to_string((rate->retry_after + 59) / 60) + " minutes and send it again",
                     "problem");
  }
  store::SupportTicket created;
  auto stored = store_.Transact([&](store::Store& tx) -> Status {
    auto ticket = tx.CreateSupportTicket({report.article, report.problem, report.steps, report.email,
                                          report.environment, report.network, now});
    if (!ticket) return tl::unexpected(ticket.error());
    created = std::move(*ticket);
    return mailer_ ? mailer_(tx, created) : Ok();
  });
  if (!stored) return tl::unexpected(stored.error());
  return created;
}

Result<std::vector<store::SupportTicket>> SupportService::Queue(const std::string& status,
                                                                std::optional<std::int64_t> before_id,
                                                                int limit) {
  return store_.ListSupportTickets({status, limit, before_id});
}

Result<store::SupportTicket> SupportService::SetOpen(std::int64_t id, bool open, std::int64_t staff_user_id) {
  return store_.SetSupportTicketStatus({id, open ? "open" : "closed", staff_user_id, now_()});
}

}  // namespace masthead::support
