// Messages between the Masthead nodes that share one database, for what each
// node keeps in memory: live-comment marks and page-cache versions. A message
// one node sends reaches every other node that is running (not the sender),
// once, in the sender's order. Nothing is stored: a node that is down misses
// messages, so they may only ever say "look again", never carry data.
#pragma once

#include <functional>
#include <string>

namespace masthead::store {

class ClusterBus {
 public:
  // The receiver is told when messages may have been missed (the connection
  // to the database broke and was made again): everything may be stale.
  struct Handlers {
    std::function<void(const std::string& message)> message;
    std::function<void()> missed;
  };

  virtual ~ClusterBus() = default;
  // Starts delivering to `handlers` on the bus's own thread.
  virtual void Start(Handlers handlers) = 0;
  // Thread-safe; never blocks the caller for long and never fails it: a
  // message that cannot be sent is logged and dropped.
  virtual void Send(const std::string& message) = 0;
};

}  // namespace masthead::store
