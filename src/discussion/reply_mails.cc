#include "discussion/reply_mails.h"

#include <cstdio>

namespace masthead::discussion {

ReplyMails::ReplyMails(store::Store& store, ReplyNotifier notifier, int batch_size)
    : store_(store), notifier_(std::move(notifier)), batch_size_(batch_size) {}

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
  int composed = 0;
  Status done = store_.Transact([&](store::Store& tx) -> Status {
    composed = 0;
    auto pending = tx.PendingReplyMails(batch_size_);
    if (!pending) return tl::unexpected(pending.error());
    more = static_cast<int>(pending->size()) >= batch_size_;
    std::vector<std::int64_t> ids;
    ids.reserve(pending->size());
    for (const store::Comment& reply : *pending) {
      ids.push_back(reply.id);
      if (reply.status != store::CommentStatus::kPublished || !reply.parent_id) continue;
      auto parent = tx.FindComment(*reply.parent_id);
      if (!parent && parent.error().code == ErrorCode::kNotFound) continue;
      if (!parent) return tl::unexpected(parent.error());
      if (parent->status == store::CommentStatus::kDeleted || parent->author_id == reply.author_id) continue;
      Status sent = notifier_(tx, reply, *parent);
      if (!sent && (sent.error().code == ErrorCode::kInvalidArgument ||
                    sent.error().code == ErrorCode::kNotFound)) {
        // A mail that cannot be composed (or whose reader or article is gone):
        // retrying cannot help, and keeping it would stop every later mail.
        std::fprintf(stderr, "masthead: reply mail for comment %lld dropped: %s\n",
                     static_cast<long long>(reply.id), sent.error().ToString().c_str());
        continue;
      }
      if (!sent) return sent;
      ++composed;
    }
    return tx.FinishReplyMails(ids);
  });
  if (!done) return tl::unexpected(done.error());
  return composed;
}

}  // namespace masthead::discussion
