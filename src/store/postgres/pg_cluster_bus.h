// The cluster bus over PostgreSQL's LISTEN/NOTIFY: one channel per schema, a
// listening connection with its own thread, and a sending connection.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "store/cluster_bus.h"
#include "store/postgres/postgres_engine.h"

namespace masthead::store::postgres {

class PgClusterBus final : public ClusterBus {
 public:
  static Result<std::unique_ptr<PgClusterBus>> Open(const std::string& url);
  ~PgClusterBus() override;

  void Start(Handlers handlers) override;
  void Send(const std::string& message) override;

 private:
  explicit PgClusterBus(PostgresTarget target);
  void Listen();
  PGconn* Connect(bool listen);

  PostgresTarget target_;
  std::string channel_;
  std::string node_;  // random per process: a node skips its own messages
  Handlers handlers_;
  std::atomic<bool> stopping_{false};
  std::thread listener_;
  std::mutex send_mutex_;
  PGconn* sender_ = nullptr;
};

}  // namespace masthead::store::postgres
