#include "discussion/policy_service.h"

#include <span>

#include "base/embedded.h"
#include "base/utf8.h"

namespace masthead {
std::span<const EmbeddedFile> DefaultPolicies();
}

namespace masthead::discussion {
namespace {

constexpr char kTermsSummary[] =
    "Take part with an account, keep to the Community Guidelines, and let us show what you "
    "write next to the article.";
constexpr char kGuidelinesSummary[] =
    "A strict no-bullying policy: no personal attacks, threats, hate or harassment; stay on "
    "the subject.";

}  // namespace

PolicyService::PolicyService(store::Store& store, std::function<UnixSeconds()> now)
    : store_(store), now_(std::move(now)) {}

Status PolicyService::EnsureDefaults() {
  for (const auto& [kind, summary] : {std::pair{"terms", kTermsSummary},
                                      std::pair{"guidelines", kGuidelinesSummary}}) {
    auto current = store_.CurrentPolicy(kind);
    if (current) continue;
    if (current.error().code != ErrorCode::kNotFound) return tl::unexpected(current.error());
    auto body = FindEmbedded(DefaultPolicies(), std::string(kind) + ".md");
    if (!body) return MakeError(ErrorCode::kInternal, std::string("no default ") + kind);
    MASTHEAD_RETURN_IF_ERROR(store_.PublishPolicy({kind, summary, std::string(*body), now_()}));
  }
  return Ok();
}

void PolicyService::Forget() {
  std::lock_guard lock(mutex_);
  ++generation_;
  current_.reset();
  accepted_current_.clear();
}

Result<std::shared_ptr<const CurrentPolicies>> PolicyService::Cached(std::uint64_t& generation) {
  {
    std::lock_guard lock(mutex_);
    generation = generation_;
    if (current_) return current_;
  }
  auto terms = store_.CurrentPolicy("terms");
  if (!terms) return tl::unexpected(terms.error());
  auto guidelines = store_.CurrentPolicy("guidelines");
  if (!guidelines) return tl::unexpected(guidelines.error());
  auto read = std::make_shared<const CurrentPolicies>(CurrentPolicies{std::move(*terms), std::move(*guidelines)});
  std::lock_guard lock(mutex_);
  // What was read before a change came in may be the old version: not kept.
  if (generation == generation_) current_ = read;
  return read;
}

Result<CurrentPolicies> PolicyService::Current() {
  std::uint64_t generation = 0;
  auto current = Cached(generation);
  if (!current) return tl::unexpected(current.error());
  return **current;
}

Result<store::PolicyVersion> PolicyService::Publish(const std::string& kind, std::string summary,
                                                    std::string body_markdown) {
  if (kind != "terms" && kind != "guidelines") {
    return MakeError(ErrorCode::kInvalidArgument, "kind must be terms or guidelines", "kind");
  }
  if (!IsValidUtf8(summary) || !IsValidUtf8(body_markdown)) {
    return MakeError(ErrorCode::kInvalidArgument, "the text is not valid UTF-8", "body");
  }
  if (body_markdown.empty() || body_markdown.size() > 200 * 1024) {
    return MakeError(ErrorCode::kInvalidArgument, "the text must have 1 to 200 KB", "body");
  }
  if (summary.size() > 1000) {
    return MakeError(ErrorCode::kInvalidArgument, "the summary may have at most 1000 bytes", "summary");
  }
  auto published = store_.PublishPolicy({kind, std::move(summary), std::move(body_markdown), now_()});
  Forget();
  if (published && on_change_) on_change_();
  return published;
}

Result<bool> PolicyService::HasAcceptedCurrent(std::int64_t user_id) {
  std::uint64_t generation = 0;
  auto current = Cached(generation);
  if (!current) return tl::unexpected(current.error());
  {
    std::lock_guard lock(mutex_);
    if (generation == generation_ && accepted_current_.contains(user_id)) return true;
  }
  auto accepted = store_.HasAccepted({user_id, (*current)->terms.version, (*current)->guidelines.version, 0});
  // Only a yes is remembered: a no turns into a yes when the reader accepts.
  if (accepted && *accepted) Remember(user_id, generation);
  return accepted;
}

void PolicyService::Remember(std::int64_t user_id, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  if (accepted_current_.size() >= kMaxRemembered) accepted_current_.clear();
  accepted_current_.insert(user_id);
}

Status PolicyService::Accept(std::int64_t user_id, int terms_version, int guidelines_version) {
  std::uint64_t generation = 0;
  auto current = Cached(generation);
  if (!current) return tl::unexpected(current.error());
  if (terms_version != (*current)->terms.version || guidelines_version != (*current)->guidelines.version) {
    return MakeError(ErrorCode::kConflict,
                     "the Terms of Use or Community Guidelines changed while you were reading; "
                     "please read the current version",
                     "terms_version");
  }
  MASTHEAD_RETURN_IF_ERROR(store_.RecordAcceptance({user_id, terms_version, guidelines_version, now_()}));
  Remember(user_id, generation);
  return Ok();
}

}  // namespace masthead::discussion
