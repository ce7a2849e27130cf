// Composes the mails that replies owe their parents' authors. Posting a reply
// records the debt in the reply's own row (no page of its commit is spent on
// mail); ReplyMails turns the debts into mails afterwards, in batches. Each
// batch is composed from committed data outside any write transaction (the
// writers of new comments queue behind every write transaction, so work done
// inside one is paid by all of them) and stored in one short transaction that
// marks its replies handed over, after checking that nobody handed them over
// meanwhile: every mail is stored exactly once, after a crash the next Drain
// picks up what was left, and two nodes draining at once never both store one.
#pragma once

#include <functional>

#include "base/result.h"
#include "store/store.h"

namespace masthead::discussion {

// What one reply's mail writes in the drain's transaction (usually an outbox row
// composed beforehand); empty when the reply owes nothing after all.
using ReplyMailWrite = std::function<Status(store::Store& tx)>;
struct OwedReplyMail {
  const store::Comment* reply;
  const store::Comment* parent;
};
// Composes a batch's mails from `reader` (committed data, no transaction), one
// result per owed mail in order; lookups may be shared across the batch (a busy
// thread's replies mostly go to few readers). For one mail, kInvalidArgument or
// kNotFound means it can never be composed (it is dropped and the rest go on);
// any other error leaves the batch for a retry. An error from a returned write
// rolls the whole batch back for a retry.
using ReplyComposer = std::function<std::vector<Result<ReplyMailWrite>>(store::Store& reader,
                                                                        const std::vector<OwedReplyMail>& owed)>;

class ReplyMails {
 public:
  ReplyMails(store::Store& store, ReplyComposer composer, int batch_size = 200);

  // Composes every owed mail; returns how many were stored.
  // A reply deleted or held since it was posted, or whose parent is gone, is
  // owed nothing.
  Result<int> Drain();

 private:
  // At most batch_size debts. Sets `more` when another batch may follow (a full
  // one was read, or another drainer took this one first).
  Result<int> DrainBatch(bool& more);

  store::Store& store_;
  ReplyComposer composer_;
  int batch_size_;
};

}  // namespace masthead::discussion
