// Composes the mails that replies owe their parents' authors. Posting a reply
// records the debt in the reply's own row (no page of its commit is spent on
// mail); ReplyMails turns the debts into mails afterwards, in batches, each in
// the transaction that marks its replies handed over, so every mail is composed
// exactly once: after a crash the next Drain picks up what was left, and two
// nodes draining at once serialise on the store's write transaction.
#pragma once

#include <functional>

#include "base/result.h"
#include "store/store.h"

namespace masthead::discussion {

// Stores the mail for one reply inside the drain's transaction (usually into the
// mail outbox). kInvalidArgument or kNotFound means this mail can never be composed (it is
// dropped and the rest go on); any other error rolls the batch back for a retry.
using ReplyNotifier = std::function<Status(store::Store& tx, const store::Comment& reply,
                                           const store::Comment& parent)>;

class ReplyMails {
 public:
  ReplyMails(store::Store& store, ReplyNotifier notifier, int batch_size = 200);

  // Composes every owed mail; returns how many were handed to the notifier.
  // A reply deleted or held since it was posted, or whose parent is gone, is
  // owed nothing.
  Result<int> Drain();

 private:
  // One transaction: at most batch_size debts. Sets `more` when a full batch
  // was read (another may follow).
  Result<int> DrainBatch(bool& more);

  store::Store& store_;
  ReplyNotifier notifier_;
  int batch_size_;
};

}  // namespace masthead::discussion
