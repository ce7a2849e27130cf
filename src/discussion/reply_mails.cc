#include "discussion/reply_mails.h"

#include <cstdio>
#include <unordered_map>

namespace masthead::discussion {
namespace {

// The batch read before composing is still the head of what is owed: the same
// replies in the same state (new debts may have arrived after them).
bool StillOwed(const std::vector<store::Comment>& composed, const std::vector<store::Comment>& now_owed) {
  if (now_owed.size() < composed.size()) return false;
  for (std::size_t i = 0; i < composed.size(); ++i) {
    if (composed[i].id != now_owed[i].id || composed[i].status != now_owed[i].status) return false;
  }
  return true;
}

}  // namespace

ReplyMails::ReplyMails(store::Store& store, ReplyComposer composer, int batch_size)
    : store_(store), composer_(std::move(composer)), batch_size_(batch_size) {}

Result<int> ReplyMails::Drain() {
  int composed = 0;
  for (bool more = true; more;) {
    auto batch = DrainBatch(more);
    if (!batch) return batch;
    composed += *batch;
  }
  return composed;
}

Result<int> ReplyMails::DrainBatch(bool& more) {
  auto pending = store_.PendingReplyMails(batch_size_);
  if (!pending) return tl::unexpected(pending.error());
  more = static_cast<int>(pending->size()) >= batch_size_;
  if (pending->empty()) return 0;

  std::vector<std::int64_t> ids;
  ids.reserve(pending->size());
  std::unordered_map<std::int64_t, store::Comment> parents;  // a busy thread's replies share few parents
  std::vector<OwedReplyMail> owed;
  for (const store::Comment& reply : *pending) {
    ids.push_back(reply.id);
    if (reply.status != store::CommentStatus::kPublished || !reply.parent_id) continue;
    auto known = parents.find(*reply.parent_id);
    if (known == parents.end()) {
      auto parent = store_.FindComment(*reply.parent_id);
      if (!parent && parent.error().code == ErrorCode::kNotFound) continue;
      if (!parent) return tl::unexpected(parent.error());
      known = parents.emplace(*reply.parent_id, std::move(*parent)).first;
    }
    const store::Comment& parent = known->second;
    if (parent.status == store::CommentStatus::kDeleted || parent.author_id == reply.author_id) continue;
    owed.push_back({&reply, &parent});
  }
  std::vector<Result<ReplyMailWrite>> composed = composer_(store_, owed);
  if (composed.size() != owed.size()) {
    return MakeError(ErrorCode::kInternal, "the reply mail composer answered for another number of mails");
  }
  std::vector<ReplyMailWrite> writes;
  for (std::size_t i = 0; i < owed.size(); ++i) {
    Result<ReplyMailWrite>& write = composed.at(i);
    if (!write && (write.error().code == ErrorCode::kInvalidArgument ||
                   write.error().code == ErrorCode::kNotFound)) {
      // A mail that cannot be composed (or whose reader or article is gone):
      // retrying cannot help, and keeping it would stop every later mail.
      std::fprintf(stderr, "masthead: reply mail for comment %lld dropped: %s\n",
                   static_cast<long long>(owed[i].reply->id), write.error().ToString().c_str());
      continue;
    }
    if (!write) return tl::unexpected(write.error());
    if (*write) writes.push_back(std::move(*write));
  }

  bool taken_elsewhere = false;
  Status done = store_.Transact([&](store::Store& tx) -> Status {
    taken_elsewhere = false;
    auto now_owed = tx.PendingReplyMails(static_cast<int>(pending->size()));
    if (!now_owed) return tl::unexpected(now_owed.error());
    if (!StillOwed(*pending, *now_owed)) {
      taken_elsewhere = true;
      return Ok();
    }
    for (const ReplyMailWrite& write : writes) MASTHEAD_RETURN_IF_ERROR(write(tx));
    return tx.FinishReplyMails(ids);
  });
  if (!done) return tl::unexpected(done.error());
  if (taken_elsewhere) {
    // Another drainer handed (some of) these over while they were composed:
    // what is still owed is read again and composed afresh.
    more = true;
    return 0;
  }
  return static_cast<int>(writes.size());
}

}  // namespace masthead::discussion
